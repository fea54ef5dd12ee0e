/* SPDX-License-Identifier: MIT */
/*
 * dir.h - creating directories (sys/ is the only module that calls POSIX
 * file functions; see fs.h for reading files).
 */
#ifndef SG_SYS_DIR_H
#define SG_SYS_DIR_H

#include "util/util.h"

/*
 * Create the directory `path` and any missing parent, each with `mode`
 * (0700 for private state such as .specgate/), as `mkdir -p -m` does for
 * the last one.  Directories that exist are left as they are, mode
 * included.  A component that exists and is not a directory is SG_EINVAL;
 * any other failure is SG_EIO, naming the directory that could not be
 * made.  An empty path is SG_EINVAL.
 */
int sg_dir_make_all(const char *path, unsigned mode, struct sg_error *err);

#endif /* SG_SYS_DIR_H */
