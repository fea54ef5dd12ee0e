/* SPDX-License-Identifier: MIT */
/*
 * validate.c - the spec check of `specgate validate` and of the preflight
 * stage: collect, read, screen, parse, compile, check, summarise.
 *
 * One file at a time, into one reused read buffer: the document is freed
 * before the next file, and only the per-scenario summary (a few strings
 * and numbers, copied into the validation's arena) survives.  Pickles are
 * compiled and checked one at a time (sg_gherkin_pickles_each()): the rules
 * need each pickle's step kinds and tags, never all of them at once, so an
 * Outline of 10,000 rows x 1,000 steps costs the tree and one pickle, not
 * the product.  Each file is read once: its SHA-256 for the feature id is
 * taken from the bytes as read, before an `# encoding:` header converts
 * them for the parser.
 *
 * A file that cannot be checked (bad bytes, an expansion over a cap) stops
 * the validation, unless keep_going: then its located error is kept in its
 * slot, its partial findings are dropped, and the workers go on.
 */
#include "specgate/validate.h"

#include <stdatomic.h>
#include <string.h>

#include "hash/digest.h"
#include "specgate/specset.h"
#include "sys/fs.h"
#include "sys/thread.h"
#include "util/util.h"

struct sg_validation_private {
	struct sg_arena arena;	   /* the file table, warnings */
	struct sg_arena *arenas;   /* one per worker: per-file strings */
	size_t narenas;
};

