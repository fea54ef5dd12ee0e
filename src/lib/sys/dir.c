/* SPDX-License-Identifier: MIT */
/*
 * dir.c - mkdir -p.
 *
 * Walks the path once from the left, creating what is missing.  EEXIST
 * from mkdir() is not trusted on its own (another process may have made a
 * file there): the component is stat()ed and must be a directory.  This is
 * also what makes two processes creating .specgate/ at the same time both
 * succeed.
 */
#include "sys/dir.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

static int
make_one(const char *path, unsigned mode, struct sg_error *err)
{
	struct stat st;
	int e;

	if (mkdir(path, (mode_t)mode) == 0)
		return 0;
	e = errno;
	if (e != EEXIST)
		return sg_error_set_errno(err, SG_EIO, e,
		    "cannot create directory '%s'", path);
	if (stat(path, &st) < 0)
		return sg_error_set_errno(err, SG_EIO, errno,
		    "cannot create directory '%s'", path);
	if (!S_ISDIR(st.st_mode))
		return sg_error_set(err, SG_EINVAL,
		    "cannot create directory '%s': a file is in the way", path);
	return 0;
}

int
sg_dir_make_all(const char *path, unsigned mode, struct sg_error *err)
{
	char *p;
	size_t i;
	int error = 0;

	if (!*path)
		return sg_error_set(err, SG_EINVAL, "empty directory name");
	p = sg_xstrdup(path);
	for (i = 1; p[i]; i++) {
		if (p[i] != '/' || p[i - 1] == '/')
			continue;
		p[i] = '\0';
		error = make_one(p, mode, err);
		p[i] = '/';
		if (error)
			goto out;
	}
	error = make_one(p, mode, err);
out:
	free(p);
	return error;
}
