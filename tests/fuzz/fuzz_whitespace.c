/* SPDX-License-Identifier: MIT */
/*
 * fuzz_whitespace.c - libFuzzer entry point for the whitespace fixer
 * (src/lib/fix/whitespace.c).  Besides memory safety it checks what the
 * fixer promises: the output is at most two bytes longer; no line of it
 * ends in a blank; a non-empty output ends with "\n"; the bytes that are
 * not blanks come out in the same order (only blanks are dropped and only
 * a line end is added); a second pass changes nothing; in-place use gives
 * the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "specgate/fix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_whitespace: %s\n", what);
	abort();
}

static int
blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The non-blank bytes of a, in order, then at most "\r\n" more in b. */
static int
same_content(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0;
	size_t j = 0;

	for (;;) {
		while (i < na && blank(a[i]))
			i++;
		while (j < nb && blank(b[j]))
			j++;
		if (i == na || j == nb)
			break;
		if (a[i++] != b[j++])
			return 0;
	}
	return i == na && nb - j <= 2;
}

static void
check_lines(const char *out, size_t n)
{
	if (n && out[n - 1] != '\n')
		fail("no final newline");
	for (size_t i = 0; i + 1 < n; i++) {
		if (!blank(out[i]))
			continue;
		if (out[i + 1] == '\n' ||
		    (out[i + 1] == '\r' && i + 2 < n && out[i + 2] == '\n'))
			fail("a blank before a line end");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	char *out;
	char *again;
	char *inplace;
	size_t n;

	if (size > 65536)
		return 0;
	out = malloc(size + 2);
	again = malloc(size + 4);
	inplace = malloc(size + 2);
	n = sg_fix_whitespace(out, in, size);
	if (n > size + 2)
		fail("output too long");
	check_lines(out, n);
	if (!same_content(in, size, out, n))
		fail("non-blank bytes changed");
	if (sg_fix_whitespace(again, out, n) != n || memcmp(again, out, n))
		fail("not idempotent");
	if (size)
		memcpy(inplace, data, size);
	if (sg_fix_whitespace(inplace, inplace, size) != n ||
	    memcmp(inplace, out, n))
		fail("in place differs");
	free(out);
	free(again);
	free(inplace);
	return 0;
}
