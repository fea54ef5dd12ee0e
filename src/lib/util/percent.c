/* SPDX-License-Identifier: MIT */
/*
 * percent.c - hex digits and RFC 3986 percent-escapes, read back (util.h).
 *
 * One reader for the three places that decode them: the service's
 * request targets, package URLs and in-toto's hex digests.  "%00" is not
 * a byte anyone may smuggle in: the decoder refuses it, and each caller
 * decides whether that makes the whole input bad (a purl) or leaves the
 * three characters as they are (a URL path).
 */
#include "util/util.h"

int
sg_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
sg_percent_byte(const char *s, size_t n)
{
	int hi;
	int lo;

	if (n < 3 || s[0] != '%' || (hi = sg_hexval(s[1])) < 0 ||
	    (lo = sg_hexval(s[2])) < 0 || (!hi && !lo))
		return -1;
	return hi << 4 | lo;
}
