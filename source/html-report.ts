/**
 * `fdtop report`'s page: one self-contained HTML file from the model (html-report-model.ts), with
 * uPlot (MIT) and the data inline. Nothing is fetched when it is opened: a Content-Security-Policy
 * allows no connection and only the page's own scripts (by hash), and no text in the file is a
 * URL outside the licence comments (`/` in recorded text is written `&#47;` or `\/`). Every text
 * from a recording is untrusted: redacted, its hidden characters shown (text.ts), HTML-escaped.
 */
import {createHash} from 'node:crypto';
import {formatCount, formatRate, formatSeconds, formatValue, MISSING} from './format.js';
import type {Unit} from './metrics/catalog-types.js';
import {formatShare} from './metrics/slo.js';
import type {ChartData, ComparisonData, DistributionData, EventRow, ReportModel, RunSummary, SloRow, SummaryRow} from './html-report-model.js';
import {inert} from './text.js';
import {msgs, type Lang, type Messages} from './i18n/index.js';

/** uPlot's files and licence, read by the entry (report-html-cli.ts). */
export interface ChartLibrary {
	readonly js: string;
	readonly css: string;
	readonly license: string;
	readonly version: string;
}

/** Every user-visible string of the page: the catalogs' html section (English here; reportHtml's `lang` picks another). */
type HtmlWords = Messages['html'];
export const HTML_TEXT: HtmlWords = msgs('en').html;

