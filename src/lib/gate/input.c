/* SPDX-License-Identifier: MIT */
/*
 * input.c - the helpers of gate_int.h for reading inputs: the string table, the chunked
 * line reader, peeking at a file's first bytes, strict number parsing.
 *
 * The line reader keeps one buffer that grows to the longest line seen
 * (at most SG_GATE_MAX_LINE) and slides: a tracefile of any size is read
 * in constant memory.
 */
#include "gate/gate_int.h"

#include <errno.h>

#include "sys/fs.h"
#include "sys/glob.h"

#define READ_CHUNK (256u << 10)

static uint64_t
hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

void
sg_gate__map_init(struct gate_map *m)
{
	memset(m, 0, sizeof(*m));
}

void
sg_gate__map_release(struct gate_map *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->slots);
	sg_gate__map_init(m);
}

static void
map_grow(struct gate_map *m)
{
	size_t n = m->nslots ? m->nslots * 2 : 64;
	size_t *slots = sg_xcalloc(n, sizeof(*slots));

	for (size_t i = 0; i < m->n; i++) {
		size_t h = hash_bytes(m->keys[i], strlen(m->keys[i])) & (n - 1);

		while (slots[h])
			h = (h + 1) & (n - 1);
		slots[h] = i + 1;
	}
	free(m->slots);
	m->slots = slots;
	m->nslots = n;
	m->keys = sg_xreallocarray(m->keys, n, sizeof(*m->keys));
}

bool
sg_gate__map_get(const struct gate_map *m, const char *key, size_t len,
    size_t *out)
{
	size_t h;

	if (!m->nslots)
		return false;
	h = hash_bytes(key, len) & (m->nslots - 1);
	while (m->slots[h]) {
		const char *k = m->keys[m->slots[h] - 1];

		if (!strncmp(k, key, len) && k[len] == '\0') {
			*out = m->slots[h] - 1;
			return true;
		}
		h = (h + 1) & (m->nslots - 1);
	}
	return false;
}

size_t
sg_gate__map_put(struct gate_map *m, const char *key, size_t len, bool *added)
{
	size_t h;

	if ((m->n + 1) * 2 > m->nslots)
		map_grow(m);
	h = hash_bytes(key, len) & (m->nslots - 1);
	while (m->slots[h]) {
		const char *k = m->keys[m->slots[h] - 1];

		if (!strncmp(k, key, len) && k[len] == '\0') {
			if (added)
				*added = false;
			return m->slots[h] - 1;
		}
		h = (h + 1) & (m->nslots - 1);
	}
	m->keys[m->n] = sg_xstrndup(key, len);
	m->slots[h] = m->n + 1;
	if (added)
		*added = true;
	return m->n++;
}

int
sg_gate__lines_open(struct gate_lines *r, const char *path,
    struct sg_error *err)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->path = path;
	return sg_fs_open_read(&r->fd, path, 0, NULL, err);
}

void
sg_gate__lines_close(struct gate_lines *r)
{
	sg_fs_close(r->fd);
	r->fd = -1;
	free(r->buf);
	r->buf = NULL;
}

/* Move the unread bytes to the front and read more; 0, or an error. */
static int
fill(struct gate_lines *r, struct sg_error *err)
{
	ssize_t got;

	if (r->off) {
		memmove(r->buf, r->buf + r->off, r->len - r->off);
		r->len -= r->off;
		r->off = 0;
	}
	if (r->cap - r->len < READ_CHUNK / 2) {
		if (r->cap >= SG_GATE_MAX_LINE + READ_CHUNK)
			return sg_error_set_at(err, SG_ETOOBIG, r->path,
			    r->lineno + 1, 0, "line longer than %u bytes",
			    SG_GATE_MAX_LINE);
		r->cap = r->cap ? r->cap * 2 : READ_CHUNK;
		r->buf = sg_xrealloc(r->buf, r->cap + 1);
	}
	got = sg_fs_read(r->fd, r->buf + r->len, r->cap - r->len);
	if (got < 0)
		return sg_error_set_errno(err, SG_EIO, errno,
		    "cannot read '%s'", r->path);
	if (got == 0)
		r->eof = true;
	r->len += (size_t)got;
	return 0;
}

