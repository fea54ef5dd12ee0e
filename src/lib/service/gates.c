/* SPDX-License-Identifier: MIT */
/*
 * gates.c - the gates of one run as the API and the dashboard show them,
 * read from the run's bundle: the spec gate from
 * spec-validation-report.json's summary, coverage, tests and spec
 * coverage from spec-coverage.json (its findings told apart by code:
 * SG30x coverage, SG311/SG313 tests, SG312 spec coverage), SAST from
 * sast-summary.json.  A gate's result is one of the five gate words:
 * "missing" when its input never appeared (SG303 coverage, SG313 tests,
 * and spec coverage, which needs the tests; SG322 SAST), else "fail" with
 * an error finding, "warning" with a warning, else "pass"; "skipped" when
 * the bundle has no such document (the validate stage did not run).  A
 * missing input is never a pass.  The bundle is the record: the store
 * keeps checkpoints, not figures.
 */
#include "service/service_int.h"

#include "sys/fs.h"

#define DOC_MAX (16u << 20)

static json_t *
load(const char *bundle, const char *name)
{
	struct sg_buf b;
	json_t *doc = NULL;
	char *path;

	if (!bundle)
		return NULL;
	sg_buf_init(&b, DOC_MAX);
	path = sg_xasprintf("%s/%s", bundle, name);
	if (sg_fs_read_file(&b, path, DOC_MAX, NULL) == 0)
		doc = json_loadb(b.ptr, b.len, 0, NULL);
	if (doc && !json_is_object(doc)) {
		json_decref(doc);
		doc = NULL;
	}
	free(path);
	sg_buf_release(&b);
	return doc;
}

/*
 * The findings of doc whose code is one of codes (space-separated); the
 * gate is "missing" when one of them is in `missing` (its input never
 * appeared).
 */
static json_t *
gate(const char *name, const json_t *doc, const char *codes,
    const char *missing, const char *source)
{
	json_t *f = json_object_get(doc, "findings");
	json_int_t nerr = 0, nwarn = 0;
	bool absent = false;
	const char *code, *sev;
	size_t i;
	json_t *v;

	json_array_foreach(f, i, v) {
		code = json_string_value(json_object_get(v, "code"));
		sev = json_string_value(json_object_get(v, "severity"));
		if (!code || strlen(code) != 5)
			continue;
		if (strstr(missing, code))
			absent = true;
		if (!strstr(codes, code))
			continue;
		if (sev && !strcmp(sev, "error"))
			nerr++;
		else
			nwarn++;
	}
	return json_pack("{s:s, s:s, s:I, s:I, s:s}", "gate", name, "result",
	    absent ? "missing" : nerr ? "fail" : nwarn ? "warning" : "pass",
	    "errors", nerr, "warnings", nwarn, "source", source);
}

/* spec-validation-report.json's summary.result, in the gate words. */
static const char *
spec_result(const json_t *sum)
{
	const char *r = json_string_value(json_object_get(sum, "result"));

	if (!r)
		return "skipped";
	/* Bundles written before the words were unified say "warn". */
	return !strcmp(r, "warn") ? "warning" : r;
}

static void
add(json_t *arr, json_t *g, const char *key, json_t *value)
{
	json_object_set(g, key, value ? value : json_null());
	json_array_append_new(arr, g);
}

json_t *
sg_service__gates_json(const char *bundle)
{
	static const char *const cov_gates[] = {"coverage", "tests",
		"spec_coverage"};
	json_t *arr = json_array();
	json_t *rep = load(bundle, "spec-validation-report.json");
	json_t *cov = load(bundle, "spec-coverage.json");
	json_t *sast = load(bundle, "sast-summary.json");
	json_t *sum, *cc;

	if (rep && json_is_object(sum = json_object_get(rep, "summary")))
		json_array_append_new(arr, json_pack("{s:s,s:s,s:O,s:O,s:s}",
		    "gate", "spec", "result", spec_result(sum),
		    "errors", json_object_get(sum, "errors"), "warnings",
		    json_object_get(sum, "warnings"), "source",
		    "spec-validation-report.json"));
	if (cov) {
		cc = json_object_get(cov, "code_coverage");
		add(arr, gate("coverage", cov, "SG301 SG302 SG303", "SG303",
		    "spec-coverage.json"), "line_percent",
		    json_object_get(cc, "line_percent"));
		add(arr, gate("tests", cov, "SG311 SG313", "SG313",
		    "spec-coverage.json"), "tests",
		    json_object_get(cov, "tests"));
		add(arr, gate("spec_coverage", cov, "SG312", "SG313",
		    "spec-coverage.json"), "spec_coverage",
		    json_object_get(cov, "spec_coverage"));
	} else {
		for (size_t i = 0; i < SG_ARRAY_SIZE(cov_gates); i++)
			json_array_append_new(arr, json_pack("{s:s,s:s}",
			    "gate", cov_gates[i], "result", "skipped"));
	}
	if (sast)
		add(arr, gate("sast", sast, "SG321 SG322", "SG322",
		    "sast-summary.json"),
		    "at_or_above_fail_on",
		    json_object_get(sast, "at_or_above_fail_on"));
	else
		json_array_append_new(arr, json_pack("{s:s,s:s}", "gate",
		    "sast", "result", "skipped"));
	json_decref(rep);
	json_decref(cov);
	json_decref(sast);
	return arr;
}
