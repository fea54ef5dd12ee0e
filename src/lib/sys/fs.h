/* SPDX-License-Identifier: MIT */
/*
 * fs.h - the file-system wrappers of the library (the only module that
 * calls POSIX file functions directly, with sys/walk.c).  Each retries on
 * EINTR, opens with O_CLOEXEC and reports failures through struct sg_error
 * naming the path, except sg_fs_read(), the hot loop of the hashers, which
 * returns -1 with errno like read(2) and lets the caller name the file.
 */
#ifndef SG_SYS_FS_H
#define SG_SYS_FS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/util.h"

/*
 * Read the whole regular file at `path` into `out` (appended).  Fails with
 * SG_ETOOBIG when it holds more than `max` bytes, SG_ENOTFOUND when it does
 * not exist, SG_EINVAL when it is not a regular file (a directory, a FIFO),
 * SG_EIO on any other error.  `out` is left as it was on failure.
 */
int sg_fs_read_file(struct sg_buf *out, const char *path, size_t max,
    struct sg_error *err);

/* What a path names.  SG_FS_NONE: nothing (a dangling symlink's target). */
enum sg_fs_type {
	SG_FS_NONE = 0,
	SG_FS_FILE,    /* a regular file */
	SG_FS_DIR,     /* a directory */
	SG_FS_SYMLINK, /* a symbolic link (only when not following) */
	SG_FS_OTHER,   /* a FIFO, socket or device */
};

struct sg_fs_stat {
	enum sg_fs_type type;
	uint64_t size; /* bytes, for regular files; 0 otherwise */
};

/*
 * stat(2) `path`, following symlinks, into *out.  Errors name the path:
 * SG_ENOTFOUND "'p' does not exist" (ENOENT, ENOTDIR), SG_EINVAL for a
 * symlink loop (ELOOP) or a path we may not search (EACCES), SG_EIO
 * otherwise.
 */
int sg_fs_stat(struct sg_fs_stat *out, const char *path, struct sg_error *err);

/* Like sg_fs_stat(), without following a final symlink (lstat(2)). */
int sg_fs_lstat(struct sg_fs_stat *out, const char *path,
    struct sg_error *err);

/*
 * 0 when the effective user may read `path` (faccessat with AT_EACCESS, so
 * ACLs and root's override count), else SG_EINVAL "cannot read 'p': ...",
 * or SG_EIO when the check itself failed.
 */
int sg_fs_check_readable(const char *path, struct sg_error *err);

enum sg_fs_open_flags {
	SG_FS_NOFOLLOW = (1 << 0), /* fail if the last component is a symlink */
};

/*
 * Open the regular file `path` for reading: O_RDONLY, O_CLOEXEC, O_NOCTTY
 * and O_NONBLOCK (so that a FIFO swapped in since the walk cannot block us;
 * it is then refused by the fstat check).  *out gets the fd, which the
 * caller closes with sg_fs_close(); *size_out (may be NULL) its size.
 * Errors: SG_ENOTFOUND (ENOENT), SG_EINVAL (EACCES, a symlink with
 * SG_FS_NOFOLLOW, not a regular file), SG_EIO.  *out is -1 on failure.
 */
int sg_fs_open_read(int *out, const char *path, unsigned flags,
    uint64_t *size_out, struct sg_error *err);

/*
 * read(2) retried on EINTR: the number of bytes read (0 at end of file), or
 * -1 with errno set.
 */
ssize_t sg_fs_read(int fd, void *buf, size_t n);

/* close(2) that keeps errno (for cleanup paths); fd < 0 is a no-op. */
void sg_fs_close(int fd);

/* The sg_fs_type of a st_mode (shared with sys/walk.c). */
enum sg_fs_type sg_fs__type(mode_t mode);

/*
 * For sys/ itself: the error for errno e from stat(2) or open(2) of path.
 * ENOENT and ENOTDIR: SG_ENOTFOUND "'path' does not exist"; EACCES:
 * SG_EINVAL; else SG_EIO; both "cannot <what> 'path'" with strerror(e).
 */
int sg_fs__errno(struct sg_error *err, int e, const char *what,
    const char *path);

/* For sys/ itself: write(2) all of [p, p + len), again after EINTR. */
int sg_fs__write_all(int fd, const char *p, size_t len);
/*
 * Replace the file at `path` with `len` bytes at `data`, atomically: write
 * a temporary file in the same directory, fsync it, rename it over `path`.
 * A crash leaves either the old file or the new one, never a part.  The
 * file gets `mode` (e.g. 0644) less the umask.  SG_EIO on failure (the
 * temporary file is removed).
 */
int sg_fs_write_atomic(const char *path, const void *data, size_t len,
    unsigned mode, struct sg_error *err);

/*
 * Read the rest of the open file `fd` into `out` (appended), at most `max`
 * bytes, else SG_ETOOBIG naming `path`.  `size` is what fstat said (from
 * sg_fs_open_read()); the read asks for one byte more, so a file that did
 * not change is read in one system call.  `out` is left as it was on
 * failure.  The caller closes fd.
 */
int sg_fs_read_fd(struct sg_buf *out, int fd, const char *path, uint64_t size,
    size_t max, struct sg_error *err);

/* true when path exists and is a directory (following symlinks). */
bool sg_fs_is_dir(const char *path);

/* true when path exists (lstat). */
bool sg_fs_exists(const char *path);

/*
 * Like sg_fs_write_atomic(), but the file is never replaced unless
 * `replace` is true: the temporary file (created 0600, so that a secret is
 * never readable by others, not even for a moment) is link(2)ed to `path`,
 * which fails when `path` exists.  The file ends with `mode` exactly (the
 * umask is not applied: a key file must be 0600).  An existing `path`
 * without `replace` is SG_EINVAL "'p' already exists"; SG_EIO otherwise.
 */
int sg_fs_write_new(const char *path, const void *data, size_t len,
    unsigned mode, bool replace, struct sg_error *err);

/*
 * The permission bits (st_mode & 07777) of `path`, following symlinks, in
 * *out.  Errors as sg_fs_stat().
 */
int sg_fs_perm(unsigned *out, const char *path, struct sg_error *err);

#endif /* SG_SYS_FS_H */
