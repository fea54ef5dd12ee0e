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

/* Length of the next component at p (p does not start with '/'). */
static size_t
comp_len(const char *p)
{
	const char *slash = strchr(p, '/');

	return slash ? (size_t)(slash - p) : strlen(p);
}

static const char *
skip_slashes(const char *p)
{
	while (*p == '/')
		p++;
	return p;
}

void
sg_path_relative(char **out, const char *base, const char *target)
{
	struct sg_buf b;
	const char *bp = skip_slashes(base);
	const char *tp = skip_slashes(target);

	sg_buf_init(&b, 0);
	/* drop the common leading components */
	while (*bp && *tp) {
		size_t bl = comp_len(bp);
		size_t tl = comp_len(tp);

		if (bl != tl || memcmp(bp, tp, bl))
			break;
		bp = skip_slashes(bp + bl);
		tp = skip_slashes(tp + tl);
	}
	/* one ".." per component left in base, then what is left of target */
	while (*bp) {
		sg_buf_puts(&b, b.len ? "/.." : "..");
		bp = skip_slashes(bp + comp_len(bp));
	}
	if (*tp) {
		if (b.len)
			sg_buf_putc(&b, '/');
		sg_buf_puts(&b, tp);
		while (b.len > 1 && b.ptr[b.len - 1] == '/')
			sg_buf_truncate(&b, b.len - 1);
	}
	if (!b.len)
		sg_buf_putc(&b, '.');
	*out = sg_buf_detach(&b, NULL);
}
