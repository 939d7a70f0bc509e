/**
 * An event's title and detail in a language (the Event log, the `--once` text, `fdtop compare`):
 * worded from the event's data through the catalog's eventsView, so the English title and detail
 * the metrics layer keeps (for --json and recordings) are never shown translated by string
 * matching. The SLO status words an event needs are here too, shared with the
 * SLO view (ui/views/slo-text.ts).
 */
import {formatSpan, type TimelineEvent} from './metrics/events.js';
import {objectiveLabel, objectiveText, type Objective, type SloStatus} from './metrics/slo.js';
import {localize, type Messages} from './i18n/index.js';

type SloWords = Messages['sloView'];

export function statusWord(status: SloStatus, m: SloWords): string {
	return status === 'too-few' ? m.status.tooFew : status === 'no-data' ? m.status.noData : m.status[status];
}

/**
 * `m`: the catalog of the language; `lang` picks a condition's own translation (diagnoses carry
 * theirs); `objectives` name an SLO change's objective in that language.
 */
export function eventWords(e: TimelineEvent, m: Messages, lang: 'en' | 'zh', objectives: readonly Objective[] = [], ascii = false): {readonly title: string; readonly detail: string} {
	const w = m.eventsView;
	const d = e.data;
	const status = (s: string) => statusWord(s as SloStatus, m.sloView) ?? s;
	const start = e.phase !== 'end';
	switch (d?.kind) {
		case 'restart':
			return {title: w.restart, detail: [...(d.resets > 0 ? [w.resets(d.resets)] : []), ...(d.startTime ? [w.startTime] : [])].join('; ')};
		case 'up':
			return {title: w.up, detail: d.downMs === null ? '' : w.downFor(formatSpan(d.downMs))};
		case 'config':
			return {title: w.config, detail: `${d.changes.slice(0, 3).join(', ')}${d.changes.length > 3 ? ` ${w.more(d.changes.length - 3)}` : ''}`};
		case 'slo': {
			const o = objectives.find(x => objectiveLabel(x) === d.label);
			const label = o ? objectiveText(o, m.sloView, ascii) : d.label;
			return {title: w.slo(status(d.to)), detail: w.sloChange(label, d.from === undefined ? null : status(d.from), status(d.to))};
		}
		case 'condition': {
			const title = e.kind === 'diagnosis' ? (start ? w.diagnosisStart : w.diagnosisEnd) : start ? w.alertStart : w.alertEnd;
			return {title, detail: lang === 'zh' && d.zh !== undefined ? d.zh : e.detail};
		}
		default:
			// A target down: its error, built in English by the sources, in the user's language.
			return {title: e.kind === 'down' ? w.down : e.title, detail: e.kind === 'down' ? localize(e.detail, lang) : e.detail};
	}
}
