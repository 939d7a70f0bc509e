/** Target spec → the source that reads it. */
import {FileSource} from './file.js';
import {HttpSource, type HttpOptions} from './http.js';
import type {TargetSpec} from './targets.js';
import type {Source} from './types.js';

export function createSource(spec: TargetSpec, http: HttpOptions): Source {
	switch (spec.kind) {
		case 'http':
			return new HttpSource(spec.url, http);
		case 'file':
			return new FileSource(spec.path, http.clock);
		case 'recording':
			throw new Error('recordings are replayed by the replay driver, not scraped');
	}
}
