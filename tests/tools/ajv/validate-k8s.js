#!/usr/bin/env node
// validate-k8s.js DEFINITIONS FILE... - validate Kubernetes documents
// (JSON) against SchemaStore's kubernetes-definitions.json (draft-07) with
// ajv: each document against the definition its apiVersion and kind name
// (apps/v1 Deployment: io.k8s.api.apps.v1.Deployment, v1 Service:
// io.k8s.api.core.v1.Service).  The definitions leave unknown properties
// open; as kubectl's strict field validation does, every object schema
// that lists properties is closed here (additionalProperties: false), so
// a misspelt field is an error, not ignored.  Prints "FILE: valid" or
// each error with its instance path; exits 1 when any document is
// invalid or of a kind it does not know.
"use strict";
const fs = require("fs");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");

const [defs, ...files] = process.argv.slice(2);
if (!defs || !files.length) {
	console.error("usage: validate-k8s.js DEFINITIONS FILE...");
	process.exit(2);
}
const schema = JSON.parse(fs.readFileSync(defs, "utf8"));
const close = (s) => {
	if (Array.isArray(s)) return s.forEach(close);
	if (!s || typeof s !== "object") return;
	if (s.properties && s.additionalProperties === undefined)
		s.additionalProperties = false;
	Object.values(s).forEach(close);
};
close(schema.definitions);
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(schema, "k8s");
const group = { v1: "core.v1", "apps/v1": "apps.v1" };
let bad = 0;
for (const f of files) {
	const doc = JSON.parse(fs.readFileSync(f, "utf8"));
	const g = group[doc.apiVersion];
	const validate = g && ajv.getSchema(`k8s#/definitions/io.k8s.api.${g}.${doc.kind}`);
	if (!validate) {
		bad++;
		console.log(`${f}: unknown apiVersion/kind ${doc.apiVersion} ${doc.kind}`);
	} else if (validate(doc)) {
		console.log(`${f}: valid`);
	} else {
		bad++;
		for (const e of validate.errors)
			console.log(`${f}: ${e.instancePath || "/"} ${e.message}`);
	}
}
process.exit(bad ? 1 : 0);
