/* SPDX-License-Identifier: MIT */
/*
 * glob.c - sg_glob(), glob(3) for the gates' file lists.  A directory that
 * exists but cannot be read is an error rather than a silent gap: a gate
 * that quietly reads fewer result files than there are would pass what
 * it has not seen.  One that does not exist is no match (GLOB_ERR would
 * make that an error too, hence the callback).
 */
#include "sys/glob.h"

#include <errno.h>
#include <glob.h>

static int
glob_error(const char *path, int errnum)
{
	(void)path;
	return errnum != ENOENT && errnum != ENOTDIR;
}

int
sg_glob(char ***paths, size_t *n, const char *pattern, struct sg_error *err)
{
	glob_t g;
	int rc;
	int error = 0;

	memset(&g, 0, sizeof(g));
	rc = glob(pattern, 0, glob_error, &g);
	if (rc == GLOB_NOMATCH)
		goto out;
	if (rc) {
		error = sg_error_set(err, SG_EIO, "cannot expand '%s'%s",
		    pattern, rc == GLOB_ABORTED ? ": a directory cannot be read" :
						  "");
		goto out;
	}
	*paths = sg_xreallocarray(*paths, *n + g.gl_pathc, sizeof(**paths));
	for (size_t i = 0; i < g.gl_pathc; i++)
		(*paths)[(*n)++] = sg_xstrdup(g.gl_pathv[i]);
out:
	globfree(&g);
	return error;
}
