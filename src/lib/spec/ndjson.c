/* SPDX-License-Identifier: MIT */
/*
 * ndjson.c - a document as Cucumber-messages NDJSON: one {"pickle":...}
 * line per pickle, or one {"parseError":...} line per parse error.
 *
 * Keys come in the order Cucumber's conformance files list them
 * (alphabetical); optional keys are left out as Cucumber leaves them out
 * (a column of 0, a missing media type, an argument index when a step has
 * one argument only).  The JSON is written by hand: strings are UTF-8
 * already, so only '"', '\\' and the control characters need escaping.
 *
 * Ids: Cucumber numbers AST nodes as its builder closes them - a step after
 * its table's rows, a scenario after its steps, examples and tags, the
 * feature's tags last - and then each pickle after its steps.  The tree has
 * no id fields (nothing else needs them), so the same post-order walk fills
 * a pointer-to-id hash table that the pickle lines look up.  Only what a
 * pickle refers to is stored: scenarios, steps, and the first id of each
 * array of tags and of each examples table (their ids are consecutive), so
 * a line of a million tags costs one entry.
 *
 * sg_gherkin_write_ndjson() streams: the ids of the AST come first (they
 * depend on the tree only), then each pickle is compiled, written as one
 * line and dropped, so memory is the tree, the id table and one line.
 */
#include "spec/gherkin_int.h"

#include <stdint.h>
#include <string.h>

struct idmap {
	const void **keys;
	unsigned *ids;
	size_t cap;    /* 1 << bits */
	unsigned bits; /* at least 8 */
	size_t n;
	unsigned next; /* the next id to hand out */
};

/*
 * Fibonacci hashing: the high bits of key * 2^64/phi.  Nodes sit in arrays
 * at a fixed stride, which the low bits of a plain product would keep.
 */
static size_t
slot(const struct idmap *m, const void *key)
{
	uint64_t h = (uint64_t)(uintptr_t)key * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> (64 - m->bits));
}

static void
put(struct idmap *m, const void *key, unsigned id)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap) {
		struct idmap g = {NULL, NULL, 0, m->bits ? m->bits + 1 : 8, 0, 0};

		g.cap = (size_t)1 << g.bits;
		g.keys = sg_xcalloc(g.cap, sizeof(*g.keys));
		g.ids = sg_xcalloc(g.cap, sizeof(*g.ids));
		for (size_t k = 0; k < m->cap; k++)
			if (m->keys[k])
				put(&g, m->keys[k], m->ids[k]);
		free(m->keys);
		free(m->ids);
		m->keys = g.keys;
		m->ids = g.ids;
		m->cap = g.cap;
		m->bits = g.bits;
	}
	for (i = slot(m, key); m->keys[i]; i = (i + 1) & (m->cap - 1))
		;
	m->keys[i] = key;
	m->ids[i] = id;
	m->n++;
}

static unsigned
get(const struct idmap *m, const void *key)
{
	for (size_t i = slot(m, key); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key)
			return m->ids[i];
	SG_BUG("AST node without an id");
}

/* Hand out n ids; remember the first under key (unless NULL). */
static void
assign(struct idmap *m, const void *key, size_t n)
{
	if (key && n)
		put(m, key, m->next);
	m->next += (unsigned)n;
}

static void
assign_steps(struct idmap *m, const struct sg_gh_step *steps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (steps[i].table)
			assign(m, NULL, steps[i].table->nrows);
		assign(m, &steps[i], 1);
	}
}

static void
assign_scenario(struct idmap *m, const struct sg_gh_scenario *s)
{
	assign_steps(m, s->steps, s->nsteps);
	for (size_t e = 0; e < s->nexamples; e++) {
		const struct sg_gh_examples *ex = &s->examples[e];

		if (ex->header)
			assign(m, ex->header, 1 + ex->nbody);
		assign(m, ex->tags, ex->ntags);
		assign(m, NULL, 1);
	}
	assign(m, s->tags, s->ntags);
	assign(m, s, 1);
}

/* The id of tag t, one of the tags a pickle inherits from n arrays. */
static unsigned
tag_id(const struct idmap *m, const struct sg_gh_tag *t,
    const struct sg_gh_tag *const *arr, const size_t *len, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (len[i] && t >= arr[i] && t < arr[i] + len[i])
			return get(m, arr[i]) + (unsigned)(t - arr[i]);
	SG_BUG("pickle tag from no AST node");
}

static void
assign_children(struct idmap *m, const struct sg_gh_child *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct sg_gh_rule *r;

		switch (c[i].type) {
		case SG_GH_BACKGROUND:
			assign_steps(m, c[i].u.background->steps,
			    c[i].u.background->nsteps);
			assign(m, NULL, 1);
			break;
		case SG_GH_SCENARIO:
			assign_scenario(m, c[i].u.scenario);
			break;
		case SG_GH_RULE:
			r = c[i].u.rule;
			assign_children(m, r->children, r->nchildren);
			assign(m, r->tags, r->ntags);
			assign(m, NULL, 1);
			break;
		}
	}
}

