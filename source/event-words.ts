/**
 * An event of the event log (metrics/events.ts) in a language, from its data: the Events view
 * (key 8) and `fdtop report`'s Event log word it here. Each event's `title` and `detail` stay the
 * English (--json and the --once text report).
 */
import {formatSpan, type TimelineEvent} from './metrics/events.js';
import {objectiveLabel, type Objective, type SloStatus} from './metrics/slo.js';
import {msgs, type Lang} from './i18n/index.js';

/** `met`, `breached`, …; a word it does not know stays as it is. */
function statusWord(status: string, lang: Lang): string {
	const s = msgs(lang).sloView.status;
	const word = status === 'too-few' ? s.tooFew : status === 'no-data' ? s.noData : (s as Record<string, string>)[status as SloStatus];
	return word ?? status;
}

/** An event's title and detail in `lang` (objectives: those of the run, to word an SLO event's objective). */
export function eventWordsIn(e: TimelineEvent, lang: Lang, objectives: readonly Objective[], ascii = false): {readonly title: string; readonly detail: string} {
	const m = msgs(lang).eventsView;
	const d = e.data;
	const status = (s: string) => statusWord(s, lang);
	const start = e.phase !== 'end';
	switch (d?.kind) {
		case 'restart':
			return {title: m.restart, detail: [...(d.resets > 0 ? [m.resets(d.resets)] : []), ...(d.startTime ? [m.startTime] : [])].join('; ')};
		case 'up':
			return {title: m.up, detail: d.downMs === null ? '' : m.downFor(formatSpan(d.downMs))};
		case 'config':
			return {title: m.config, detail: `${d.changes.slice(0, 3).join(', ')}${d.changes.length > 3 ? ` ${m.more(d.changes.length - 3)}` : ''}`};
		case 'slo': {
			const o = objectives.find(x => objectiveLabel(x) === d.label);
			const label = o ? objectiveLabel(o, ascii, lang) : d.label;
			return {title: m.slo(status(d.to)), detail: m.sloChange(label, d.from === undefined ? null : status(d.from), status(d.to))};
		}
		case 'condition': {
			const title = e.kind === 'diagnosis' ? (start ? m.diagnosisStart : m.diagnosisEnd) : start ? m.alertStart : m.alertEnd;
			return {title, detail: lang === 'zh' && d.zh !== undefined ? d.zh : e.detail};
		}
		default:
			return {title: e.kind === 'down' ? m.down : e.title, detail: e.detail};
	}
}
