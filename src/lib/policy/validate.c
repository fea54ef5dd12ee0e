/* SPDX-License-Identifier: MIT */
/*
 * validate.c - the spec check of `specgate validate` and of the preflight
 * stage: collect, read, screen, parse, compile, check, summarise.
 *
 * One file at a time, into one reused read buffer: the document and its
 * pickles are freed before the next file, and only the per-scenario
 * summary (a few strings and numbers, copied into the validation's arena)
 * survives.  Each file is read once: its SHA-256 for the feature id is
 * taken from the same bytes the parser sees.
 */
#include "specgate/validate.h"

#include <string.h>

#include "sign/digest.h"
#include "specgate/specset.h"
#include "sys/fs.h"
#include "util/util.h"

struct sg_validation_private {
	struct sg_arena arena;
};

void
sg_validation_free(struct sg_validation *v)
{
	if (!v)
		return;
	sg_policy_result_release(&v->result);
	if (v->priv) {
		sg_arena_release(&v->priv->arena);
		free(v->priv);
	}
	free(v);
}

/* 1-based column of byte offset `off` in the line starting at `line`. */
static unsigned
column_of(const char *line, const char *at)
{
	unsigned col = 1;

	for (const char *p = line; p < at; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			col++;
	return col;
}

/*
 * Refuse bytes that are not a text file before the parser sees them: a NUL
 * byte (a binary file) or a line longer than the cap (a 50 MB line is not a
 * spec, and a message quoting it would be 50 MB).  UTF-8 validity is the
 * parser's check.
 */
static int
screen(const char *path, const char *data, size_t len, struct sg_error *err)
{
	const char *p = data;
	const char *end = data + len;
	const char *nul;
	unsigned line = 1;

	nul = memchr(data, '\0', len);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		if (nul && nul < eol)
			return sg_error_set_at(err, SG_EINVAL, path, line,
			    column_of(p, nul),
			    "binary data (a NUL byte): not a Gherkin text file");
		if ((size_t)(eol - p) > SG_VALIDATE_MAX_LINE)
			return sg_error_set_at(err, SG_EINVAL, path, line, 1,
			    "line is longer than %u bytes: not a spec",
			    SG_VALIDATE_MAX_LINE);
		if (!nl)
			break;
		p = nl + 1;
		line++;
	}
	return 0;
}

/*
 * Read one spec file.  Walked files are opened with O_NOFOLLOW: a symlink
 * swapped in since the walk is refused, as the feature id's rules say.
 */
static int
read_spec(struct sg_buf *buf, const struct sg_specfile *f,
    struct sg_error *err)
{
	uint64_t size;
	int fd;
	int error;

	if ((error = sg_fs_open_read(&fd, f->path,
		 f->named ? 0 : SG_FS_NOFOLLOW, &size, err)) < 0)
		return error;
	error = sg_fs_read_fd(buf, fd, f->path, size, SG_VALIDATE_MAX_FILE,
	    err);
	sg_fs_close(fd);
	return error;
}

static const char *
dup_or_null(struct sg_arena *a, const char *s)
{
	return s ? sg_arena_strdup(a, s) : NULL;
}

static void
keep_scenarios(struct sg_validation *v, struct sg_validated_file *f,
    const struct sg_scenario_check *checks, size_t n)
{
	struct sg_arena *a = &v->priv->arena;

	f->scenarios = sg_arena_calloc(a, n, sizeof(*f->scenarios));
	f->nscenarios = n;
	for (size_t i = 0; i < n; i++) {
		const struct sg_scenario_check *c = &checks[i];
		const struct sg_pickle *p = c->pickle;
		struct sg_validated_scenario *s = &f->scenarios[i];

		s->name = sg_arena_strdup(a, p->name);
		s->keyword = sg_arena_strdup(a, p->scenario->keyword);
		s->loc = p->loc;
		s->scenario_loc = p->scenario->loc;
		s->rule = p->rule ? sg_arena_strdup(a, p->rule->name) : NULL;
		s->tags = sg_arena_calloc(a, p->ntags, sizeof(*s->tags));
		s->ntags = p->ntags;
		for (size_t t = 0; t < p->ntags; t++)
			s->tags[t] = sg_arena_strdup(a, p->tags[t].name);
		s->level = c->level;
		s->resource_tag = c->tag ? sg_arena_strdup(a, c->tag->name) :
					   NULL;
		if (c->tag)
			s->resource_loc = c->tag->loc;
		s->resources_valid = c->resources_valid;
		s->resources = c->resources;
		s->tag_ok = c->tag_ok;
		s->ranges_ok = c->ranges_ok;
		s->steps_ok = c->steps_ok;
		s->ngiven = c->ngiven;
		s->nwhen = c->nwhen;
		s->nthen = c->nthen;
		s->nsteps = (unsigned)p->nsteps;
	}
}

