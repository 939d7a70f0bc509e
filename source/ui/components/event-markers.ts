/**
 * The marker row under a chart or a sparkline: `↺` a restart, `⚙` a config change, `!` down, an
 * SLO breach, a diagnosis or an alert, each in the column of the scrape that saw it. The columns
 * are the chart's own (newest on the right, one per scrape), from the target's marker track,
 * which is built once per scrape (view-model.ts); this only cuts and paints it.
 */
import type {EventMarker} from '../../metrics/events.js';
import type {Theme, Tone} from '../theme.js';

export type MarkerTrack = readonly (EventMarker | '')[];

const TONE: Record<EventMarker, Tone> = {restart: 'warn', config: 'accent', alert: 'crit'};

/** The newest `points` columns of the track, right-aligned like the chart's values; null when none has a marker. */
export function markerRow(track: MarkerTrack | undefined, points: number, theme: Theme): string | null {
	if (!track || points <= 0) return null;
	const from = Math.max(0, track.length - points);
	let any = false;
	let out = ' '.repeat(points - (track.length - from));
	for (let k = from; k < track.length; k++) {
		const m = track[k]!;
		if (m === '') {
			out += ' ';
			continue;
		}
		any = true;
		out += theme.paint(m === 'restart' ? theme.glyphs.markerRestart : m === 'config' ? theme.glyphs.markerConfig : theme.glyphs.markerAlert, TONE[m]);
	}
	return any ? out : null;
}

/**
 * A chart (chartLines with its default 7 label columns) `height` lines tall with the marker row
 * as its last line while a marker is in view; `draw` gets the height the plot may take.
 */
export function withMarkerRow(track: MarkerTrack | undefined, width: number, height: number, theme: Theme, draw: (height: number) => string[]): string[] {
	const labelWidth = 7;
	const row = markerRow(track, width - labelWidth - 1, theme);
	const chart = draw(height - (row ? 1 : 0));
	if (row) chart.push(`${' '.repeat(labelWidth + 1)}${row}`);
	return chart;
}
