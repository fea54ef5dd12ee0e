/* SPDX-License-Identifier: MIT */
/* Unit tests for src/lib/policy/resource.c: the @resource: tag grammar. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "specgate/policy.h"
#include "util/util.h"

static int
parse(struct sg_resources *r, const char *tag)
{
	char why[256];

	return sg_resource_parse(r, tag, why, sizeof(why));
}

static void
accepts_the_documented_forms(void **state)
{
	struct sg_resources r;

	(void)state;
	assert_int_equal(parse(&r, "@resource:cpu=0.1,memory=128,storage=10,"
				   "story_points=1"), 0);
	assert_true(r.cpu == 0.1);
	assert_int_equal(r.memory_mb, 128);
	assert_int_equal(r.storage_mb, 10);
	assert_int_equal(r.story_points, 1);

	/* any key order, millicores, Mi and Gi */
	assert_int_equal(parse(&r, "@resource:story_points=20,storage=1Gi,"
				   "cpu=250m,memory=512Mi"), 0);
	assert_true(r.cpu == 0.25);
	assert_int_equal(r.memory_mb, 512);
	assert_int_equal(r.storage_mb, 1024);
	assert_int_equal(r.story_points, 20);

	assert_int_equal(parse(&r, "@resource:cpu=16,memory=32768,storage=0,"
				   "story_points=0"), 0);
	assert_true(r.cpu == 16.0);
	assert_int_equal(parse(&r, "@resource:cpu=0.125,memory=1,storage=1,"
				   "story_points=1"), 0);
	assert_true(r.cpu == 0.125);
}

static void
refuses_everything_else(void **state)
{
	static const char *const bad[] = {
		"@resource:",
		"@resource:cpu=0.1,memory=128,storage=10",
		"@resource:cpu=0.1,memory=128,storage=10,story_points=1.5",
		"@resource:cpu=0.1,memory=128,storage=10,story_points=1,x=1",
		"@resource:cpu=0.1,cpu=0.2,memory=128,storage=10,story_points=1",
		"@resource:cpu=0.1234,memory=128,storage=10,story_points=1",
		"@resource:cpu=.5,memory=128,storage=10,story_points=1",
		"@resource:cpu=1.,memory=128,storage=10,story_points=1",
		"@resource:cpu=-1,memory=128,storage=10,story_points=1",
		"@resource:cpu=1e3,memory=128,storage=10,story_points=1",
		"@resource:cpu=0.1m,memory=128,storage=10,story_points=1",
		"@resource:cpu=0.1,memory=128.5,storage=10,story_points=1",
		"@resource:cpu=0.1,memory=128MB,storage=10,story_points=1",
		"@resource:cpu=0.1,memory=128mi,storage=10,story_points=1",
		"@resource:cpu=0.1,memory=,storage=10,story_points=1",
		"@resource:cpu=0.1,memory=128,storage=10,story_points=+1",
		"@resource:cpu=0.1,memory=128,storage=10,story_points=1,",
		"@resource:cpu=0.1,,memory=128,storage=10,story_points=1",
		"@resource:cpu=0.1,memory=1234567890,storage=10,story_points=1",
		"@resource:CPU=0.1,memory=128,storage=10,story_points=1",
		"@resource:cpu:0.1,memory=128,storage=10,story_points=1",
		"@resources:cpu=0.1,memory=128,storage=10,story_points=1",
	};
	struct sg_resources r;

	(void)state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(bad); i++) {
		if (parse(&r, bad[i]) != SG_EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	}
}

static void
messages_say_what_to_do(void **state)
{
	struct sg_resources r;
	char why[256];

	(void)state;
	sg_resource_parse(&r, "@resource:cpu=0.1,memory=128,storage=10,"
	    "story_points=1.5", why, sizeof(why));
	assert_non_null(strstr(why, "story_points='1.5' is not valid"));
	assert_non_null(strstr(why, "whole number"));
	sg_resource_parse(&r, "@resource:cpu=0.1,memory=128,storage=10", why,
	    sizeof(why));
	assert_non_null(strstr(why, "'story_points' is missing"));
	sg_resource_parse(&r, "@resource:cpu=1,cpu=1", why, sizeof(why));
	assert_non_null(strstr(why, "'cpu' is given twice"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_the_documented_forms),
		cmocka_unit_test(refuses_everything_else),
		cmocka_unit_test(messages_say_what_to_do),
	};

	return cmocka_run_group_tests_name("policy/resource", tests, NULL,
	    NULL);
}
