/* SPDX-License-Identifier: MIT */
/*
 * walk.c - sg_walk(), an iterative openat/fdopendir walker.
 *
 * Data flow: a stack of open directories (one frame per level, the root at
 * the bottom) and one path buffer.  Each frame remembers where its entries'
 * names start in the buffer; an entry's path is built by truncating the
 * buffer there and appending the name, so no path is ever allocated per
 * entry.  Types come from d_type, with an fstatat(AT_SYMLINK_NOFOLLOW) only
 * on file systems that answer DT_UNKNOWN.  A directory is entered with
 * openat(parent, name, O_DIRECTORY | O_NOFOLLOW): relative to the fd we
 * already hold, so a directory swapped for a symlink between readdir and
 * open is refused (ELOOP) rather than followed.
 *
 * Rejected: nftw(FTW_PHYS) (an lstat of every entry, which costs as much
 * as hashing on a tree of small files; no way to cap the depth without
 * FTW_ACTIONRETVAL; no fd of the parent for follow-up queries); fts(3) (the
 * same lstat per entry, and no glibc large-file support before 2.23);
 * recursion (the depth cap would bound it, but an explicit stack makes the
 * cap and the fd budget visible in one place).
 */
#include "sys/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct frame {
	DIR *dir;
	size_t base; /* offset in the path buffer where entries' names start */
};

struct walk {
	struct frame *stack;
	size_t n; /* frames in use */
	struct sg_buf path;
	size_t root_len; /* bytes of the root prefix ("" for ".", or "root/") */
	unsigned max_depth;
	struct sg_error *err;
};

/*
 * A path short enough for a message (struct sg_error holds 512 bytes):
 * longer ones keep their first and last 100 bytes around "...".  out must
 * hold ABBREV_MAX bytes.
 */
#define ABBREV_MAX 208

static const char *
abbrev(char *out, const char *path)
{
	size_t len;

	len = strlen(path);
	if (len < ABBREV_MAX)
		return path;
	snprintf(out, ABBREV_MAX, "%.100s...%s", path, path + len - 100);
	return out;
}

/* errno -> code for the failures of this file (see walk.h). */
static int
code_of(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		return SG_ENOTFOUND;
	case EACCES:
	case EPERM:
	case ELOOP:
		return SG_EINVAL;
	default:
		return SG_EIO;
	}
}

static enum sg_fs_type
type_of_dirent(unsigned char d_type)
{
	switch (d_type) {
	case DT_REG:
		return SG_FS_FILE;
	case DT_DIR:
		return SG_FS_DIR;
	case DT_LNK:
		return SG_FS_SYMLINK;
	case DT_UNKNOWN:
		return SG_FS_NONE; /* ask fstatat */
	default:
		return SG_FS_OTHER;
	}
}

/* Wrap the directory fd (consumed) in a DIR; path names it in messages. */
static int
open_dir(DIR **out, struct walk *w, int fd, const char *path)
{
	int e;

	*out = fdopendir(fd);
	if (!*out) {
		e = errno;
		close(fd);
		return sg_error_set_errno(w->err, SG_EIO, e,
		    "cannot read directory '%s'", path);
	}
	return 0;
}

/* Push dir; its entries' names start at the current end of the path. */
static void
push(struct walk *w, DIR *dir)
{
	if (w->n % 16 == 0)
		w->stack = sg_xreallocarray(w->stack, w->n + 16,
		    sizeof(*w->stack));
	w->stack[w->n].dir = dir;
	w->stack[w->n].base = w->path.len;
	w->n++;
}

static void
pop(struct walk *w)
{
	int e = errno;

	closedir(w->stack[--w->n].dir);
	errno = e;
}

static int
open_root(struct walk *w, const char *root)
{
	DIR *dir;
	int fd;
	int e;

	do {
		fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		e = errno;
		if (e == ENOENT)
			return sg_error_set(w->err, SG_ENOTFOUND,
			    "'%s' does not exist", root);
		if (e == ENOTDIR)
			return sg_error_set(w->err, SG_EINVAL,
			    "'%s' is not a directory", root);
		if (e == ELOOP)
			return sg_error_set(w->err, SG_EINVAL,
			    "'%s' is a symlink loop", root);
		return sg_error_set_errno(w->err, code_of(e), e,
		    "cannot open directory '%s'", root);
	}
	if ((e = open_dir(&dir, w, fd, root)) < 0)
		return e;
	push(w, dir);
	return 0;
}

/*
 * Enter the directory e (a child of the top frame).  e's strings point into
 * the path buffer, which may move when it grows: use them before that.
 */
