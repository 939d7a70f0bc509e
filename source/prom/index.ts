export type {Family, Labels, MetricType, ParseError, ParseResult, Sample} from './types.js';
export {parseExposition} from './parse.js';
export {formatGoFloat, parseGoFloat} from './float.js';
