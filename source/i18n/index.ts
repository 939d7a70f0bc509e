/**
 * The UI's words, one catalog per language (docs/i18n.md). English (en.ts) is the source of
 * truth; zh.ts is typed against it, so a missing or extra key or a wrong parameter list does not
 * compile. A screen takes its catalog once (`msgs(lang)`, kept on the Theme) and reads fields:
 * nothing is looked up by string while drawing.
 */
import {en, type Messages} from './en.js';
import {zh} from './zh.js';

export type Lang = 'en' | 'zh';
export type {Messages};

const CATALOGS: Record<Lang, Messages> = {en, zh};

export function msgs(lang: Lang): Messages {
	return CATALOGS[lang];
}

/**
 * The language asked for: `--lang`, else the first non-empty of LC_ALL, LC_MESSAGES and LANG (the
 * POSIX order), Chinese when it starts with `zh`.
 */
export function langFromEnv(env: Readonly<Record<string, string | undefined>>): Lang {
	const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find(v => v !== undefined && v !== '') ?? '';
	return locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The language before the flags are read (for usage errors): `--lang zh`/`--lang=zh`, else the environment's. */
export function langOf(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Lang {
	const i = argv.findIndex(a => a === '--lang' || a.startsWith('--lang='));
	const given = i < 0 ? undefined : argv[i]!.startsWith('--lang=') ? argv[i]!.slice('--lang='.length) : argv[i + 1];
	return given === 'zh' || given === 'en' ? given : langFromEnv(env);
}

/**
 * A message built in a language-free layer (an error, a verdict's why), in `lang`: each fixed
 * English fragment of the `errors` section swapped for its translation. Names, figures, flags and
 * units between the fragments stay as they are.
 */
export function localize(text: string, lang: Lang): string {
	if (lang === 'en') return text;
	let out = text;
	const english = en.errors as Record<string, string>;
	const local = CATALOGS[lang].errors as Record<string, string>;
	for (const key of Object.keys(english)) out = out.split(english[key]!).join(local[key]!);
	return out;
}
