/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/generate/snippet.c: expressions as Cucumber's
 * generator writes them (each expected value below is what
 * @cucumber/cucumber-expressions 18.0.1 printed for the same text; the
 * whole corpus is compared with the peer itself by t1210-snippets),
 * parameter names and values, identifiers, and C literals that are safe
 * in a string and in a comment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "generate/generate_int.h"

struct want {
	const char *text;
	const char *expression;
};

static void
expressions(void **state)
{
	static const struct want w[] = {
	    {"I have 42 cukes", "I have {int} cukes"},
	    {"it costs 4.50", "it costs {float}"},
	    {"version v1.2", "version v1.{int}"},
	    {"I subtract 5 - 3", "I subtract {int} {float} {int}"},
	    {"the user \"alice\" says 'hi'", "the user {string} says {string}"},
	    {"adjacent\"glued\"", "adjacent\"glued\""},
	    {"the path /usr (x) is {set}", "the path \\/usr \\(x) is \\{set}"},
	    {"I see {1}", "I see \\{{int}}"},
	    {"emoji \xf0\x9f\x9a\x80" "5 and \xc2\xab" "12\xc2\xbb",
		"emoji \xf0\x9f\x9a\x80" "5 and \xc2\xab{int}\xc2\xbb"},
	    {"1e5 and 2E5", "1e5 and 2E5"},
	    {"no numbers here", "no numbers here"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		struct sg_gen__snippet sn;

		sg_gen__snippet(&sn, w[i].text);
		assert_string_equal(sn.expression, w[i].expression);
		sg_gen__snippet_release(&sn);
	}
}

static void
parameters(void **state)
{
	struct sg_gen__snippet sn;

	(void)state;
	sg_gen__snippet(&sn, "pay -7 to \"a \\\"b\\\"\" and 8 and 'c'");
	assert_string_equal(sn.expression,
	    "pay {int} to {string} and {int} and {string}");
	assert_int_equal(sn.nparams, 4);
	assert_string_equal(sn.params[0].name, "int");
	assert_string_equal(sn.params[0].value, "-7");
	assert_string_equal(sn.params[1].name, "string");
	assert_string_equal(sn.params[1].raw, "\"a \\\"b\\\"\"");
	assert_string_equal(sn.params[1].value, "a \"b\"");
	assert_string_equal(sn.params[2].name, "int2");
	assert_string_equal(sn.params[3].name, "string2");
	assert_string_equal(sn.params[3].value, "c");
	sg_gen__snippet_release(&sn);
}

static void
identifiers(void **state)
{
	char *s;

	(void)state;
	s = sg_gen__ident("I have {int} cukes!", 48, "step");
	assert_string_equal(s, "i_have_int_cukes");
	free(s);
	s = sg_gen__ident("42 things", 48, "step");
	assert_string_equal(s, "step_42_things");
	free(s);
	s = sg_gen__ident("\xe4\xb8\xad\xe6\x96\x87", 48, "step");
	assert_string_equal(s, "step");
	free(s);
	s = sg_gen__ident("aaaa bbbb cccc", 9, "step");
	assert_string_equal(s, "aaaa_bbbb");
	free(s);
}

static void
literals(void **state)
{
	char *s;

	(void)state;
	s = sg_gen__c_literal("a \"q\" \\ */ ?\?= \t\n\x01");
	assert_string_equal(s,
	    "\"a \\\"q\\\" \\\\ *\\057 ?\"\"?= \\t\\n\\001\"");
	assert_null(strstr(s, "*/"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(expressions),
	    cmocka_unit_test(parameters),
	    cmocka_unit_test(identifiers),
	    cmocka_unit_test(literals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
