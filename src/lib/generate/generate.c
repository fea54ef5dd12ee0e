/* SPDX-License-Identifier: MIT */
/*
 * generate.c - render a template set with the data model into files the
 * generator owns (specgate/generate.h, docs/templates.md).
 *
 * Order of work: load the set (built-in: the arrays embedded at build
 * time; a directory: its *.mustache files), parse every template, render
 * every output in memory and check that each carries the ownership
 * header, and only then touch the disk.  So a template error writes
 * nothing, and a run over an unchanged spec compares every output with
 * the file in place and writes none (the bytes, not the time stamps,
 * decide).
 *
 * Ownership is read from the file itself: the header in its first two
 * lines (the second for files whose first line must be something else, a
 * shebang).  A file without it is the user's, whatever its name; a file
 * with it that the set no longer produces is ours and stale: removed.
 * Nothing else under the output directory is touched.
 */
#include "specgate/generate.h"

#include <stdlib.h>
#include <string.h>

#include "generate/generate_int.h"
#include "specgate/template.h"
#include "sys/dir.h"
#include "sys/fs.h"
#include "sys/walk.h"

#define READ_MAX (64u << 20) /* an existing file compared with an output */

const char *const sg_generate_builtin_sets[] = {"c-cmocka", "pytest", NULL};

struct tfile {
	char *path; /* in the set: "feature/test_FEATURE.c.mustache" */
	char *text;
	size_t len;
	char *where; /* for messages */
	struct sg_template *t;
};

struct set {
	struct tfile *files;
	size_t n;
};

struct output {
	char *path;
	char *text;
	size_t len;
};

static void
set_add(struct set *s, const char *path, const char *text, size_t len,
    const char *where)
{
	struct tfile *f;

	s->files = sg_xreallocarray(s->files, s->n + 1, sizeof(*s->files));
	f = &s->files[s->n++];
	memset(f, 0, sizeof(*f));
	f->path = sg_xstrdup(path);
	f->text = sg_xmalloc(len + 1);
	memcpy(f->text, text, len);
	f->text[len] = '\0';
	f->len = len;
	f->where = sg_xstrdup(where);
}

static void
set_release(struct set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->files[i].path);
		free(s->files[i].text);
		free(s->files[i].where);
		sg_template_free(s->files[i].t);
	}
	free(s->files);
	memset(s, 0, sizeof(*s));
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

struct walk_ctx {
	struct set *set;
	struct sg_error *err;
};

static int
on_template(const struct sg_walk_entry *e, void *payload)
{
	struct walk_ctx *w = payload;
	struct sg_buf b;
	int error;

	if (e->type != SG_FS_FILE || !ends_with(e->name, ".mustache"))
		return SG_WALK_CONTINUE;
	if (strncmp(e->rel, "project/", 8) && strncmp(e->rel, "feature/", 8) &&
	    strncmp(e->rel, "partials/", 9))
		return SG_WALK_CONTINUE;
	if (w->set->n >= SG_GENERATE_MAX_TEMPLATES)
		return sg_error_set(w->err, SG_ETOOBIG, "'%s': more than %u "
		    "templates in one set", e->path, SG_GENERATE_MAX_TEMPLATES);
	sg_buf_init(&b, 0);
	error = sg_fs_read_file(&b, e->path, SG_GENERATE_MAX_TEMPLATE, w->err);
	if (error == 0)
		set_add(w->set, e->rel, b.ptr ? b.ptr : "", b.len, e->path);
	sg_buf_release(&b);
	return error;
}

static int
cmp_tfile(const void *a, const void *b)
{
	return strcmp(((const struct tfile *)a)->path,
	    ((const struct tfile *)b)->path);
}

static bool
is_builtin(const char *name)
{
	for (size_t i = 0; sg_generate_builtin_sets[i]; i++)
		if (!strcmp(sg_generate_builtin_sets[i], name))
			return true;
	return false;
}

