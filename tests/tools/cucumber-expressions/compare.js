#!/usr/bin/env node
// compare.js MODEL.json... - check the snippets of specgate's template data
// model against @cucumber/cucumber-expressions (pinned by
// package-lock.json): for every step of every scenario, the expression
// must be the first one CucumberExpressionGenerator generates for the
// step's text, the parameter names its parameterNames, and the expression,
// parsed back by CucumberExpression, must match the text with the values
// the model gives (the raw text for {int} and {float}, the unquoted value
// for {string}).  Prints each difference and a last line
// "N steps, M differ"; exits 1 when one differs or no step was seen.
"use strict";
const fs = require("fs");
const {
	CucumberExpressionGenerator,
	CucumberExpression,
	ParameterTypeRegistry,
} = require("@cucumber/cucumber-expressions");

const registry = new ParameterTypeRegistry();
const generator = new CucumberExpressionGenerator(
	() => registry.parameterTypes);
let n = 0;
let bad = 0;
const differ = (where, what) => {
	bad++;
	console.log(`${where}: ${what}`);
};

for (const file of process.argv.slice(2)) {
	const model = JSON.parse(fs.readFileSync(file, "utf8"));
	for (const f of model.features)
		for (const sc of f.scenarios)
			for (const st of sc.steps) {
				n++;
				const where = `${f.path}:${st.line} ${JSON.stringify(st.text)}`;
				const g = generator.generateExpressions(st.text)[0];
				const mine = st.snippet.expression;
				if (g.source !== mine) {
					differ(where, `expression ${JSON.stringify(mine)}, ` +
					    `cucumber ${JSON.stringify(g.source)}`);
					continue;
				}
				const names = st.snippet.parameters.map((p) => p.name);
				if (JSON.stringify(names) !== JSON.stringify(g.parameterNames)) {
					differ(where, `names ${names}, cucumber ${g.parameterNames}`);
					continue;
				}
				let args;
				try {
					args = new CucumberExpression(g.source, registry)
					    .match(st.text);
				} catch (e) {
					// the peer's own expression that it cannot parse
					// back ("{7}" written in a step): nothing to match
					continue;
				}
				if (!args) {
					differ(where, "cucumber's expression does not match the text");
					continue;
				}
				st.snippet.parameters.forEach((p, i) => {
					const want = p.type === "string" ?
					    args[i].getValue(null) : args[i].group.value;
					const have = p.type === "string" ? p.value : p.raw;
					if (want !== have)
						differ(where, `parameter ${i}: ` +
						    `${JSON.stringify(have)}, cucumber ` +
						    `${JSON.stringify(want)}`);
				});
			}
}
console.log(`${n} steps, ${bad} differ`);
process.exit(bad || !n ? 1 : 0);
