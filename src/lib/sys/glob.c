/* SPDX-License-Identifier: MIT */
/*
 * glob.c - glob(3) under a root directory.  The root is prefixed to the
 * pattern with its glob metacharacters escaped, so a project living in
 * "/home/a[1]" still matches literally, and the prefix is cut from every
 * result.  GLOB_NOSORT is not used: glob sorts with strcoll, which we
 * replace by a bytewise sort so the order does not depend on the locale.
 */
#include "sys/glob.h"

#include <errno.h>
#include <glob.h>

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory that does not exist matches nothing; others stop the glob. */
static int
glob_failed(const char *path, int e)
{
	(void)path;
	return e != ENOENT && e != ENOTDIR;
}

static bool
has_dotdot(const char *p)
{
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
		p += n;
		while (*p == '/')
			p++;
	}
	return false;
}

int
sg_glob(char ***out, size_t *n, const char *root, const char *pattern,
    size_t max, struct sg_error *err)
{
	struct sg_buf pat;
	glob_t g;
	char **v = NULL;
	int rc, error = 0;

	*out = NULL;
	*n = 0;
	if (!*pattern || pattern[0] == '/' || has_dotdot(pattern))
		return sg_error_set(err, SG_EINVAL, "artifact pattern '%s' "
		    "must be relative to the project root, without '..'",
		    pattern);
	sg_buf_init(&pat, 0);
	for (const char *r = root; *r; r++) {
		if (strchr("*?[]\\", *r))
			sg_buf_putc(&pat, '\\');
		sg_buf_putc(&pat, *r);
	}
	if (pat.len && pat.ptr[pat.len - 1] != '/')
		sg_buf_putc(&pat, '/');
	sg_buf_puts(&pat, pattern);
	memset(&g, 0, sizeof(g));
	rc = glob(pat.ptr, 0, glob_failed, &g);
	if (rc == GLOB_NOMATCH)
		goto out;
	if (rc != 0) {
		error = sg_error_set(err, rc == GLOB_NOSPACE ? SG_ETOOBIG :
		    SG_EIO, "cannot expand artifact pattern '%s'", pattern);
		goto out;
	}
	if (g.gl_pathc > max) {
		error = sg_error_set(err, SG_ETOOBIG, "artifact pattern '%s' "
		    "matches more than %zu files", pattern, max);
		goto out;
	}
	v = sg_xcalloc(g.gl_pathc + 1, sizeof(*v));
	for (size_t i = 0; i < g.gl_pathc; i++) {
		/* the escaped prefix is shorter or equal; cut the real one */
		const char *p = g.gl_pathv[i];
		size_t rl = strlen(root);

		if (rl && !strncmp(p, root, rl)) {
			p += rl;
			while (*p == '/')
				p++;
		}
		v[i] = sg_xstrdup(p);
	}
	*n = g.gl_pathc;
	qsort(v, *n, sizeof(*v), cmp_str);
	*out = v;
out:
	if (rc == 0 || rc == GLOB_NOMATCH)
		globfree(&g);
	sg_buf_release(&pat);
	return error;
}

void
sg_glob_free(char **paths, size_t n)
{
	for (size_t i = 0; paths && i < n; i++)
		free(paths[i]);
	free(paths);
}

static int
glob_unreadable(const char *path, int errnum)
{
	(void)path;
	return errnum != ENOENT && errnum != ENOTDIR;
}

int
sg_glob_append(char ***paths, size_t *n, const char *pattern,
    struct sg_error *err)
{
	glob_t g;
	int rc;
	int error = 0;

	memset(&g, 0, sizeof(g));
	rc = glob(pattern, 0, glob_unreadable, &g);
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
