/* SPDX-License-Identifier: MIT */
/*
 * dir.c - mkdir -p, and the *at() operations on open directories (dir.h).
 *
 * sg_dir_make_all() walks the path once from the left, creating what is
 * missing.  EEXIST from mkdir() is not trusted on its own (another process
 * may have made a file there): the component is stat()ed and must be a
 * directory.  This is also what makes two processes creating .specgate/ at
 * the same time both succeed.
 *
 * Everything else works on a struct sg_dir: an O_DIRECTORY descriptor and
 * its path for messages.  Entries are named relative to the descriptor
 * (mkdirat, openat, renameat2, symlinkat, fstatat, unlinkat), which is what
 * lets the evidence code build a bundle in a directory that it later
 * renames, without a path being resolved twice.  sg_dir_open_file() is the
 * one that opens paths of several components, and it never leaves the
 * directory: openat2(RESOLVE_BENEATH), or a component-by-component walk
 * with O_NOFOLLOW where the kernel lacks openat2.
 *
 * Rejected: mkdtemp(3) for sg_dir_make_temp() (it takes a path, not a
 * directory descriptor); lockf/fcntl locks for sg_dir_lock() (they belong
 * to the process, not the open file, so a second handle in the same
 * process would not be excluded, and they cannot be taken on a directory
 * opened read-only).
 */
#include "sys/dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

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

/* The entry `name` of d, as a path for messages (malloc'd). */
static char *
entry_path(const struct sg_dir *d, const char *name)
{
	if (!d || !d->path)
		return sg_xstrdup(name ? name : ".");
	if (!name)
		return sg_xstrdup(d->path);
	return sg_xasprintf("%s/%s", d->path, name);
}

/* Record errno e for the entry `name` of d: "cannot <what> '<path>'". */
static int
dir_fail(struct sg_error *err, int code, int e, const char *what,
    const struct sg_dir *d, const char *name)
{
	char *path = entry_path(d, name);

	sg_error_set_errno(err, code, e, "cannot %s '%s'", what, path);
	free(path);
	return code;
}

static int
fd_of(const struct sg_dir *d)
{
	return d ? d->fd : AT_FDCWD;
}

int
sg_dir_open(struct sg_dir *out, const struct sg_dir *parent,
    const char *name, unsigned flags, struct sg_error *err)
{
	int oflags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	int fd;
	int e;

	out->fd = -1;
	out->path = NULL;
	if (flags & SG_DIR_NOFOLLOW)
		oflags |= O_NOFOLLOW;
	do {
		fd = openat(fd_of(parent), name, oflags);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		e = errno;
		if (e == ENOENT)
			return dir_fail(err, SG_ENOTFOUND, e, "open directory",
			    parent, name);
		if (e == ENOTDIR || e == ELOOP)
			return dir_fail(err, SG_EINVAL, e, "open directory",
			    parent, name);
		return dir_fail(err, SG_EIO, e, "open directory", parent, name);
	}
	out->fd = fd;
	out->path = entry_path(parent, name);
	return 0;
}

void
sg_dir_close(struct sg_dir *d)
{
	if (!d)
		return;
	sg_fs_close(d->fd);
	free(d->path);
	d->fd = -1;
	d->path = NULL;
}

