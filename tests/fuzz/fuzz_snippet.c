/* SPDX-License-Identifier: MIT */
/*
 * fuzz_snippet.c - libFuzzer entry point for the snippet maker
 * (src/lib/generate/snippet.c), Cucumber's expression generator redone
 * by hand.  The input, when it is one line of UTF-8 without NUL (what a
 * pickle step's text is), is a step text.  Checks an invariant as well as
 * memory safety: the parameters' matched texts occur in the step in
 * order, without overlapping, and a {string}'s value is never longer
 * than its match; the identifier made from the expression is a C one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "generate/generate_int.h"
#include "spec/gherkin_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_gen__snippet sn;
	const char *at;
	char *text;
	char *id;

	if (size > 4096 || memchr(data, '\n', size) ||
	    sg_gherkin__utf8_check((const char *)data, size) != size)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	sg_gen__snippet(&sn, text);
	at = text;
	for (size_t i = 0; i < sn.nparams; i++) {
		const char *hit = strstr(at, sn.params[i].raw);

		if (!hit || !*sn.params[i].raw ||
		    strlen(sn.params[i].value) > strlen(sn.params[i].raw))
			abort();
		at = hit + strlen(sn.params[i].raw);
	}
	id = sg_gen__ident(sn.expression, 48, "step");
	if (!*id || (id[0] >= '0' && id[0] <= '9') ||
	    strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(id))
		abort();
	free(id);
	sg_gen__snippet_release(&sn);
	free(text);
	return 0;
}
