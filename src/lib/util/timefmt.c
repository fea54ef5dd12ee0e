/* SPDX-License-Identifier: MIT */
/*
 * timefmt.c - the one clock of reports: UTC, second precision, ISO 8601
 * with a Z.  SOURCE_DATE_EPOCH, when set to a valid number, replaces the
 * clock so that identical inputs give byte-identical documents
 * (reproducible-builds.org's convention).
 */
#include "util/timefmt.h"

#include <errno.h>

#include "util/util.h"

time_t
sg_time_now(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (sde && *sde) {
		errno = 0;
		v = strtoll(sde, &end, 10);
		if (!errno && !*end && v >= 0)
			return (time_t)v;
	}
	return time(NULL);
}

void
sg_time_iso(char out[SG_TIME_ISO_LEN], time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, SG_TIME_ISO_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
