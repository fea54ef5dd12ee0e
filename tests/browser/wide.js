// tests/browser/wide.js - open a page (a URL or a file) in headless
// Chromium (Debian's /usr/bin/chromium, driven by playwright-core) WIDTH
// pixels wide, open every <details> as a person reading it would, and
// print, as JSON, whether anything is wider than the window: the page's
// scroll width, and every element whose right edge passes the window or
// the run card (section.run) it is in, unless it is inside an element
// that scrolls sideways on its own.  t1300-report.sh checks the dashboard
// at 390 pixels with it.
//
// usage: node wide.js URL|FILE WIDTH
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');

async function main() {
	const [target, w] = process.argv.slice(2);
	const width = Number(w);
	const url = /^https?:/.test(target) ? target : 'file://' + path.resolve(target);
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--headless=new'],
	});
	try {
		const page = await browser.newPage({ viewport: { width, height: 900 } });
		await page.goto(url, { waitUntil: 'load', timeout: 20000 });
		const opened = await page.$$eval('details', (ds) => {
			ds.forEach((d) => { d.open = true; });
			return ds.length;
		});
		const out = await page.evaluate(() => {
			const view = document.documentElement.clientWidth;
			const scrolls = (e) => {
				for (let p = e.parentElement; p; p = p.parentElement) {
					const o = getComputedStyle(p).overflowX;
					if (o === 'auto' || o === 'scroll') return true;
				}
				return false;
			};
			const outside = [];
			for (const e of document.querySelectorAll('body *')) {
				const r = e.getBoundingClientRect();
				if (!r.width || scrolls(e)) continue;
				const card = e.closest('section.run');
				const limit = card && card !== e ? card.getBoundingClientRect().right : view;
				if (r.right > limit + 0.5)
					outside.push(`${e.tagName.toLowerCase()}: right ${Math.round(r.right)} > ${Math.round(limit)}: ` +
						(e.innerText || '').slice(0, 40));
			}
			return { scrollWidth: document.scrollingElement.scrollWidth, clientWidth: view, outside };
		});
		out.opened = opened;
		process.stdout.write(JSON.stringify(out) + '\n');
	} finally {
		await browser.close();
	}
}

main().catch((e) => { console.error(e); process.exit(1); });
