/**
 * The redactor: every secret fdtop was given, by value, and the shapes of secrets in general, by
 * pattern. Text from outside (an HTTP body, a Prometheus API error, argv, a targets file) may echo
 * a secret; `redact` hides it. The registry is process-wide and filled by config parsing as soon as
 * it sees a secret, before any validation can throw a message holding it: FDTOP_TOKEN, the
 * --token-file content, every -H value whatever its length, and the userinfo of any URL-ish
 * argument or targets-file line (well-formed or not). `inert` (text.ts) redacts before it escapes,
 * so every message, screen line and recorded error goes through here.
 */

export const REDACTED = '[redacted]';

/** Secrets are matched as substrings from this length on; shorter ones only as whole words. */
const SUBSTRING_MIN = 4;

const secrets = new Set<string>();
let ordered: string[] = [];

/** Remember a secret value (and its percent-encoded form, as a URL or a form body echoes it). */
export function addSecret(value: string | undefined): void {
	if (value === undefined) return;
	// As written, trimmed, JSON-escaped (a JSON body echoing it), percent-encoded and decoded.
	const forms = [value, value.trim(), JSON.stringify(value).slice(1, -1)];
	try {
		forms.push(encodeURIComponent(value), decodeURIComponent(value));
	} catch {
		// A malformed %-sequence: the raw value is enough.
	}
	let changed = false;
	for (const form of forms) {
		if (form === '' || secrets.has(form)) continue;
		secrets.add(form);
		changed = true;
	}
	// Longest first, so a secret containing another is hidden whole.
	if (changed) ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** `scheme://userinfo@` and a bare `user:password@host`, anywhere in a text. */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@]*)@/gi;
const BARE_USERINFO = /(^|[\s"'(<,;=])([^\s/@:"'<>,;=]+):([^\s/@"'<>]*)@(?=[^\s@])/g;

/**
 * The userinfo of any URL-ish text (a target, a targets-file line, --prometheus), malformed or
 * not: its password, or the user name when it stands alone (a token passed as the user).
 */
export function addSecretsFromText(text: string): void {
	if (!text.includes('@')) return;
	for (const m of text.matchAll(URL_USERINFO)) addUserinfo(m[2]!);
	for (const m of text.matchAll(BARE_USERINFO)) addUserinfo(`${m[2]}:${m[3]}`);
}

function addUserinfo(userinfo: string): void {
	const colon = userinfo.indexOf(':');
	if (colon === -1) addSecret(userinfo);
	else addSecret(userinfo.slice(colon + 1));
}

/** Forget every secret (tests only). */
export function clearSecrets(): void {
	secrets.clear();
	ordered = [];
}

const isWordCode = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** Replace `secret` in `text`: everywhere, or (a short one) where it stands as a whole word. */
function replaceValue(text: string, secret: string): string {
	let at = text.indexOf(secret);
	if (at === -1) return text;
	const whole = secret.length < SUBSTRING_MIN;
	let out = '';
	let from = 0;
	while (at !== -1) {
		const end = at + secret.length;
		if (!whole || ((at === 0 || !isWordCode(text.charCodeAt(at - 1))) && (end >= text.length || !isWordCode(text.charCodeAt(end))))) {
			out += text.slice(from, at) + REDACTED;
			from = end;
			at = text.indexOf(secret, end);
		} else {
			at = text.indexOf(secret, at + 1);
		}
	}
	return out + text.slice(from);
}

/** Only the configured values, no patterns: for raw data kept as is (a recorded exposition). */
export function redactValues(text: string): string {
	let out = text;
	for (const secret of ordered) out = replaceValue(out, secret);
	return out;
}

// The shapes of a credential, whatever its value: an Authorization-like header echoed as
// `name: value`, `name=value` or `"name":"value"`; a Bearer or Basic credential; URL userinfo.
const HEADER_ECHO = /\b((?:proxy-)?authorization|x-api-key|api[-_]?key|x-auth-token|x-access-token|auth-token|access[-_]token|cookie|set-cookie|password|passwd|secret)(["']?\s*[:=]\s*["']?)((?:bearer|basic|digest|token)\s+)?[^\s"',;}&]+/gi;
const SCHEME_CREDENTIAL = /\b(bearer|basic)(\s+)(?!\[redacted\])[^\s"',;}&]+/gi;
const MAYBE = /@|bearer|basic|authori|key|token|cookie|passw|secret/i;

/** Hide every configured secret and every credential-shaped substring. */
export function redact(text: string): string {
	let out = ordered.length > 0 ? redactValues(text) : text;
	if (!MAYBE.test(out)) return out;
	out = out.replace(HEADER_ECHO, (_m, name: string, sep: string, scheme: string | undefined) => `${name}${sep}${scheme ?? ''}${REDACTED}`);
	out = out.replace(SCHEME_CREDENTIAL, `$1$2${REDACTED}`);
	if (out.includes('@')) {
		out = out.replace(URL_USERINFO, `$1${REDACTED}@`);
		out = out.replace(BARE_USERINFO, `$1${REDACTED}@`);
	}
	return out;
}
