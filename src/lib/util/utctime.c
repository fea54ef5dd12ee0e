/* SPDX-License-Identifier: MIT */
/*
 * utctime.c - the clock and UTC timestamps as text (utctime.h).
 *
 * strftime() with a broken-down time from gmtime_r() does the formatting;
 * the checker is written out by hand because sscanf() would accept signs,
 * spaces and short fields.  SOURCE_DATE_EPOCH is parsed with strtoll() and
 * accepted only as a whole non-negative number: a malformed value falls
 * back to the real clock rather than to 1970.
 */
#include "util/utctime.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

time_t
sg_utc_now(void)
{
	return time(NULL);
}

time_t
sg_utc_report_now(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char iso[SG_UTC_ISO_SIZE];
	char *end;
	long long v;

	if (sde && *sde >= '0' && *sde <= '9') {
		errno = 0;
		v = strtoll(sde, &end, 10);
		/* Past year 9999 it could not be written: ignore it too. */
		if (!errno && !*end && sg_utc_iso(iso, (time_t)v) == 0)
			return (time_t)v;
	}
	return sg_utc_now();
}

/* t broken down in UTC, within the years 0000-9999. */
static int
utc(struct tm *out, time_t t)
{
	if (!gmtime_r(&t, out) || out->tm_year < -1900 || out->tm_year > 8099)
		return SG_EINVAL;
	return 0;
}

int
sg_utc_iso(char *out, time_t t)
{
	struct tm tm;

	if (utc(&tm, t) < 0 ||
	    strftime(out, SG_UTC_ISO_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm) !=
		SG_UTC_ISO_SIZE - 1)
		return SG_EINVAL;
	return 0;
}

int
sg_utc_compact(char *out, time_t t)
{
	struct tm tm;

	if (utc(&tm, t) < 0 ||
	    strftime(out, SG_UTC_COMPACT_SIZE, "%Y%m%d%H%M%S", &tm) !=
		SG_UTC_COMPACT_SIZE - 1)
		return SG_EINVAL;
	return 0;
}

/* The two digits at s as a number, or -1 when they are not two digits. */
static int
two(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

bool
sg_utc_is_iso(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	int v;

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') :
				      s[i] != shape[i])
			return false;
	}
	v = two(s + 5);
	if (v < 1 || v > 12)
		return false;
	v = two(s + 8);
	if (v < 1 || v > 31)
		return false;
	return two(s + 11) <= 23 && two(s + 14) <= 59 && two(s + 17) <= 60;
}
