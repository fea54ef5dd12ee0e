/* SPDX-License-Identifier: MIT */
/*
 * coverage.c - the coverage gate's data: read lcov and Cobertura files
 * into one accumulator, merge, compute the figures, check that the
 * sources exist, render them as JSON.
 *
 * Figures are computed from the per-line data (lcov DA/BRDA, Cobertura
 * <line>), never from a producer's own summary (LF/LH, line-rate): the
 * system we replace claimed a coverage no test produced, and a summary
 * is exactly what can be claimed.  Duplicates (a source in several
 * records or files) are merged per line, hits summed, as `lcov -a` and
 * gcovr do, so that a line is counted once.
 */
#include "specgate/gate.h"

#include <jansson.h>

#include "gate/gate_int.h"
#include "sys/fs.h"

struct sg_coverage_private {
	struct sg_strlist sources;
};

void
sg_gate__cov_init(struct cov_acc *a)
{
	memset(a, 0, sizeof(*a));
	sg_gate__map_init(&a->names);
}

struct cov_src *
sg_gate__cov_src(struct cov_acc *a, const char *key)
{
	bool added;
	size_t i;

	i = sg_gate__map_put(&a->names, key, strlen(key), &added);
	if (added && a->names.n > SG_GATE_MAX_COV_FILES)
		return NULL;
	if (i >= a->capsrcs) {
		size_t n = a->capsrcs ? a->capsrcs * 2 : 64;

		a->srcs = sg_xreallocarray(a->srcs, n, sizeof(*a->srcs));
		memset(a->srcs + a->capsrcs, 0,
		    (n - a->capsrcs) * sizeof(*a->srcs));
		a->capsrcs = n;
	}
	return &a->srcs[i];
}

void
sg_gate__cov_line(struct cov_src *s, uint32_t line, uint64_t hits)
{
	if (s->nlines == s->caplines) {
		s->caplines = s->caplines ? s->caplines * 2 : 16;
		s->lines = sg_xreallocarray(s->lines, s->caplines,
		    sizeof(*s->lines));
	}
	s->lines[s->nlines].line = line;
	s->lines[s->nlines].hits = hits > UINT32_MAX ? UINT32_MAX :
						      (uint32_t)hits;
	s->nlines++;
}

void
sg_gate__cov_branch(struct cov_src *s, uint32_t line, uint32_t block,
    uint32_t branch, uint64_t taken, uint64_t total)
{
	struct cov_branch *b;

	if (s->nbranches == s->capbranches) {
		s->capbranches = s->capbranches ? s->capbranches * 2 : 16;
		s->branches = sg_xreallocarray(s->branches, s->capbranches,
		    sizeof(*s->branches));
	}
	b = &s->branches[s->nbranches++];
	b->line = line;
	b->block = block;
	b->branch = branch;
	b->taken = taken > UINT32_MAX ? UINT32_MAX : (uint32_t)taken;
	b->total = total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
}

static int
cmp_line(const void *a, const void *b)
{
	const struct cov_line *x = a, *y = b;

	return (x->line > y->line) - (x->line < y->line);
}

static int
cmp_branch(const void *a, const void *b)
{
	const struct cov_branch *x = a, *y = b;

	if (x->line != y->line)
		return (x->line > y->line) - (x->line < y->line);
	if (x->block != y->block)
		return (x->block > y->block) - (x->block < y->block);
	return (x->branch > y->branch) - (x->branch < y->branch);
}

