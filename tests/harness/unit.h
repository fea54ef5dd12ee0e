/* SPDX-License-Identifier: MIT */
/*
 * unit.h - cmocka tests that register themselves, so that a test program
 * has no hand-kept list in main() to forget a test in:
 *
 *	SG_TEST(name_says_what_it_checks)
 *	{
 *		assert_true(...);
 *	}
 *
 *	SG_TEST_FIXTURE(uses_a_store, sg_test_store_setup,
 *	    sg_test_store_teardown)
 *	{
 *		struct sg_test_store_fixture *f = *state;
 *		...
 *	}
 *
 *	SG_TEST_MAIN("module/file")
 *
 * Each SG_TEST defines the test function (its argument is `state`) and a
 * constructor that appends it to this program's table before main() runs;
 * SG_TEST_MAIN sorts the table by line, so tests run and report in the
 * order they are written, whatever order the constructors ran in.  A
 * constructor is plain GCC/Clang (no linker sections), and a program has
 * one translation unit, so the table is simply static here.
 *
 * Header-only, like tmpdir.h: include it after <cmocka.h>.
 */
#ifndef SG_TEST_UNIT_H
#define SG_TEST_UNIT_H

#include <stdio.h>
#include <stdlib.h>

#define SG_TEST_MAX 256 /* tests in one program */

struct sg_test__entry {
	int line;
	struct CMUnitTest test;
};

static struct sg_test__entry sg_test__table[SG_TEST_MAX];
static size_t sg_test__n;

static inline void
sg_test__register(int line, struct CMUnitTest t)
{
	if (sg_test__n == SG_TEST_MAX) {
		fprintf(stderr, "unit.h: more than %d tests\n", SG_TEST_MAX);
		abort();
	}
	sg_test__table[sg_test__n].line = line;
	sg_test__table[sg_test__n++].test = t;
}

static inline int
sg_test__by_line(const void *a, const void *b)
{
	const struct sg_test__entry *x = a;
	const struct sg_test__entry *y = b;

	return (x->line > y->line) - (x->line < y->line);
}

/* Sort the table and run it as one group; main()'s return value. */
static inline int
sg_test__run(const char *group)
{
	static struct CMUnitTest tests[SG_TEST_MAX];

	qsort(sg_test__table, sg_test__n, sizeof(sg_test__table[0]),
	    sg_test__by_line);
	for (size_t i = 0; i < sg_test__n; i++)
		tests[i] = sg_test__table[i].test;
	return _cmocka_run_group_tests(group, tests, sg_test__n, NULL, NULL);
}

#define SG_TEST_FIXTURE(fn, setup, teardown)                                   \
	static void fn(void **state);                                          \
	__attribute__((constructor)) static void sg_test__reg_##fn(void)       \
	{                                                                      \
		sg_test__register(__LINE__,                                    \
		    (struct CMUnitTest)cmocka_unit_test_setup_teardown(fn,     \
			setup, teardown));                                     \
	}                                                                      \
	static void fn(void **state)

#define SG_TEST(fn) SG_TEST_FIXTURE(fn, NULL, NULL)

#define SG_TEST_MAIN(group)                                                    \
	int main(void)                                                         \
	{                                                                      \
		return sg_test__run(group);                                    \
	}

#endif /* SG_TEST_UNIT_H */