int
sg_gate__lines_next(struct gate_lines *r, char **line, size_t *len,
    struct sg_error *err)
{
	char *nl;
	size_t n;
	int error;

	for (;;) {
		nl = r->len > r->off ?
		    memchr(r->buf + r->off, '\n', r->len - r->off) : NULL;
		if (nl || r->eof)
			break;
		if (r->len - r->off > SG_GATE_MAX_LINE)
			return sg_error_set_at(err, SG_ETOOBIG, r->path,
			    r->lineno + 1, 0, "line longer than %u bytes",
			    SG_GATE_MAX_LINE);
		if ((error = fill(r, err)) < 0)
			return error;
	}
	if (!nl && r->off == r->len)
		return 0;
	n = nl ? (size_t)(nl - (r->buf + r->off)) : r->len - r->off;
	if (n > SG_GATE_MAX_LINE)
		return sg_error_set_at(err, SG_ETOOBIG, r->path, r->lineno + 1,
		    0, "line longer than %u bytes", SG_GATE_MAX_LINE);
	*line = r->buf + r->off;
	r->off += n + (nl ? 1 : 0);
	r->lineno++;
	if (memchr(*line, '\0', n))
		return sg_error_set_at(err, SG_EINVAL, r->path, r->lineno, 0,
		    "NUL byte: not a text file");
	if (n && (*line)[n - 1] == '\r')
		n--;
	(*line)[n] = '\0';
	*len = n;
	return 1;
}

int
sg_gate__peek(const char *path, char *out, size_t n, size_t *got,
    struct sg_error *err)
{
	int fd = -1;
	ssize_t r;
	int error;

	*got = 0;
	if ((error = sg_fs_open_read(&fd, path, 0, NULL, err)) < 0)
		return error;
	r = sg_fs_read(fd, out, n);
	if (r < 0)
		error = sg_error_set_errno(err, SG_EIO, errno,
		    "cannot read '%s'", path);
	else
		*got = (size_t)r;
	sg_fs_close(fd);
	return error;
}

bool
sg_gate__parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (!len || len > 19)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

int
sg_gate__level(const char *s)
{
	static const char *const names[] = {"none", "note", "warning",
	    "error"};

	for (size_t i = 0; s && i < SG_ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	return -1;
}

const char *
sg_sarif_level_name(enum sg_sarif_level level)
{
	static const char *const names[] = {"none", "note", "warning",
	    "error"};

	return (unsigned)level < SG_ARRAY_SIZE(names) ? names[level] : "none";
}

int
sg_sarif_level_parse(enum sg_sarif_level *out, const char *s)
{
	int l = sg_gate__level(s);

	if (l < 0)
		return SG_EINVAL;
	*out = (enum sg_sarif_level)l;
	return 0;
}

int
sg_gate_files(char ***out, size_t *nout, const char *root,
    const struct sg_strlist *patterns, struct sg_error *err)
{
	struct gate_map seen;
	char **all = NULL;
	size_t n = 0;
	size_t kept = 0;
	char *pat;
	bool added;
	int error = 0;

	*out = NULL;
	*nout = 0;
	for (size_t i = 0; i < patterns->n && !error; i++) {
		pat = patterns->items[i][0] == '/' ?
		    sg_xstrdup(patterns->items[i]) :
		    sg_xasprintf("%s/%s", root, patterns->items[i]);
		error = sg_glob_append(&all, &n, pat, err);
		free(pat);
	}
	sg_gate__map_init(&seen);
	for (size_t i = 0; i < n; i++) {
		sg_gate__map_put(&seen, all[i], strlen(all[i]), &added);
		if (added && !error)
			all[kept++] = all[i];
		else
			free(all[i]);
	}
	sg_gate__map_release(&seen);
	if (error || !kept) {
		sg_gate_files_free(all, kept);
		return error;
	}
	*out = all;
	*nout = kept;
	return 0;
}

void
sg_gate_files_free(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}
