#!/usr/bin/env node
// validate.js SCHEMA_DIR FILE... - validate CycloneDX 1.6 JSON documents
// against the official schema (bom-1.6.schema.json and the spdx and jsf
// schemas it references, all draft-07) with ajv and ajv-formats: the
// independent validator of the SBOM tests.  Prints "FILE: valid" or each
// error with its instance path; exits 1 when any document is invalid.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");

const [dir, ...files] = process.argv.slice(2);
if (!dir || !files.length) {
	console.error("usage: validate.js SCHEMA_DIR FILE...");
	process.exit(2);
}
const load = (n) => JSON.parse(fs.readFileSync(path.join(dir, n), "utf8"));
// strict: false because the CycloneDX schema uses annotation keywords
// ajv does not know ("meta:enum"); formats stay checked.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// ajv-formats has no IRI formats; these are RFC 3987's rules minus the
// full grammar: an IRI reference holds no space, control character or
// any of <>"{}|\^` ; an IDN e-mail is local@domain without spaces.
ajv.addFormat("iri-reference", /^[^\s<>"{}|\\^`\u0000-\u001f\u007f]*$/u);
ajv.addFormat("iri", /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`\u0000-\u001f\u007f]*$/u);
ajv.addFormat("idn-email", /^[^\s@]+@[^\s@]+$/u);
ajv.addSchema(load("spdx.schema.json"), "spdx.schema.json");
ajv.addSchema(load("jsf-0.82.schema.json"), "jsf-0.82.schema.json");
const validate = ajv.compile(load("bom-1.6.schema.json"));
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
