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
 * missing input is never a pass.  The bundle is the record; when its
 * directory is not here (another runner's run on a shared store), the
 * same documents are read from the store, which keeps them with the run
 * (sg_store_documents_put()).
 */
#include "service/service_int.h"

#include "sys/fs.h"

#define DOC_MAX (16u << 20)

static const char *const shown[] = {SG_BUNDLE_MANIFEST,
	"spec-validation-report.json", "spec-coverage.json",
	"sast-summary.json"};

static int
stored_cb(const char *path, const void *data, size_t len, void *payload)
{
	struct sg_service__stored *s = payload;

	for (size_t i = 0; i < SG_ARRAY_SIZE(shown); i++) {
		if (strcmp(path, shown[i]) || s->n >= SG_ARRAY_SIZE(s->paths))
			continue;
		s->paths[s->n] = sg_xstrdup(path);
		sg_buf_init(&s->bodies[s->n], 0);
		sg_buf_put(&s->bodies[s->n], data, len);
		s->n++;
	}
	return 0;
}

int
sg_service__stored_load(struct sg_service__stored *out,
    struct sg_store *st, const char *feature_id, const char *run_id,
    struct sg_error *err)
{
	memset(out, 0, sizeof(*out));
	return sg_store_documents_foreach(st, feature_id, run_id, stored_cb,
	    out, err);
}

const struct sg_buf *
sg_service__stored_get(const struct sg_service__stored *s, const char *path)
{
	for (size_t i = 0; s && i < s->n; i++) {
		if (!strcmp(s->paths[i], path))
			return &s->bodies[i];
	}
	return NULL;
}

void
sg_service__stored_release(struct sg_service__stored *s)
{
	for (size_t i = 0; s && i < s->n; i++) {
		free(s->paths[i]);
		sg_buf_release(&s->bodies[i]);
	}
	if (s)
		s->n = 0;
}

static json_t *
load(const char *bundle, const struct sg_service__stored *stored,
    const char *name)
{
	const struct sg_buf *sb = sg_service__stored_get(stored, name);
	struct sg_buf b;
	json_t *doc = NULL;
	char *path;

	if (!bundle && sb) {
		doc = json_loadb(sb->ptr, sb->len, 0, NULL);
		if (doc && !json_is_object(doc)) {
			json_decref(doc);
			doc = NULL;
		}
		return doc;
	}
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

static json_t *
gates_json(const char *bundle, const struct sg_service__stored *stored)
{
	static const char *const cov_gates[] = {"coverage", "tests",
		"spec_coverage"};
	json_t *arr = json_array();
	json_t *rep = load(bundle, stored, "spec-validation-report.json");
	json_t *cov = load(bundle, stored, "spec-coverage.json");
	json_t *sast = load(bundle, stored, "sast-summary.json");
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

json_t *
sg_service__gates_json(const char *bundle)
{
	return gates_json(bundle, NULL);
}

json_t *
sg_service__gates_json_stored(const struct sg_service__stored *s)
{
	return gates_json(NULL, s);
}
