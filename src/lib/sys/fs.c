/* SPDX-License-Identifier: MIT */
/*
 * fs.c - whole-file reads with a hard cap, and small predicates.
 *
 * The cap is checked against fstat() before reading and again while reading
 * (a file may grow under us, and /proc-like files lie about their size), so
 * a 50 MB line or a 2 GB binary is refused with SG_ETOOBIG instead of being
 * slurped.
 *
 * The streaming side (sg_fs_open_read, sg_fs_read, sg_fs_close) is for the
 * hashers in sign/, which read files in large chunks and never hold one
 * whole: they get an fd checked to be a regular file and a read that
 * retries on EINTR.  errno -> code mapping, everywhere in this file:
 * ENOENT/ENOTDIR are SG_ENOTFOUND, EACCES/EPERM/ELOOP (and "not a regular
 * file") are bad input, SG_EINVAL, the rest is SG_EIO.
 */
#include "sys/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* umask(2) can only be read by setting it; put it back at once. */
static mode_t
current_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

int
sg_fs_read_fd(struct sg_buf *out, int fd, const char *path, uint64_t size,
    size_t max, struct sg_error *err)
{
	size_t start = out->len;
	size_t want;
	ssize_t n;
	int error = 0;

	if (size > max)
		return sg_error_set(err, SG_ETOOBIG,
		    "'%s' is too large (%llu bytes; the limit is %zu)", path,
		    (unsigned long long)size, max);
	/*
	 * Ask for one byte more than the file holds: a short read is then the
	 * end of the file, and the usual second read(2) that returns 0 is
	 * saved (one system call per file on the 10,000-file benchmark).
	 */
	want = (size_t)size + 1;
	for (;;) {
		if (out->len - start > max) {
			error = sg_error_set(err, SG_ETOOBIG,
			    "'%s' is too large (the limit is %zu bytes)", path,
			    max);
			goto out;
		}
		if (want > max + 1 - (out->len - start))
			want = max + 1 - (out->len - start);
		if (sg_buf_grow(out, want) < 0) {
			error = sg_error_set(err, SG_ETOOBIG,
			    "'%s' is too large", path);
			goto out;
		}
		n = read(fd, out->ptr + out->len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error = sg_error_set_errno(err,
			    errno == EISDIR ? SG_EINVAL : SG_EIO, errno,
			    "cannot read '%s'", path);
			goto out;
		}
		out->len += (size_t)n;
		if ((size_t)n < want)
			break;
		want = 65536;
	}
	if (out->len - start > max)
		error = sg_error_set(err, SG_ETOOBIG,
		    "'%s' is too large (the limit is %zu bytes)", path, max);
out:
	if (error)
		sg_buf_truncate(out, start);
	else
		out->ptr[out->len] = '\0';
	return error;
}

int
sg_fs_read_file(struct sg_buf *out, const char *path, size_t max,
    struct sg_error *err)
{
	uint64_t size;
	int fd;
	int error;

	if ((error = sg_fs_open_read(&fd, path, 0, &size, err)) < 0)
		return error;
	error = sg_fs_read_fd(out, fd, path, size, max, err);
	sg_fs_close(fd);
	return error;
}

int
sg_fs__errno(struct sg_error *err, int e, const char *what,
    const char *path)
{
	if (e == ENOENT || e == ENOTDIR)
		return sg_error_set(err, SG_ENOTFOUND, "'%s' does not exist",
		    path);
	return sg_error_set_errno(err, e == EACCES ? SG_EINVAL : SG_EIO, e,
	    "cannot %s '%s'", what, path);
}

int
sg_fs__write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
sg_fs_write_atomic(const char *path, const void *data, size_t len,
    unsigned mode, struct sg_error *err)
{
	char *tmp;
	int fd;
	int e;
	int error = 0;

	tmp = sg_xasprintf("%s.tmp.XXXXXX", path);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		error = sg_error_set_errno(err, SG_EIO, errno,
		    "cannot create '%s'", tmp);
		goto out;
	}
	if (fchmod(fd, (mode_t)(mode & ~current_umask())) < 0 ||
	    sg_fs__write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		error = sg_error_set_errno(err, SG_EIO, e, "cannot write '%s'",
		    path);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		error = sg_error_set_errno(err, SG_EIO, e, "cannot write '%s'",
		    path);
		goto out;
	}
out:
	free(tmp);
	return error;
}

bool
sg_fs_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool
sg_fs_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static enum sg_fs_type
type_of(mode_t mode)
{
	if (S_ISREG(mode))
		return SG_FS_FILE;
	if (S_ISDIR(mode))
		return SG_FS_DIR;
	if (S_ISLNK(mode))
		return SG_FS_SYMLINK;
	return SG_FS_OTHER;
}

enum sg_fs_type
sg_fs__type(mode_t mode)
{
	return type_of(mode);
}

