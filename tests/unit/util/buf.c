/* SPDX-License-Identifier: MIT */
/* Unit tests for src/lib/util: sg_buf caps, sg_arena, sg_error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../harness/unit.h"

#include "util/util.h"

SG_TEST(buf_grows_and_stays_terminated)
{
	struct sg_buf b;

	(void)state;
	sg_buf_init(&b, 0);
	assert_string_equal(b.ptr, "");
	for (int i = 0; i < 1000; i++)
		assert_int_equal(sg_buf_printf(&b, "%d,", i), 0);
	assert_int_equal(b.len, strlen(b.ptr));
	assert_memory_equal(b.ptr, "0,1,2,", 6);
	sg_buf_release(&b);
}

SG_TEST(buf_refuses_to_pass_its_cap)
{
	struct sg_buf b;

	(void)state;
	sg_buf_init(&b, 8);
	assert_int_equal(sg_buf_puts(&b, "12345678"), 0);
	assert_int_equal(sg_buf_putc(&b, 'x'), SG_ETOOBIG);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.ptr, "12345678");
	sg_buf_release(&b);
}

SG_TEST(arena_allocations_are_aligned_and_zeroed)
{
	struct sg_arena a;
	char *big;

	(void)state;
	sg_arena_init(&a);
	for (int i = 1; i < 5000; i += 7) {
		unsigned char *p = sg_arena_alloc(&a, (size_t)i);

		assert_int_equal((uintptr_t)p % 16, 0);
		for (int j = 0; j < i; j++)
			assert_int_equal(p[j], 0);
		memset(p, 0xaa, (size_t)i);
	}
	big = sg_arena_alloc(&a, 3u << 20);
	big[(3u << 20) - 1] = 1;
	assert_string_equal(sg_arena_strndup(&a, "abcdef", 3), "abc");
	sg_arena_release(&a);
}

SG_TEST(error_keeps_the_first_failure)
{
	struct sg_error err = SG_ERROR_INIT;

	(void)state;
	assert_int_equal(sg_error_set_at(&err, SG_EINVAL, "a.yaml", 3, 7,
			     "expected '%s'", "list"),
	    SG_EINVAL);
	assert_int_equal(sg_error_set(&err, SG_EIO, "later"), SG_EIO);
	assert_int_equal(err.code, SG_EINVAL);
	assert_string_equal(err.file, "a.yaml");
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 7);
	assert_string_equal(err.message, "expected 'list'");
	sg_error_release(&err);
	assert_null(err.file);
	assert_int_equal(err.code, 0);
}

SG_TEST_MAIN("util")
