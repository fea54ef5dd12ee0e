/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/gate: the string table, the line reader's edges,
 * lcov merging, the gate outcome per mode (including what the CLI cannot
 * reach: no coverage file, no SARIF in compliance), the scenario map's
 * name folding and globs, and the documents' headers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../harness/tmpdir.h"

#include <jansson.h>
#include <sys/stat.h>

#include "gate/gate_int.h"

static char *dir;

static char *
write_file(const char *name, const char *text)
{
	char *path = sg_xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void
map_finds_what_it_holds(void **state)
{
	struct gate_map m;
	char key[32];
	size_t i;
	bool added;

	(void)state;
	sg_gate__map_init(&m);
	assert_false(sg_gate__map_get(&m, "x", 1, &i));
	for (int k = 0; k < 5000; k++) {
		snprintf(key, sizeof(key), "k%d", k);
		assert_int_equal(sg_gate__map_put(&m, key, strlen(key), &added),
		    k);
		assert_true(added);
	}
	assert_int_equal(sg_gate__map_put(&m, "k42", 3, &added), 42);
	assert_false(added);
	assert_true(sg_gate__map_get(&m, "k4999xyz", 5, &i));
	assert_int_equal(i, 4999);
	assert_false(sg_gate__map_get(&m, "k5000", 5, &i));
	sg_gate__map_release(&m);
}

static void
lines_handle_crlf_and_no_final_newline(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct gate_lines r;
	char *path = write_file("l.txt", "a\r\n\nbc");
	char *line;
	size_t len;

	(void)state;
	assert_int_equal(sg_gate__lines_open(&r, path, &err), 0);
	assert_int_equal(sg_gate__lines_next(&r, &line, &len, &err), 1);
	assert_string_equal(line, "a");
	assert_int_equal(sg_gate__lines_next(&r, &line, &len, &err), 1);
	assert_int_equal(len, 0);
	assert_int_equal(sg_gate__lines_next(&r, &line, &len, &err), 1);
	assert_string_equal(line, "bc");
	assert_int_equal(sg_gate__lines_next(&r, &line, &len, &err), 0);
	sg_gate__lines_close(&r);
	free(path);
}

static void
lcov_merges_duplicate_lines_and_branches(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_coverage *cov;
	char *a = write_file("a.info",
	    "SF:x.c\nDA:1,0\nDA:2,3\nBRDA:2,0,0,-\nBRDA:2,0,1,1\n"
	    "end_of_record\nSF:x.c\nDA:1,2\nBRDA:2,0,0,4\nend_of_record\n");
	char *b = write_file("b.info", "SF:y.c\nDA:7,0\nend_of_record\n");
	const char *paths[] = {a, b};

	(void)state;
	assert_int_equal(sg_coverage_read(&cov, paths, 2, &err), 0);
	assert_int_equal(cov->nfiles, 2);
	assert_string_equal(cov->files[0].path, "x.c");
	assert_int_equal(cov->files[0].lines_found, 2);
	assert_int_equal(cov->files[0].lines_hit, 2);
	assert_int_equal(cov->files[0].branches_found, 2);
	assert_int_equal(cov->files[0].branches_hit, 2);
	assert_int_equal(cov->lines_found, 3);
	assert_int_equal(cov->lines_hit, 2);
	assert_true(sg_coverage_percent(0, 0) < 0);
	sg_coverage_check(cov, dir);
	assert_int_equal(cov->nmissing, 2);
	sg_coverage_free(cov);
	free(a);
	free(b);
}

static void
gate_severity_follows_the_mode(void **state)
{
	struct sg_policy_result sb = SG_POLICY_RESULT_INIT(SG_MODE_SANDBOX);
	struct sg_policy_result co = SG_POLICY_RESULT_INIT(SG_MODE_COMPLIANCE);
	struct sg_sarif s;

	(void)state;
	memset(&s, 0, sizeof(s));
	/* no SARIF: missing, a warning in sandbox, an error in compliance */
	sg_gate_sast(&sb, NULL, SG_SARIF_ERROR, "");
	assert_int_equal(sb.nfindings, 1);
	assert_int_equal(sb.nwarnings, 1);
	assert_int_equal(sb.findings[0].code, SG_F_SAST_MISSING);
	sg_policy_result_release(&sb);
	sg_gate_sast(&co, NULL, SG_SARIF_ERROR, "");
	assert_int_equal(co.nerrors, 1);
	assert_int_equal(co.findings[0].code, SG_F_SAST_MISSING);
	/* results at the threshold */
	s.by_level[SG_SARIF_WARNING] = 2;
	sg_gate_sast(&sb, &s, SG_SARIF_ERROR, "");
	assert_int_equal(sb.nfindings, 0);
	sg_gate_sast(&sb, &s, SG_SARIF_WARNING, "");
	assert_int_equal(sb.nwarnings, 1);
	assert_int_equal(sb.findings[0].code, SG_F_SAST_THRESHOLD);
	/* no coverage file, no tests */
	sg_gate_coverage(&co, NULL, 70, "");
	assert_int_equal(co.findings[1].code, SG_F_COVERAGE_MISSING);
	sg_gate_tests(&co, NULL);
	assert_int_equal(co.findings[2].code, SG_F_TESTS_MISSING);
	assert_int_equal(co.nerrors, 3);
	assert_string_equal(sg_finding_id(SG_F_SAST_MISSING), "SG322");
	sg_policy_result_release(&sb);
	sg_policy_result_release(&co);
}

/* A validation with two scenarios, built by hand. */
static void
map_folds_names_and_matches_globs(void **state)
{
	struct sg_validated_scenario sc[3];
	struct sg_validated_file f;
	struct sg_validation v;
	struct sg_spec_map *m;
	struct sg_test_case tc;
	const char *tags0[] = {"@smoke"};
	const char *tags1[] = {"@test:api.*login*"};

	(void)state;
	memset(sc, 0, sizeof(sc));
	memset(&f, 0, sizeof(f));
	memset(&v, 0, sizeof(v));
	sc[0].name = "  User\tLogs   IN ";
	sc[0].tags = tags0;
	sc[0].ntags = 1;
	sc[1].name = "Login API";
	sc[1].tags = tags1;
	sc[1].ntags = 1;
	sc[2].name = "user logs in"; /* same folded name as sc[0] */
	f.path = "f.feature";
	f.scenarios = sc;
	f.nscenarios = 3;
	v.files = &f;
	v.nfiles = 1;
	assert_int_equal(sg_spec_map_new(&m, &v), 0);
	memset(&tc, 0, sizeof(tc));
	tc.classname = "";
	tc.name = "user logs in";
	tc.message = "";
	tc.status = SG_TEST_PASSED;
	sg_spec_map_add(&tc, m);
	tc.classname = "api.auth";
	tc.name = "test_login_ok";
	sg_spec_map_add(&tc, m);
	tc.name = "test_login_bad";
	tc.status = SG_TEST_ERROR;
	sg_spec_map_add(&tc, m);
	sg_spec_map_finish(m);
	assert_true(m->scenarios[0].covered);
	assert_true(m->scenarios[2].covered);
	assert_int_equal(m->scenarios[1].matched, 2);
	assert_int_equal(m->scenarios[1].failed, 1);
	assert_false(m->scenarios[1].covered);
	assert_string_equal(m->scenarios[1].tests[0].id,
	    "api.auth.test_login_ok");
	assert_int_equal(m->ncovered, 2);
	sg_spec_map_free(m);
}

static void
documents_carry_the_header(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_doc_meta meta = {"0123456789ab", "20250101000000",
	    SG_MODE_COMPLIANCE, "2025-01-01T00:00:00Z"};
	json_error_t jerr;
	json_t *doc;
	char *text;

	(void)state;
	assert_int_equal(sg_sast_summary_report(&text, &meta, NULL,
			     SG_SARIF_ERROR, NULL, &err), 0);
	doc = json_loads(text, 0, &jerr);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "schema")),
	    "specgate/sast-summary/v1");
	assert_string_equal(json_string_value(json_object_get(doc, "run_id")),
	    "20250101000000");
	assert_string_equal(json_string_value(json_object_get(doc, "mode")),
	    "compliance");
	assert_true(json_is_false(json_object_get(doc, "present")));
	json_decref(doc);
	free(text);
	assert_int_equal(sg_spec_coverage_report(&text, &meta, NULL, NULL, 70,
			     NULL, &err), 0);
	doc = json_loads(text, 0, &jerr);
	assert_string_equal(json_string_value(json_object_get(doc, "schema")),
	    "specgate/spec-coverage/v1");
	assert_string_equal(json_string_value(json_object_get(doc,
	    "feature_id")), "0123456789ab");
	json_decref(doc);
	free(text);
}

