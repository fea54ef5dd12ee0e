/* SPDX-License-Identifier: MIT */
/*
 * ids.c - feature ids and run ids (specgate/ids.h).
 *
 * Written out by hand rather than with sscanf() or strtoul(), which would
 * accept signs, spaces and leading zeros: a run id is a directory name and
 * a primary key, so it must have exactly one spelling.
 */
#include "specgate/ids.h"

#include <stdlib.h>
#include <string.h>

static bool
is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

bool
sg_feature_id_is_valid(const char *s)
{
	size_t i;

	if (!s)
		return false;
	for (i = 0; s[i]; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return i == SG_FEATURE_ID_LEN;
}

size_t
sg_run_id_len(const char *s)
{
	size_t n;

	if (!s || !is_digits(s, 14))
		return 0;
	if (!s[14])
		return 14;
	if (s[14] != '-' || s[15] < '1' || s[15] > '9')
		return 0;
	for (n = 1; n <= 6 && s[15 + n]; n++) {
		if (s[15 + n] < '0' || s[15 + n] > '9')
			return 0;
	}
	if (n > 6 || (n == 1 && s[15] == '1'))
		return 0;
	return 15 + n;
}

bool
sg_run_id_is_valid(const char *s)
{
	return sg_run_id_len(s) != 0;
}

/* The "-N" of a run id; 1 when there is none. */
static unsigned long
suffix(const char *id)
{
	return id[14] == '-' ? strtoul(id + 15, NULL, 10) : 1;
}

int
sg_run_id_cmp(const char *a, const char *b)
{
	int c = memcmp(a, b, 14);
	unsigned long x;
	unsigned long y;

	if (c)
		return c;
	x = suffix(a);
	y = suffix(b);
	return x < y ? -1 : x > y;
}