/* A name with no '/' that is not a directory is a built-in set's. */
static int
load_set(struct set *s, const char *name, struct sg_error *err)
{
	struct walk_ctx w = {s, err};
	int error;

	if (!strchr(name, '/') && !sg_fs_is_dir(name)) {
		if (!is_builtin(name))
			return sg_error_set(err, SG_ENOTFOUND, "no template "
			    "set '%s': the built-in sets are c-cmocka and "
			    "pytest, or name a directory", name);
		for (size_t i = 0; i < sg_gen__nbuiltins; i++) {
			const struct sg_gen__builtin *b = &sg_gen__builtins[i];
			char *where;

			if (strcmp(b->set, name))
				continue;
			where = sg_xasprintf("<built-in %s>/%s", b->set,
			    b->path);
			set_add(s, b->path, b->text, b->len, where);
			free(where);
		}
		goto sorted;
	}
	if ((error = sg_walk(name, 8, on_template, &w, err)) < 0)
		return error;
	if (!s->n)
		return sg_error_set(err, SG_EINVAL, "'%s' holds no template: "
		    "a set is project/*.mustache and feature/*.mustache "
		    "(docs/templates.md)", name);
sorted:
	qsort(s->files, s->n, sizeof(*s->files), cmp_tfile);
	return 0;
}

static const struct tfile *
find_partial(const struct set *s, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < s->n; i++) {
		const char *p = s->files[i].path;

		if (!strncmp(p, "partials/", 9) && !strncmp(p + 9, name, n) &&
		    !strcmp(p + 9 + n, ".mustache"))
			return &s->files[i];
	}
	return NULL;
}

static int
load_partial(void *arg, const char *name, struct sg_template_source *out,
    struct sg_error *err)
{
	const struct tfile *f = find_partial(arg, name);

	(void)err;
	if (!f)
		return SG_ENOTFOUND;
	out->text = sg_xmalloc(f->len + 1);
	memcpy(out->text, f->text, f->len + 1);
	out->len = f->len;
	out->where = sg_xstrdup(f->where);
	return 0;
}

/* Does text carry the ownership header in its first lines? */
static bool
owned(const char *text, size_t len)
{
	size_t end = 0;

	for (int line = 0; line < SG_GENERATE_HEADER_LINES && end < len;
	     line++) {
		const char *nl = memchr(text + end, '\n', len - end);

		end = nl ? (size_t)(nl - text) + 1 : len;
	}
	for (size_t i = 0; i + strlen(SG_GENERATE_MARK) <= end; i++)
		if (!memcmp(text + i, SG_GENERATE_MARK,
			strlen(SG_GENERATE_MARK)))
			return true;
	return false;
}

/* out_dir/P with P's FEATURE made the feature's ident. */
static char *
out_path(const char *out_dir, const char *p, const char *ident)
{
	struct sg_buf b;
	const char *hit;

	sg_buf_init(&b, 0);
	sg_buf_printf(&b, "%s/", out_dir);
	while (ident && (hit = strstr(p, "FEATURE"))) {
		sg_buf_put(&b, p, (size_t)(hit - p));
		sg_buf_puts(&b, ident);
		p = hit + 7;
	}
	sg_buf_put(&b, p, strlen(p) - strlen(".mustache"));
	sg_buf_putc(&b, '\0');
	return sg_buf_detach(&b, NULL);
}

struct outputs {
	struct output *o;
	size_t n;
};

static int
render_one(struct outputs *outs, const struct tfile *f, json_t *ctx,
    const struct sg_template_options *topts, const char *path,
    struct sg_error *err)
{
	struct output *o;
	char *text = NULL;
	size_t len = 0;
	int error;

	if ((error = sg_template_render(f->t, ctx, topts, &text, &len,
		 err)) < 0)
		return error;
	if (!owned(text, len)) {
		free(text);
		return sg_error_set(err, SG_EINVAL, "%s: the output '%s' has no "
		    "ownership header: put {{header}} in a comment on one of "
		    "its first two lines", f->where, path);
	}
	if (outs->n >= SG_GENERATE_MAX_FILES) {
		free(text);
		return sg_error_set(err, SG_ETOOBIG, "more than %u generated "
		    "files", SG_GENERATE_MAX_FILES);
	}
	outs->o = sg_xreallocarray(outs->o, outs->n + 1, sizeof(*outs->o));
	o = &outs->o[outs->n++];
	o->path = sg_xstrdup(path);
	o->text = text;
	o->len = len;
	return 0;
}

