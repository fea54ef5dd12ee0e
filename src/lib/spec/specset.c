/* SPDX-License-Identifier: MIT */
/*
 * specset.c - collect the spec files of a project and compute its feature
 * id (include/specgate/specset.h, docs/feature-id.md).
 *
 * Data flow.  collect: each path is normalised lexically and made relative
 * to the root, stat'ed (following, since the caller named it), then either
 * taken as a single file or walked with sys/walk.c, which never follows a
 * symlink.  For each regular file named *.feature the walk callback checks
 * the size cap and readability (two system calls on the parent's fd) and
 * records the path to open and the name; symlinks are looked through only
 * to decide between silence, a warning and a loop error.  The files are
 * then sorted bytewise by name (strcmp, i.e. LC_ALL=C sort) and duplicate
 * names dropped.  Strings live in the set's arena.
 *
 * hash: each file is opened (O_NOFOLLOW unless the caller named it) and
 * streamed through SHA-256 in 1 MiB chunks by hash/digest.c, with one
 * context and one buffer reused across files.  feature id: one more
 * SHA-256 over "<hex>  <name>\n" per file in name order, exactly the lines
 * GNU sha256sum prints: a name holding a backslash, a newline or a carriage
 * return is written with those escaped ("\\\\", "\\n", "\\r") and the
 * line starts with a backslash.
 *
 * Rejected: building the sha256sum text in memory and hashing it at once
 * (10,000 files is ~1 MB of text for nothing: the outer context streams
 * it); following symlinks with a visited-set (the recipe is find's -P);
 * sorting with strcoll (the recipe is LC_ALL=C).
 */
#include "specgate/specset.h"

#include "hash/digest.h"
#include "sys/fs.h"
#include "sys/walk.h"
#include "util/util.h"

/* The caps, a struct so that the unit tests can lower them. */
struct limits {
	size_t max_files;
	uint64_t max_size;
	unsigned max_depth;
};

static const struct limits default_limits = {
	SG_SPECSET_MAX_FILES,
	SG_SPECSET_MAX_FILE_SIZE,
	SG_SPECSET_MAX_DEPTH,
};

/* The public set, and what only this file sees. */
struct specset {
	struct sg_specset pub; /* first: sg_specset_free() casts back */
	struct sg_arena arena;
	size_t cap; /* of pub.files */
	size_t wcap; /* of pub.warnings */
};

/* State of one collect call. */
struct collector {
	struct specset *set;
	const struct limits *lim;
	const char *prefix; /* prepended to walked names: "" or "dir/" */
	const char *under;  /* the path being walked, for messages */
	size_t found;	    /* files found so far, duplicates included */
	bool defer_checks;  /* SG_SPECSET_DEFER_CHECKS */
	struct sg_error *err;
};

static bool
is_feature_name(const char *name, size_t len)
{
	static const char ext[] = ".feature";

	return len >= sizeof(ext) - 1 &&
	    !memcmp(name + len - (sizeof(ext) - 1), ext, sizeof(ext) - 1);
}

/*
 * Lexical normal form of a path: no empty or "." components, no trailing
 * slash; ".." kept.  "" for an empty path, "." or "/" when nothing is left.
 */
static char *
normalize(struct sg_arena *a, const char *p)
{
	size_t len;
	char *out;
	size_t n = 0;
	const char *c = p;
	const char *end;

	len = strlen(p);
	out = sg_arena_alloc(a, len + 2);
	if (!len)
		return out;
	if (*p == '/')
		out[n++] = '/';
	while (*c) {
		while (*c == '/')
			c++;
		end = c;
		while (*end && *end != '/')
			end++;
		if (end > c && !(end - c == 1 && *c == '.')) {
			if (n && out[n - 1] != '/')
				out[n++] = '/';
			memcpy(out + n, c, (size_t)(end - c));
			n += (size_t)(end - c);
		}
		c = end;
	}
	if (!n)
		out[n++] = '.';
	out[n] = '\0';
	return out;
}

/* p relative to root when both are absolute and p is under root. */
static const char *
relative_to(const char *p, const char *root)
{
	size_t rlen;

	if (p[0] != '/' || root[0] != '/')
		return p;
	rlen = strlen(root);
	if (!strcmp(p, root))
		return ".";
	if (rlen == 1)
		return p + 1;
	if (!strncmp(p, root, rlen) && p[rlen] == '/')
		return p + rlen + 1;
	return p;
}

