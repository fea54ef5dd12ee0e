/* SPDX-License-Identifier: MIT */
/*
 * branch_int.h - what the two files of src/lib/branch/ share: opening the
 * project's repository, turning libgit2's last error into a struct
 * sg_error, and the trailer check.  The only header of specgate that
 * includes <git2.h>; nothing outside src/lib/branch/ includes it.
 */
#ifndef SG_BRANCH_INT_H
#define SG_BRANCH_INT_H

#include <git2.h>

#include "specgate/branch.h"
#include "util/util.h"

/*
 * Record libgit2's last error as `code` with "what: <libgit2 message>".
 * Returns code.
 */
int sg_branch__git_error(struct sg_error *err, int code, const char *what);
/* git_libgit2_init(), with a reference held for the process (branch.c). */
void sg_branch__git_init(void);

/*
 * true when the commit message carries the trailer
 * "Specgate-Feature-Id: <feature_id>".
 */
bool sg_branch__is_ours(const char *message, const char *feature_id);

/* "refs/heads/<name>" into out (OUT, size bytes). */
void sg_branch__ref_name(char *out, size_t size, const char *prefix,
    const char *name);

#endif /* SG_BRANCH_INT_H */
