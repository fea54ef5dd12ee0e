/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/evidence/paths.c: run ids order by time then by
 * suffix as numbers, the names of the reports tree, path joining.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "evidence/evidence_int.h"

static void
run_ids_order_by_time_then_suffix(void **state)
{
	static const char *const sorted[] = {"20250924140439", "20250924140440",
	    "20250924140440-2", "20250924140440-9", "20250924140440-10",
	    "20250924140440-100", "20250924140441"};
	size_t n = sizeof(sorted) / sizeof(sorted[0]);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			int c = sg_evidence__run_id_cmp(sorted[i], sorted[j]);

			assert_true(i < j ? c < 0 : i > j ? c > 0 : c == 0);
		}
	}
}

static void
names_of_the_reports_tree(void **state)
{
	(void)state;
	assert_true(sg_evidence__is_feature_id("005cc0262265"));
	assert_false(sg_evidence__is_feature_id("archive"));
	assert_false(sg_evidence__is_feature_id("005CC0262265"));
	assert_true(sg_evidence__is_run_id("20250924140440-2"));
	assert_false(sg_evidence__is_run_id("latest"));
	assert_false(sg_evidence__is_run_id("20250924140440-1"));
	assert_false(sg_evidence__is_run_id(".staging-abc"));
}

static void
paths_are_joined_without_dot_slash(void **state)
{
	struct sg_evidence_options o = SG_EVIDENCE_OPTIONS_INIT;
	char *p;

	(void)state;
	p = sg_evidence__reports_path(&o);
	assert_string_equal(p, "reports");
	free(p);
	o.root = "../..";
	p = sg_evidence__reports_path(&o);
	assert_string_equal(p, "../../reports");
	free(p);
	o.reports = "/srv/evidence";
	p = sg_evidence__reports_path(&o);
	assert_string_equal(p, "/srv/evidence");
	free(p);
	p = sg_evidence__join("a/", "b");
	assert_string_equal(p, "a/b");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(run_ids_order_by_time_then_suffix),
	    cmocka_unit_test(names_of_the_reports_tree),
	    cmocka_unit_test(paths_are_joined_without_dot_slash),
	};

	return cmocka_run_group_tests_name("evidence/paths", tests, NULL, NULL);
}
