/* SPDX-License-Identifier: MIT */
/*
 * whitespace.c - the built-in whitespace fixer (fix.h has the rules).
 *
 * One pass over the bytes, copying as it goes and holding back a run of
 * blanks until the next byte decides: a "\n" drops them, anything else
 * writes them out.  A "\r" is copied like any byte; when a "\n" follows
 * it, the blanks already copied before the "\r" are taken back, so a
 * "\r" that only becomes a CRLF once blanks between it and its "\n" are
 * gone is handled too (the fuzzer found that one).  The output is never
 * longer than the input plus the final line end, so the copy can run in
 * place.
 *
 * A file is read whole (capped), checked for a NUL byte, fixed into a
 * second buffer and, only when the bytes differ, written back with
 * sg_fs_write_new(replace): a temporary file, fsync, rename, with the
 * file's permission bits kept exactly.  A crash leaves the old file or the
 * new one.  Rejected: rewriting every file (mtimes would move and `make`
 * would rebuild everything after each auto-fix).
 */
#include "specgate/fix.h"

#include "sys/fs.h"
#include "sys/walk.h"
#include "util/util.h"

bool
sg_fix_is_binary(const char *p, size_t len)
{
	return memchr(p, '\0', len) != NULL;
}

/*
 * out[0..*o) ends with "\r": drop the blanks before that "\r" (a line
 * about to end in "\r\n").
 */
static void
drop_blanks_before_cr(char *out, size_t *o)
{
	size_t n = *o;

	while (n > 1 && (out[n - 2] == ' ' || out[n - 2] == '\t')) {
		out[n - 2] = '\r';
		n--;
	}
	*o = n;
}

size_t
sg_fix_whitespace(char *out, const char *in, size_t len)
{
	size_t o = 0;
	size_t blank = 0; /* blanks held back, starting at in[i - blank] */
	bool crlf = false;
	bool seen_eol = false;

	for (size_t i = 0; i < len; i++) {
		char c = in[i];

		if (c == ' ' || c == '\t') {
			blank++;
			continue;
		}
		if (c == '\n') {
			/* held blanks end the line: dropped */
			blank = 0;
			if (o > 0 && out[o - 1] == '\r')
				drop_blanks_before_cr(out, &o);
			if (!seen_eol)
				crlf = o > 0 && out[o - 1] == '\r';
			seen_eol = true;
		}
		/* blanks not at a line end: write them as they were */
		if (blank) {
			memmove(out + o, in + i - blank, blank);
			o += blank;
			blank = 0;
		}
		out[o++] = c;
	}
	/* blanks at the end of the file end its last line: dropped */
	if (o > 0 && out[o - 1] == '\r') {
		/* a final lone CR becomes a CRLF */
		drop_blanks_before_cr(out, &o);
		out[o++] = '\n';
	} else if (o > 0 && out[o - 1] != '\n') {
		if (crlf)
			out[o++] = '\r';
		out[o++] = '\n';
	}
	return o;
}

struct fix_walk {
	size_t nfixed;
	sg_fix_cb cb;
	void *payload;
	struct sg_error *err;
};

static int
fix_file(struct fix_walk *w, const char *path)
{
	struct sg_buf in;
	char *out = NULL;
	enum sg_fix_result result = SG_FIX_CLEAN;
	unsigned perm;
	size_t n;
	int error;

	sg_buf_init(&in, SG_FIX_MAX_FILE);
	if ((error = sg_fs_read_file(&in, path, SG_FIX_MAX_FILE, w->err)) <
		0 ||
	    (error = sg_fs_perm(&perm, path, w->err)) < 0)
		goto out;
	if (sg_fix_is_binary(in.ptr, in.len)) {
		result = SG_FIX_BINARY;
		goto done;
	}
	out = sg_xmalloc(in.len + 2);
	n = sg_fix_whitespace(out, in.ptr, in.len);
	if (n == in.len && !memcmp(out, in.ptr, n))
		goto done;
	if ((error = sg_fs_write_new(path, out, n, perm, true, w->err)) < 0)
		goto out;
	result = SG_FIX_FIXED;
	w->nfixed++;
done:
	if (w->cb)
		w->cb(path, result, w->payload);
out:
	free(out);
	sg_buf_release(&in);
	return error;
}

static int
visit(const struct sg_walk_entry *e, void *payload)
{
	struct fix_walk *w = payload;

	if (e->type == SG_FS_DIR)
		return e->name[0] == '.' ? SG_WALK_SKIP : SG_WALK_CONTINUE;
	if (e->type != SG_FS_FILE) {
		if (w->cb)
			w->cb(e->path, SG_FIX_SKIPPED, w->payload);
		return SG_WALK_CONTINUE;
	}
	return fix_file(w, e->path);
}

int
sg_fix_whitespace_path(size_t *nfixed, const char *path, sg_fix_cb cb,
    void *payload, struct sg_error *err)
{
	struct fix_walk w = {0, cb, payload, err};
	struct sg_fs_stat st;
	int error;

	if ((error = sg_fs_lstat(&st, path, err)) < 0)
		goto out;
	if (st.type == SG_FS_DIR)
		error = sg_walk(path, 0, visit, &w, err);
	else if (st.type == SG_FS_FILE)
		error = fix_file(&w, path);
	else if (cb)
		cb(path, SG_FIX_SKIPPED, payload);
out:
	if (nfixed)
		*nfixed = w.nfixed;
	return error;
}
