/* SPDX-License-Identifier: MIT */
/*
 * ids.h - the two identifiers every module passes around: the feature id
 * and the run id.  Their sizes, their validators and the order of run ids
 * live here and nowhere else, at the bottom floor (util), so that the
 * store, the evidence tree, the feature branches, the service and the
 * front ends agree on what an id is without including each other.
 *
 *	feature id	12 lower-case hex digits: the head of the SHA-256 of
 *			the spec set (specset.h, docs/product.md)
 *	run id		"YYYYMMDDHHMMSS" (UTC, the run's start), or with
 *			"-N" after a clash in the same second: N from 2, at
 *			most 6 digits, no leading zero
 *
 * Both are checked before they become a path, a git ref or a key, so a
 * string that passes is safe as a single path component.
 */
#ifndef SPECGATE_IDS_H
#define SPECGATE_IDS_H

#include <stdbool.h>
#include <stddef.h>

#define SG_FEATURE_ID_LEN 12			/* hex digits of an id */
#define SG_FEATURE_ID_SIZE (SG_FEATURE_ID_LEN + 1) /* and a NUL */

/* A run id: at most 21 characters ("YYYYMMDDHHMMSS-NNNNNN"), and a NUL. */
#define SG_RUN_ID_SIZE 24

/* true when s is a feature id: 12 lower-case hex digits. */
bool sg_feature_id_is_valid(const char *s);

/* true when s is a run id (above). */
bool sg_run_id_is_valid(const char *s);

/* The length of the run id s (14 to 21), or 0 when it is not one. */
size_t sg_run_id_len(const char *s);

/*
 * Order two valid run ids by time, then by their "-N" suffix (a missing
 * one counts as 1), so "…-10" follows "…-9": <0, 0 or >0 like strcmp().
 */
int sg_run_id_cmp(const char *a, const char *b);

#endif /* SPECGATE_IDS_H */
