/* SPDX-License-Identifier: MIT */
/*
 * tmpdir.h - scratch directories for unit tests: sg_test_tmpdir() makes a
 * fresh one under $TMPDIR (or /tmp), sg_test_rmtree() removes it and
 * everything in it.  Header-only (static inline), so that each test
 * program includes what it uses and nothing needs linking.
 */
#ifndef SG_TEST_TMPDIR_H
#define SG_TEST_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline int
sg_test__rm_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* A new empty directory; the caller frees the name (and removes it). */
static inline char *
sg_test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *dir;
	size_t n;

	if (!base || !*base)
		base = "/tmp";
	n = strlen(base) + sizeof("/specgate-unit.XXXXXX");
	dir = malloc(n);
	if (!dir)
		abort();
	snprintf(dir, n, "%s/specgate-unit.XXXXXX", base);
	if (!mkdtemp(dir))
		abort();
	return dir;
}

/* Remove dir and everything under it, without following symlinks. */
static inline void
sg_test_rmtree(const char *dir)
{
	if (dir)
		nftw(dir, sg_test__rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

#endif /* SG_TEST_TMPDIR_H */