int
sg_dir_make(bool *created, const struct sg_dir *d, const char *name,
    unsigned mode, struct sg_error *err)
{
	struct stat st;
	int e;

	if (created)
		*created = false;
	if (mkdirat(fd_of(d), name, (mode_t)mode) == 0) {
		if (created)
			*created = true;
		return 0;
	}
	e = errno;
	if (e != EEXIST)
		return dir_fail(err, SG_EIO, e, "create directory", d, name);
	if (fstatat(fd_of(d), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return dir_fail(err, SG_EIO, errno, "create directory", d,
		    name);
	if (!S_ISDIR(st.st_mode))
		return dir_fail(err, SG_EINVAL, ENOTDIR, "create directory", d,
		    name);
	return 0;
}

int
sg_dir_make_temp(char **out, const struct sg_dir *d, const char *prefix,
    unsigned mode, struct sg_error *err)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char rnd[10];
	char *name = NULL;
	size_t n;
	int e = EEXIST;

	*out = NULL;
	n = strlen(prefix);
	for (int tries = 0; tries < 100 && e == EEXIST; tries++) {
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			return sg_error_set_errno(err, SG_EIO, errno,
			    "cannot read random bytes");
		free(name);
		name = sg_xmalloc(n + sizeof(rnd) + 1);
		memcpy(name, prefix, n);
		for (size_t i = 0; i < sizeof(rnd); i++)
			name[n + i] = alphabet[rnd[i] % (sizeof(alphabet) - 1)];
		name[n + sizeof(rnd)] = '\0';
		e = mkdirat(fd_of(d), name, (mode_t)mode) == 0 ? 0 : errno;
	}
	if (e) {
		dir_fail(err, SG_EIO, e, "create directory", d, name);
		free(name);
		return SG_EIO;
	}
	*out = name;
	return 0;
}

int
sg_dir_sync(const struct sg_dir *d, struct sg_error *err)
{
	if (fsync(d->fd) < 0)
		return dir_fail(err, SG_EIO, errno, "sync directory", d, NULL);
	return 0;
}

int
sg_dir_lock(bool *locked, const struct sg_dir *d, bool wait,
    struct sg_error *err)
{
	int r;

	if (locked)
		*locked = false;
	do {
		r = flock(d->fd, LOCK_EX | (wait ? 0 : LOCK_NB));
	} while (r < 0 && errno == EINTR);
	if (r < 0 && errno == EWOULDBLOCK && !wait)
		return 0;
	if (r < 0)
		return dir_fail(err, SG_EIO, errno, "lock", d, NULL);
	if (locked)
		*locked = true;
	return 0;
}

static int
dirent_cmp(const void *a, const void *b)
{
	const struct sg_dirent *x = a;
	const struct sg_dirent *y = b;

	return strcmp(x->name, y->name);
}

static enum sg_fs_type
type_of_dirent(int dfd, const struct dirent *de)
{
	struct stat st;

	switch (de->d_type) {
	case DT_REG:
		return SG_FS_FILE;
	case DT_DIR:
		return SG_FS_DIR;
	case DT_LNK:
		return SG_FS_SYMLINK;
	case DT_UNKNOWN:
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return SG_FS_NONE;
		return sg_fs__type(st.st_mode);
	default:
		return SG_FS_OTHER;
	}
}

int
sg_dir_list(struct sg_dirent **out, size_t *n, const struct sg_dir *d,
    const char *name, struct sg_error *err)
{
	struct sg_dirent *list = NULL;
	struct dirent *de;
	size_t len = 0;
	size_t cap = 0;
	DIR *dir;
	int fd;
	int error = 0;

	*out = NULL;
	*n = 0;
	fd = openat(d->fd, name ? name : ".",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return dir_fail(err, errno == ENOENT ? SG_ENOTFOUND : SG_EIO,
		    errno, "list directory", d, name);
	dir = fdopendir(fd);
	if (!dir) {
		error = dir_fail(err, SG_EIO, errno, "list directory", d, name);
		sg_fs_close(fd);
		return error;
	}
	for (;;) {
		errno = 0;
		de = readdir(dir);
		if (!de) {
			if (errno)
				error = dir_fail(err, SG_EIO, errno,
				    "list directory", d, name);
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			list = sg_xreallocarray(list, cap, sizeof(*list));
		}
		list[len].name = sg_xstrdup(de->d_name);
		list[len].type = type_of_dirent(dirfd(dir), de);
		len++;
	}
	closedir(dir);
	if (error) {
		sg_dirent_free(list, len);
		return error;
	}
	if (len)
		qsort(list, len, sizeof(*list), dirent_cmp);
	*out = list;
	*n = len;
	return 0;
}

void
sg_dirent_free(struct sg_dirent *list, size_t n)
{
	if (!list)
		return;
	for (size_t i = 0; i < n; i++)
		free(list[i].name);
	free(list);
}

#define REMOVE_MAX_DEPTH 16

static int
remove_tree(const struct sg_dir *d, const char *name, unsigned depth,
    struct sg_error *err)
{
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_dir sub = SG_DIR_INIT;
	struct sg_dirent *list = NULL;
	size_t n = 0;
	int error;

	if (unlinkat(d->fd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return dir_fail(err, SG_EIO, errno, "remove", d, name);
	if (depth >= REMOVE_MAX_DEPTH)
		return dir_fail(err, SG_EINVAL, ELOOP, "remove", d, name);
	/* Vanishing under us is fine (another process removed it first). */
	if ((error = sg_dir_open(&sub, d, name, SG_DIR_NOFOLLOW, &mine)) < 0 ||
	    (error = sg_dir_list(&list, &n, &sub, NULL, &mine)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if ((error = remove_tree(&sub, list[i].name, depth + 1,
			 &mine)) < 0)
			goto out;
	}
	if (unlinkat(d->fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		error = dir_fail(&mine, SG_EIO, errno, "remove", d, name);
out:
	if (error == SG_ENOTFOUND)
		error = 0;
	if (error)
		sg_error_set(err, error, "%s", mine.message);
	sg_error_release(&mine);
	sg_dirent_free(list, n);
	sg_dir_close(&sub);
	return error;
}

int
sg_dir_remove_tree(const struct sg_dir *d, const char *name,
    struct sg_error *err)
{
	return remove_tree(d, name, 0, err);
}

int
sg_dir_write_file(const struct sg_dir *d, const char *name,
    const void *data, size_t len, unsigned mode, struct sg_error *err)
{
	int fd;
	int e;

	do {
		fd = openat(d->fd, name,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    (mode_t)mode);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return dir_fail(err, errno == EEXIST ? SG_EINVAL : SG_EIO,
		    errno, "create", d, name);
	if (sg_fs__write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		unlinkat(d->fd, name, 0);
		return dir_fail(err, SG_EIO, e, "write", d, name);
	}
	/* close() can report a deferred write error (NFS): check it. */
	if (close(fd) < 0) {
		e = errno;
		unlinkat(d->fd, name, 0);
		return dir_fail(err, SG_EIO, e, "write", d, name);
	}
	return 0;
}

int
sg_dir_rename(const struct sg_dir *from, const char *from_name,
    const struct sg_dir *to, const char *to_name, unsigned flags,
    struct sg_error *err)
{
	char *path;
	int e;

	if (renameat2(from->fd, from_name, to->fd, to_name,
		(flags & SG_DIR_NOREPLACE) ? RENAME_NOREPLACE : 0) == 0)
		return 0;
	e = errno;
	if (e == ENOENT)
		return dir_fail(err, SG_ENOTFOUND, e, "rename", from,
		    from_name);
	path = entry_path(to, to_name);
	if (e == EEXIST || e == ENOTEMPTY)
		sg_error_set_errno(err, SG_EINVAL, e, "cannot rename to '%s'",
		    path);
	else
		sg_error_set_errno(err, SG_EIO, e, "cannot rename to '%s'",
		    path);
	free(path);
	return e == EEXIST || e == ENOTEMPTY ? SG_EINVAL : SG_EIO;
}

int
sg_dir_symlink(const struct sg_dir *d, const char *name, const char *target,
    struct sg_error *err)
{
	if (symlinkat(target, d->fd, name) < 0)
		return dir_fail(err, errno == EEXIST ? SG_EINVAL : SG_EIO,
		    errno, "create symlink", d, name);
	return 0;
}

#define LINK_MAX_TARGET 4096

int
sg_dir_readlink(char **out, const struct sg_dir *d, const char *name,
    struct sg_error *err)
{
	char buf[LINK_MAX_TARGET];
	ssize_t n;
	int e;

	*out = NULL;
	n = readlinkat(d->fd, name, buf, sizeof(buf));
	if (n < 0) {
		e = errno;
		return dir_fail(err,
		    e == ENOENT ? SG_ENOTFOUND :
		    e == EINVAL ? SG_EINVAL : SG_EIO,
		    e, "read symlink", d, name);
	}
	if ((size_t)n >= sizeof(buf))
		return dir_fail(err, SG_EINVAL, ENAMETOOLONG, "read symlink", d,
		    name);
	*out = sg_xstrndup(buf, (size_t)n);
	return 0;
}

int
sg_dir_lstat(struct sg_fs_stat *out, const struct sg_dir *d,
    const char *name, struct sg_error *err)
{
	struct stat st;
	int e;

	out->type = SG_FS_NONE;
	out->size = 0;
	if (fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		e = errno;
		return dir_fail(err, e == ENOENT ? SG_ENOTFOUND : SG_EIO, e,
		    "stat", d, name);
	}
	out->type = sg_fs__type(st.st_mode);
	out->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	return 0;
}

int
sg_dir_unlink(const struct sg_dir *d, const char *name,
    struct sg_error *err)
{
	if (unlinkat(d->fd, name, 0) < 0 && errno != ENOENT)
		return dir_fail(err, SG_EIO, errno, "remove", d, name);
	return 0;
}

/*
 * Set once openat2 turned out to be missing, so that the fallback is taken
 * at once from then on (valgrind, for one, lacks it and says so loudly).
 */
static atomic_bool no_openat2;

/*
 * openat2(2) with RESOLVE_BENEATH: -1 with errno, ENOSYS where the kernel
 * (before 5.6) or a seccomp filter lacks it.
 */
static int
open_beneath(int dfd, const char *rel, int flags)
{
	struct open_how how;
	long fd;

	if (atomic_load(&no_openat2)) {
		errno = ENOSYS;
		return -1;
	}
	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)flags;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	do {
		fd = syscall(SYS_openat2, dfd, rel, &how, sizeof(how));
	} while (fd < 0 && errno == EINTR);
	if (fd < 0 && errno == ENOSYS)
		atomic_store(&no_openat2, true);
	return (int)fd;
}

static bool
is_link(int dfd, const char *name)
{
	struct stat st;

	return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode);
}

/*
 * The same without openat2: walk the components with O_NOFOLLOW, so that
 * no symlink is followed at all, and refuse "..".  Stricter than
 * RESOLVE_BENEATH (a symlink staying inside is refused too), never looser.
 */
static int
open_walk(int dfd, const char *rel, int flags)
{
	const char *p = rel;
	const char *slash;
	char part[256];
	int cur = dfd;
	int next;
	int e;

	for (;;) {
		slash = strchr(p, '/');
		if (!slash)
			break;
		if ((size_t)(slash - p) >= sizeof(part)) {
			e = ENAMETOOLONG;
			goto fail;
		}
		memcpy(part, p, (size_t)(slash - p));
		part[slash - p] = '\0';
		if (!strcmp(part, "..")) {
			e = EXDEV;
			goto fail;
		}
		next = openat(cur, *part ? part : ".",
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			/* a symlink gives ELOOP, or ENOTDIR (O_DIRECTORY) */
			e = errno;
			if ((e == ELOOP || e == ENOTDIR) && is_link(cur, part))
				e = EXDEV;
			goto fail;
		}
		if (cur != dfd)
			close(cur);
		cur = next;
		p = slash + 1;
	}
	if (!strcmp(p, "..")) {
		e = EXDEV;
		goto fail;
	}
	next = openat(cur, p, flags);
	e = errno;
	if (cur != dfd)
		close(cur);
	errno = e;
	return next;
fail:
	if (cur != dfd)
		close(cur);
	errno = e;
	return -1;
}

static int
open_under(int dfd, const char *rel, int flags)
{
	int fd = open_beneath(dfd, rel, flags);

	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		fd = open_walk(dfd, rel, flags);
	return fd;
}

int
sg_dir_open_file(int *out, struct sg_fs_stat *st, const struct sg_dir *d,
    const char *rel, struct sg_error *err)
{
	struct stat sb;
	int fd;
	int e;
	int error = 0;

	*out = -1;
	st->type = SG_FS_NONE;
	st->size = 0;
	if (*rel == '/')
		return dir_fail(err, SG_EINVAL, EXDEV, "open", d, rel);
	fd = open_under(d->fd, rel,
	    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 && errno == ELOOP) {
		/* The last component is a symlink, or a loop on the way. */
		fd = open_under(d->fd, rel, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISLNK(sb.st_mode)) {
			close(fd);
			st->type = SG_FS_SYMLINK;
			return 0;
		}
		if (fd >= 0)
			close(fd);
		return dir_fail(err, SG_EINVAL, ELOOP, "open", d, rel);
	}
	if (fd < 0) {
		e = errno;
		if (e == ENOENT || e == ENOTDIR)
			return dir_fail(err, SG_ENOTFOUND, e, "open", d, rel);
		if (e == EXDEV)
			return sg_error_set(err, SG_EINVAL,
			    "'%s/%s' leads out of '%s' through a symlink or "
			    "'..'",
			    d->path ? d->path : ".", rel,
			    d->path ? d->path : ".");
		return dir_fail(err,
		    e == EACCES || e == EPERM ? SG_EINVAL : SG_EIO, e, "open",
		    d, rel);
	}
	if (fstat(fd, &sb) < 0) {
		error = dir_fail(err, SG_EIO, errno, "stat", d, rel);
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		error = dir_fail(err, SG_EINVAL, EINVAL,
		    "hash (not a regular file)", d, rel);
		goto out;
	}
	st->type = SG_FS_FILE;
	st->size = (uint64_t)sb.st_size;
	*out = fd;
out:
	if (error)
		sg_fs_close(fd);
	return error;
}
