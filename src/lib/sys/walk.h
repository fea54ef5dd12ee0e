/* SPDX-License-Identifier: MIT */
/*
 * walk.h - a directory walker that never follows symlinks.
 *
 * sg_walk() visits every entry below a root directory, depth first, in the
 * order readdir(3) returns them (callers that need an order sort what they
 * collect), and calls a function for each with its path and its type
 * (regular file, directory, symlink, other) as lstat would give it.
 * Directories are visited before their contents; the callback may skip
 * one.  The root itself is not reported.  Symlinks are reported, never
 * followed: a symlink to a directory is a leaf.  The root may be a symlink
 * to a directory (the caller named it, as with `cd root && find .`).
 *
 * Limits: at most `max_depth` levels below the root (an entry's depth is
 * the number of components of its relative path); finding a directory at
 * depth max_depth that would have to be entered is an error, not a silent
 * cut.  Paths are at most SG_WALK_PATH_MAX - 1 bytes.  The walk keeps one
 * open directory per level, so max_depth + 1 file descriptors at most.
 *
 * Errors stop the walk and name the path: SG_ENOTFOUND for a root that
 * does not exist; SG_EINVAL for a root that is not a directory, a directory
 * we may not open (EACCES), a symlink loop, a tree too deep or a path too
 * long; SG_EIO for anything else the system reports.  See
 * docs/internals/walk.md.
 */
#ifndef SG_SYS_WALK_H
#define SG_SYS_WALK_H

#include <stddef.h>

#include "sys/fs.h"
#include "util/util.h"

#define SG_WALK_MAX_DEPTH 256  /* the default cap on levels below the root */
#define SG_WALK_PATH_MAX 4096 /* bytes of a path, NUL included (PATH_MAX) */

/*
 * One entry, borrowed: the strings are valid only until the callback
 * returns.
 */
struct sg_walk_entry {
	const char *path;     /* root/rel: to open, from the cwd or absolute */
	const char *rel;      /* relative to the root, no "./": "a/b.feature" */
	const char *name;     /* the last component of rel */
	size_t path_len;      /* strlen(path) */
	size_t rel_len;	      /* strlen(rel) */
	enum sg_fs_type type; /* as lstat gives it; never SG_FS_NONE */
	unsigned depth;	      /* components in rel: 1 for the root's entries */
	int dirfd;	      /* private: the open parent, for sg_walk_*() */
};

/* What a callback returns, besides a negative SG_E* code to stop. */
enum sg_walk_action {
	SG_WALK_CONTINUE = 0, /* go on (entering e if it is a directory) */
	SG_WALK_SKIP = 1,     /* do not enter this directory */
};

/*
 * Called for each entry.  Returns an sg_walk_action, or a negative SG_E*
 * code (with the detail in the caller's err) to stop the walk; sg_walk()
 * then returns that code unchanged.
 */
typedef int (*sg_walk_fn)(const struct sg_walk_entry *e, void *payload);

/*
 * Walk the tree under the directory `root` (a path relative to the cwd or
 * absolute; "." gives paths without a "./" prefix), at most max_depth
 * levels deep (0: SG_WALK_MAX_DEPTH), calling fn for every entry.  Returns
 * 0 when the whole tree was visited, or the first error (see above).
 */
int sg_walk(const char *root, unsigned max_depth, sg_walk_fn fn,
    void *payload, struct sg_error *err);

/*
 * Queries on an entry, only valid inside the callback that received it
 * (they use the open parent directory, so no path is resolved again).
 */

/*
 * lstat the entry: its type and, for a regular file, its size.  SG_EIO (or
 * SG_EINVAL for EACCES, SG_ENOTFOUND if it vanished) naming the path.
 */
int sg_walk_lstat(struct sg_fs_stat *out, const struct sg_walk_entry *e,
    struct sg_error *err);

/*
 * For a symlink: the type of what it finally points to (stat(2), every
 * link followed).  A target that does not exist or that we may not reach
 * gives SG_FS_NONE and 0.  A loop (ELOOP) is SG_EINVAL "'path' is a
 * symlink loop"; other failures SG_EIO.
 */
int sg_walk_link_target(enum sg_fs_type *out, const struct sg_walk_entry *e,
    struct sg_error *err);

/*
 * 0 when the effective user may read the entry, else SG_EINVAL "cannot
 * read 'path': Permission denied" (SG_EIO if the check itself failed).
 */
int sg_walk_check_readable(const struct sg_walk_entry *e,
    struct sg_error *err);

#endif /* SG_SYS_WALK_H */
