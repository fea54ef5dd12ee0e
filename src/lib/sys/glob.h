/* SPDX-License-Identifier: MIT */
/*
 * glob.h - file-name patterns (glob(3)) for the gates' input lists
 * (gates.tests.files: the *.xml files under build/test-results).  The
 * only glob() call of the library.
 */
#ifndef SG_SYS_GLOB_H
#define SG_SYS_GLOB_H

#include "util/util.h"

/*
 * Append to *paths (a malloc'd array of malloc'd strings, *n of them;
 * grown with sg_xreallocarray) the paths `pattern` matches, sorted
 * bytewise; a pattern that matches nothing adds nothing.  No tilde or
 * brace expansion; a hidden file matches only a pattern that names its
 * dot.  Returns 0, or SG_EIO when a directory could not be read
 * (err names the pattern).
 */
int sg_glob(char ***paths, size_t *n, const char *pattern,
    struct sg_error *err);

#endif /* SG_SYS_GLOB_H */
