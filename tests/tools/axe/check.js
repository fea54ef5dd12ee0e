// tests/tools/axe/check.js - open an HTML page (a file or a URL) in
// headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
// at 1280 and 390 pixels wide, run axe-core on it (WCAG 2.0/2.1 A and AA
// rules and best practices) and print, as JSON, the violations and what a
// person sees: the title, the headings, the tables (header row and rows
// as text) and the charts (each <svg>'s accessible name and whether it is
// inside the page's width) and the page's scroll width.  A full-page
// screenshot is saved per width as PREFIX-<width>.png.  Used by tests/integration/t1300-report.sh.
//
// usage: node check.js FILE|URL PREFIX
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

async function main() {
	const [target, prefix] = process.argv.slice(2);
	const url = /^https?:/.test(target) ? target : 'file://' + path.resolve(target);
	const axe = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--headless=new'],
	});
	const out = { widths: {} };
	try {
		for (const width of [1280, 390]) {
			// bypassCSP: the dashboard's CSP forbids scripts, axe's included.
			const page = await browser.newPage({ viewport: { width, height: 900 }, bypassCSP: true });
			const errors = [];
			page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
			await page.goto(url, { waitUntil: 'load', timeout: 20000 });
			// What a person sees, measured before axe touches the page.
			const seen = await page.evaluate(() => ({
				title: document.title,
				h1: document.querySelector('h1').innerText,
				headings: [...document.querySelectorAll('h2')].map((h) => h.innerText),
				tables: [...document.querySelectorAll('table')].map((t) => ({
					caption: t.caption ? t.caption.innerText : null,
					rows: [...t.querySelectorAll('tr')].map((tr) =>
						[...tr.querySelectorAll('th,td')].map((c) => c.innerText)),
				})),
				charts: [...document.querySelectorAll('svg')].map((s) => ({
					name: s.querySelector('title') ? s.querySelector('title').textContent : null,
					desc: s.querySelector('desc') ? s.querySelector('desc').textContent : null,
					role: s.getAttribute('role'),
					texts: [...s.querySelectorAll('text')].map((t) => t.textContent),
					fits: s.getBoundingClientRect().right <= document.documentElement.clientWidth + 1,
				})),
				links: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')),
				overflowX: document.documentElement.scrollWidth > document.documentElement.clientWidth,
				// The page's width as scrolled: at most the viewport's when
				// nothing sticks out sideways (a table may only scroll in
				// a container of its own).
				scrollWidth: document.scrollingElement.scrollWidth,
			}));
			// Count the page's own scripts before axe is added.
			const scripts = await page.$$eval('script', (s) => s.length);
			await page.addScriptTag({ content: axe });
			const res = await page.evaluate(async () => {
				// eslint-disable-next-line no-undef
				const r = await axe.run(document, {
					runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
				});
				return r.violations.map((v) => ({ id: v.id, impact: v.impact,
					help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
			});
			await page.screenshot({ path: `${prefix}-${width}.png`, fullPage: true });
			out.widths[width] = { violations: res, scripts, consoleErrors: errors, ...seen };
			await page.close();
		}
	} finally {
		await browser.close();
	}
	process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
