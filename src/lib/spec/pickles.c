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
 * Two ways out.  sg_gherkin_pickles() keeps every pickle in the document's
 * arena; sg_gherkin_pickles_each() hands them to a callback one at a time,
 * building each in a scratch arena that is dropped after the call, so its
 * memory is the tree plus one pickle.  Strings without placeholders are the
 * AST's own strings, not copies.
 *
 * Expansion is capped (struct sg_pickle_limits): pickles, pickle steps,
 * bytes of pickle text and bytes searched for placeholders are counted as
 * they are produced, and the byte cap is checked while a string is being
 * substituted, before its buffer grows: a value that holds placeholders of
 * later columns makes the text grow geometrically, and the check must come
 * before the memory does.  Crossing a cap stops the compiler (c->error);
 * every function below returns early once it is set.
 */
#include "spec/gherkin_int.h"

#include <string.h>

struct compiler {
	struct gh_doc *doc;
	struct sg_arena *a;	/* the document's: lives with the tree */
	struct sg_arena *s;	/* one pickle's strings and arrays */
	struct sg_arena scratch; /* that arena, when streaming */
	const struct sg_gh_feature *feature;
	struct gh_vec pickles; /* struct sg_pickle (when not streaming) */
	struct gh_vec steps;   /* struct sg_pickle_step, one pickle's */
	struct gh_vec buf[2];  /* interpolation scratch */
	const char **patterns; /* "<name>" of each header cell */
	size_t *plens;
	size_t npatterns;
	/* streaming: the callback, or NULL to keep the pickles */
	sg_pickle_fn fn;
	void *payload;
	bool stream;
	/* the caps and what has been produced so far */
	struct sg_pickle_limits lim;
	size_t npickles, nsteps, nbytes, nscan;
	struct sg_loc at; /* the pickle being built */
	bool at_row;	  /* ... an Outline's row */
	int error;	  /* set once: everything returns early */
	struct sg_error *err;
};

enum cap { CAP_PICKLES, CAP_STEPS, CAP_BYTES, CAP_SCAN };

/* Stop the compiler: the pickle at c->at crossed a cap. */
static void
over_cap(struct compiler *c, enum cap which)
{
	static const char *const what[] = {
	    "pickles (a Scenario, or one Outline row)",
	    "pickle steps (an Outline's steps repeat for every row, a "
	    "Background's for every scenario)",
	    "bytes of pickle text (names, steps, arguments and tags, "
	    "<placeholders> substituted)",
	    "bytes searched for <placeholders>",
	};
	static const char *const name[] = {"max-pickles", "max-pickle-steps",
	    "max-pickle-bytes", "max-placeholder-scan"};
	const size_t cap[] = {c->lim.max_pickles, c->lim.max_steps,
	    c->lim.max_bytes, c->lim.max_scan};

	if (c->error)
		return;
	c->error = sg_error_set_at(c->err, SG_ETOOBIG, c->doc->pub.uri,
	    c->at.line, c->at.column,
	    "expanding the scenarios exceeds the cap of %zu %s per file, at "
	    "this %s [%s]",
	    cap[which], what[which], c->at_row ? "Examples row" : "Scenario",
	    name[which]);
}

/* Count n more bytes of pickle text; false when that crosses the cap. */
static bool
add_bytes(struct compiler *c, size_t n)
{
	if (c->error)
		return false;
	if (n > c->lim.max_bytes - c->nbytes) {
		over_cap(c, CAP_BYTES);
		return false;
	}
	c->nbytes += n;
	return true;
}

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
	size_t nbytes;		/* their text, counted in every pickle */
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

/*
 * Append n bytes to b, the string being substituted; false (and nothing
 * appended) when the string would no longer fit in what is left of the
 * byte cap.  `held` is the size of the other buffer when it holds the text
 * being substituted: both count, so that the two buffers together never
 * hold more than the cap.
 */
static bool
put(struct compiler *c, struct gh_vec *b, size_t held, const char *s,
    size_t n)
{
	size_t left = c->lim.max_bytes - c->nbytes;

	if (c->error)
		return false;
	if (n > left || b->len > left - n || held > left - n - b->len) {
		over_cap(c, CAP_BYTES);
		return false;
	}
	/* An empty piece may come with NULL pointers: memcpy() forbids it. */
	if (n)
		memcpy(sg_gherkin__vec_push(b, n), s, n);
	return true;
}

/* Copy a substituted string where the pickle being built lives. */
static const char *
keep(struct compiler *c, const char *s, size_t n)
{
	if (c->stream)
		return sg_arena_strndup(c->s, s, n);
	return sg_gherkin__strdup(c->doc, s, n);
}

/*
 * s with every <name> replaced by the row's value, column by column, and
 * its length counted against the byte cap.  Once the text holds no '<', no
 * later column can match, so the search stops there: the search costs
 * columns x text only for texts that keep placeholders, and that cost is
 * counted against max_scan.  Returns "" once a cap is crossed.
 */
