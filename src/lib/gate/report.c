/* SPDX-License-Identifier: MIT */
/*
 * report.c - the gate outcome (findings) and the two documents of the
 * validate stage: spec-coverage.json and sast-summary.json
 * (docs/formats.md).
 *
 * Like the spec-validation report, each is a jansson tree dumped with
 * sorted keys and a fixed real precision, so the same inputs give the
 * same bytes, and each carries schema, feature_id, run_id, mode and
 * timestamp (docs/product.md §6).  Every figure in them was counted by
 * the readers; percentages are rounded to 0.1 as lcov and gcovr print
 * them, with the raw counts beside them.
 */
#include "specgate/gate.h"

#include "gate/gate_int.h"

static const struct sg_loc NOWHERE = {0, 0};

/*
 * Missing coverage sources named one finding each, up to this many; the
 * rest are counted in one more finding.  A tracefile of another tree can
 * name a million sources, and a million lines of warnings hide the point.
 */
#define MISSING_LISTED 20

void
sg_gate_coverage(struct sg_policy_result *res, const struct sg_coverage *cov,
    double min, const char *where)
{
	size_t missing_more = 0;
	double p;

	if (!cov) {
		sg_policy_add(res, SG_F_COVERAGE_MISSING, where, NOWHERE,
		    "no coverage file: write an lcov tracefile or Cobertura "
		    "XML and name it in gates.coverage.files");
		return;
	}
	for (size_t i = 0, n = 0; i < cov->nfiles; i++) {
		if (cov->files[i].exists)
			continue;
		if (++n <= MISSING_LISTED)
			sg_policy_add(res, SG_F_COVERAGE_SOURCE, where,
			    NOWHERE,
			    "coverage names '%s', which does not exist: the "
			    "coverage was not measured on this tree",
			    cov->files[i].path);
		else
			missing_more++;
	}
	if (missing_more)
		sg_policy_add(res, SG_F_COVERAGE_SOURCE, where, NOWHERE,
		    "coverage names %zu more sources that do not exist "
		    "(only the first %d are listed)", missing_more,
		    MISSING_LISTED);
	p = sg_coverage_percent(cov->lines_hit, cov->lines_found);
	if (p < min)
		sg_policy_add(res, SG_F_COVERAGE_LOW, where, NOWHERE,
		    "line coverage %.1f%% (%llu of %llu lines) is below the "
		    "minimum %.1f%% (gates.coverage.min)",
		    p < 0 ? 0.0 : p, (unsigned long long)cov->lines_hit,
		    (unsigned long long)cov->lines_found, min);
}

void
sg_gate_tests(struct sg_policy_result *res, const struct sg_spec_map *map)
{
	if (!map || !map->totals.tests) {
		sg_policy_add(res, SG_F_TESTS_MISSING, "", NOWHERE,
		    "no test case in the JUnit files (gates.tests.files)");
		if (!map)
			return;
	}
	for (size_t i = 0; i < map->nscenarios; i++) {
		const struct sg_mapped_scenario *ms = &map->scenarios[i];
		const struct sg_validated_scenario *sc = ms->scenario;

		if (ms->failed)
			sg_policy_add(res, SG_F_TEST_FAILED, ms->file,
			    sc->loc,
			    "scenario '%s': %llu of its %llu tests failed",
			    sc->name, (unsigned long long)ms->failed,
			    (unsigned long long)ms->matched);
		else if (!ms->covered)
			sg_policy_add(res, SG_F_SCENARIO_UNCOVERED,
			    ms->file, sc->loc,
			    "scenario '%s' has no passing test; %s", sc->name,
			    ms->glob ? "no test case matches its @test: glob" :
				       "tag it @test:<glob> or name a test "
				       "case after it");
	}
}

void
sg_gate_sast(struct sg_policy_result *res, const struct sg_sarif *s,
    enum sg_sarif_level fail_on, const char *where)
{
	uint64_t n;

	/* Missing is not pass: a warning in sandbox, an error in compliance. */
	if (!s) {
		sg_policy_add(res, SG_F_SAST_MISSING, where, NOWHERE,
		    "no SARIF file: SAST results are missing (write SARIF "
		    "2.1.0 and name it in gates.sast.files)");
		return;
	}
	n = sg_sarif_at_or_above(s, fail_on);
	if (n)
		sg_policy_add(res, SG_F_SAST_THRESHOLD, where, NOWHERE,
		    "%llu SAST result%s at '%s' or above (gates.sast.fail_on)",
		    (unsigned long long)n, n == 1 ? "" : "s",
		    sg_sarif_level_name(fail_on));
}

