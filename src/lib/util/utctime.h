/* SPDX-License-Identifier: MIT */
/*
 * utctime.h - the clock of specgate and its two UTC text formats:
 *
 *	ISO	"2025-09-24T14:04:40Z"	timestamps in reports and checkpoints
 *	compact	"20250924140440"	run ids (docs/product.md §6.1)
 *
 * Always UTC and always to the second, so that they sort as text in the
 * order of time and read the same on every machine.  The conversion is
 * the thread-safe gmtime_r(); its unsafe siblings are banned (banned.h).
 *
 * Two clocks, on purpose:
 *
 *	sg_utc_now()		the real clock: run ids, checkpoint times,
 *				finished_at, anything that orders events
 *	sg_utc_report_now()	the time written into a JSON document's
 *				"timestamp": SOURCE_DATE_EPOCH when it is set
 *				to a non-negative integer, else the real clock
 *
 * SOURCE_DATE_EPOCH (reproducible-builds.org) exists to make documents
 * byte-identical from identical inputs.  It must never reach a run id or
 * a checkpoint: two runs under the same SOURCE_DATE_EPOCH would share a
 * start second and every checkpoint would claim the same moment, which is
 * a lie in an audit trail.
 */
#ifndef SG_UTIL_UTCTIME_H
#define SG_UTIL_UTCTIME_H

#include <stdbool.h>
#include <time.h>

#include "util/util.h"

#define SG_UTC_ISO_SIZE 21     /* "2025-09-24T14:04:40Z" and a NUL */
#define SG_UTC_COMPACT_SIZE 15 /* "20250924140440" and a NUL */

/* The real clock (time(NULL)). */
time_t sg_utc_now(void);

/*
 * The time of a report: SOURCE_DATE_EPOCH when it holds a non-negative
 * decimal integer that sg_utc_iso() can write (anything else is ignored),
 * else sg_utc_now().
 */
time_t sg_utc_report_now(void);

/*
 * Write t as ISO UTC to out (OUT: SG_UTC_ISO_SIZE bytes).  SG_EINVAL when t
 * cannot be converted or falls outside the years 0000-9999.
 */
int sg_utc_iso(char *out, time_t t);

/* Write t as compact UTC to out (OUT: SG_UTC_COMPACT_SIZE bytes). */
int sg_utc_compact(char *out, time_t t);

/*
 * true when s is exactly an ISO UTC timestamp: 20 characters, digits where
 * digits go, month 01-12, day 01-31, hour 00-23, minute 00-59, second
 * 00-60 (a leap second).
 */
bool sg_utc_is_iso(const char *s);

#endif /* SG_UTIL_UTCTIME_H */
