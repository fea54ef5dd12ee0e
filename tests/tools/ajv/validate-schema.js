#!/usr/bin/env node
// validate-schema.js SCHEMA FILE... - validate JSON documents against one
// draft-07 JSON Schema with ajv (the CI tests: action.yml and workflows,
// converted from YAML, against SchemaStore's GitHub schemas).  Prints
// "FILE: valid" or each error with its instance path; exits 1 when any
// document is invalid.
"use strict";
const fs = require("fs");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");

const [schema, ...files] = process.argv.slice(2);
if (!schema || !files.length) {
	console.error("usage: validate-schema.js SCHEMA FILE...");
	process.exit(2);
}
// strict: false: SchemaStore's schemas use annotation keywords ajv does
// not know; the structure and formats are still checked.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schema, "utf8")));
let bad = 0;
for (const f of files) {
	const doc = JSON.parse(fs.readFileSync(f, "utf8"));
	if (validate(doc)) {
		console.log(`${f}: valid`);
	} else {
		bad++;
		for (const e of validate.errors)
			console.log(`${f}: ${e.instancePath || "/"} ${e.message}`);
	}
}
process.exit(bad ? 1 : 0);