static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Merge one source's lines and branches and count them into f. */
static void
src_figures(struct sg_cov_file *f, struct cov_src *s)
{
	size_t i, j;

	if (s->nlines) /* qsort(NULL, 0) is undefined */
		qsort(s->lines, s->nlines, sizeof(*s->lines), cmp_line);
	for (i = 0; i < s->nlines; i = j) {
		uint64_t hits = 0;

		for (j = i; j < s->nlines && s->lines[j].line == s->lines[i].line;
		     j++)
			hits = sat_add(hits, s->lines[j].hits);
		f->lines_found++;
		f->lines_hit += hits > 0;
	}
	if (s->nbranches)
		qsort(s->branches, s->nbranches, sizeof(*s->branches),
		    cmp_branch);
	for (i = 0; i < s->nbranches; i = j) {
		uint64_t taken = 0;
		uint64_t total = 0;

		for (j = i; j < s->nbranches &&
		     !cmp_branch(&s->branches[i], &s->branches[j]);
		     j++) {
			/* lcov: hits summed; Cobertura: the best report */
			if (s->branches[j].total) {
				if (s->branches[j].total > total)
					total = s->branches[j].total;
				if (s->branches[j].taken > taken)
					taken = s->branches[j].taken;
			} else {
				taken = sat_add(taken, s->branches[j].taken);
			}
		}
		if (total) {
			f->branches_found += total;
			f->branches_hit += taken < total ? taken : total;
		} else {
			f->branches_found++;
			f->branches_hit += taken > 0;
		}
	}
}

static int
cmp_file(const void *a, const void *b)
{
	const struct sg_cov_file *x = a, *y = b;

	return strcmp(x->path, y->path);
}

static void
acc_release(struct cov_acc *a)
{
	for (size_t i = 0; i < a->names.n; i++) {
		free(a->srcs[i].lines);
		free(a->srcs[i].branches);
	}
	free(a->srcs);
	sg_gate__map_release(&a->names);
	for (size_t i = 0; i < a->sources.n; i++)
		free(a->sources.items[i]);
	free(a->sources.items);
}

static struct sg_coverage *
acc_finish(struct cov_acc *a)
{
	struct sg_coverage *cov = sg_xcalloc(1, sizeof(*cov));

	cov->priv = sg_xcalloc(1, sizeof(*cov->priv));
	cov->nfiles = a->names.n;
	cov->files = sg_xcalloc(cov->nfiles ? cov->nfiles : 1,
	    sizeof(*cov->files));
	for (size_t i = 0; i < a->names.n; i++) {
		struct sg_cov_file *f = &cov->files[i];

		f->path = a->names.keys[i];
		a->names.keys[i] = NULL;
		f->exists = true;
		src_figures(f, &a->srcs[i]);
		cov->lines_found += f->lines_found;
		cov->lines_hit += f->lines_hit;
		cov->branches_found += f->branches_found;
		cov->branches_hit += f->branches_hit;
	}
	qsort(cov->files, cov->nfiles, sizeof(*cov->files), cmp_file);
	cov->priv->sources = a->sources;
	memset(&a->sources, 0, sizeof(a->sources));
	return cov;
}

int
sg_coverage_read(struct sg_coverage **out, const char *const *paths,
    size_t npaths, struct sg_error *err)
{
	struct cov_acc acc;
	char head[64];
	size_t got;
	size_t k;
	int error = 0;

	*out = NULL;
	sg_gate__cov_init(&acc);
	for (size_t i = 0; i < npaths; i++) {
		if ((error = sg_gate__peek(paths[i], head, sizeof(head), &got,
			 err)) < 0)
			goto out;
		k = 0;
		if (got >= 3 && !memcmp(head, "\xef\xbb\xbf", 3))
			k = 3;
		while (k < got && head[k] && strchr(" \t\r\n", head[k]))
			k++;
		if (k < got && head[k] == '<')
			error = sg_gate__cobertura_read(&acc, paths[i], err);
		else
			error = sg_gate__lcov_read(&acc, paths[i], err);
		if (error < 0)
			goto out;
	}
	*out = acc_finish(&acc);
out:
	acc_release(&acc);
	return error;
}

double
sg_coverage_percent(uint64_t hit, uint64_t found)
{
	if (!found)
		return -1.0;
	return 100.0 * (double)hit / (double)found;
}

