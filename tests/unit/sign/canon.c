/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/sign/canon.c: canonical JSON against known
 * outputs of securesystemslib's encode_canonical (key order, no
 * whitespace, only '"' and '\' escaped, raw control and non-ASCII bytes,
 * integers), refusal of reals, the size cap, and idempotence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sign/sign_int.h"

/* The canonical form of the JSON text `in`, as a new string. */
static char *
canon_of(const char *in, int want)
{
	struct sg_error err = SG_ERROR_INIT;
	json_error_t jerr;
	json_t *j;
	char *out = NULL;

	j = json_loads(in, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	assert_non_null(j);
	assert_int_equal(sg_canon_json_str(&out, NULL, j, 0, &err), want);
	json_decref(j);
	sg_error_release(&err);
	return out;
}

static void
check(const char *in, const char *want)
{
	char *out = canon_of(in, 0);

	assert_string_equal(out, want);
	free(out);
}

static void
known_outputs(void **state)
{
	(void)state;
	check("{\"b\": 1, \"a\": [true, false, null], \"A\": -7}",
	    "{\"A\":-7,\"a\":[true,false,null],\"b\":1}");
	check("{}", "{}");
	check("[]", "[]");
	check("\"x\"", "\"x\"");
	check("0", "0");
	check("-9223372036854775808", "-9223372036854775808");
	/* only " and \ are escaped; control characters stay raw */
	check("\"a\\\"b\\\\c\\nd\\te\\u0001\"",
	    "\"a\\\"b\\\\c\nd\te\x01\"");
	/* non-ASCII as its UTF-8 bytes, never \u escapes */
	check("\"caf\\u00e9 \\ud83d\\ude00\"",
	    "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
	/* keys sort bytewise: upper case first, a prefix first, UTF-8 last */
	check("{\"b\":0,\"ab\":0,\"a\":0,\"B\":0,\"\\u00e9\":0,\"z\":0}",
	    "{\"B\":0,\"a\":0,\"ab\":0,\"b\":0,\"z\":0,\"\xc3\xa9\":0}");
	check("{\"k\": {\"z\": [1, {\"y\": 2, \"x\": 3}], \"a\": \"\"}}",
	    "{\"k\":{\"a\":\"\",\"z\":[1,{\"x\":3,\"y\":2}]}}");
}

static void
the_key_object_of_in_toto(void **state)
{
	(void)state;
	/* the shape the key id hashes, newline kept raw inside the PEM */
	check("{\"scheme\":\"ed25519\",\"keytype\":\"ed25519\","
	      "\"keyval\":{\"public\":\"ab\\ncd\"}}",
	    "{\"keytype\":\"ed25519\",\"keyval\":{\"public\":\"ab\ncd\"},"
	    "\"scheme\":\"ed25519\"}");
}

static void
nul_inside_a_string_is_kept(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	json_t *j = json_stringn("a\0b", 3);
	char *out;
	size_t len;

	(void)state;
	assert_int_equal(sg_canon_json_str(&out, &len, j, 0, &err), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(out, "\"a\0b\"", 5);
	free(out);
	json_decref(j);
}

static void
reals_are_refused(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	json_t *j = json_loads("{\"a\": [1, 2.5]}", 0, NULL);
	char *out = (char *)1;

	(void)state;
	assert_int_equal(sg_canon_json_str(&out, NULL, j, 0, &err), SG_EINVAL);
	assert_null(out);
	assert_non_null(strstr(err.message, "real"));
	json_decref(j);
	sg_error_release(&err);
	free(canon_of("1.0", SG_EINVAL));
}

static void
the_cap_is_enforced(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	json_t *j = json_loads("[\"0123456789\", \"0123456789\"]", 0, NULL);
	char *out;

	(void)state;
	assert_int_equal(sg_canon_json_str(&out, NULL, j, 16, &err),
	    SG_ETOOBIG);
	assert_null(out);
	sg_error_release(&err);
	assert_int_equal(sg_canon_json_str(&out, NULL, j, 64, &err), 0);
	assert_string_equal(out, "[\"0123456789\",\"0123456789\"]");
	free(out);
	json_decref(j);
}

static void
canonical_is_a_fixed_point(void **state)
{
	static const char *const in[] = {
		"{\"z\":{\"b\":[3,2,1],\"a\":null},\"y\":\"\\\\\\\"\"}",
		"[[[]],{},\"\",-1]",
	};
	char *once;
	char *twice;

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		once = canon_of(in[i], 0);
		twice = canon_of(once, 0);
		assert_string_equal(once, twice);
		free(once);
		free(twice);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_outputs),
		cmocka_unit_test(the_key_object_of_in_toto),
		cmocka_unit_test(nul_inside_a_string_is_kept),
		cmocka_unit_test(reals_are_refused),
		cmocka_unit_test(the_cap_is_enforced),
		cmocka_unit_test(canonical_is_a_fixed_point),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
