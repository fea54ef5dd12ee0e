/* SPDX-License-Identifier: MIT */
/*
 * specset.h - the spec files of a project, and its feature id.
 *
 * sg_specset_collect() finds the *.feature files under the features
 * directories (or takes single files), checks that each can be read, and
 * returns them sorted bytewise by the name they carry in the feature id.
 * sg_specset_feature_id() then computes the id exactly as this does, run
 * in the features directory (docs/product.md §4.3):
 *
 *	find . -name '*.feature' -type f | sed 's|^\./||' | LC_ALL=C sort |
 *	    xargs -d '\n' sha256sum | sha256sum | cut -c1-12
 *
 * Names.  With exactly one directory, a file's name is its path relative
 * to that directory ("login/sso.feature").  With several paths, or with
 * files among them, names are relative to the project root, as `find`
 * prints them when run from the root over those paths
 * ("features/login/sso.feature").  A single file given alone is named the
 * same way: its path relative to the root.  A path is made relative to the
 * root lexically ("./features//" is "features"; ".." is kept, as find
 * would print it); an absolute path under an absolute root is made
 * relative, one outside the root keeps its absolute form.  Two paths that
 * yield the same name (`features features/a.feature`) count it once.
 *
 * What is collected, as `find -type f -name '*.feature'` would: regular
 * files whose name ends in ".feature" (".feature" alone included), in
 * every directory, hidden ones included.  Symlinks found in the tree are
 * never followed and never collected; one whose name ends in ".feature" or
 * that points to a directory gives a warning saying it is ignored, one
 * that loops is an error.  The paths the caller names are followed when
 * they are symlinks (as `cd features` would).  See docs/feature-id.md.
 *
 * Ownership: sg_specset_collect() hands over a new set that the caller
 * frees with sg_specset_free(); every string and array in it belongs to
 * the set.  The set is plain read-only data for everybody else, and is
 * safe to read from several threads once sg_specset_hash() has returned.
 */
#ifndef SPECGATE_SPECSET_H
#define SPECGATE_SPECSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "specgate/error.h"
#include "specgate/ids.h"

#define SG_SPECSET_MAX_FILES 100000	       /* .feature files per set */
#define SG_SPECSET_MAX_FILE_SIZE (64ull << 20) /* bytes per file: 64 MiB */
#define SG_SPECSET_MAX_DEPTH 256	       /* levels below a path */

struct sg_specfile {
	const char *path; /* to open: relative to the cwd, or absolute */
	const char *name; /* in the feature id (see above) */
	uint64_t size;	  /* bytes, when collected */
	bool named;	  /* given by the caller (followed if a symlink) */
	char sha256[65];  /* lower-case hex; "" until sg_specset_hash() */
};

struct sg_specset {
	struct sg_specfile *files; /* sorted bytewise by name, names unique */
	size_t nfiles;		   /* at least 1 */
	/* "ignoring symlink 'features/x.feature' (...)", sorted */
	const char **warnings;
	size_t nwarnings;
	bool hashed; /* every files[i].sha256 is filled in */
};

/*
 * Collect the spec files under `paths` (npaths >= 1): directories, searched
 * recursively, or single .feature files.  Relative paths are relative to
 * `root`, the project root (itself relative to the cwd, or absolute; "."
 * for the cwd).  On success *out is a new set (free it with
 * sg_specset_free()); on failure *out is NULL and err says why:
 *
 *	SG_ENOTFOUND	a path does not exist
 *	SG_EINVAL	no .feature file at all ("no .feature files under
 *			'features'"), a named file that is not a .feature
 *			file, a file or directory we may not read, a symlink
 *			loop, a tree deeper than SG_SPECSET_MAX_DEPTH, a path
 *			longer than 4095 bytes, npaths == 0 or an empty path
 *	SG_ETOOBIG	more than SG_SPECSET_MAX_FILES files, or a file over
 *			SG_SPECSET_MAX_FILE_SIZE (the message names it)
 *	SG_EIO		the system failed us (the message names the path)
 *
 * Readability is checked here, for the effective user, so that a command
 * fails before it starts parsing or hashing, unless `flags` has
 * SG_SPECSET_DEFER_CHECKS (then files[i].size is 0).  The files are not
 * read.
 */
enum sg_specset_flags {
	/*
	 * Skip the per-file size and readability checks of the walk: the
	 * caller opens and reads each file at once (sg_validate() does) and
	 * reports the same errors then, for two system calls less per file.
	 */
	SG_SPECSET_DEFER_CHECKS = (1 << 0),
};

int sg_specset_collect(struct sg_specset **out, const char *root,
    const char *const *paths, size_t npaths, unsigned flags,
    struct sg_error *err);

/*
 * Read every file of the set and fill in files[i].sha256 (streaming, in
 * 1 MiB chunks), then set->hashed.  Errors name the file: SG_ENOTFOUND (it
 * vanished since it was collected), SG_EINVAL (it became unreadable, or
 * not a regular file), SG_ETOOBIG (it grew over the cap), SG_EIO.  On
 * failure set->hashed stays false and the digests are not to be used.
 * Calling it again on a hashed set reads the files again.
 */
int sg_specset_hash(struct sg_specset *set, struct sg_error *err);

/*
 * The feature id of the set: out gets SG_FEATURE_ID_LEN lower-case hex
 * digits and a NUL (OUT: 13 bytes).  Uses the digests of a hashed set,
 * else reads and hashes the files itself (without storing their digests;
 * call sg_specset_hash() first to have both).  Errors as for
 * sg_specset_hash(); out is "" on failure.
 */
int sg_specset_feature_id(char out[SG_FEATURE_ID_LEN + 1],
    const struct sg_specset *set, struct sg_error *err);

/* Free the set and everything in it.  set may be NULL. */
void sg_specset_free(struct sg_specset *set);

#endif /* SPECGATE_SPECSET_H */
