/* SPDX-License-Identifier: MIT */
/*
 * fs.h - the file-system wrappers of the library (the only module that
 * calls POSIX file functions directly, with sys/walk.c).  Each retries on
 * EINTR, opens with O_CLOEXEC and reports failures through struct sg_error
 * naming the path.
 */
#ifndef SG_SYS_FS_H
#define SG_SYS_FS_H

#include <stddef.h>

#include "util/util.h"

/*
 * Read the whole regular file at `path` into `out` (appended).  Fails with
 * SG_ETOOBIG when it holds more than `max` bytes, SG_ENOTFOUND when it does
 * not exist, SG_EINVAL when it is not a regular file (a directory, a FIFO),
 * SG_EIO on any other error.  `out` is left as it was on failure.
 */
int sg_fs_read_file(struct sg_buf *out, const char *path, size_t max,
    struct sg_error *err);

/*
 * Replace the file at `path` with `len` bytes at `data`, atomically: write
 * a temporary file in the same directory, fsync it, rename it over `path`.
 * A crash leaves either the old file or the new one, never a part.  The
 * file gets `mode` (e.g. 0644) less the umask.  SG_EIO on failure (the
 * temporary file is removed).
 */
int sg_fs_write_atomic(const char *path, const void *data, size_t len,
    unsigned mode, struct sg_error *err);

/* true when path exists and is a directory (following symlinks). */
bool sg_fs_is_dir(const char *path);

/* true when path exists (lstat). */
bool sg_fs_exists(const char *path);

#endif /* SG_SYS_FS_H */