static int
enter(struct walk *w, const struct sg_walk_entry *e)
{
	char buf[ABBREV_MAX];
	DIR *dir = NULL;
	int fd;
	int en;
	int error = 0;

	if (e->depth >= w->max_depth) {
		error = sg_error_set(w->err, SG_EINVAL,
		    "'%s' is nested too deeply (the limit is %u levels)",
		    abbrev(buf, e->path), w->max_depth);
		goto out;
	}
	do {
		fd = openat(e->dirfd, e->name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		en = errno;
		error = sg_error_set_errno(w->err, code_of(en), en,
		    "cannot open directory '%s'", e->path);
		goto out;
	}
	if ((error = open_dir(&dir, w, fd, e->path)) < 0)
		goto out;
	/* From here on e's strings may have moved with the buffer. */
	if (sg_buf_putc(&w->path, '/') < 0) {
		error = sg_error_set(w->err, SG_EINVAL,
		    "'%.100s...' is too long (the limit is %d bytes)",
		    w->path.ptr, SG_WALK_PATH_MAX - 1);
		goto out;
	}
	push(w, dir);
	dir = NULL;
out:
	if (dir)
		closedir(dir);
	return error;
}

/*
 * Fill in *e for the directory entry de of the top frame.  Returns 1 for
 * "." and "..", which are not reported.
 */
static int
make_entry(struct walk *w, struct sg_walk_entry *e, const struct dirent *de)
{
	struct frame *top = &w->stack[w->n - 1];
	struct stat st;
	int en;

	if (de->d_name[0] == '.' && (!de->d_name[1] ||
	    (de->d_name[1] == '.' && !de->d_name[2])))
		return 1;
	sg_buf_truncate(&w->path, top->base);
	if (sg_buf_puts(&w->path, de->d_name) < 0)
		return sg_error_set(w->err, SG_EINVAL,
		    "'%.100s...' is too long (the limit is %d bytes)",
		    w->path.ptr, SG_WALK_PATH_MAX - 1);
	e->path = w->path.ptr;
	e->path_len = w->path.len;
	e->rel = w->path.ptr + w->root_len;
	e->rel_len = w->path.len - w->root_len;
	e->name = w->path.ptr + top->base;
	e->depth = (unsigned)w->n;
	e->dirfd = dirfd(top->dir);
	e->type = type_of_dirent(de->d_type);
	if (e->type == SG_FS_NONE) {
		if (fstatat(e->dirfd, e->name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			en = errno;
			return sg_error_set_errno(w->err, code_of(en), en,
			    "cannot stat '%s'", e->path);
		}
		e->type = sg_fs__type(st.st_mode);
	}
	return 0;
}

/* The directory of the top frame, as a path (for messages). */
static const char *
top_path(struct walk *w, const char *root)
{
	if (w->n == 1)
		return root;
	sg_buf_truncate(&w->path, w->stack[w->n - 1].base - 1);
	return w->path.ptr;
}

static int
run(struct walk *w, const char *root, sg_walk_fn fn, void *payload)
{
	struct sg_walk_entry e;
	struct dirent *de;
	int rc;
	int en;

	while (w->n) {
		errno = 0;
		de = readdir(w->stack[w->n - 1].dir);
		if (!de) {
			en = errno;
			if (en)
				return sg_error_set_errno(w->err, SG_EIO, en,
				    "cannot read directory '%s'",
				    top_path(w, root));
			pop(w);
			continue;
		}
		if ((rc = make_entry(w, &e, de)) != 0) {
			if (rc > 0)
				continue;
			return rc;
		}
		if ((rc = fn(&e, payload)) < 0)
			return rc;
		if (e.type == SG_FS_DIR && rc != SG_WALK_SKIP &&
		    (rc = enter(w, &e)) < 0)
			return rc;
	}
	return 0;
}

int
sg_walk(const char *root, unsigned max_depth, sg_walk_fn fn, void *payload,
    struct sg_error *err)
{
	struct walk w;
	size_t len;
	int error;

	memset(&w, 0, sizeof(w));
	w.err = err;
	w.max_depth = max_depth ? max_depth : SG_WALK_MAX_DEPTH;
	sg_buf_init(&w.path, SG_WALK_PATH_MAX - 1);
	len = strlen(root);
	if (strcmp(root, ".") != 0) {
		error = sg_buf_put(&w.path, root, len);
		if (!error && len && root[len - 1] != '/')
			error = sg_buf_putc(&w.path, '/');
		if (error) {
			error = sg_error_set(err, SG_EINVAL,
			    "'%.100s...' is too long (the limit is %d bytes)",
			    root, SG_WALK_PATH_MAX - 1);
			goto out;
		}
	}
	w.root_len = w.path.len;
	if ((error = open_root(&w, root)) < 0)
		goto out;
	error = run(&w, root, fn, payload);
out:
	while (w.n)
		pop(&w);
	free(w.stack);
	sg_buf_release(&w.path);
	return error;
}

int
sg_walk_lstat(struct sg_fs_stat *out, const struct sg_walk_entry *e,
    struct sg_error *err)
{
	struct stat st;
	int en;

	out->type = SG_FS_NONE;
	out->size = 0;
	if (fstatat(e->dirfd, e->name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		en = errno;
		return sg_error_set_errno(err, code_of(en), en,
		    "cannot stat '%s'", e->path);
	}
	out->type = sg_fs__type(st.st_mode);
	out->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	return 0;
}

int
sg_walk_link_target(enum sg_fs_type *out, const struct sg_walk_entry *e,
    struct sg_error *err)
{
	struct stat st;
	int en;

	*out = SG_FS_NONE;
	if (fstatat(e->dirfd, e->name, &st, 0) == 0) {
		*out = sg_fs__type(st.st_mode);
		return 0;
	}
	en = errno;
	if (en == ENOENT || en == ENOTDIR || en == EACCES)
		return 0;
	if (en == ELOOP)
		return sg_error_set(err, SG_EINVAL, "'%s' is a symlink loop",
		    e->path);
	return sg_error_set_errno(err, SG_EIO, en, "cannot stat '%s'", e->path);
}

int
sg_walk_check_readable(const struct sg_walk_entry *e, struct sg_error *err)
{
	int en;

	if (faccessat(e->dirfd, e->name, R_OK, AT_EACCESS) == 0)
		return 0;
	en = errno;
	return sg_error_set_errno(err,
	    en == EACCES || en == EPERM ? SG_EINVAL : code_of(en), en,
	    "cannot read '%s'", e->path);
}
