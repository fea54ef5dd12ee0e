/* SPDX-License-Identifier: MIT */
/*
 * pickles.c - compile a document into pickles, Cucumber's executable
 * scenarios.
 *
 * A Scenario gives one pickle; an Outline gives one per body row of each
 * Examples that has a table, located at the row and with <name>
 * placeholders replaced by the row's values in the name, the step texts,
 * the doc strings (content and media type) and the table cells.  The
 * placeholders are replaced column after column over the whole text, as
 * Cucumber does, so a value that itself reads "<other>" is replaced again
 * by a later column.  Background steps (the feature's, then the rule's) are
 * prepended to scenarios that have steps.  A step's type is its keyword's,
 * or for And/But the type of the step before (Unknown at the start).  Tags
 * are the feature's, the rule's, the scenario's and the examples', in that
 * order.
 *
 * Everything lives in the document's arena.  Strings without placeholders
 * are the AST's own strings, not copies.
 */
#include "spec/gherkin_int.h"

#include <string.h>

struct compiler {
	struct gh_doc *doc;
	struct sg_arena *a;
	const struct sg_gh_feature *feature;
	struct gh_vec pickles; /* struct sg_pickle */
	struct gh_vec steps;   /* struct sg_pickle_step, one pickle's */
	struct gh_vec buf[2];  /* interpolation scratch */
	const char **patterns; /* "<name>" of each header cell */
	size_t *plens;
	size_t npatterns;
};

/*
 * The steps a scenario inherits, and where from.  The background's pickle
 * steps are the same for every scenario that has steps (their types too:
 * they come first), so they are compiled once per background.
 */
struct inherited {
	const struct sg_gh_background *bg[2]; /* the feature's, the rule's */
	const struct sg_gh_rule *rule;
	bool ready; /* the cache below is up to date */
	const struct sg_pickle_step *steps;
	size_t nsteps;
	enum sg_step_kind last; /* the type of the last one */
};

static void
set_patterns(struct compiler *c, const struct sg_gh_row *header)
{
	c->npatterns = header->ncells;
	c->patterns = sg_arena_calloc(c->a, header->ncells,
	    sizeof(*c->patterns));
	c->plens = sg_arena_calloc(c->a, header->ncells, sizeof(*c->plens));
	for (size_t i = 0; i < header->ncells; i++) {
		size_t n;
		char *s;

		n = strlen(header->cells[i].value);
		s = sg_arena_alloc_raw(c->a, n + 3);
		s[0] = '<';
		memcpy(s + 1, header->cells[i].value, n);
		s[n + 1] = '>';
		s[n + 2] = '\0';
		c->patterns[i] = s;
		c->plens[i] = n + 2;
	}
}

/* The first `pat` (which starts with '<') in s, or NULL. */
static const char *
find(const char *s, const char *pat, size_t plen)
{
	while ((s = strchr(s, '<'))) {
		if (!strncmp(s, pat, plen))
			return s;
		s++;
	}
	return NULL;
}

static void
put(struct gh_vec *b, const char *s, size_t n)
{
	/* An empty piece may come with NULL pointers: memcpy() forbids it. */
	if (n)
		memcpy(sg_gherkin__vec_push(b, n), s, n);
}

/* s with every <name> replaced by the row's value, column by column. */
static const char *
interpolate(struct compiler *c, const char *s, const struct sg_gh_row *row)
{
	const char *cur = s;
	int k = 0;

	if (!row || !strchr(s, '<'))
		return s;
	for (size_t i = 0; i < c->npatterns && i < row->ncells; i++) {
		const char *pat = c->patterns[i];
		size_t plen = c->plens[i];
		const char *val = row->cells[i].value;
		size_t vlen;
		const char *hit;
		struct gh_vec *b;

		hit = find(cur, pat, plen);
		if (!hit)
			continue;
		vlen = strlen(val);
		b = &c->buf[k];
		b->len = 0;
		do {
			put(b, cur, (size_t)(hit - cur));
			put(b, val, vlen);
			cur = hit + plen;
			hit = find(cur, pat, plen);
		} while (hit);
		put(b, cur, strlen(cur) + 1);
		cur = b->p;
		k ^= 1;
	}
	if (cur == s)
		return s;
	return sg_gherkin__strdup(c->doc, cur, c->buf[k ^ 1].len - 1);
}