/* JSON */

static void
put_str(struct sg_buf *b, const char *s)
{
	sg_buf_json_string(b, s, 0);
}

static void
put_key(struct sg_buf *b, const char *key)
{
	sg_buf_putc(b, '"');
	sg_buf_puts(b, key);
	sg_buf_puts(b, "\":");
}

static void
put_uint(struct sg_buf *b, unsigned v)
{
	char d[16];
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sg_buf_put(b, d + i, sizeof(d) - i);
}

static void
put_id(struct sg_buf *b, unsigned id)
{
	sg_buf_putc(b, '"');
	put_uint(b, id);
	sg_buf_putc(b, '"');
}

static void
put_loc(struct sg_buf *b, struct sg_loc loc)
{
	put_key(b, "location");
	if (loc.column)
		sg_buf_printf(b, "{\"column\":%u,\"line\":%u}", loc.column,
		    loc.line);
	else
		sg_buf_printf(b, "{\"line\":%u}", loc.line);
}

static void
put_argument(struct sg_buf *b, const struct sg_pickle_step *ps)
{
	const struct sg_gh_step *st = ps->source;
	unsigned doc_index = 0;
	unsigned table_index = 0;

	if (st->docstring && st->table) {
		bool table_first = st->docstring->loc.line >
		    st->table->loc.line;

		doc_index = table_first ? 2 : 1;
		table_index = table_first ? 1 : 2;
	}
	put_key(b, "argument");
	sg_buf_putc(b, '{');
	if (ps->table) {
		put_key(b, "dataTable");
		sg_buf_putc(b, '{');
		if (table_index)
			sg_buf_printf(b, "\"argumentIndex\":%u,", table_index);
		put_key(b, "rows");
		sg_buf_putc(b, '[');
		for (size_t r = 0; r < ps->nrows; r++) {
			sg_buf_puts(b, r ? ",{\"cells\":[" : "{\"cells\":[");
			for (size_t i = 0; i < ps->ncols; i++) {
				sg_buf_puts(b, i ? ",{\"value\":" :
						   "{\"value\":");
				put_str(b, ps->table[r][i]);
				sg_buf_putc(b, '}');
			}
			sg_buf_puts(b, "]}");
		}
		sg_buf_puts(b, "]}");
		if (ps->docstring)
			sg_buf_putc(b, ',');
	}
	if (ps->docstring) {
		put_key(b, "docString");
		sg_buf_putc(b, '{');
		if (doc_index)
			sg_buf_printf(b, "\"argumentIndex\":%u,", doc_index);
		put_key(b, "content");
		put_str(b, ps->docstring);
		if (ps->media_type) {
			sg_buf_putc(b, ',');
			put_key(b, "mediaType");
			put_str(b, ps->media_type);
		}
		sg_buf_putc(b, '}');
	}
	sg_buf_puts(b, "},");
}

static void
put_pickle(struct sg_buf *b, struct idmap *m, const struct sg_gh_feature *f,
    const struct sg_pickle *p)
{
	const struct sg_gh_tag *arr[4] = {f->tags, NULL, p->scenario->tags,
	    NULL};
	size_t len[4] = {f->ntags, 0, p->scenario->ntags, 0};
	unsigned row_id = 0;
	unsigned first = m->next;

	if (p->rule) {
		arr[1] = p->rule->tags;
		len[1] = p->rule->ntags;
	}
	if (p->examples) {
		arr[3] = p->examples->tags;
		len[3] = p->examples->ntags;
	}
	if (p->row)
		row_id = get(m, p->examples->header) + 1 +
		    (unsigned)(p->row - p->examples->body);
	m->next += (unsigned)p->nsteps;
	sg_buf_puts(b, "{\"pickle\":{");
	put_key(b, "astNodeIds");
	sg_buf_putc(b, '[');
	put_id(b, get(m, p->scenario));
	if (p->row) {
		sg_buf_putc(b, ',');
		put_id(b, row_id);
	}
	sg_buf_puts(b, "],");
	put_key(b, "id");
	put_id(b, m->next++);
	sg_buf_puts(b, ",\"language\":");
	put_str(b, p->language);
	sg_buf_putc(b, ',');
	put_loc(b, p->loc);
	sg_buf_puts(b, ",\"name\":");
	put_str(b, p->name);
	sg_buf_puts(b, ",\"steps\":[");
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct sg_pickle_step *ps = &p->steps[i];

		sg_buf_puts(b, i ? ",{" : "{");
		if (ps->docstring || ps->table)
			put_argument(b, ps);
		put_key(b, "astNodeIds");
		sg_buf_putc(b, '[');
		put_id(b, get(m, ps->source));
		if (p->row && !ps->from_background) {
			sg_buf_putc(b, ',');
			put_id(b, row_id);
		}
		sg_buf_puts(b, "],\"id\":");
		put_id(b, first + (unsigned)i);
		sg_buf_puts(b, ",\"text\":");
		put_str(b, ps->text);
		sg_buf_puts(b, ",\"type\":");
		put_str(b, sg_step_kind_name(ps->type));
		sg_buf_putc(b, '}');
	}
	sg_buf_puts(b, "],\"tags\":[");
	for (size_t i = 0; i < p->ntags; i++) {
		sg_buf_puts(b, i ? ",{\"astNodeId\":" : "{\"astNodeId\":");
		put_id(b, tag_id(m, p->tags[i].source, arr, len, 4));
		sg_buf_puts(b, ",\"name\":");
		put_str(b, p->tags[i].name);
		sg_buf_putc(b, '}');
	}
	sg_buf_puts(b, "],\"uri\":");
	put_str(b, p->uri);
	sg_buf_puts(b, "}}\n");
}