/** Untrusted text → HTML text: redacted, hidden characters shown, `& < > " ' /` as entities. */
export function escapeHtml(text: string): string {
	return inert(text).replace(/[&<>"'/]/g, c => `&#${c.charCodeAt(0)};`);
}

/** Data for a `<script type="application/json">`: no `<` (so no `</script>`), no `/`, no U+2028/9. */
export function inlineJson(value: unknown): string {
	return JSON.stringify(value).replace(/[<>&/\u2028\u2029]/g, c => (c === '/' ? '\\/' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

const h = escapeHtml;

function figure(v: number | null, unit: Unit): string {
	if (v === null) return MISSING;
	if (unit === 'seconds') return formatSeconds(v);
	if (unit === 'count') return formatCount(v);
	if (unit === 'requests' || unit === 'tokens') return formatRate(v, '');
	return formatValue(v, unit);
}

function table(head: readonly string[], rows: readonly (readonly string[])[], cls = ''): string {
	return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map(c => `<th>${c}</th>`).join('')}</tr></thead><tbody>${rows.map(r => `<tr>${r.map(c => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function seconds(s: number): string {
	if (s < 120) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
	if (s < 7200) return `${Math.floor(s / 60)} m ${Math.round(s % 60)} s`;
	return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} m`;
}

export function runsSection(runs: readonly RunSummary[], t: HtmlWords = HTML_TEXT): string {
	const head = ['', ...t.runColumns].map(h);
	const rows = runs.map(r => [h(r.label), h(r.file), h(r.from), h(r.to), seconds(r.seconds), String(r.records), `${r.intervalMs / 1000} s`, h(r.recordedBy)]);
	const targets = runs.flatMap(r => r.targets.map(t => [h(r.label), h(t.name), h(t.location), h(t.engine ?? MISSING), h(t.era ?? MISSING), String(t.scrapes), String(t.failures), h(t.error ?? '')]));
	const notes = runs.flatMap(r => [r.stride > 1 ? `${h(r.label || r.file)}: ${t.thinned(r.stride)}` : '', r.tornLines ? `${h(r.label || r.file)}: ${t.torn(r.tornLines)}` : '', r.outOfOrder ? `${h(r.label || r.file)}: ${t.outOfOrder(r.outOfOrder)}` : ''].filter(Boolean));
	return `<section id="runs"><h2>${t.runs}</h2>${table(head, rows)}${table(['', ...t.targetColumns].map(h), targets)}${notes.map(n => `<p class="note">${n}</p>`).join('')}</section>`;
}

/** Each run's figures over its whole recording (without --compare, or beside the Comparison). */
export function summarySection(rows: readonly SummaryRow[], columns: readonly string[], t: HtmlWords = HTML_TEXT): string {
	if (rows.length === 0) return '';
	const body = rows.map(r => [h(r.title), ...r.values.map(v => figure(v, r.unit))]);
	return `<section id="summary"><h2>${t.summary}</h2><p class="note">${t.summaryNote}</p>${table(['', ...columns.map(h)], body, 'figures')}</section>`;
}

/** `fdtop compare A B`'s table, its tests' method, and each side's events beside the figures. */
export function comparisonSection(c: ComparisonData | null, t: HtmlWords = HTML_TEXT): string {
	if (!c) return '';
	const rows = c.rows.map(r => `<tr data-figure="${h(r.id)}"${r.significant ? ' class="differs"' : ''}>${r.cells.map(cell => `<td>${h(cell)}</td>`).join('')}</tr>`);
	const head = `<thead><tr>${t.compareHeader.map(x => `<th>${h(x)}</th>`).join('')}</tr></thead>`;
	const sides = c.sides.map(s => `<div class="side" data-side="${s.name}"><h3>${h(t.sideEvents(`${s.name} (${s.label})`, s.events.length))}</h3>${s.events.length ? `<ul>${s.events.map(e => `<li>${h(e)}</li>`).join('')}</ul>` : ''}</div>`);
	const notes = [t.comparisonNote, c.method.join(' '), ...(c.eraNote ? [c.eraNote] : [])].map(n => `<p class="note">${h(n)}</p>`);
	return `<section id="comparison"><h2>${t.comparison}</h2>${notes.join('')}<div class="compare"><table class="figures compare-figures">${head}<tbody>${rows.join('')}</tbody></table><div class="sides">${sides.join('')}</div></div></section>`;
}

export function sloSection(rows: readonly SloRow[], objectives: number, t: HtmlWords = HTML_TEXT): string {
	if (objectives === 0) return '';
	const body = rows.flatMap(r => [[h(r.column), h(r.objective), h(r.attainment), h(r.bounds), `<span class="st-${r.state === 'met' || r.state === 'breached' ? r.state : 'other'}">${h(r.status)}</span>`, h(r.burn)], ...(r.why ? [['', `<span class="note">${h(r.why)}</span>`, '', '', '', '']] : [])]);
	return `<section id="slo"><h2>${t.slo}</h2><p class="note">${t.sloNote}</p>${rows.length ? table(['', ...t.sloColumns].map(h), body) : `<p>${t.noSloData}</p>`}</section>`;
}

export function chartsSection(charts: readonly ChartData[], t: HtmlWords = HTML_TEXT): string {
	if (charts.length === 0) return '';
	const blocks = charts.map(c => `<figure class="chart" id="chart-${h(c.id)}" data-chart="${h(c.id)}"><figcaption>${h(c.title)}</figcaption></figure>`);
	return `<section id="charts"><h2>${t.charts}</h2><p class="note">${t.chartsNote}</p>${blocks.join('')}</section>`;
}

function boundText(le: number, unit: Unit, t: HtmlWords = HTML_TEXT): string {
	return Number.isFinite(le) ? figure(le, unit) : t.above;
}

export function distributionsSection(list: readonly DistributionData[], t: HtmlWords = HTML_TEXT): string {
	if (list.length === 0) return '';
	const blocks = list.map(d => {
		const head = [t.bucket, ...d.columns.map(c => `${h(c.label)} <span class="note">${t.requests(formatCount(c.count))}</span>`)];
		const rows = d.bounds.map((le, i) => [
			boundText(le, d.unit, t),
			...d.columns.map((c, k) => {
				const s = c.shares[i];
				if (s === null || s === undefined) return MISSING;
				return `<span class="bar run${k % 4}" style="width:${(s * 100).toFixed(2)}%"></span><span class="share">${formatShare(s)}</span>`;
			}),
		]);
		const empty = d.emptyBuckets > 0 ? `<p class="note">${t.emptyBuckets(d.emptyBuckets)}</p>` : '';
		return `<div class="dist" id="dist-${h(d.key)}"><h3>${h(d.title)}</h3>${table(head, rows, 'buckets')}${empty}</div>`;
	});
	return `<section id="distributions"><h2>${t.distributions}</h2><p class="note">${t.distributionsNote}</p>${blocks.join('')}</section>`;
}

export function eventsSection(events: readonly EventRow[], t: HtmlWords = HTML_TEXT): string {
	const body = events.map(e => [h(e.column), h(e.at), seconds(e.seconds), h(e.what)]);
	return `<section id="events"><h2>${t.events}</h2>${events.length ? table(['', ...t.eventColumns].map(h), body) : `<p>${t.noEvents}</p>`}</section>`;
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:1100px;padding:0 1em;color:#222;background:#fff}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:2em}h3{font-size:1em;margin:1em 0 .3em}
table{border-collapse:collapse;margin:.5em 0}th,td{padding:2px 8px;text-align:left;vertical-align:top}th{background:#f2f2f2}
table.figures td:not(:first-child){text-align:right;font-variant-numeric:tabular-nums}
.note{color:#666;font-size:.9em}.chart{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}
table.buckets td{min-width:14em;position:relative}table.buckets td:first-child{min-width:6em;text-align:right}
.bar{display:inline-block;height:.9em;vertical-align:middle;margin-right:.4em;max-width:10em}.share{font-variant-numeric:tabular-nums}
.run0{background:#1f77b4}.run1{background:#d62728}.run2{background:#2ca02c}.run3{background:#9467bd}
.differs td{font-weight:600}table.compare-figures td{white-space:nowrap}table.compare-figures td:last-child{text-align:left;white-space:normal}.compare{display:flex;gap:1.5em;flex-wrap:wrap}.sides{min-width:18em;flex:1}.sides ul{padding-left:1.2em;margin:.2em 0}
.st-met{color:#1a7f37}.st-breached{color:#c0392b;font-weight:600}footer{margin-top:3em;color:#666;font-size:.85em}`;

/** The page's own script: draws each chart of the inline data with uPlot (no data in the script). */
const DRAW = `(function(){
var data=JSON.parse(document.getElementById('fdtop-data').textContent);
var glyph={restart:'\u21ba',config:'\u2699',alert:'!'};
var colors=['#1f77b4','#ff7f0e','#2ca02c','#9467bd','#8c564b','#e377c2','#17becf','#bcbd22','#7f7f7f','#d62728'];
function num(v,unit){if(v==null)return'';var a=Math.abs(v);
if(unit==='seconds'){if(a===0)return'0';if(a<0.001)return(v*1e6).toFixed(0)+' µs';if(a<1)return(v*1000).toFixed(a<0.01?1:0)+' ms';return v.toFixed(a<10?2:1)+' s';}
if(unit==='ratio')return(v*100).toFixed(0)+' %';
if(a>=1e6)return(v/1e6).toFixed(1)+'M';if(a>=1e3)return(v/1e3).toFixed(1)+'k';return a<10&&v%1!==0?v.toFixed(2):v.toFixed(0);}
function clock(s){s=Math.round(s);var m=Math.floor(s/60),r=s%60;return m>=60?Math.floor(m/60)+'h'+String(m%60).padStart(2,'0'):m+':'+String(r).padStart(2,'0');}
data.charts.forEach(function(c){
var el=document.querySelector('[data-chart="'+c.id+'"]');if(!el)return;
var kinds={};c.lines.forEach(function(l,i){var k=l.label.split(' ').pop();if(!(k in kinds))kinds[k]=Object.keys(kinds).length;});
var series=[{label:data.timeLabel,value:function(u,v){return v==null?'--':clock(v);}}].concat(c.lines.map(function(l){
var k=kinds[l.label.split(' ').pop()]+l.target*Object.keys(kinds).length;
return{label:l.label,stroke:colors[k%colors.length],width:1.5,dash:l.run>0?[6,4]:undefined,spanGaps:false,points:{show:false},
value:function(u,v){return v==null?'--':num(v,c.unit);}};}));
var w=Math.max(320,(el.clientWidth||900)-10);
function marks(u){var ctx=u.ctx;ctx.save();ctx.strokeStyle='#888';ctx.fillStyle='#555';ctx.lineWidth=1;ctx.font=(12*devicePixelRatio)+'px sans-serif';
data.events.forEach(function(e){var x=Math.round(u.valToPos(e.seconds,'x',true));if(x<u.bbox.left||x>u.bbox.left+u.bbox.width)return;
ctx.setLineDash(e.run>0?[6,4]:[]);ctx.beginPath();ctx.moveTo(x,u.bbox.top);ctx.lineTo(x,u.bbox.top+u.bbox.height);ctx.stroke();ctx.fillText(glyph[e.marker]||'!',x+3,u.bbox.top+12*devicePixelRatio);});
ctx.restore();}
new uPlot({width:w,height:240,series:series,scales:{x:{time:false}},hooks:{draw:[marks]},
axes:[{values:function(u,vs){return vs.map(clock);}},{size:70,values:function(u,vs){return vs.map(function(v){return num(v,c.unit);});}}]},
[c.x].concat(c.lines.map(function(l){
// uPlot: null breaks a line, undefined is another line's time, which the line runs across.
var y=l.y.map(function(v){return v===null?undefined:v;});l.gaps.forEach(function(i){y[i]=null;});return y;})),el);
el.setAttribute('data-drawn','1');});
document.body.setAttribute('data-charts-drawn',String(data.charts.length));
})();`;

/** A licence as a comment: `*\/` inside cannot end it early. */
function comment(text: string): string {
	return `/*! ${text.replaceAll('*/', '* /')} */`;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/**
 * The page: one function per section, each from plain data of the model. The Comparison is
 * `fdtop compare A B`'s (its rows, tests and bins); the Event log and the charts' markers are the
 * store's event log (every kind).
 */
export function reportHtml(model: ReportModel, lib: ChartLibrary, lang: Lang = 'en'): string {
	const t = msgs(lang).html;
	const title = `${t.title}: ${model.runs.map(r => r.file).join(t.versus)}`;
	const libScript = `${comment(`uPlot ${lib.version}\n${lib.license}`)}\n${lib.js.replace(/^\/\*![^*]*\*\/\s*/, '')}`;
	// What the charts need; the tables are already in the page.
	const data = inlineJson({fdtop: model.fdtop, timeLabel: t.time, charts: model.charts, distributions: model.distributions, summary: model.summary, columns: model.columns, events: model.events, comparison: model.comparison?.json ?? null});
	const csp = `default-src 'none'; script-src 'sha256-${sha256(libScript)}' 'sha256-${sha256(DRAW)}'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'`;
	const body = [
		`<h1>${h(title)}</h1>`,
		runsSection(model.runs, t),
		comparisonSection(model.comparison, t),
		model.comparison ? '' : summarySection(model.summary, model.columns, t),
		sloSection(model.slo, model.objectives, t),
		chartsSection(model.charts, t),
		distributionsSection(model.distributions, t),
		eventsSection(model.events, t),
		`<footer><p>${t.generated(h(model.generatedAt), h(model.fdtop))} ${t.license} ${h(lib.version)} ${t.mitLicence}</p></footer>`,
	];
	return `<!DOCTYPE html>
<html lang="${t.lang}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${h(title)}</title>
<style>${comment(`uPlot ${lib.version} CSS\n${lib.license}`)}
${lib.css}
${STYLE}</style>
</head><body>
${body.filter(Boolean).join('\n')}
<script type="application/json" id="fdtop-data">${data}</script>
<script>${libScript}</script>
<script>${DRAW}</script>
</body></html>
`;
}