static const char *
interpolate(struct compiler *c, const char *s, const struct sg_gh_row *row)
{
	const char *cur = s;
	size_t curlen;
	size_t held;
	int k = 0;

	if (c->error)
		return "";
	if (!row || !strchr(s, '<')) {
		add_bytes(c, strlen(s));
		return c->error ? "" : s;
	}
	curlen = strlen(s);
	for (size_t i = 0; i < c->npatterns && i < row->ncells; i++) {
		const char *pat = c->patterns[i];
		size_t plen = c->plens[i];
		const char *val = row->cells[i].value;
		size_t vlen;
		const char *hit;
		struct gh_vec *b;

		if (curlen > c->lim.max_scan - c->nscan) {
			over_cap(c, CAP_SCAN);
			return "";
		}
		c->nscan += curlen;
		hit = find(cur, pat, plen);
		if (!hit)
			continue;
		vlen = strlen(val);
		held = cur == s ? 0 : curlen + 1;
		b = &c->buf[k];
		b->len = 0;
		do {
			if (!put(c, b, held, cur, (size_t)(hit - cur)) ||
			    !put(c, b, held, val, vlen))
				return "";
			cur = hit + plen;
			hit = find(cur, pat, plen);
		} while (hit);
		if (!put(c, b, held, cur, strlen(cur)))
			return "";
		/* the NUL is not text: not counted */
		*(char *)sg_gherkin__vec_push(b, 1) = '\0';
		cur = b->p;
		curlen = b->len - 1;
		k ^= 1;
		if (!strchr(cur, '<'))
			break;
	}
	if (!add_bytes(c, curlen))
		return "";
	if (cur == s)
		return s;
	return keep(c, cur, curlen);
}

static const char *const *const *
pickle_table(struct compiler *c, struct sg_arena *a,
    const struct sg_gh_table *t, const struct sg_gh_row *row, size_t *ncols)
{
	const char ***rows;

	*ncols = t->nrows ? t->rows[0].ncells : 0;
	rows = sg_arena_calloc(a, t->nrows, sizeof(*rows));
	for (size_t r = 0; r < t->nrows; r++) {
		const struct sg_gh_row *tr = &t->rows[r];

		rows[r] = sg_arena_calloc(a, tr->ncells, sizeof(*rows[r]));
		for (size_t i = 0; i < tr->ncells; i++)
			rows[r][i] = interpolate(c, tr->cells[i].value, row);
	}
	return (const char *const *const *)rows;
}

/* One step into c->steps; its table's arrays go into arena a. */
static void
add_step(struct compiler *c, struct sg_arena *a, const struct sg_gh_step *st,
    const struct sg_gh_row *row, enum sg_step_kind *last, bool from_bg)
{
	struct sg_pickle_step *ps;

	if (c->error)
		return;
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
		ps->table = pickle_table(c, a, st->table, row, &ps->ncols);
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

/*
 * The background steps, compiled once and kept with the tree (no row: no
 * substitution, so their strings are the AST's).  Their bytes are measured
 * here and counted into every pickle that gets them.
 */
static void
background_steps(struct compiler *c, struct inherited *in)
{
	size_t before = c->nbytes;

	in->last = SG_STEP_UNKNOWN;
	c->steps.len = 0;
	for (size_t b = 0; b < 2; b++) {
		for (size_t i = 0; in->bg[b] && i < in->bg[b]->nsteps; i++)
			add_step(c, c->a, &in->bg[b]->steps[i], NULL,
			    &in->last, true);
	}
	in->nbytes = c->nbytes - before;
	c->nbytes = before;
	in->nsteps = GH_VEC_N(&c->steps, struct sg_pickle_step);
	in->steps = sg_arena_memdup(c->a, c->steps.p, in->nsteps,
	    sizeof(struct sg_pickle_step));
	in->ready = true;
}

static size_t
tag_bytes(const struct sg_gh_tag *tags, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += strlen(tags[i].name);
	return len;
}

static void
add_pickle(struct compiler *c, struct inherited *in,
    const struct sg_gh_scenario *s, const struct sg_gh_examples *ex,
    const struct sg_gh_row *row)
{
	const struct sg_gh_feature *f = c->feature;
	struct sg_pickle pk;
	struct sg_pickle *p = &pk;
	enum sg_step_kind last = SG_STEP_UNKNOWN;
	struct sg_pickle_tag *tags;
	struct sg_pickle_tag *t;
	size_t nsteps;

	if (c->error)
		return;
	c->at = row ? row->loc : s->loc;
	c->at_row = row != NULL;
	if (c->npickles >= c->lim.max_pickles) {
		over_cap(c, CAP_PICKLES);
		return;
	}
	c->npickles++;
	if (s->nsteps && !in->ready)
		background_steps(c, in);
	nsteps = s->nsteps + (s->nsteps ? in->nsteps : 0);
	if (nsteps > c->lim.max_steps - c->nsteps) {
		over_cap(c, CAP_STEPS);
		return;
	}
	c->nsteps += nsteps;
	c->steps.len = 0;
	if (s->nsteps && in->nsteps) {
		if (!add_bytes(c, in->nbytes))
			return;
		memcpy(sg_gherkin__vec_push(&c->steps,
			   in->nsteps * sizeof(*in->steps)),
		    in->steps, in->nsteps * sizeof(*in->steps));
		last = in->last;
	}
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < s->nsteps; i++)
		add_step(c, c->s, &s->steps[i], row, &last, false);
	p->ntags = f->ntags + count_tags(in, s, ex);
	if (!add_bytes(c, tag_bytes(f->tags, f->ntags) +
		(in->rule ? tag_bytes(in->rule->tags, in->rule->ntags) : 0) +
		tag_bytes(s->tags, s->ntags) +
		(ex ? tag_bytes(ex->tags, ex->ntags) : 0)))
		return;
	tags = sg_arena_calloc(c->s, p->ntags, sizeof(*tags));
	t = tags;
	put_tags(&t, f->tags, f->ntags);
	if (in->rule)
		put_tags(&t, in->rule->tags, in->rule->ntags);
	put_tags(&t, s->tags, s->ntags);
	if (ex)
		put_tags(&t, ex->tags, ex->ntags);
	p->uri = c->doc->pub.uri;
	p->loc = c->at;
	p->name = interpolate(c, s->name, row);
	p->language = f->language;
	p->tags = tags;
	p->nsteps = GH_VEC_N(&c->steps, struct sg_pickle_step);
	p->scenario = s;
	p->rule = in->rule;
	p->examples = ex;
	p->row = row;
	if (c->error)
		return;
	if (!c->stream) {
		p->steps = sg_arena_memdup(c->a, c->steps.p, p->nsteps,
		    sizeof(struct sg_pickle_step));
		memcpy(sg_gherkin__vec_push(&c->pickles, sizeof(*p)), p,
		    sizeof(*p));
		return;
	}
	p->steps = (const struct sg_pickle_step *)(void *)c->steps.p;
	if (c->fn)
		c->error = c->fn(p, c->payload, c->err);
	/* the pickle is gone: its strings and arrays with it */
	sg_arena_release(&c->scratch);
}