static void
put_error(struct sg_buf *b, const char *uri, const struct sg_gh_parse_error *e)
{
	sg_buf_puts(b, "{\"parseError\":{\"message\":");
	put_str(b, e->message);
	sg_buf_puts(b, ",\"source\":{");
	put_loc(b, e->loc);
	sg_buf_puts(b, ",\"uri\":");
	put_str(b, uri);
	sg_buf_puts(b, "}}}\n");
}

/* The ids of the AST nodes, as Cucumber's builder hands them out. */
static void
assign_ast(struct idmap *m, const struct sg_gh_feature *f)
{
	if (f) {
		assign_children(m, f->children, f->nchildren);
		assign(m, f->tags, f->ntags);
	}
}

struct emit {
	struct idmap m;
	const struct sg_gh_feature *f;
	struct sg_buf line;
	sg_write_fn sink;
	void *payload;
};

static int
emit_pickle(const struct sg_pickle *p, void *payload, struct sg_error *err)
{
	struct emit *e = payload;

	sg_buf_truncate(&e->line, 0);
	put_pickle(&e->line, &e->m, e->f, p);
	return e->sink(e->line.ptr, e->line.len, e->payload, err);
}

/*
 * Two passes: the first only measures (nothing is kept, nothing written),
 * so that a document over a cap writes nothing at all; the second builds
 * each pickle again and writes its line.  Compiling twice is the price of
 * not holding the expansion in memory.
 */
int
sg_gherkin_write_ndjson(struct sg_gh_document *doc,
    const struct sg_pickle_limits *lim, sg_write_fn sink, void *payload,
    struct sg_error *err)
{
	struct emit e;
	int error = 0;

	memset(&e, 0, sizeof(e));
	sg_buf_init(&e.line, 0);
	if (doc->nerrors) {
		for (size_t i = 0; i < doc->nerrors && !error; i++) {
			sg_buf_truncate(&e.line, 0);
			put_error(&e.line, doc->uri, &doc->errors[i]);
			error = sink(e.line.ptr, e.line.len, payload, err);
		}
		goto out;
	}
	if ((error = sg_gherkin_pickles_each(doc, lim, NULL, NULL, err)) < 0)
		goto out;
	e.f = doc->feature;
	e.sink = sink;
	e.payload = payload;
	assign_ast(&e.m, e.f);
	error = sg_gherkin_pickles_each(doc, lim, emit_pickle, &e, err);
out:
	free(e.m.keys);
	free(e.m.ids);
	sg_buf_release(&e.line);
	return error;
}

int
sg_gherkin_to_ndjson(char **out, size_t *outlen, struct sg_gh_document *doc)
{
	struct sg_buf b;
	struct idmap m = {NULL, NULL, 0, 0, 0, 0};
	const struct sg_pickle *pickles;
	size_t n;
	const struct sg_gh_feature *f = doc->feature;
	int error = 0;

	*out = NULL;
	*outlen = 0;
	sg_buf_init(&b, 0);
	if (doc->nerrors) {
		for (size_t i = 0; i < doc->nerrors; i++)
			put_error(&b, doc->uri, &doc->errors[i]);
		goto out;
	}
	if ((error = sg_gherkin_pickles(&pickles, &n, doc)) < 0)
		goto out;
	if (n)
		assign_ast(&m, f);
	for (size_t i = 0; i < n; i++)
		put_pickle(&b, &m, f, &pickles[i]);
out:
	free(m.keys);
	free(m.ids);
	if (error < 0) {
		sg_buf_release(&b);
		return error;
	}
	*out = sg_buf_detach(&b, outlen);
	return 0;
}
