/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/util/percent.c: hex digits in either case, and
 * percent-escapes that stop at the end of what may be read and refuse %00.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/util.h"

static void
hex_digits_in_either_case(void **state)
{
	(void)state;
	assert_int_equal(sg_hexval('0'), 0);
	assert_int_equal(sg_hexval('9'), 9);
	assert_int_equal(sg_hexval('a'), 10);
	assert_int_equal(sg_hexval('F'), 15);
	assert_int_equal(sg_hexval('g'), -1);
	assert_int_equal(sg_hexval('\0'), -1);
	assert_int_equal(sg_hexval(-1), -1);
}

static void
percent_escapes(void **state)
{
	(void)state;
	assert_int_equal(sg_percent_byte("%2F", 3), '/');
	assert_int_equal(sg_percent_byte("%2fx", 4), '/');
	assert_int_equal(sg_percent_byte("%40", 3), '@');
	assert_int_equal(sg_percent_byte("%ff", 3), 0xff);
	assert_int_equal(sg_percent_byte("%00", 3), -1);
	assert_int_equal(sg_percent_byte("%2", 3), -1);
	assert_int_equal(sg_percent_byte("%2F", 2), -1);
	assert_int_equal(sg_percent_byte("%G0", 3), -1);
	assert_int_equal(sg_percent_byte("a2F", 3), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hex_digits_in_either_case),
		cmocka_unit_test(percent_escapes),
	};

	return cmocka_run_group_tests_name("util/percent", tests, NULL, NULL);
}
