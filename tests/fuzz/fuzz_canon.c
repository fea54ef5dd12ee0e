/* SPDX-License-Identifier: MIT */
/*
 * fuzz_canon.c - libFuzzer entry point for canonical JSON
 * (src/lib/sign/canon.c).  The input is parsed with jansson; whatever
 * parses is canonicalised, and the result must be a fixed point:
 * canonical(parse(canonical(x))) == canonical(x) byte for byte.  The
 * re-parse may fail (canonical JSON keeps control characters raw inside
 * strings, which strict JSON refuses); reals are refused, which is checked
 * to be the only reason canonicalisation fails.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "specgate/sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
has_real(const json_t *j)
{
	const char *key;
	json_t *v;

	if (json_is_real(j))
		return true;
	if (json_is_array(j)) {
		for (size_t i = 0; i < json_array_size(j); i++)
			if (has_real(json_array_get(j, i)))
				return true;
	}
	if (json_is_object(j)) {
		json_object_foreach((json_t *)j, key, v)
			if (has_real(v))
				return true;
	}
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_error err = SG_ERROR_INIT;
	json_t *j;
	json_t *again = NULL;
	char *once = NULL;
	char *twice = NULL;
	size_t n1;
	size_t n2;

	if (size > 65536)
		return 0;
	j = json_loadb((const char *)data, size,
	    JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (!j)
		return 0;
	if (sg_canon_json_str(&once, &n1, j, 0, &err) < 0) {
		if (err.code != SG_EINVAL || !has_real(j))
			abort();
		goto out;
	}
	again = json_loadb(once, n1, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (!again)
		goto out;
	if (sg_canon_json_str(&twice, &n2, again, 0, &err) < 0)
		abort();
	if (n1 != n2 || memcmp(once, twice, n1)) {
		fprintf(stderr, "not a fixed point:\n%.*s\n%.*s\n", (int)n1,
		    once, (int)n2, twice);
		abort();
	}
out:
	free(once);
	free(twice);
	json_decref(again);
	json_decref(j);
	sg_error_release(&err);
	return 0;
}
