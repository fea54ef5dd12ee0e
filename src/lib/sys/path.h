/* SPDX-License-Identifier: MIT */
/*
 * path.h - where we are in the file system: the working directory and
 * canonical paths.  These are the only getcwd()/realpath() calls of the
 * library (HACKING.md: only src/lib/sys/ talks to POSIX).  Strings are
 * returned malloc'd; the caller frees them with free().
 */
#ifndef SG_SYS_PATH_H
#define SG_SYS_PATH_H

#include "util/util.h"

/*
 * Store the absolute path of the working directory in *out (malloc'd).
 * Returns 0, or SG_EIO when it cannot be determined (err says why).
 */
int sg_path_getcwd(char **out, struct sg_error *err);

/*
 * Store the canonical absolute form of `path` (symbolic links, "." and
 * ".." resolved) in *out (malloc'd).  Returns 0, SG_ENOTFOUND when a
 * component does not exist, or SG_EIO.
 */
int sg_path_realpath(char **out, const char *path, struct sg_error *err);

/*
 * Store in *out (malloc'd) the relative path that leads from the directory
 * `base` to `target`, both absolute and canonical ("/p/sub", "/p" gives
 * ".."; equal paths give ".").  Lexical only; never fails.
 */
void sg_path_relative(char **out, const char *base, const char *target);

#endif /* SG_SYS_PATH_H */
