/* SPDX-License-Identifier: MIT */
/*
 * glob.h - shell patterns over the file system (glob(3)): the artifact
 * lists of specgate.yaml ("build/app", "dist/lib*.so"), bounded and kept
 * inside the project, and the gates' input lists (gates.tests.files: the
 * *.xml files under build/test-results), which may name any path.  The
 * only glob() calls of the library.
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

/*
 * Append to *paths (a malloc'd array of malloc'd strings, *n of them;
 * grown with sg_xreallocarray) the paths `pattern` (as written: from the
 * cwd, or absolute) matches, sorted bytewise; a pattern that matches
 * nothing adds nothing.  No tilde or brace expansion; a hidden file
 * matches only a pattern that names its dot.  A directory that exists but
 * cannot be read is SG_EIO rather than a silent gap: a gate that quietly
 * reads fewer result files than there are would pass what it has not
 * seen.  One that does not exist is no match.
 */
int sg_glob_append(char ***paths, size_t *n, const char *pattern,
    struct sg_error *err);

#endif /* SG_SYS_GLOB_H */