/* The path to open for rel (normalised, relative to root or absolute). */
static const char *
join(struct sg_arena *a, const char *root, const char *rel)
{
	char *p;
	size_t rlen;
	size_t len;

	if (rel[0] == '/' || !strcmp(root, "."))
		return rel;
	if (!strcmp(rel, "."))
		return root;
	rlen = strlen(root);
	len = strlen(rel);
	p = sg_arena_alloc(a, rlen + len + 2);
	memcpy(p, root, rlen);
	if (root[rlen - 1] != '/')
		p[rlen++] = '/';
	memcpy(p + rlen, rel, len + 1);
	return p;
}

static char *
concat(struct sg_arena *a, const char *x, const char *y, size_t ylen)
{
	size_t xlen;
	char *p;

	xlen = strlen(x);
	p = sg_arena_alloc(a, xlen + ylen + 1);
	memcpy(p, x, xlen);
	memcpy(p + xlen, y, ylen);
	p[xlen + ylen] = '\0';
	return p;
}

static void
add_warning(struct specset *set, const char *msg)
{
	struct sg_specset *pub = &set->pub;

	if (pub->nwarnings == set->wcap) {
		set->wcap = set->wcap ? 2 * set->wcap : 8;
		pub->warnings = sg_xreallocarray(pub->warnings, set->wcap,
		    sizeof(*pub->warnings));
	}
	pub->warnings[pub->nwarnings++] = sg_arena_strdup(&set->arena, msg);
}

