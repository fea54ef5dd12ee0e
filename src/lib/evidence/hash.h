/* SPDX-License-Identifier: MIT */
/*
 * hash.h - artifact hashing for every stage: the SHA-256 of many files
 * under one directory, streamed (a file is never held whole), on every CPU
 * the process may use when there are enough files to pay for threads.
 *
 * Symlinks are recorded as links, never followed: an item whose last
 * component is a symlink gets type SG_FS_SYMLINK, its target text and the
 * SHA-256 of that text.  No path is ever resolved outside the root
 * directory (sg_dir_open_file(): RESOLVE_BENEATH), so an artifact list
 * cannot make specgate read /etc/shadow through `build/out -> /etc`.
 *
 * Why files are split between threads by an atomic counter and not in
 * fixed slices: sizes vary (one 2 GB artifact among a thousand small ones),
 * and a worker that takes the next item when it is free keeps both CPUs
 * busy until the end.  Why a threshold: a thread costs about as much as
 * hashing a few dozen small files, so short lists stay on one thread
 * (docs/internals/evidence.md has the measurements).
 */
#ifndef SG_EVIDENCE_HASH_H
#define SG_EVIDENCE_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "sys/dir.h"
#include "util/util.h"

/* One file to hash: the caller sets path; sg_hash_files() the rest. */
struct sg_hash_item {
	const char *path;     /* IN: relative to the root, borrowed */
	enum sg_fs_type type; /* OUT: SG_FS_FILE or SG_FS_SYMLINK */
	uint64_t size;	      /* OUT: bytes hashed (a link: its target's) */
	char sha256[65];      /* OUT: lower-case hex */
	char *target;	      /* OUT: a link's target text (owned), or NULL */
};

/* The largest file sg_hash_files() hashes: far past any artifact. */
#define SG_HASH_MAX_FILE (UINT64_C(1) << 40)

#define SG_HASH_OPTIONS_VERSION 1

struct sg_hash_options {
	unsigned version; /* SG_HASH_OPTIONS_VERSION */
	unsigned threads; /* 0: as many as there are CPUs; 1: no thread */
	size_t min_per_thread; /* 0: the measured default */
};

#define SG_HASH_OPTIONS_INIT {SG_HASH_OPTIONS_VERSION, 0, 0}

/*
 * Hash the n items, whose paths are relative to root, filling in each
 * one's type, size, digest and link target.  opts may be NULL.  On failure
 * the error names the first failing item in list order (whatever thread
 * met it first), and the OUT fields are not to be used:
 *
 *	SG_ENOTFOUND	an item does not exist
 *	SG_EINVAL	an item that is neither a file nor a symlink, that
 *			leads out of root, that we may not read
 *	SG_ETOOBIG	an item over SG_HASH_MAX_FILE
 *	SG_EIO		a read failed
 *
 * Release the items' targets with sg_hash_items_release() either way.
 */
int sg_hash_files(struct sg_hash_item *items, size_t n,
    const struct sg_dir *root, const struct sg_hash_options *opts,
    struct sg_error *err);

/* Free the targets of n items (the items themselves are the caller's). */
void sg_hash_items_release(struct sg_hash_item *items, size_t n);

#endif /* SG_EVIDENCE_HASH_H */
