/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/util/utctime.c: the two formats, the ISO check,
 * and the two clocks (SOURCE_DATE_EPOCH reaches report times only).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../harness/unit.h"

#include "util/utctime.h"

SG_TEST(formats_are_utc_to_the_second)
{
	char iso[SG_UTC_ISO_SIZE];
	char compact[SG_UTC_COMPACT_SIZE];

	(void)state;
	assert_int_equal(sg_utc_iso(iso, 1758722680), 0);
	assert_string_equal(iso, "2025-09-24T14:04:40Z");
	assert_int_equal(sg_utc_compact(compact, 1758722680), 0);
	assert_string_equal(compact, "20250924140440");
	assert_true(sg_utc_is_iso(iso));
	assert_false(sg_utc_is_iso("2025-13-24T14:04:40Z"));
	assert_false(sg_utc_is_iso("2025-09-24 14:04:40Z"));
	assert_false(sg_utc_is_iso("2025-09-24T14:04:40"));
}

SG_TEST(report_time_honours_source_date_epoch)
{
	time_t before;

	(void)state;
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	assert_int_equal(sg_utc_report_now(), 1700000000);
	/* the real clock ignores it */
	before = time(NULL);
	assert_true(sg_utc_now() >= before);
	assert_true(sg_utc_now() > 1700000000);
	unsetenv("SOURCE_DATE_EPOCH");
}

SG_TEST(report_time_ignores_a_malformed_epoch)
{
	static const char *const bad[] = {"", "-1", "+5", " 5", "5x", "1e9",
	    "99999999999999999999", "999999999999999"};
	time_t before;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("SOURCE_DATE_EPOCH", bad[i], 1);
		before = time(NULL);
		assert_true(sg_utc_report_now() >= before);
	}
	unsetenv("SOURCE_DATE_EPOCH");
}

SG_TEST_MAIN("utctime")
