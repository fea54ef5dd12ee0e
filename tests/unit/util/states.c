/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/util/states.c: every state has one word and
 * parses back to itself; other words, other cases and NULL do not parse;
 * exactly the four finished run statuses are final.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../harness/unit.h"
#include "specgate/error.h"
#include "specgate/states.h"

SG_TEST(every_state_round_trips_through_its_word)
{
	enum sg_mode m;
	enum sg_run_status r;
	enum sg_checkpoint_status c;

	for (int i = 0; i < SG_MODE_COUNT; i++) {
		assert_int_equal(sg_mode_parse(&m, sg_mode_name(i)), 0);
		assert_int_equal(m, i);
	}
	for (int i = 0; i < SG_RUN_STATUS_COUNT; i++) {
		assert_int_equal(sg_run_status_parse(&r,
				     sg_run_status_name(i)), 0);
		assert_int_equal(r, i);
	}
	for (int i = 0; i < SG_CP_STATUS_COUNT; i++) {
		assert_int_equal(sg_checkpoint_status_parse(&c,
				     sg_checkpoint_status_name(i)), 0);
		assert_int_equal(c, i);
	}
	assert_string_equal(sg_mode_name(SG_MODE_COMPLIANCE), "compliance");
	assert_string_equal(sg_run_status_name(SG_RUN_AWAITING_APPROVAL),
	    "awaiting_approval");
	assert_string_equal(sg_checkpoint_status_name(SG_CP_ROLLED_BACK),
	    "rolled_back");
	assert_string_equal(sg_checkpoint_status_name(SG_CP_RENDERED),
	    "rendered");
	assert_string_equal(sg_run_status_name(SG_RUN_STATUS_COUNT),
	    "unknown");
}

SG_TEST(other_words_do_not_parse)
{
	enum sg_mode m;
	enum sg_run_status r;
	enum sg_checkpoint_status c;

	assert_int_equal(sg_mode_parse(&m, "strict"), SG_EINVAL);
	assert_int_equal(sg_mode_parse(&m, "Sandbox"), SG_EINVAL);
	assert_int_equal(sg_mode_parse(&m, NULL), SG_EINVAL);
	assert_int_equal(sg_run_status_parse(&r, "retry"), SG_EINVAL);
	assert_int_equal(sg_run_status_parse(&r, "failed"), SG_EINVAL);
	assert_int_equal(sg_checkpoint_status_parse(&c, "running"),
	    SG_EINVAL);
}

SG_TEST(only_finished_runs_are_final)
{
	assert_false(sg_run_status_final(SG_RUN_RUNNING));
	assert_false(sg_run_status_final(SG_RUN_AWAITING_APPROVAL));
	assert_true(sg_run_status_final(SG_RUN_SUCCESS));
	assert_true(sg_run_status_final(SG_RUN_WARNING));
	assert_true(sg_run_status_final(SG_RUN_FAILURE));
	assert_true(sg_run_status_final(SG_RUN_CANCELLED));
}

SG_TEST_MAIN("util/states")
