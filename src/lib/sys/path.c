/* SPDX-License-Identifier: MIT */
/*
 * path.c - getcwd() and realpath() behind the library's error convention.
 *
 * getcwd() is called with a growing buffer rather than glibc's
 * getcwd(NULL, 0) extension, so the code stays POSIX; the walk stops at
 * 64 KiB, far past PATH_MAX, which a working directory cannot exceed
 * anyway.
 */
#include "sys/path.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

int
sg_path_getcwd(char **out, struct sg_error *err)
{
	char *buf = NULL;
	size_t size;
	int error = 0;

	for (size = 256; size <= 65536; size *= 2) {
		buf = sg_xrealloc(buf, size);
		if (getcwd(buf, size)) {
			*out = buf;
			return 0;
		}
		if (errno != ERANGE)
			break;
	}
	error = sg_error_set_errno(err, SG_EIO, errno,
	    "cannot determine the working directory");
	free(buf);
	return error;
}

int
sg_path_realpath(char **out, const char *path, struct sg_error *err)
{
	char *p;
	int e;

	p = realpath(path, NULL);
	if (!p) {
		e = errno;
		return sg_error_set_errno(err,
		    e == ENOENT || e == ENOTDIR ? SG_ENOTFOUND : SG_EIO, e,
		    "cannot resolve '%s'", path);
	}
	*out = p;
	return 0;
}