/* Record one file: path to open, name; checks the caps on the way. */
static int
add_file(struct collector *c, const char *path, const char *name,
    uint64_t size, bool named)
{
	struct specset *set = c->set;
	struct sg_specfile *f;

	if (++c->found > c->lim->max_files)
		return sg_error_set(c->err, SG_ETOOBIG,
		    "more than %zu .feature files under '%s'",
		    c->lim->max_files, c->under);
	if (size > c->lim->max_size)
		return sg_error_set(c->err, SG_ETOOBIG,
		    "'%s' is too large (%llu bytes; the limit is %llu)", path,
		    (unsigned long long)size,
		    (unsigned long long)c->lim->max_size);
	if (set->pub.nfiles == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 64;
		set->pub.files = sg_xreallocarray(set->pub.files, set->cap,
		    sizeof(*set->pub.files));
	}
	f = &set->pub.files[set->pub.nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = path;
	f->name = name;
	f->size = size;
	f->named = named;
	return 0;
}

static int
on_symlink(struct collector *c, const struct sg_walk_entry *e)
{
	enum sg_fs_type target;
	char *msg;
	int error;

	if ((error = sg_walk_link_target(&target, e, c->err)) < 0)
		return error;
	if (target != SG_FS_DIR && !is_feature_name(e->name, strlen(e->name)))
		return 0;
	msg = sg_xasprintf("ignoring symlink '%s'%s (symlinks are not "
			   "followed)",
	    e->path, target == SG_FS_DIR ? " to a directory" : "");
	add_warning(c->set, msg);
	free(msg);
	return 0;
}

static int
on_entry(const struct sg_walk_entry *e, void *payload)
{
	struct collector *c = payload;
	struct sg_arena *a = &c->set->arena;
	struct sg_fs_stat st;
	int error;

	if (e->type == SG_FS_SYMLINK)
		return on_symlink(c, e);
	if (e->type != SG_FS_FILE ||
	    !is_feature_name(e->rel, e->rel_len))
		return SG_WALK_CONTINUE;
	st.size = 0;
	if (!c->defer_checks &&
	    ((error = sg_walk_lstat(&st, e, c->err)) < 0 ||
		(error = sg_walk_check_readable(e, c->err)) < 0))
		return error;
	return add_file(c, sg_arena_strndup(a, e->path, e->path_len),
	    concat(a, c->prefix, e->rel, e->rel_len), st.size, false);
}

static int
add_single_file(struct collector *c, const char *where, const char *rel,
    uint64_t size)
{
	int error;

	if (!is_feature_name(rel, strlen(rel)))
		return sg_error_set(c->err, SG_EINVAL,
		    "'%s' is not a .feature file", where);
	if ((error = sg_fs_check_readable(where, c->err)) < 0)
		return error;
	c->under = where;
	return add_file(c, where, rel, size, true);
}

/* Collect one path: rel (to the root, or absolute), where (from the cwd). */
static int
collect_path(struct collector *c, const char *where, const char *rel,
    bool only_dir)
{
	struct sg_fs_stat st;
	int error;

	if ((error = sg_fs_stat(&st, where, c->err)) < 0)
		return error;
	if (st.type == SG_FS_FILE)
		return add_single_file(c, where, rel, st.size);
	if (st.type != SG_FS_DIR)
		return sg_error_set(c->err, SG_EINVAL,
		    "'%s' is neither a directory nor a .feature file", where);
	if (only_dir || !strcmp(rel, "."))
		c->prefix = "";
	else
		c->prefix = concat(&c->set->arena, rel, "/", 1);
	c->under = where;
	return sg_walk(where, c->lim->max_depth, on_entry, c, c->err);
}

static int
by_name(const void *a, const void *b)
{
	const struct sg_specfile *x = a;
	const struct sg_specfile *y = b;

	return strcmp(x->name, y->name);
}

static int
by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Sort files bytewise by name and warnings by text, dropping repeats (the
 * same directory named twice).  nfiles >= 1.
 */
static void
sort_set(struct sg_specset *pub)
{
	size_t n = 0;

	qsort(pub->files, pub->nfiles, sizeof(*pub->files), by_name);
	for (size_t i = 1; i < pub->nfiles; i++)
		if (strcmp(pub->files[i].name, pub->files[n].name))
			pub->files[++n] = pub->files[i];
	pub->nfiles = n + 1;
	if (!pub->nwarnings)
		return;
	qsort(pub->warnings, pub->nwarnings, sizeof(*pub->warnings),
	    by_string);
	n = 0;
	for (size_t i = 1; i < pub->nwarnings; i++)
		if (strcmp(pub->warnings[i], pub->warnings[n]))
			pub->warnings[++n] = pub->warnings[i];
	pub->nwarnings = n + 1;
}

static int
collect(struct sg_specset **out, const char *root, const char *const *paths,
    size_t npaths, unsigned flags, const struct limits *lim,
    struct sg_error *err)
{
	struct collector c;
	struct specset *set;
	struct sg_buf under; /* "'a', 'b'": the paths, for the empty case */
	const char *nroot;
	const char *rel;
	const char *where;
	int error = 0;

	*out = NULL;
	set = sg_xcalloc(1, sizeof(*set));
	sg_arena_init(&set->arena);
	sg_buf_init(&under, 512);
	memset(&c, 0, sizeof(c));
	c.set = set;
	c.lim = lim;
	c.defer_checks = flags & SG_SPECSET_DEFER_CHECKS;
	c.err = err;
	nroot = normalize(&set->arena, root);
	if (!npaths || !*nroot) {
		error = sg_error_set(err, SG_EINVAL, "no spec paths given");
		goto out;
	}
	for (size_t i = 0; i < npaths; i++) {
		rel = normalize(&set->arena, paths[i]);
		if (!*rel) {
			error = sg_error_set(err, SG_EINVAL,
			    "an empty path names no spec files");
			goto out;
		}
		rel = relative_to(rel, nroot);
		where = join(&set->arena, nroot, rel);
		sg_buf_printf(&under, "%s'%s'", i ? ", " : "", where);
		if ((error = collect_path(&c, where, rel, npaths == 1)) < 0)
			goto out;
	}
	if (!set->pub.nfiles) {
		error = sg_error_set(err, SG_EINVAL,
		    "no .feature files under %s", under.ptr);
		goto out;
	}
	sort_set(&set->pub);
	*out = &set->pub;
out:
	sg_buf_release(&under);
	if (error)
		sg_specset_free(&set->pub);
	return error;
}

int
sg_specset_collect(struct sg_specset **out, const char *root,
    const char *const *paths, size_t npaths, unsigned flags,
    struct sg_error *err)
{
	return collect(out, root, paths, npaths, flags, &default_limits, err);
}

/* Hash files[i] with h into hex (OUT: 65 bytes). */
static int
hash_file(char *hex, struct sg_sha256 *h, const struct sg_specfile *f,
    struct sg_error *err)
{
	unsigned char md[SG_SHA256_LEN];
	int fd = -1;
	int error;

	error = sg_fs_open_read(&fd, f->path, f->named ? 0 : SG_FS_NOFOLLOW,
	    NULL, err);
	if (error < 0)
		goto out;
	if ((error = sg_sha256_fd(md, h, fd, f->path, SG_SPECSET_MAX_FILE_SIZE,
		 err)) < 0)
		goto out;
	sg_hex_lower(hex, md, sizeof(md));
out:
	sg_fs_close(fd);
	return error;
}

/*
 * Hash every file of set into out[i] (OUT: nfiles digests), with one
 * context and one read buffer for all.  Serial on purpose: on the 10,000
 * file benchmark (docs/feature-id.md) two workers sharing an atomic index
 * were no faster (1.04 +- 0.05x) on the 2-vCPU machine we measured, where
 * system calls, not SHA-256, are most of the time.
 */
static int
hash_files(char (*out)[SG_SHA256_HEX_LEN + 1], const struct sg_specset *set,
    struct sg_error *err)
{
	struct sg_sha256 h;
	int error;

	if ((error = sg_sha256_init(&h, err)) < 0)
		goto out;
	for (size_t i = 0; i < set->nfiles; i++)
		if ((error = hash_file(out[i], &h, &set->files[i], err)) < 0)
			goto out;
out:
	sg_sha256_release(&h);
	return error;
}

int
sg_specset_hash(struct sg_specset *set, struct sg_error *err)
{
	char (*hex)[SG_SHA256_HEX_LEN + 1];
	int error;

	set->hashed = false;
	hex = sg_xreallocarray(NULL, set->nfiles ? set->nfiles : 1,
	    sizeof(*hex));
	if ((error = hash_files(hex, set, err)) < 0)
		goto out;
	for (size_t i = 0; i < set->nfiles; i++)
		memcpy(set->files[i].sha256, hex[i], sizeof(hex[i]));
	set->hashed = true;
out:
	free(hex);
	return error;
}

/*
 * Append the line sha256sum prints for (hex, name) to b: "<hex>  <name>\n",
 * or "\<hex>  <name escaped>\n" when the name holds '\\', '\n' or '\r'.
 */
static void
id_line(struct sg_buf *b, const char *hex, const char *name)
{
	bool esc;

	esc = strpbrk(name, "\\\n\r") != NULL;
	sg_buf_truncate(b, 0);
	if (esc)
		sg_buf_putc(b, '\\');
	sg_buf_put(b, hex, SG_SHA256_HEX_LEN);
	sg_buf_put(b, "  ", 2);
	for (const char *p = name; *p; p++) {
		if (esc && *p == '\\')
			sg_buf_put(b, "\\\\", 2);
		else if (esc && *p == '\n')
			sg_buf_put(b, "\\n", 2);
		else if (esc && *p == '\r')
			sg_buf_put(b, "\\r", 2);
		else
			sg_buf_putc(b, *p);
	}
	sg_buf_putc(b, '\n');
}

int
sg_specset_feature_id(char out[SG_FEATURE_ID_LEN + 1],
    const struct sg_specset *set, struct sg_error *err)
{
	struct sg_sha256 outer;
	unsigned char md[SG_SHA256_LEN];
	char full[SG_SHA256_HEX_LEN + 1];
	char (*hex)[SG_SHA256_HEX_LEN + 1] = NULL;
	struct sg_buf line;
	int error;

	out[0] = '\0';
	sg_buf_init(&line, 0);
	if ((error = sg_sha256_init(&outer, err)) < 0)
		goto out;
	if (!set->hashed) {
		hex = sg_xreallocarray(NULL, set->nfiles ? set->nfiles : 1,
		    sizeof(*hex));
		if ((error = hash_files(hex, set, err)) < 0)
			goto out;
	}
	for (size_t i = 0; i < set->nfiles; i++) {
		id_line(&line, hex ? hex[i] : set->files[i].sha256,
		    set->files[i].name);
		if ((error = sg_sha256_update(&outer, line.ptr, line.len,
			 err)) < 0)
			goto out;
	}
	if ((error = sg_sha256_final(&outer, md, err)) < 0)
		goto out;
	sg_hex_lower(full, md, sizeof(md));
	memcpy(out, full, SG_FEATURE_ID_LEN);
	out[SG_FEATURE_ID_LEN] = '\0';
out:
	free(hex);
	sg_sha256_release(&outer);
	sg_buf_release(&line);
	return error;
}

void
sg_specset_free(struct sg_specset *pub)
{
	struct specset *set = (struct specset *)pub;

	if (!pub)
		return;
	free(pub->files);
	free(pub->warnings);
	sg_arena_release(&set->arena);
	free(set);
}