/*
 * Project templates once with the root (features summarised), then each
 * feature built whole, rendered by every feature template and dropped:
 * memory is the summary, one feature and the outputs.
 */
static int
render_all(struct outputs *outs, struct set *s, struct sg_gen__model *m,
    const char *out_dir, struct sg_error *err)
{
	struct sg_template_options topts = SG_TEMPLATE_OPTIONS_INIT;
	json_t *root = sg_gen__model_root(m);
	size_t nfeatures = json_array_size(json_object_get(root, "features"));
	int error = 0;

	topts.loader = load_partial;
	topts.loader_arg = s;
	for (size_t i = 0; i < s->n; i++) {
		struct tfile *f = &s->files[i];
		char *p;

		if (!strncmp(f->path, "partials/", 9))
			continue;
		if ((error = sg_template_parse(&f->t, f->where, f->text,
			 f->len, err)) < 0)
			return error;
		if (strncmp(f->path, "project/", 8))
			continue;
		p = out_path(out_dir, f->path + 8, NULL);
		error = render_one(outs, f, root, &topts, p, err);
		free(p);
		if (error < 0)
			return error;
	}
	for (size_t k = 0; k < nfeatures; k++) {
		json_t *feat = NULL;
		json_t *ctx;

		if ((error = sg_gen__model_feature(m, k, &feat, err)) < 0)
			return error;
		ctx = json_copy(root);
		json_object_set_new(ctx, "feature", feat);
		for (size_t i = 0; i < s->n && !error; i++) {
			struct tfile *f = &s->files[i];
			char *p;

			if (strncmp(f->path, "feature/", 8))
				continue;
			p = out_path(out_dir, f->path + 8, json_string_value(
			    json_object_get(feat, "ident")));
			error = render_one(outs, f, ctx, &topts, p, err);
			free(p);
		}
		json_decref(ctx);
		if (error < 0)
			return error;
	}
	return 0;
}

static int
cmp_output(const void *a, const void *b)
{
	return strcmp(((const struct output *)a)->path,
	    ((const struct output *)b)->path);
}

static void
result_add(struct sg_generate_result *r, const char *path,
    enum sg_generated_action a)
{
	r->files = sg_xreallocarray(r->files, r->nfiles + 1, sizeof(*r->files));
	r->files[r->nfiles].path = sg_xstrdup(path);
	r->files[r->nfiles++].action = a;
	switch (a) {
	case SG_GEN_WRITTEN:
		r->nwritten++;
		break;
	case SG_GEN_UNCHANGED:
		r->nunchanged++;
		break;
	case SG_GEN_KEPT:
		r->nkept++;
		break;
	case SG_GEN_REMOVED:
		r->nremoved++;
		break;
	}
}

static char *
parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? sg_xstrndup(path, (size_t)(slash - path)) :
	    sg_xstrdup(".");
}

static int
write_output(struct sg_generate_result *r, const struct output *o,
    struct sg_error *err)
{
	struct sg_fs_stat st;
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_buf b;
	char *dir;
	int error;
	int e;

	sg_buf_init(&b, 0);
	e = sg_fs_lstat(&st, o->path, &mine);
	sg_error_release(&mine);
	if (e == 0 && st.type != SG_FS_FILE) {
		/* a directory, a symlink: not ours to replace */
		result_add(r, o->path, SG_GEN_KEPT);
		return 0;
	}
	if (e == 0) {
		e = sg_fs_read_file(&b, o->path, READ_MAX, &mine);
		sg_error_release(&mine);
		if (e == 0 && b.len == o->len &&
		    (!o->len || !memcmp(b.ptr, o->text, o->len))) {
			result_add(r, o->path, SG_GEN_UNCHANGED);
			goto done;
		}
		if (e < 0 || !owned(b.ptr ? b.ptr : "", b.len)) {
			result_add(r, o->path, SG_GEN_KEPT);
			goto done;
		}
	}
	dir = parent_of(o->path);
	error = sg_dir_make_all(dir, 0755, err);
	free(dir);
	if (error < 0 ||
	    (error = sg_fs_write_atomic(o->path, o->text, o->len, 0644,
		 err)) < 0) {
		sg_buf_release(&b);
		return error;
	}
	result_add(r, o->path, SG_GEN_WRITTEN);
done:
	sg_buf_release(&b);
	return 0;
}

