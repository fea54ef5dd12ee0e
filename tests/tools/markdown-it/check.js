// tests/tools/markdown-it/check.js - parse Markdown read from standard
// input with markdown-it (CommonMark, with GitHub-flavoured tables and
// strikethrough; raw HTML off, as GitHub treats a job summary's HTML as
// text to strip) and print, as JSON, what it became: the headings, each
// table as rows of cell text (header first), the links (text and
// destination), the list items, and any raw HTML token (there must be
// none).  Used by tests/integration/t1300-report.sh.
//
// usage: node check.js <report.md
'use strict';
const MarkdownIt = require('markdown-it');

const md = new MarkdownIt('commonmark', { html: true }).enable(['table', 'strikethrough']);
const src = require('fs').readFileSync(0, 'utf8');
const tokens = md.parse(src, {});

function text(inline) {
	return inline.children.map((c) => (c.type === 'text' || c.type === 'code_inline' ? c.content : '')).join('');
}

const out = { headings: [], tables: [], links: [], items: [], html: [] };
let table = null, row = null;
for (let i = 0; i < tokens.length; i++) {
	const t = tokens[i];
	if (t.type === 'heading_open') out.headings.push(text(tokens[i + 1]));
	else if (t.type === 'table_open') table = [];
	else if (t.type === 'table_close') { out.tables.push(table); table = null; }
	else if (t.type === 'tr_open') row = [];
	else if (t.type === 'tr_close') { table.push(row); row = null; }
	else if (t.type === 'inline' && row) row.push(text(t));
	else if (t.type === 'html_block') out.html.push(t.content);
	if (t.type === 'list_item_open') out.items.push(text(tokens[i + 2]));
	if (t.type === 'inline') {
		const ch = t.children;
		for (let j = 0; j < ch.length; j++) {
			if (ch[j].type === 'html_inline') out.html.push(ch[j].content);
			if (ch[j].type === 'link_open') {
				let k = j + 1, s = '';
				for (; ch[k].type !== 'link_close'; k++) s += ch[k].content;
				out.links.push({ text: s, href: ch[j].attrGet('href') });
			}
		}
	}
}
process.stdout.write(JSON.stringify(out) + '\n');
