/* SPDX-License-Identifier: MIT */
/*
 * dialect.c - look up a language in the generated keyword table.
 */
#include "spec/dialect.h"

#include <string.h>

const struct sg_dialect *
sg_dialect_find(const char *code)
{
	size_t lo = 0;
	size_t hi = sg_ndialects;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(code, sg_dialects[mid].code);

		if (!c)
			return &sg_dialects[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
