/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/util/ids.c: what is a feature id and a run id
 * (the names the reports tree, the store and the branches accept), and
 * run ids ordering by time then by suffix as a number.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../harness/unit.h"

#include "specgate/ids.h"

SG_TEST(feature_ids_are_twelve_lower_case_hex_digits)
{
	assert_true(sg_feature_id_is_valid("005cc0262265"));
	assert_false(sg_feature_id_is_valid("archive"));
	assert_false(sg_feature_id_is_valid("005CC0262265"));
	assert_false(sg_feature_id_is_valid("005cc026226"));
	assert_false(sg_feature_id_is_valid("005cc02622650"));
	assert_false(sg_feature_id_is_valid("005cc026226g"));
	assert_false(sg_feature_id_is_valid(""));
	assert_false(sg_feature_id_is_valid(NULL));
}

SG_TEST(run_id_rules)
{
	assert_true(sg_run_id_is_valid("20250924140440"));
	assert_true(sg_run_id_is_valid("20250924140440-2"));
	assert_true(sg_run_id_is_valid("20250924140440-10"));
	assert_true(sg_run_id_is_valid("20250924140440-999999"));
	assert_int_equal(sg_run_id_len("20250924140440-999999"), 21);
	assert_true(sg_run_id_len("20250924140440-999999") < SG_RUN_ID_SIZE);
	assert_int_equal(sg_run_id_len("20250924140440"), 14);
	assert_false(sg_run_id_is_valid("20250924140440-1"));
	assert_false(sg_run_id_is_valid("20250924140440-0"));
	assert_false(sg_run_id_is_valid("20250924140440-02"));
	assert_false(sg_run_id_is_valid("20250924140440-"));
	assert_false(sg_run_id_is_valid("20250924140440-1000000"));
	assert_false(sg_run_id_is_valid("20250924140440x2"));
	assert_false(sg_run_id_is_valid("2025092414044"));
	assert_false(sg_run_id_is_valid("latest"));
	assert_false(sg_run_id_is_valid(".staging-abc"));
	assert_false(sg_run_id_is_valid(NULL));
	assert_int_equal(sg_run_id_len("r1"), 0);
}

SG_TEST(run_ids_order_by_time_then_suffix)
{
	static const char *const sorted[] = {"20250924140439", "20250924140440",
	    "20250924140440-2", "20250924140440-9", "20250924140440-10",
	    "20250924140440-100", "20250924140441"};
	size_t n = sizeof(sorted) / sizeof(sorted[0]);

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			int c = sg_run_id_cmp(sorted[i], sorted[j]);

			assert_true(i < j ? c < 0 : i > j ? c > 0 : c == 0);
		}
	}
}

SG_TEST_MAIN("util/ids")
