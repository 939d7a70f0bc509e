/**
 * Terminal size from Ink's stdout, updated on 'resize' (Ink 6 has no useWindowSize). A stream
 * without a size (a pipe, ink-testing-library's rows) counts as 80x24.
 */
import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export interface TerminalSize {
	readonly columns: number;
	readonly rows: number;
}

export function readSize(stream: {columns?: number; rows?: number}): TerminalSize {
	return {columns: stream.columns && stream.columns > 0 ? stream.columns : 80, rows: stream.rows && stream.rows > 0 ? stream.rows : 24};
}

export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => readSize(stdout));
	useEffect(() => {
		const update = () =>
			setSize(previous => {
				const next = readSize(stdout);
				return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
			});
		stdout.on('resize', update);
		update();
		return () => {
			stdout.off('resize', update);
		};
	}, [stdout]);
	return size;
}
