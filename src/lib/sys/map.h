/* SPDX-License-Identifier: MIT */
/*
 * map.h - a regular file mapped read-only into memory, for the readers
 * that look at parts of large files (ELF headers of a 2 GB artifact)
 * without copying them, and the canonical path of a file.
 */
#ifndef SG_SYS_MAP_H
#define SG_SYS_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

struct sg_map {
	const unsigned char *data; /* NULL for an empty file */
	size_t len;
};

#define SG_MAP_INIT {NULL, 0}

/*
 * Map the regular file `path` (following symlinks) read-only.  More than
 * `max` bytes is SG_ETOOBIG; errors otherwise as sg_fs_open_read().
 */
int sg_map_file(struct sg_map *out, const char *path, uint64_t max,
    struct sg_error *err);

/* Unmap m and reset it.  m may be NULL or SG_MAP_INIT. */
void sg_map_release(struct sg_map *m);

/*
 * The canonical absolute path of `path` (realpath(3)): *out (OUT,
 * malloc'd), or NULL when it does not resolve.
 */
void sg_fs_realpath(char **out, const char *path);

#endif /* SG_SYS_MAP_H */
