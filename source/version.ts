import {readFileSync} from 'node:fs';

/** Set by the bundler (scripts/build.mjs `define`): the single-file builds have no package.json beside them. */
declare const FDTOP_VERSION: string | undefined;

/** The package version, read once (works from source/ under tsx and from dist/). */
export const VERSION: string = (() => {
	if (typeof FDTOP_VERSION === 'string') return FDTOP_VERSION;
	try {
		return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string}).version;
	} catch {
		return '0.0.0';
	}
})();
