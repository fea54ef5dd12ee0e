/* SPDX-License-Identifier: MIT */
/*
 * map.c - read-only file mappings (mmap(2)) and realpath(3).  A mapping is
 * private and read-only; a file truncated under us would fault, which is
 * why only the SBOM's ELF reader, reading build artifacts that the build
 * just wrote, uses it, and hashing goes through sg_sha256_fd().
 */
#include "sys/map.h"

#include <errno.h>
#include <limits.h>
#include <sys/mman.h>

#include "sys/fs.h"

int
sg_map_file(struct sg_map *out, const char *path, uint64_t max,
    struct sg_error *err)
{
	uint64_t size;
	void *p;
	int fd, error;

	out->data = NULL;
	out->len = 0;
	if ((error = sg_fs_open_read(&fd, path, 0, &size, err)) < 0)
		return error;
	if (size > max) {
		error = sg_error_set(err, SG_ETOOBIG, "'%s' is too large "
		    "(%llu bytes; the limit is %llu)", path,
		    (unsigned long long)size, (unsigned long long)max);
		goto out;
	}
	if (!size || size > SIZE_MAX)
		goto out;
	p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		error = sg_error_set_errno(err, SG_EIO, errno,
		    "cannot map '%s'", path);
		goto out;
	}
	out->data = p;
	out->len = (size_t)size;
out:
	sg_fs_close(fd);
	return error;
}

void
sg_map_release(struct sg_map *m)
{
	if (!m || !m->data)
		return;
	munmap((void *)m->data, m->len);
	m->data = NULL;
	m->len = 0;
}

void
sg_fs_realpath(char **out, const char *path)
{
	*out = realpath(path, NULL);
}
