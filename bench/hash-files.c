/* SPDX-License-Identifier: MIT */
/*
 * hash-files.c - the benchmark driver of bench/hash.sh: the library's
 * artifact hasher (src/lib/evidence/hash.c) as a command, printing what
 * sha256sum prints, so that both can be timed on the same files and their
 * outputs compared.
 *
 *	hash-files [-j THREADS [-m MIN]] DIR FILE...	hash DIR/FILE...
 *	hash-files [-j THREADS [-m MIN]] DIR -	names from stdin
 *
 * FILEs are relative to DIR (the hasher never leaves its root).  Prints
 * "<sha256>  <FILE>" per file in the order given (symlinks: the digest of
 * their target text, then " -> target"), exits 0, or 2 with the error.
 * -j 1 keeps to one thread; the default is the library's own choice.
 * -m sets the fewest files per thread (the threshold below which fewer
 * threads are used; 1 to measure where it should be).
 * Not installed, and not part of specgate: the bench links libspecgate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/hash.h"

static char **
read_names(size_t *n)
{
	char **v = NULL;
	char *line = NULL;
	size_t cap = 0;
	size_t len = 0;
	size_t size = 0;
	ssize_t got;

	while ((got = getline(&line, &size, stdin)) > 0) {
		if (line[got - 1] == '\n')
			line[got - 1] = '\0';
		if (len == cap) {
			cap = cap ? cap * 2 : 1024;
			v = sg_xreallocarray(v, cap, sizeof(*v));
		}
		v[len++] = sg_xstrdup(line);
	}
	free(line);
	*n = len;
	return v;
}

int
main(int argc, char **argv)
{
	struct sg_hash_options opts = SG_HASH_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_dir root = SG_DIR_INIT;
	struct sg_hash_item *items;
	char **names;
	size_t n;
	int a = 1;
	int rc = 0;

	if (argc > a + 1 && !strcmp(argv[a], "-j")) {
		opts.threads = (unsigned)strtoul(argv[a + 1], NULL, 10);
		a += 2;
	}
	if (argc > a + 1 && !strcmp(argv[a], "-m")) {
		opts.min_per_thread = strtoul(argv[a + 1], NULL, 10);
		a += 2;
	}
	if (argc - a < 2) {
		fprintf(stderr, "usage: hash-files [-j N] DIR FILE... | -\n");
		return 2;
	}
	if (sg_dir_open(&root, NULL, argv[a], 0, &err) < 0) {
		fprintf(stderr, "hash-files: %s\n", err.message);
		return 2;
	}
	if (!strcmp(argv[a + 1], "-")) {
		names = read_names(&n);
	} else {
		n = (size_t)(argc - a - 1);
		names = argv + a + 1;
	}
	items = sg_xcalloc(n ? n : 1, sizeof(*items));
	for (size_t i = 0; i < n; i++)
		items[i].path = names[i];
	if (sg_hash_files(items, n, &root, &opts, &err) < 0) {
		fprintf(stderr, "hash-files: %s\n", err.message);
		rc = 2;
	} else {
		for (size_t i = 0; i < n; i++) {
			if (items[i].target)
				printf("%s  %s -> %s\n", items[i].sha256,
				    items[i].path, items[i].target);
			else
				printf("%s  %s\n", items[i].sha256,
				    items[i].path);
		}
	}
	sg_hash_items_release(items, n);
	free(items);
	if (names != argv + a + 1) {
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
	}
	sg_dir_close(&root);
	sg_error_release(&err);
	if (fflush(stdout) != 0)
		return 2;
	return rc;
}
