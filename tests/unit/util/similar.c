/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/util/similar.c: the edit distance (swaps cost
 * one) and when a suggestion is made (near enough, and unique).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../harness/unit.h"

#include "util/util.h"

SG_TEST(distance_counts_each_edit_once)
{
	assert_int_equal(sg_edit_distance("validate", "validate"), 0);
	assert_int_equal(sg_edit_distance("valdate", "validate"), 1);
	assert_int_equal(sg_edit_distance("vlaidate", "validate"), 1);
	assert_int_equal(sg_edit_distance("timout", "timeout"), 1);
	assert_int_equal(sg_edit_distance("", "abc"), 3);
	assert_int_equal(sg_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(sg_edit_distance(
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "a"), SIZE_MAX);
}

SG_TEST(suggests_only_a_near_unique_word)
{
	static const char *const cmds[] = {"validate", "verify", "version",
	    "run", "runs", "resume"};

	(void)state;
	assert_string_equal(sg_similar("valdate", cmds, 6), "validate");
	assert_string_equal(sg_similar("verfy", cmds, 6), "verify");
	/* "rus" is one edit from both "run" and "runs": no guess */
	assert_null(sg_similar("rus", cmds, 6));
	/* too far to be a typo */
	assert_null(sg_similar("deploy", cmds, 6));
	/* the word itself is not a suggestion */
	assert_null(sg_similar("run", (const char *const[]){"run"}, 1));
}

SG_TEST_MAIN("similar")
