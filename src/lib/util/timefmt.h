/* SPDX-License-Identifier: MIT */
/*
 * timefmt.h - report timestamps: "2025-09-24T14:04:40Z", honouring
 * SOURCE_DATE_EPOCH.
 */
#ifndef SG_UTIL_TIMEFMT_H
#define SG_UTIL_TIMEFMT_H

#include <time.h>

#define SG_TIME_ISO_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" and the NUL */

/* Now, or SOURCE_DATE_EPOCH when it is set to a non-negative integer. */
time_t sg_time_now(void);

/* Format t as UTC ISO 8601 with a Z into out. */
void sg_time_iso(char out[SG_TIME_ISO_LEN], time_t t);

#endif /* SG_UTIL_TIMEFMT_H */