static const char *const *const *
pickle_table(struct compiler *c, const struct sg_gh_table *t,
    const struct sg_gh_row *row, size_t *ncols)
{
	const char ***rows;

	*ncols = t->nrows ? t->rows[0].ncells : 0;
	rows = sg_arena_calloc(c->a, t->nrows, sizeof(*rows));
	for (size_t r = 0; r < t->nrows; r++) {
		const struct sg_gh_row *tr = &t->rows[r];

		rows[r] = sg_arena_calloc(c->a, tr->ncells, sizeof(*rows[r]));
		for (size_t i = 0; i < tr->ncells; i++)
			rows[r][i] = interpolate(c, tr->cells[i].value, row);
	}
	return (const char *const *const *)rows;
}

static void
add_step(struct compiler *c, const struct sg_gh_step *st,
    const struct sg_gh_row *row, enum sg_step_kind *last, bool from_bg)
{
	struct sg_pickle_step *ps;

	ps = sg_gherkin__vec_push(&c->steps, sizeof(*ps));
	memset(ps, 0, sizeof(*ps));
	if (st->kind != SG_STEP_CONJUNCTION)
		*last = st->kind;
	ps->type = *last;
	ps->text = interpolate(c, st->text, row);
	if (st->docstring) {
		ps->docstring = interpolate(c, st->docstring->content, row);
		if (st->docstring->media_type)
			ps->media_type = interpolate(c,
			    st->docstring->media_type, row);
	}
	if (st->table) {
		ps->table = pickle_table(c, st->table, row, &ps->ncols);
		ps->nrows = st->table->nrows;
	}
	ps->source = st;
	ps->from_background = from_bg;
}

static size_t
count_tags(const struct inherited *in, const struct sg_gh_scenario *s,
    const struct sg_gh_examples *ex)
{
	size_t n = s->ntags;

	if (ex)
		n += ex->ntags;
	if (in->rule)
		n += in->rule->ntags;
	return n;
}

static void
put_tags(struct sg_pickle_tag **t, const struct sg_gh_tag *tags, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		(*t)->name = tags[i].name;
		(*t)->source = &tags[i];
		(*t)++;
	}
}

static void
background_steps(struct compiler *c, struct inherited *in)
{
	in->last = SG_STEP_UNKNOWN;
	c->steps.len = 0;
	for (size_t b = 0; b < 2; b++) {
		for (size_t i = 0; in->bg[b] && i < in->bg[b]->nsteps; i++)
			add_step(c, &in->bg[b]->steps[i], NULL, &in->last, true);
	}
	in->nsteps = GH_VEC_N(&c->steps, struct sg_pickle_step);
	in->steps = sg_arena_memdup(c->a, c->steps.p, in->nsteps,
	    sizeof(struct sg_pickle_step));
	in->ready = true;
}

