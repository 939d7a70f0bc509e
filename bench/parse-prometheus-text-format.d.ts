// The package ships no types; only what bench/parser.ts touches is declared.
declare module 'parse-prometheus-text-format' {
	interface PromMetricFamily {
		name: string;
		help: string;
		type: string;
		metrics: unknown[];
	}
	export default function parsePrometheusTextFormat(text: string): PromMetricFamily[];
}