void
sg_validation_free(struct sg_validation *v)
{
	if (!v)
		return;
	sg_policy_result_release(&v->result);
	for (size_t i = 0; i < v->nunreadable; i++)
		sg_error_release(&v->unreadable[i]);
	free(v->unreadable);
	if (v->priv) {
		sg_arena_release(&v->priv->arena);
		for (size_t i = 0; i < v->priv->narenas; i++)
			sg_arena_release(&v->priv->arenas[i]);
		free(v->priv->arenas);
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
	if (!nul && len <= SG_VALIDATE_MAX_LINE)
		return 0; /* no line can be over the cap: skip the line scan */
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

/* Copy what the report says about one pickle into the validation's arena. */
static void
keep_scenario(struct sg_arena *a, struct sg_validated_scenario *s,
    const struct sg_scenario_check *c)
{
	const struct sg_pickle *p = c->pickle;

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
	s->resource_tag = c->tag ? sg_arena_strdup(a, c->tag->name) : NULL;
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

/* Parse errors become SG001 findings; Cucumber's "(l:c): " prefix is dropped. */
static void
add_parse_errors(struct sg_policy_result *res, enum sg_mode mode,
    const char *file, const struct sg_gh_document *doc)
{
	for (size_t i = 0; i < doc->nerrors; i++) {
		const char *msg = doc->errors[i].message;
		const char *rp = msg[0] == '(' ? strstr(msg, "): ") : NULL;

		if (rp)
			msg = rp + 3;
		sg_policy_add(res, SG_F_PARSE_ERROR, file,
		    doc->errors[i].loc, "%.300s%s%s", msg,
		    strlen(msg) > 300 ? "..." : "",
		    mode == SG_MODE_SANDBOX ? " (file skipped)" : "");
	}
}

/*
 * What checking one file produced, kept per file so that workers never
 * share a counter and the findings come out in file order, whatever thread
 * checked which file.
 */
struct slot {
	struct sg_policy_result res;
	size_t nscenarios;
	bool feature;
	bool skipped;
	struct sg_error err; /* keep_going: why the file was refused */
};

/* The work shared by the workers: files are claimed by an atomic index. */
struct job {
	const struct sg_validate_options *opts;
	struct sg_validation *v;
	struct sg_specset *set;
	struct slot *slots;
	_Atomic size_t next;
	_Atomic bool stop;
};

struct worker {
	struct job *job;
	struct sg_arena *arena; /* the validation keeps it */
	struct sg_buf buf;
	size_t failed_at;	/* the file of the first error, or SIZE_MAX */
	int error;
	struct sg_error err;
};

/* One file's pickles, checked as they are compiled. */
struct file_check {
	struct worker *w;
	struct sg_policy_checker *checker;
	struct sg_validated_scenario *kept; /* malloc'd; details only */
	size_t nkept, cap;
	size_t npickles;
};

static int
check_pickle(const struct sg_pickle *p, void *payload, struct sg_error *err)
{
	struct file_check *fc = payload;
	struct sg_scenario_check sc;

	sg_policy_checker_add(fc->checker, &sc, p);
	fc->npickles++;
	if (!fc->w->job->opts->details)
		return 0;
	if (fc->nkept == fc->cap) {
		fc->cap = fc->cap ? 2 * fc->cap : 64;
		fc->kept = sg_xreallocarray(fc->kept, fc->cap,
		    sizeof(*fc->kept));
	}
	memset(&fc->kept[fc->nkept], 0, sizeof(*fc->kept));
	keep_scenario(fc->w->arena, &fc->kept[fc->nkept++], &sc);
	return 0;
}

static int
check_one(struct worker *w, size_t i)
{
	const struct sg_validation *v = w->job->v;
	struct sg_validated_file *f = &v->files[i];
	struct slot *slot = &w->job->slots[i];
	const char *data;
	size_t len;
	char *utf8 = NULL;
	struct sg_gh_document *doc = NULL;
	struct file_check fc;
	int error;

	memset(&fc, 0, sizeof(fc));
	fc.w = w;
	if ((error = screen(f->path, w->buf.ptr, w->buf.len, &w->err)) < 0)
		return error;
	if ((error = sg_gherkin_decode(&data, &len, &utf8, f->path,
		 w->buf.ptr, w->buf.len, SG_VALIDATE_MAX_FILE, &w->err)) < 0)
		return error;
	if ((error = sg_gherkin_parse(&doc, f->path, data, len, NULL,
		 &w->err)) < 0)
		goto out;
	if (doc->nerrors) {
		f->status = SG_FILE_PARSE_ERROR;
		add_parse_errors(&slot->res, v->mode, f->path, doc);
		slot->skipped = true;
		goto out;
	}
	if (doc->feature) {
		slot->feature = true;
		f->feature = sg_arena_strdup(w->arena, doc->feature->name);
		f->keyword = sg_arena_strdup(w->arena, doc->feature->keyword);
		f->language = dup_or_null(w->arena, doc->feature->language);
		f->feature_loc = doc->feature->loc;
	}
	fc.checker = sg_policy_checker_new(&slot->res, f->path, doc, v->mode,
	    &v->ranges);
	if ((error = sg_gherkin_pickles_each(doc, NULL, check_pickle, &fc,
		 &w->err)) < 0)
		goto out;
	slot->nscenarios = fc.npickles;
	if (fc.nkept) {
		f->scenarios = sg_arena_memdup(w->arena, fc.kept, fc.nkept,
		    sizeof(*fc.kept));
		f->nscenarios = fc.nkept;
	}
out:
	free(fc.kept);
	sg_policy_checker_free(fc.checker);
	sg_gherkin_document_free(doc);
	free(utf8);
	return error;
}

/* Bad input that is the file's own: with keep_going, the next file. */
static bool
file_error(int error)
{
	return error == SG_EINVAL || error == SG_ETOOBIG;
}

/* Read, hash and check files until the queue is empty or someone failed. */
static void
work(unsigned worker, void *payload)
{
	struct worker *w = &((struct worker *)payload)[worker];
	struct job *job = w->job;
	size_t i;
	int error;

	while (!job->stop && (i = job->next++) < job->set->nfiles) {
		struct sg_validated_file *f = &job->v->files[i];

		sg_buf_truncate(&w->buf, 0);
		error = read_spec(&w->buf, &job->set->files[i], &w->err);
		/* the id's digests come from the bytes the parser sees */
		if (!error)
			error = sg_sha256_hex(f->sha256, w->buf.ptr, w->buf.len,
			    &w->err);
		if (!error) {
			f->size = w->buf.len;
			memcpy(job->set->files[i].sha256, f->sha256,
			    sizeof(f->sha256));
			error = check_one(w, i);
		}
		if (error < 0 && job->opts->keep_going && file_error(error)) {
			struct slot *slot = &job->slots[i];

			/* its partial findings would be half a file's */
			sg_policy_result_release(&slot->res);
			slot->nscenarios = 0;
			slot->feature = false;
			slot->skipped = false;
			f->status = SG_FILE_UNREADABLE;
			f->scenarios = NULL;
			f->nscenarios = 0;
			slot->err = w->err;
			sg_error_init(&w->err);
			continue;
		}
		if (error < 0) {
			/*
			 * Every file below i was claimed before i and is
			 * finished by the worker that claimed it, so the error
			 * of the lowest index is the one a serial run reports.
			 */
			w->error = error;
			w->failed_at = i;
			job->stop = true;
			return;
		}
	}
}

/* Fold the per-file results into v, in file order. */
static void
merge_slots(struct sg_validation *v, struct slot *slots)
{
	struct sg_policy_result *r = &v->result;

	for (size_t i = 0; i < v->nfiles; i++) {
		struct slot *s = &slots[i];

		v->nscenarios += s->nscenarios;
		v->nfeatures += s->feature;
		v->nskipped += s->skipped;
		if (r->nfindings + s->res.nfindings > r->cap) {
			r->cap = 2 * (r->nfindings + s->res.nfindings);
			r->findings = sg_xreallocarray(r->findings, r->cap,
			    sizeof(*r->findings));
		}
		if (s->res.nfindings)
			memcpy(r->findings + r->nfindings, s->res.findings,
			    s->res.nfindings * sizeof(*r->findings));
		r->nfindings += s->res.nfindings;
		r->nerrors += s->res.nerrors;
		r->nwarnings += s->res.nwarnings;
		free(s->res.findings); /* the messages moved to r */
		if (s->err.code) {
			v->unreadable = sg_xreallocarray(v->unreadable,
			    v->nunreadable + 1, sizeof(*v->unreadable));
			v->unreadable[v->nunreadable++] = s->err;
			sg_error_init(&s->err);
		}
	}
}

/* Run the workers; 0, or the error of the lowest-indexed failing file. */
static int
run_workers(struct job *job, struct sg_error *err)
{
	struct sg_validation *v = job->v;
	struct worker *ws;
	unsigned n;
	size_t first = SIZE_MAX;
	int error = 0;

	n = sg_thread_ncpus();
	if (n > 4)
		n = 4;
	if (n > v->nfiles / 16 + 1)
		n = v->nfiles / 16 + 1;
	ws = sg_xcalloc(n, sizeof(*ws));
	v->priv->arenas = sg_xcalloc(n, sizeof(*v->priv->arenas));
	v->priv->narenas = n;
	for (unsigned t = 0; t < n; t++) {
		ws[t].job = job;
		ws[t].arena = &v->priv->arenas[t];
		sg_arena_init(ws[t].arena);
		sg_buf_init(&ws[t].buf, SG_VALIDATE_MAX_FILE + 1);
		ws[t].failed_at = SIZE_MAX;
	}
	sg_thread_run(n, work, ws);
	for (unsigned t = 0; t < n; t++) {
		if (ws[t].error && ws[t].failed_at < first) {
			first = ws[t].failed_at;
			error = ws[t].error;
			sg_error_release(err);
			*err = ws[t].err;
			sg_error_init(&ws[t].err);
		}
		sg_error_release(&ws[t].err);
		sg_buf_release(&ws[t].buf);
	}
	free(ws);
	return error;
}

int
sg_validate(struct sg_validation **out, const struct sg_validate_options *opts,
    struct sg_error *err)
{
	struct sg_validation *v;
	struct sg_specset *set = NULL;
	struct slot *slots = NULL;
	struct job job;
	int error = 0;

	*out = NULL;
	v = sg_xcalloc(1, sizeof(*v));
	v->priv = sg_xcalloc(1, sizeof(*v->priv));
	sg_arena_init(&v->priv->arena);
	v->mode = opts->mode;
	v->result.severity = sg_policy_severity(v->mode);
	v->ranges = *opts->ranges;

	if ((error = sg_specset_collect(&set, opts->root, opts->paths,
		 opts->npaths, SG_SPECSET_DEFER_CHECKS, err)) < 0)
		goto out;
	v->nfiles = set->nfiles;
	v->files = sg_arena_calloc(&v->priv->arena, set->nfiles,
	    sizeof(*v->files));
	for (size_t i = 0; i < set->nfiles; i++) {
		v->files[i].path = sg_arena_strdup(&v->priv->arena,
		    set->files[i].path);
		v->files[i].name = sg_arena_strdup(&v->priv->arena,
		    set->files[i].name);
	}
	slots = sg_xcalloc(set->nfiles, sizeof(*slots));
	for (size_t i = 0; i < set->nfiles; i++)
		slots[i].res.severity = sg_policy_severity(v->mode);
	job.opts = opts;
	job.v = v;
	job.set = set;
	job.slots = slots;
	job.next = 0;
	job.stop = false;
	error = run_workers(&job, err);
	merge_slots(v, slots);
	if (error < 0)
		goto out;
	v->warnings = sg_arena_calloc(&v->priv->arena, set->nwarnings,
	    sizeof(*v->warnings));
	for (size_t i = 0; i < set->nwarnings; i++)
		v->warnings[v->nwarnings++] =
		    sg_arena_strdup(&v->priv->arena, set->warnings[i]);
	/* a file refused before it was hashed has no digest */
	if (v->nunreadable)
		goto out;
	set->hashed = true;
	error = sg_specset_feature_id(v->feature_id, set, err);
out:
	free(slots);
	sg_specset_free(set);
	if (error < 0) {
		sg_validation_free(v);
		return error;
	}
	*out = v;
	return 0;
}