/* Parse errors become SG001 findings; Cucumber's "(l:c): " prefix is dropped. */
static void
add_parse_errors(struct sg_validation *v, const char *file,
    const struct sg_gh_document *doc)
{
	for (size_t i = 0; i < doc->nerrors; i++) {
		const char *msg = doc->errors[i].message;
		const char *rp = msg[0] == '(' ? strstr(msg, "): ") : NULL;

		if (rp)
			msg = rp + 3;
		sg_policy_add(&v->result, v->mode, SG_F_PARSE_ERROR, file,
		    doc->errors[i].loc, "%.300s%s%s", msg,
		    strlen(msg) > 300 ? "..." : "",
		    v->mode == SG_MODE_SANDBOX ? " (file skipped)" : "");
	}
}

static int
check_one(struct sg_validation *v, struct sg_validated_file *f,
    const char *data, size_t len, bool details, struct sg_error *err)
{
	struct sg_gh_document *doc = NULL;
	const struct sg_pickle *pickles;
	struct sg_scenario_check *checks = NULL;
	size_t npickles = 0;
	int error;

	if ((error = screen(f->path, data, len, err)) < 0)
		return error;
	if ((error = sg_gherkin_parse(&doc, f->path, data, len, NULL, err)) < 0)
		return error;
	if (doc->nerrors) {
		f->status = SG_FILE_PARSE_ERROR;
		add_parse_errors(v, f->path, doc);
		v->nskipped++;
		goto out;
	}
	if (doc->feature) {
		struct sg_arena *a = &v->priv->arena;

		v->nfeatures++;
		f->feature = sg_arena_strdup(a, doc->feature->name);
		f->keyword = sg_arena_strdup(a, doc->feature->keyword);
		f->language = dup_or_null(a, doc->feature->language);
		f->feature_loc = doc->feature->loc;
	}
	if ((error = sg_gherkin_pickles(&pickles, &npickles, doc)) < 0)
		goto out;
	checks = sg_xcalloc(npickles ? npickles : 1, sizeof(*checks));
	sg_policy_check(&v->result, checks, f->path, doc, pickles, npickles, v->mode,
	    &v->ranges);
	v->nscenarios += npickles;
	if (details)
		keep_scenarios(v, f, checks, npickles);
out:
	free(checks);
	sg_gherkin_document_free(doc);
	return error;
}

int
sg_validate(struct sg_validation **out, const struct sg_validate_options *opts,
    struct sg_error *err)
{
	struct sg_validation *v;
	struct sg_specset *set = NULL;
	struct sg_buf buf;
	int error = 0;

	*out = NULL;
	v = sg_xcalloc(1, sizeof(*v));
	v->priv = sg_xcalloc(1, sizeof(*v->priv));
	sg_arena_init(&v->priv->arena);
	v->mode = opts->mode;
	v->ranges = *opts->ranges;
	sg_buf_init(&buf, SG_VALIDATE_MAX_FILE);

	if ((error = sg_specset_collect(&set, opts->root, opts->paths,
		 opts->npaths, SG_SPECSET_DEFER_CHECKS, err)) < 0)
		goto out;
	v->nfiles = set->nfiles;
	v->files = sg_arena_calloc(&v->priv->arena, set->nfiles,
	    sizeof(*v->files));
	for (size_t i = 0; i < set->nfiles; i++) {
		struct sg_validated_file *f = &v->files[i];

		f->path = sg_arena_strdup(&v->priv->arena, set->files[i].path);
		f->name = sg_arena_strdup(&v->priv->arena, set->files[i].name);
		sg_buf_truncate(&buf, 0);
		if ((error = read_spec(&buf, &set->files[i], err)) < 0)
			goto out;
		f->size = buf.len;
		/* the id's digests come from the bytes the parser sees */
		if ((error = sg_sha256_hex(f->sha256, buf.ptr, buf.len,
			 err)) < 0)
			goto out;
		memcpy(set->files[i].sha256, f->sha256, sizeof(f->sha256));
		if ((error = check_one(v, f, buf.ptr, buf.len, opts->details,
			 err)) < 0)
			goto out;
	}
	v->warnings = sg_arena_calloc(&v->priv->arena, set->nwarnings,
	    sizeof(*v->warnings));
	for (size_t i = 0; i < set->nwarnings; i++)
		v->warnings[v->nwarnings++] =
		    sg_arena_strdup(&v->priv->arena, set->warnings[i]);
	set->hashed = true;
	error = sg_specset_feature_id(v->feature_id, set, err);
out:
	sg_buf_release(&buf);
	sg_specset_free(set);
	if (error < 0) {
		sg_validation_free(v);
		return error;
	}
	*out = v;
	return 0;
}
