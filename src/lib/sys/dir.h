/* SPDX-License-Identifier: MIT */
/*
 * dir.h - directories: `mkdir -p`, and open directory handles through
 * which the evidence code creates, renames, links, lists, locks and syncs
 * the entries of a bundle (sys/ is the only module that calls POSIX file
 * functions; see fs.h for reading files).
 *
 * A struct sg_dir is an open directory (an O_DIRECTORY file descriptor)
 * and the path it was opened by, kept for messages only.  Every operation
 * on an entry is relative to the descriptor (mkdirat, openat, renameat2,
 * symlinkat, fstatat, unlinkat), so that a bundle directory renamed while
 * we hold it, or a path component swapped for a symlink, cannot send a
 * write somewhere else, and no path is resolved twice.
 *
 * Errors name the entry as "<dir path>/<name>", and carry strerror():
 * SG_ENOTFOUND when the entry (or a directory on the way) does not exist,
 * SG_EINVAL for what the caller should not have asked (named per function),
 * SG_EIO for everything the system refused: a full disk (ENOSPC), a
 * read-only file system (EROFS), a permission (EACCES), an I/O error.
 * Writes to the reports directory failing are system errors, exit 5, not
 * bad input.
 */
#ifndef SG_SYS_DIR_H
#define SG_SYS_DIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sys/fs.h"
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

/* An open directory.  Initialise with SG_DIR_INIT; close with sg_dir_close. */
struct sg_dir {
	int fd;	    /* O_DIRECTORY | O_CLOEXEC, or -1 */
	char *path; /* owned: how it was reached, for messages */
};

#define SG_DIR_INIT {-1, NULL}

enum sg_dir_open_flags {
	/* Refuse a symlink as the last component (SG_EINVAL). */
	SG_DIR_NOFOLLOW = (1 << 0),
};

/*
 * Open the directory `name` in parent (NULL: the working directory; name
 * may then be absolute).  out->path is "<parent path>/<name>", or name.
 * SG_ENOTFOUND when it does not exist, SG_EINVAL when it is not a
 * directory (or a symlink, with SG_DIR_NOFOLLOW), SG_EIO otherwise.  out is
 * SG_DIR_INIT on failure.
 */
int sg_dir_open(struct sg_dir *out, const struct sg_dir *parent,
    const char *name, unsigned flags, struct sg_error *err);

/* Close d (releasing its lock, if any) and reset it.  d may be NULL. */
void sg_dir_close(struct sg_dir *d);

/*
 * Create the directory `name` in d with `mode` (less the umask).  *created
 * (OUT, may be NULL) tells whether it was made now; an existing directory
 * is fine, an existing non-directory is SG_EINVAL.
 */
int sg_dir_make(bool *created, const struct sg_dir *d, const char *name,
    unsigned mode, struct sg_error *err);

/*
 * Create a new directory in d named `prefix` followed by 10 random
 * letters and digits, with `mode`.  *out (OUT) gets its name, malloc'd.
 */
int sg_dir_make_temp(char **out, const struct sg_dir *d, const char *prefix,
    unsigned mode, struct sg_error *err);

/* fsync(2) the directory itself: its entries are durable once it returns. */
int sg_dir_sync(const struct sg_dir *d, struct sg_error *err);

/*
 * Take an exclusive flock(2) on d, held until d is closed (or the process
 * dies: the kernel drops it, which is how a crashed owner is recognised).
 * With `wait`, block until it is free; without, *locked (OUT) is false when
 * another open file holds it.  Locks are per open directory, so two
 * handles on one directory exclude each other even in one process.
 */
int sg_dir_lock(bool *locked, const struct sg_dir *d, bool wait,
    struct sg_error *err);

/* One entry of a listing. */
struct sg_dirent {
	char *name;	      /* owned by the listing */
	enum sg_fs_type type; /* as lstat gives it */
};