/* --- documents ------------------------------------------------------------ */

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
header(const char *schema, const struct sg_doc_meta *meta)
{
	json_t *doc = json_object();

	json_object_set_new(doc, "schema", json_string(schema));
	json_object_set_new(doc, "feature_id", str_or_null(meta->feature_id));
	json_object_set_new(doc, "run_id", str_or_null(meta->run_id));
	json_object_set_new(doc, "mode", json_string(sg_mode_name(meta->mode)));
	json_object_set_new(doc, "timestamp", str_or_null(meta->timestamp));
	json_object_set_new(doc, "tool",
	    json_pack("{s:s, s:s, s:s}", "name", "specgate", "version",
		SG_VERSION, "commit", SG_COMMIT));
	return doc;
}

/* SG303, SG313, SG322: a configured gate whose input never appeared. */
static bool
is_missing(enum sg_finding_code code)
{
	return code == SG_F_COVERAGE_MISSING || code == SG_F_TESTS_MISSING ||
	    code == SG_F_SAST_MISSING;
}

/*
 * The findings and the document's result, one of the gate words: "fail"
 * (an error that is not a missing input), "missing" (an input never
 * appeared: a warning in sandbox, an error in compliance), "warning",
 * "pass".  A missing input is never shown as a pass.
 */
static json_t *
findings_json(const struct sg_policy_result *res, const char *result_key,
    json_t *doc)
{
	json_t *a = json_array();
	size_t nerr = 0, nwarn = 0, nmissing = 0;

	for (size_t i = 0; res && i < res->nfindings; i++) {
		const struct sg_finding *f = &res->findings[i];

		json_array_append_new(a,
		    json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s}", "code",
			sg_finding_id(f->code), "name", sg_finding_name(f->code),
			"severity",
			f->severity == SG_SEV_ERROR ? "error" : "warning",
			"file", f->file ? f->file : "", "line",
			(int)f->loc.line, "column", (int)f->loc.column,
			"message", f->message));
		if (is_missing(f->code))
			nmissing++;
		else if (f->severity == SG_SEV_ERROR)
			nerr++;
		else
			nwarn++;
	}
	json_object_set_new(doc, "findings", a);
	json_object_set_new(doc, result_key,
	    json_string(nerr ? "fail" : nmissing ? "missing" :
		nwarn ? "warning" : "pass"));
	return doc;
}

static int
dump(char **out, json_t *doc, struct sg_error *err)
{
	*out = json_dumps(doc, JSON_SORT_KEYS | JSON_INDENT(2) |
	    JSON_REAL_PRECISION(12));
	json_decref(doc);
	if (!*out)
		return sg_error_set(err, SG_EIO, "cannot render a report");
	return 0;
}

static json_t *
pct(uint64_t n, uint64_t d)
{
	double p = sg_coverage_percent(n, d);

	return p < 0 ? json_null() :
		       json_real((double)(int64_t)(p * 10.0 + 0.5) / 10.0);
}

static json_t *
scenario_json(const struct sg_mapped_scenario *ms)
{
	const struct sg_validated_scenario *sc = ms->scenario;
	json_t *o = json_object();
	json_t *tests = json_array();

	json_object_set_new(o, "file", json_string(ms->file));
	json_object_set_new(o, "name", json_string(sc->name));
	json_object_set_new(o, "line", json_integer(sc->loc.line));
	json_object_set_new(o, "column", json_integer(sc->loc.column));
	json_object_set_new(o, "match",
	    json_string(ms->glob ? "glob" : "name"));
	json_object_set_new(o, "glob", str_or_null(ms->glob));
	json_object_set_new(o, "matched", json_integer((json_int_t)ms->matched));
	json_object_set_new(o, "passed", json_integer((json_int_t)ms->passed));
	json_object_set_new(o, "failed", json_integer((json_int_t)ms->failed));
	json_object_set_new(o, "covered", json_boolean(ms->covered));
	for (size_t t = 0; t < ms->ntests; t++)
		json_array_append_new(tests,
		    json_pack("{s:s, s:s}", "id", ms->tests[t].id, "status",
			sg_test_status_name(ms->tests[t].status)));
	json_object_set_new(o, "tests", tests);
	json_object_set_new(o, "tests_truncated",
	    json_boolean(ms->matched > ms->ntests));
	return o;
}