void
sg_coverage_check(struct sg_coverage *cov, const char *root)
{
	const struct sg_strlist *src = &cov->priv->sources;
	char *p;

	cov->nmissing = 0;
	for (size_t i = 0; i < cov->nfiles; i++) {
		struct sg_cov_file *f = &cov->files[i];
		bool found = false;

		if (f->path[0] == '/') {
			found = sg_fs_exists(f->path);
		} else {
			for (size_t j = 0; !found && j < src->n; j++) {
				if (src->items[j][0] == '/')
					p = sg_xasprintf("%s/%s",
					    src->items[j], f->path);
				else
					p = sg_xasprintf("%s/%s/%s", root,
					    src->items[j], f->path);
				found = sg_fs_exists(p);
				free(p);
			}
			if (!found) {
				p = sg_xasprintf("%s/%s", root, f->path);
				found = sg_fs_exists(p);
				free(p);
			}
		}
		f->exists = found;
		cov->nmissing += !found;
	}
}

void
sg_coverage_free(struct sg_coverage *cov)
{
	if (!cov)
		return;
	for (size_t i = 0; i < cov->nfiles; i++)
		free(cov->files[i].path);
	free(cov->files);
	if (cov->priv) {
		for (size_t i = 0; i < cov->priv->sources.n; i++)
			free(cov->priv->sources.items[i]);
		free(cov->priv->sources.items);
		free(cov->priv);
	}
	free(cov);
}

/* A percentage rounded to 0.1 as lcov and gcovr print it; null: no data. */
static json_t *
pct_json(uint64_t hit, uint64_t found)
{
	double p = sg_coverage_percent(hit, found);

	if (p < 0)
		return json_null();
	return json_real((double)(int64_t)(p * 10.0 + 0.5) / 10.0);
}

json_t *
sg_gate__coverage_tree(const struct sg_coverage *cov)
{
	json_t *o = json_object();
	json_t *files = json_array();

	json_object_set_new(o, "line_percent",
	    pct_json(cov->lines_hit, cov->lines_found));
	json_object_set_new(o, "branch_percent",
	    pct_json(cov->branches_hit, cov->branches_found));
	json_object_set_new(o, "lines_found",
	    json_integer((json_int_t)cov->lines_found));
	json_object_set_new(o, "lines_hit",
	    json_integer((json_int_t)cov->lines_hit));
	json_object_set_new(o, "branches_found",
	    json_integer((json_int_t)cov->branches_found));
	json_object_set_new(o, "branches_hit",
	    json_integer((json_int_t)cov->branches_hit));
	json_object_set_new(o, "sources_missing",
	    json_integer((json_int_t)cov->nmissing));
	for (size_t i = 0; i < cov->nfiles; i++) {
		const struct sg_cov_file *f = &cov->files[i];

		json_array_append_new(files,
		    json_pack("{s:s, s:o, s:o, s:I, s:I, s:I, s:I, s:b}",
			"path", f->path, "line_percent",
			pct_json(f->lines_hit, f->lines_found),
			"branch_percent",
			pct_json(f->branches_hit, f->branches_found),
			"lines_found", (json_int_t)f->lines_found,
			"lines_hit", (json_int_t)f->lines_hit,
			"branches_found", (json_int_t)f->branches_found,
			"branches_hit", (json_int_t)f->branches_hit,
			"exists", f->exists));
	}
	json_object_set_new(o, "files", files);
	return o;
}

int
sg_coverage_json(char **out, const struct sg_coverage *cov,
    struct sg_error *err)
{
	json_t *o = sg_gate__coverage_tree(cov);

	*out = json_dumps(o, JSON_SORT_KEYS | JSON_INDENT(2) |
	    JSON_REAL_PRECISION(12));
	json_decref(o);
	if (!*out)
		return sg_error_set(err, SG_EIO, "cannot render coverage");
	return 0;
}
