/* SPDX-License-Identifier: MIT */
/*
 * glob.h - shell patterns over the file system (glob(3)), for the
 * artifact lists of specgate.yaml ("build/app", "dist/lib*.so").
 */
#ifndef SG_SYS_GLOB_H
#define SG_SYS_GLOB_H

#include <stddef.h>

#include "util/util.h"

/*
 * Expand `pattern` relative to the directory `root` (cwd-relative or
 * absolute): *out (OUT) gets the matching paths relative to root, sorted
 * bytewise, malloc'd (free each and the array), and *n their number, at
 * most `max` (more is SG_ETOOBIG).  A pattern without wildcards yields
 * itself when it exists.  No match: *n is 0, not an error.  Absolute
 * patterns and patterns with a ".." component are SG_EINVAL (artifacts
 * live in the project).  SG_EIO when the system fails.
 */
int sg_glob(char ***out, size_t *n, const char *root, const char *pattern,
    size_t max, struct sg_error *err);

void sg_glob_free(char **paths, size_t n);

#endif /* SG_SYS_GLOB_H */