int
sg_spec_coverage_report(char **out, const struct sg_doc_meta *meta,
    const struct sg_spec_map *map, const struct sg_coverage *cov,
    double min, const struct sg_policy_result *res, struct sg_error *err)
{
	json_t *doc = header("specgate/spec-coverage/v1", meta);
	json_t *sc = json_array();
	const struct sg_test_totals *t = map ? &map->totals : NULL;
	json_t *cc;

	*out = NULL;
	for (size_t i = 0; map && i < map->nscenarios; i++)
		json_array_append_new(sc, scenario_json(&map->scenarios[i]));
	json_object_set_new(doc, "scenarios", sc);
	json_object_set_new(doc, "spec_coverage",
	    json_pack("{s:I, s:I, s:I, s:o}", "scenarios",
		(json_int_t)(map ? map->nscenarios : 0), "covered",
		(json_int_t)(map ? map->ncovered : 0), "uncovered",
		(json_int_t)(map ? map->nscenarios - map->ncovered : 0),
		"percent",
		map ? pct(map->ncovered, map->nscenarios) : json_null()));
	json_object_set_new(doc, "tests",
	    t ? json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "files",
		    (json_int_t)t->nfiles, "total", (json_int_t)t->tests,
		    "passed", (json_int_t)t->passed, "failed",
		    (json_int_t)t->failed, "errors", (json_int_t)t->errors,
		    "skipped", (json_int_t)t->skipped) :
		json_null());
	if (cov) {
		cc = sg_gate__coverage_tree(cov);
		json_object_set_new(cc, "min", json_real(min));
		json_object_set_new(doc, "code_coverage", cc);
	} else {
		json_object_set_new(doc, "code_coverage", json_null());
	}
	findings_json(res, "result", doc);
	return dump(out, doc, err);
}

static json_t *
levels_json(const uint64_t *by)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "error",
	    (json_int_t)by[SG_SARIF_ERROR], "warning",
	    (json_int_t)by[SG_SARIF_WARNING], "note",
	    (json_int_t)by[SG_SARIF_NOTE], "none",
	    (json_int_t)by[SG_SARIF_NONE]);
}

static json_t *
counts_json(const struct sg_sarif_count *c, size_t n, const char *key)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = levels_json(c[i].by_level);

		json_object_set_new(o, key, json_string(c[i].key));
		json_object_set_new(o, "total", json_integer(
		    (json_int_t)c[i].total));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
sarif_tree(const struct sg_sarif *s, enum sg_sarif_level fail_on)
{
	json_t *o = json_object();
	json_t *tools;

	json_object_set_new(o, "present", json_boolean(s != NULL));
	json_object_set_new(o, "fail_on",
	    json_string(sg_sarif_level_name(fail_on)));
	if (!s)
		return o;
	tools = json_array();
	for (size_t i = 0; i < s->ntools; i++)
		json_array_append_new(tools, json_string(s->tools[i]));
	json_object_set_new(o, "tools", tools);
	json_object_set_new(o, "sarif_files", json_integer(
	    (json_int_t)s->nfiles));
	json_object_set_new(o, "runs", json_integer((json_int_t)s->nruns));
	json_object_set_new(o, "results", json_integer((json_int_t)s->results));
	json_object_set_new(o, "suppressed",
	    json_integer((json_int_t)s->suppressed));
	json_object_set_new(o, "by_level", levels_json(s->by_level));
	json_object_set_new(o, "at_or_above_fail_on",
	    json_integer((json_int_t)sg_sarif_at_or_above(s, fail_on)));
	json_object_set_new(o, "by_rule", counts_json(s->rules, s->nrules,
	    "rule"));
	json_object_set_new(o, "by_file", counts_json(s->files, s->nfiles_hit,
	    "uri"));
	return o;
}

int
sg_sast_summary_report(char **out, const struct sg_doc_meta *meta,
    const struct sg_sarif *s, enum sg_sarif_level fail_on,
    const struct sg_policy_result *res, struct sg_error *err)
{
	json_t *doc = header("specgate/sast-summary/v1", meta);
	json_t *body = sarif_tree(s, fail_on);

	*out = NULL;
	json_object_update(doc, body);
	json_decref(body);
	findings_json(res, "result", doc);
	return dump(out, doc, err);
}

int
sg_sarif_json(char **out, const struct sg_sarif *s,
    enum sg_sarif_level fail_on, struct sg_error *err)
{
	return dump(out, sarif_tree(s, fail_on), err);
}