static void
add_pickle(struct compiler *c, struct inherited *in,
    const struct sg_gh_scenario *s, const struct sg_gh_examples *ex,
    const struct sg_gh_row *row)
{
	const struct sg_gh_feature *f = c->feature;
	struct sg_pickle *p;
	enum sg_step_kind last = SG_STEP_UNKNOWN;
	struct sg_pickle_tag *tags;
	struct sg_pickle_tag *t;

	if (s->nsteps && !in->ready)
		background_steps(c, in);
	c->steps.len = 0;
	if (s->nsteps && in->nsteps) {
		memcpy(sg_gherkin__vec_push(&c->steps,
			   in->nsteps * sizeof(*in->steps)),
		    in->steps, in->nsteps * sizeof(*in->steps));
		last = in->last;
	}
	p = sg_gherkin__vec_push(&c->pickles, sizeof(*p));
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < s->nsteps; i++)
		add_step(c, &s->steps[i], row, &last, false);
	p->ntags = f->ntags + count_tags(in, s, ex);
	tags = sg_arena_calloc(c->a, p->ntags, sizeof(*tags));
	t = tags;
	put_tags(&t, f->tags, f->ntags);
	if (in->rule)
		put_tags(&t, in->rule->tags, in->rule->ntags);
	put_tags(&t, s->tags, s->ntags);
	if (ex)
		put_tags(&t, ex->tags, ex->ntags);
	p->uri = c->doc->pub.uri;
	p->loc = row ? row->loc : s->loc;
	p->name = interpolate(c, s->name, row);
	p->language = f->language;
	p->tags = tags;
	p->steps = sg_arena_memdup(c->a, c->steps.p,
	    GH_VEC_N(&c->steps, struct sg_pickle_step),
	    sizeof(struct sg_pickle_step));
	p->nsteps = GH_VEC_N(&c->steps, struct sg_pickle_step);
	p->scenario = s;
	p->rule = in->rule;
	p->examples = ex;
	p->row = row;
}

static void
compile_scenario(struct compiler *c, struct inherited *in,
    const struct sg_gh_scenario *s)
{
	if (!s->nexamples) {
		add_pickle(c, in, s, NULL, NULL);
		return;
	}
	for (size_t e = 0; e < s->nexamples; e++) {
		const struct sg_gh_examples *ex = &s->examples[e];

		if (!ex->header)
			continue;
		set_patterns(c, ex->header);
		for (size_t r = 0; r < ex->nbody; r++)
			add_pickle(c, in, s, ex, &ex->body[r]);
	}
}

static void
compile_rule(struct compiler *c, const struct inherited *outer,
    const struct sg_gh_rule *rule)
{
	struct inherited in = *outer;

	in.rule = rule;
	for (size_t i = 0; i < rule->nchildren; i++) {
		const struct sg_gh_child *ch = &rule->children[i];

		if (ch->type == SG_GH_BACKGROUND) {
			in.bg[1] = ch->u.background;
			in.ready = false;
		}
		else if (ch->type == SG_GH_SCENARIO)
			compile_scenario(c, &in, ch->u.scenario);
	}
}

static void
compile(struct compiler *c)
{
	const struct sg_gh_feature *f = c->feature;
	struct inherited in;

	memset(&in, 0, sizeof(in));
	for (size_t i = 0; i < f->nchildren; i++) {
		const struct sg_gh_child *ch = &f->children[i];

		switch (ch->type) {
		case SG_GH_BACKGROUND:
			in.bg[0] = ch->u.background;
			in.ready = false;
			break;
		case SG_GH_RULE:
			compile_rule(c, &in, ch->u.rule);
			break;
		case SG_GH_SCENARIO:
			compile_scenario(c, &in, ch->u.scenario);
			break;
		}
	}
}

int
sg_gherkin_pickles(const struct sg_pickle **out, size_t *nout,
    struct sg_gh_document *doc)
{
	struct gh_doc *d;
	struct compiler c;
	int error = 0;

	d = gh_doc_of(doc);
	*out = NULL;
	*nout = 0;
	if (doc->nerrors) {
		error = SG_EINVAL;
		goto out;
	}
	if (!d->compiled && doc->feature) {
		memset(&c, 0, sizeof(c));
		c.doc = d;
		c.a = &d->arena;
		c.feature = doc->feature;
		compile(&c);
		d->npickles = GH_VEC_N(&c.pickles, struct sg_pickle);
		d->pickles = sg_arena_memdup(c.a, c.pickles.p, d->npickles,
		    sizeof(struct sg_pickle));
		sg_gherkin__vec_release(&c.pickles);
		sg_gherkin__vec_release(&c.steps);
		sg_gherkin__vec_release(&c.buf[0]);
		sg_gherkin__vec_release(&c.buf[1]);
	}
	d->compiled = true;
	*out = d->pickles;
	*nout = d->npickles;
out:
	return error;
}