static int
stat_path(struct sg_fs_stat *out, const char *path, bool follow,
    struct sg_error *err)
{
	struct stat st;
	int e;

	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0) {
		e = errno;
		out->type = SG_FS_NONE;
		out->size = 0;
		if (e == ELOOP)
			return sg_error_set(err, SG_EINVAL,
			    "'%s' is a symlink loop", path);
		return sg_fs__errno(err, e, "access", path);
	}
	out->type = type_of(st.st_mode);
	out->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	return 0;
}

int
sg_fs_stat(struct sg_fs_stat *out, const char *path, struct sg_error *err)
{
	return stat_path(out, path, true, err);
}

int
sg_fs_lstat(struct sg_fs_stat *out, const char *path, struct sg_error *err)
{
	return stat_path(out, path, false, err);
}

int
sg_fs_check_readable(const char *path, struct sg_error *err)
{
	int e;

	if (faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) == 0)
		return 0;
	e = errno;
	return sg_error_set_errno(err,
	    e == EACCES || e == EPERM || e == ELOOP ? SG_EINVAL : SG_EIO, e,
	    "cannot read '%s'", path);
}

int
sg_fs_open_read(int *out, const char *path, unsigned flags,
    uint64_t *size_out, struct sg_error *err)
{
	struct stat st;
	int oflags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	int fd;
	int e;
	int error = 0;

	*out = -1;
	if (flags & SG_FS_NOFOLLOW)
		oflags |= O_NOFOLLOW;
	do {
		fd = open(path, oflags);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		e = errno;
		if (e == ENOENT || e == ENOTDIR)
			return sg_error_set(err, SG_ENOTFOUND,
			    "'%s' does not exist", path);
		if (e == ELOOP && (flags & SG_FS_NOFOLLOW))
			return sg_error_set(err, SG_EINVAL,
			    "'%s' is a symlink", path);
		if (e == ELOOP)
			return sg_error_set(err, SG_EINVAL,
			    "'%s' is a symlink loop", path);
		return sg_error_set_errno(err,
		    e == EACCES || e == EPERM ? SG_EINVAL : SG_EIO, e,
		    "cannot open '%s'", path);
	}
	if (fstat(fd, &st) < 0) {
		error = sg_error_set_errno(err, SG_EIO, errno,
		    "cannot stat '%s'", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		error = sg_error_set(err, SG_EINVAL,
		    "'%s' is not a regular file", path);
		goto out;
	}
	if (size_out)
		*size_out = (uint64_t)st.st_size;
	*out = fd;
out:
	if (error)
		sg_fs_close(fd);
	return error;
}

ssize_t
sg_fs_read(int fd, void *buf, size_t n)
{
	ssize_t r;

	do {
		r = read(fd, buf, n);
	} while (r < 0 && errno == EINTR);
	return r;
}

void
sg_fs_close(int fd)
{
	int e;

	if (fd < 0)
		return;
	e = errno;
	close(fd);
	errno = e;
}

/*
 * Write the temporary file next to `path` with exactly `mode`: mkostemp()
 * creates it 0600, so a secret is never readable by others even before the
 * fchmod().  *tmp_out gets its name (caller frees, and unlinks on failure).
 */
static int
write_temp(char **tmp_out, const char *path, const void *data, size_t len,
    unsigned mode, struct sg_error *err)
{
	int fd;
	int e;

	*tmp_out = sg_xasprintf("%s.tmp.XXXXXX", path);
	if ((fd = mkostemp(*tmp_out, O_CLOEXEC)) < 0)
		return sg_error_set_errno(err, SG_EIO, errno,
		    "cannot create '%s'", *tmp_out);
	if (fchmod(fd, (mode_t)mode) < 0 || sg_fs__write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0) {
		e = errno;
		close(fd);
		unlink(*tmp_out);
		return sg_error_set_errno(err, SG_EIO, e, "cannot write '%s'",
		    path);
	}
	if (close(fd) < 0) {
		e = errno;
		unlink(*tmp_out);
		return sg_error_set_errno(err, SG_EIO, e, "cannot write '%s'",
		    path);
	}
	return 0;
}

int
sg_fs_write_new(const char *path, const void *data, size_t len,
    unsigned mode, bool replace, struct sg_error *err)
{
	char *tmp = NULL;
	int e;
	int error;

	if ((error = write_temp(&tmp, path, data, len, mode, err)) < 0)
		goto out;
	if (replace) {
		if (rename(tmp, path) < 0) {
			e = errno;
			unlink(tmp);
			error = sg_error_set_errno(err, SG_EIO, e,
			    "cannot write '%s'", path);
		}
		goto out;
	}
	/* link(2) never replaces: the no-clobber, atomic publication */
	if (link(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		if (e == EEXIST)
			error = sg_error_set(err, SG_EINVAL,
			    "'%s' already exists", path);
		else
			error = sg_error_set_errno(err, SG_EIO, e,
			    "cannot write '%s'", path);
		goto out;
	}
	unlink(tmp);
out:
	free(tmp);
	return error;
}

int
sg_fs_perm(unsigned *out, const char *path, struct sg_error *err)
{
	struct stat st;

	*out = 0;
	if (stat(path, &st) < 0)
		return sg_fs__errno(err, errno, "access", path);
	*out = (unsigned)(st.st_mode & 07777);
	return 0;
}