struct stale_ctx {
	const struct outputs *outs;
	struct sg_generate_result *r;
	struct sg_error *err;
};

static int
on_existing(const struct sg_walk_entry *e, void *payload)
{
	struct stale_ctx *c = payload;
	struct output key;
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_dir d = SG_DIR_INIT;
	struct sg_buf b;
	char *dir;
	int error = 0;

	if (e->type != SG_FS_FILE)
		return SG_WALK_CONTINUE;
	key.path = (char *)e->path;
	if (bsearch(&key, c->outs->o, c->outs->n, sizeof(key), cmp_output))
		return SG_WALK_CONTINUE;
	sg_buf_init(&b, 0);
	if (sg_fs_read_file(&b, e->path, READ_MAX, &mine) < 0 ||
	    !owned(b.ptr ? b.ptr : "", b.len))
		goto out;
	dir = parent_of(e->path);
	error = sg_dir_open(&d, NULL, dir, 0, c->err);
	free(dir);
	if (error == 0 && (error = sg_dir_unlink(&d, e->name, c->err)) == 0)
		result_add(c->r, e->path, SG_GEN_REMOVED);
	sg_dir_close(&d);
out:
	sg_error_release(&mine);
	sg_buf_release(&b);
	return error < 0 ? error : SG_WALK_CONTINUE;
}

static int
cmp_result(const void *a, const void *b)
{
	return strcmp(((const struct sg_generated_file *)a)->path,
	    ((const struct sg_generated_file *)b)->path);
}

int
sg_generate(struct sg_generate_result *res, const struct sg_validation *v,
    const char *project, const struct sg_generate_options *opts,
    struct sg_error *err)
{
	struct sg_gen__model *model = NULL;
	struct set set = {NULL, 0};
	struct outputs outs = {NULL, 0};
	struct stale_ctx sc;
	int error;

	memset(res, 0, sizeof(*res));
	if ((error = load_set(&set, opts->templates, err)) < 0 ||
	    (error = sg_gen__model_new(&model, v, project, true, err)) < 0 ||
	    (error = render_all(&outs, &set, model, opts->out_dir, err)) < 0)
		goto out;
	qsort(outs.o, outs.n, sizeof(*outs.o), cmp_output);
	for (size_t i = 1; i < outs.n; i++) {
		if (!strcmp(outs.o[i].path, outs.o[i - 1].path)) {
			error = sg_error_set(err, SG_EINVAL, "two templates "
			    "write '%s' (two features with one ident?)",
			    outs.o[i].path);
			goto out;
		}
	}
	for (size_t i = 0; i < outs.n; i++)
		if ((error = write_output(res, &outs.o[i], err)) < 0)
			goto out;
	sc.outs = &outs;
	sc.r = res;
	sc.err = err;
	if (sg_fs_is_dir(opts->out_dir) &&
	    (error = sg_walk(opts->out_dir, 0, on_existing, &sc, err)) < 0)
		goto out;
	qsort(res->files, res->nfiles, sizeof(*res->files), cmp_result);
out:
	for (size_t i = 0; i < outs.n; i++) {
		free(outs.o[i].path);
		free(outs.o[i].text);
	}
	free(outs.o);
	set_release(&set);
	sg_gen__model_free(model);
	if (error < 0)
		sg_generate_result_release(res);
	return error;
}

void
sg_generate_result_release(struct sg_generate_result *res)
{
	for (size_t i = 0; i < res->nfiles; i++)
		free(res->files[i].path);
	free(res->files);
	memset(res, 0, sizeof(*res));
}
