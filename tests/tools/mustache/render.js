#!/usr/bin/env node
// render.js TEMPLATE DATA.json PARTIALS_DIR - render TEMPLATE with
// mustache.js (pinned by package-lock.json), partials read from
// PARTIALS_DIR/name.mustache: the independent renderer that
// tests/integration/t1200-render.sh compares `specgate render` with.
// mustache.js escapes ' / ` = too, where the spec asks for & " < > only,
// so the comparisons keep those characters out of escaped values.
"use strict";
const fs = require("fs");
const path = require("path");
const Mustache = require("mustache");

const [tpl, data, dir] = process.argv.slice(2);
if (!tpl || !data || !dir) {
	console.error("usage: render.js TEMPLATE DATA.json PARTIALS_DIR");
	process.exit(2);
}
const partial = (name) => {
	const p = path.join(dir, name + ".mustache");
	return fs.existsSync(p) ? fs.readFileSync(p, "utf8") : "";
};
process.stdout.write(Mustache.render(fs.readFileSync(tpl, "utf8"),
	JSON.parse(fs.readFileSync(data, "utf8")), partial));