/*
 * List the entries of the directory `name` in d (NULL: d itself), without
 * "." and "..", sorted bytewise by name.  *out (OUT) is an array of *n
 * entries freed with sg_dirent_free().  Hidden entries are included.
 */
int sg_dir_list(struct sg_dirent **out, size_t *n, const struct sg_dir *d,
    const char *name, struct sg_error *err);

/* Free a listing.  list may be NULL. */
void sg_dirent_free(struct sg_dirent *list, size_t n);

/*
 * Remove the entry `name` of d and, when it is a directory, everything
 * under it (depth-first, symlinks removed as links, never followed; at
 * most 16 levels deep, else SG_EINVAL).  An entry that does not exist is
 * fine.  Used for staging directories that will never be published.
 */
int sg_dir_remove_tree(const struct sg_dir *d, const char *name,
    struct sg_error *err);

/*
 * Create the new file `name` in d (O_EXCL: it must not exist; SG_EINVAL if
 * it does), write len bytes of data, fsync it and close it.  On failure the
 * partial file is removed.  mode is less the umask.
 */
int sg_dir_write_file(const struct sg_dir *d, const char *name,
    const void *data, size_t len, unsigned mode, struct sg_error *err);

enum sg_dir_rename_flags {
	/* Fail with SG_EINVAL instead of replacing an existing `to` entry. */
	SG_DIR_NOREPLACE = (1 << 0),
};

/*
 * Rename the entry `from_name` of `from` to `to_name` in `to`, atomically
 * (renameat2).  SG_ENOTFOUND when from_name does not exist (another
 * process moved it first); SG_EINVAL when to_name exists and
 * SG_DIR_NOREPLACE is given, or is a non-empty directory.
 */
int sg_dir_rename(const struct sg_dir *from, const char *from_name,
    const struct sg_dir *to, const char *to_name, unsigned flags,
    struct sg_error *err);

/* Create the symlink `name` in d pointing to `target` (text, unchecked). */
int sg_dir_symlink(const struct sg_dir *d, const char *name,
    const char *target, struct sg_error *err);

/*
 * Read the symlink `name` in d: *out (OUT, malloc'd) gets its target text.
 * SG_ENOTFOUND when there is no such entry; SG_EINVAL when it is not a
 * symlink or its target is longer than 4095 bytes.
 */
int sg_dir_readlink(char **out, const struct sg_dir *d, const char *name,
    struct sg_error *err);

/*
 * lstat(2) the entry `name` of d (a relative path, not followed at its
 * last component) into *out.  SG_ENOTFOUND (out->type SG_FS_NONE) when
 * it does not exist.
 */
int sg_dir_lstat(struct sg_fs_stat *out, const struct sg_dir *d,
    const char *name, struct sg_error *err);

/* Remove the file or symlink `name` of d.  A missing entry is fine. */
int sg_dir_unlink(const struct sg_dir *d, const char *name,
    struct sg_error *err);

/*
 * Open the regular file at the relative path `rel` under d for reading,
 * without ever leaving d: no absolute path, no "..", no symlink that
 * resolves outside d (openat2 RESOLVE_BENEATH; where the kernel lacks it,
 * no symlink in any component but the last), and the last component never
 * followed (O_NOFOLLOW).  On success *st (OUT) holds the type and size:
 *
 *	SG_FS_FILE	*out is the fd (close it with sg_fs_close())
 *	SG_FS_SYMLINK	the last component is a symlink; *out is -1 and
 *			nothing was opened (read it with sg_dir_readlink())
 *
 * Errors: SG_ENOTFOUND (ENOENT); SG_EINVAL for a path that leads out of d
 * (EXDEV, an absolute path), something that is neither a regular file nor
 * a symlink, EACCES; SG_EIO otherwise.  *out is -1 on failure.
 */
int sg_dir_open_file(int *out, struct sg_fs_stat *st, const struct sg_dir *d,
    const char *rel, struct sg_error *err);

#endif /* SG_SYS_DIR_H */
