/** The README's metric table, generated from the catalog so the two never drift apart. */
import {CATALOG, GROUP_TITLES} from './catalog.js';

function cell(text: string): string {
	return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function catalogMarkdown(): string {
	const rows = ['| key | kind | unit | FastDeploy wire name | vLLM / SGLang | what it is |', '|---|---|---|---|---|---|'];
	let group = '';
	for (const e of CATALOG) {
		if (e.group !== group) {
			group = e.group;
			rows.push(`| **${GROUP_TITLES[e.group].en}** | | | | | |`);
		}
		const fd = (e.wire.fastdeploy ?? []).map(n => `\`${n}\``).join('<br>') || '–';
		const others = [...(e.wire.vllm ?? []), ...(e.wire.sglang ?? [])].map(n => `\`${n}\``).join('<br>') || '–';
		const first = e.help.en.split(/(?<=\.)\s/)[0] ?? e.help.en;
		rows.push(`| \`${e.key}\` | ${e.kind} | ${e.unit} | ${fd} | ${others} | ${cell(first)}${e.zeroNote ? ' ⚠ may read all-zero' : ''} |`);
	}
	return rows.join('\n');
}
