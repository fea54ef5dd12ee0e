/* SPDX-License-Identifier: MIT */
/*
 * fix.h - the built-in fixers of specgate: `specgate fix-whitespace`, a
 * command a stage's `fix:` list can name (docs/product.md §3: auto-fix
 * in sandbox runs the fix commands once, commits, retries the stage).
 *
 * The whitespace fixer removes blanks (spaces and tabs) at the end of each
 * line, before "\n" or "\r\n" (the "\r" is kept), and adds the missing
 * newline at the end of a non-empty file ("\r\n" when the file's first line
 * ends that way; a final lone "\r" gets its "\n").  Nothing else changes:
 * blank lines at the end, tabs inside lines, encodings are left as they
 * are.  A file holding a NUL byte
 * is binary (git's test) and is never touched; an empty file is clean.
 * Markdown's two-space hard line break is trailing blank too: it goes.
 *
 * Files are rewritten atomically (a temporary file renamed over the old
 * one, its permission bits kept), only when they change, so a file's
 * mtime moves only when its bytes do.  Symbolic links are never followed
 * or rewritten.
 */
#ifndef SPECGATE_FIX_H
#define SPECGATE_FIX_H

#include <stdbool.h>
#include <stddef.h>

#include "specgate/error.h"

/* The largest file the fixer reads (larger ones are SG_ETOOBIG). */
#define SG_FIX_MAX_FILE (64u << 20)

/*
 * Fix `len` bytes at `in` into `out` (OUT), which must have room for
 * len + 2 bytes (a "\r\n" may be added).  in and out may be the same
 * buffer.  Returns the new length.  The caller checks for binary content
 * first (sg_fix_is_binary()).
 */
size_t sg_fix_whitespace(char *out, const char *in, size_t len);

/* true when the bytes hold a NUL (git's heuristic for binary content). */
bool sg_fix_is_binary(const char *p, size_t len);

/* What sg_fix_whitespace_path() did to one file. */
enum sg_fix_result {
	SG_FIX_CLEAN = 0, /* nothing to fix */
	SG_FIX_FIXED,	  /* rewritten */
	SG_FIX_BINARY,	  /* left alone: binary */
	SG_FIX_SKIPPED,	  /* left alone: a symlink or not a regular file */
};

/* Called once per file looked at.  Borrowed path. */
typedef void (*sg_fix_cb)(const char *path, enum sg_fix_result result,
    void *payload);

/*
 * Fix the file `path`, or every regular file below the directory `path`
 * (symlinks are not followed; directories whose name starts with '.',
 * such as .git, are not entered).  cb (may be NULL) hears of every file
 * looked at, with its path as `path`/relative.  *nfixed (OUT, may be NULL)
 * gets the number of files rewritten.
 *
 * Errors: SG_ENOTFOUND for a path that does not exist, SG_ETOOBIG for a
 * file over SG_FIX_MAX_FILE, SG_EINVAL for one we may not read, SG_EIO
 * when reading or writing fails.  The first error stops the walk; files
 * fixed before it stay fixed.
 */
int sg_fix_whitespace_path(size_t *nfixed, const char *path, sg_fix_cb cb,
    void *payload, struct sg_error *err);

#endif /* SPECGATE_FIX_H */
