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

#include "../../harness/unit.h"

#include "util/util.h"

SG_TEST(hex_digits_in_either_case)
{
	assert_int_equal(sg_hexval('0'), 0);
	assert_int_equal(sg_hexval('9'), 9);
	assert_int_equal(sg_hexval('a'), 10);
	assert_int_equal(sg_hexval('F'), 15);
	assert_int_equal(sg_hexval('g'), -1);
	assert_int_equal(sg_hexval('\0'), -1);
	assert_int_equal(sg_hexval(-1), -1);
}

SG_TEST(percent_escapes)
{
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

SG_TEST_MAIN("util/percent")