static void
files_expand_sort_and_dedupe(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	char *items[] = {"r/*.xml", "r/a.xml", "nope/*.xml"};
	struct sg_strlist pats = {items, 3};
	struct sg_strlist none = {items + 2, 1};
	char *sub = sg_xasprintf("%s/r", dir);
	char **paths;
	char *want;
	size_t n;

	(void)state;
	assert_int_equal(mkdir(sub, 0700), 0);
	free(write_file("r/b.xml", "x"));
	free(write_file("r/a.xml", "x"));
	free(write_file("r/c.txt", "x"));
	assert_int_equal(sg_gate_files(&paths, &n, dir, &pats, &err), 0);
	assert_int_equal(n, 2);
	want = sg_xasprintf("%s/r/a.xml", dir);
	assert_string_equal(paths[0], want);
	free(want);
	sg_gate_files_free(paths, n);
	assert_int_equal(sg_gate_files(&paths, &n, dir, &none, &err), 0);
	assert_null(paths);
	assert_int_equal(n, 0);
	free(sub);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(map_finds_what_it_holds),
		cmocka_unit_test(lines_handle_crlf_and_no_final_newline),
		cmocka_unit_test(lcov_merges_duplicate_lines_and_branches),
		cmocka_unit_test(gate_severity_follows_the_mode),
		cmocka_unit_test(map_folds_names_and_matches_globs),
		cmocka_unit_test(documents_carry_the_header),
		cmocka_unit_test(files_expand_sort_and_dedupe),
	};
	int rc;

	dir = sg_test_tmpdir();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	sg_test_rmtree(dir);
	free(dir);
	return rc;
}
