export type {Family, Labels, MetricType, ParseError, ParseResult, Sample} from './types.js';
export {parseExposition, sampleLabel, sampleLabelCount} from './parse.js';
export {formatGoFloat, parseGoFloat} from './float.js';
