// tests/browser/dashboard.js - open the dashboard in headless Chromium
// (Debian's /usr/bin/chromium, driven by playwright-core) and print, as
// JSON, what a person sees: the page title, each run section's heading and
// its visible stage rows, gate lines and file rows; save a full-page
// screenshot.  t1120-dashboard.sh checks the JSON with jq against the API.
//
// usage: node dashboard.js URL SCREENSHOT.png
'use strict';
const { chromium } = require('playwright-core');

async function main() {
	const [url, shot] = process.argv.slice(2);
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--headless=new'],
	});
	try {
		const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
		const errors = [];
		page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
		const resp = await page.goto(url, { waitUntil: 'load', timeout: 20000 });
		// The evidence files are folded away behind <details>: count the
		// closed ones, then open them as a person would to read the files.
		const folded = await page.$$eval('details:not([open])', (d) => d.length);
		await page.$$eval('details', (ds) => ds.forEach((d) => { d.open = true; }));
		const runs = await page.$$eval('section.run', (secs) => secs.map((s) => ({
			heading: s.querySelector('h2').innerText,
			visible: s.getBoundingClientRect().height > 0,
			stages: [...s.querySelectorAll('table.stages tr')].slice(1)
				.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText)),
			gates: [...s.querySelectorAll('ul.gates li')].map((li) => li.innerText),
			files: [...s.querySelectorAll('table.files tr')].slice(1)
				.map((tr) => tr.querySelector('td').innerText),
		})));
		const out = {
			status: resp.status(),
			title: await page.title(),
			h1: await page.innerText('h1'),
			meta: await page.innerText('p.meta'),
			scripts: await page.$$eval('script', (s) => s.length),
			consoleErrors: errors,
			folded,
			runs,
		};
		await page.screenshot({ path: shot, fullPage: true });
		process.stdout.write(JSON.stringify(out) + '\n');
	} finally {
		await browser.close();
	}
}

main().catch((e) => { console.error(e); process.exit(1); });