static void
compile_scenario(struct compiler *c, struct inherited *in,
    const struct sg_gh_scenario *s)
{
	if (!s->nexamples) {
		add_pickle(c, in, s, NULL, NULL);
		return;
	}
	for (size_t e = 0; e < s->nexamples && !c->error; e++) {
		const struct sg_gh_examples *ex = &s->examples[e];

		if (!ex->header)
			continue;
		set_patterns(c, ex->header);
		for (size_t r = 0; r < ex->nbody && !c->error; r++)
			add_pickle(c, in, s, ex, &ex->body[r]);
	}
}

static void
compile_rule(struct compiler *c, const struct inherited *outer,
    const struct sg_gh_rule *rule)
{
	struct inherited in = *outer;

	in.rule = rule;
	for (size_t i = 0; i < rule->nchildren && !c->error; i++) {
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
	for (size_t i = 0; i < f->nchildren && !c->error; i++) {
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

static void
compiler_init(struct compiler *c, struct gh_doc *d,
    const struct sg_pickle_limits *lim, struct sg_error *err)
{
	static const struct sg_pickle_limits defaults = SG_PICKLE_LIMITS_INIT;

	memset(c, 0, sizeof(*c));
	c->doc = d;
	c->a = &d->arena;
	c->s = &d->arena;
	sg_arena_init(&c->scratch);
	c->feature = d->pub.feature;
	c->lim = lim ? *lim : defaults;
	c->err = err;
}

static void
compiler_release(struct compiler *c)
{
	sg_gherkin__vec_release(&c->pickles);
	sg_gherkin__vec_release(&c->steps);
	sg_gherkin__vec_release(&c->buf[0]);
	sg_gherkin__vec_release(&c->buf[1]);
	sg_arena_release(&c->scratch);
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
		compiler_init(&c, d, NULL, NULL);
		compile(&c);
		d->compile_error = c.error;
		if (!c.error) {
			d->npickles = GH_VEC_N(&c.pickles, struct sg_pickle);
			d->pickles = sg_arena_memdup(c.a, c.pickles.p,
			    d->npickles, sizeof(struct sg_pickle));
		}
		compiler_release(&c);
	}
	d->compiled = true;
	if ((error = d->compile_error) < 0)
		goto out;
	*out = d->pickles;
	*nout = d->npickles;
out:
	return error;
}

int
sg_gherkin_pickles_each(struct sg_gh_document *doc,
    const struct sg_pickle_limits *lim, sg_pickle_fn fn, void *payload,
    struct sg_error *err)
{
	struct compiler c;
	int error;

	if (doc->nerrors)
		return sg_error_set_at(err, SG_EINVAL, doc->uri,
		    doc->errors[0].loc.line, doc->errors[0].loc.column,
		    "the document has parse errors: no pickles");
	if (!doc->feature)
		return 0;
	compiler_init(&c, gh_doc_of(doc), lim, err);
	c.stream = true;
	c.s = &c.scratch;
	c.fn = fn;
	c.payload = payload;
	compile(&c);
	error = c.error;
	compiler_release(&c);
	return error;
}
