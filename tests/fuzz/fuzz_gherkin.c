/* SPDX-License-Identifier: MIT */
/*
 * fuzz_gherkin.c - libFuzzer entry point for the Gherkin parser: parse the
 * input, compile its pickles, render the NDJSON, free everything, and
 * check what must hold whatever the input:
 *
 *  - a document with errors has no feature and from 1 to
 *    SG_GHERKIN_MAX_ERRORS + 1 of them, each message starting "(line:";
 *  - every node has a line, and a column unless it is an end-of-file error;
 *  - pickles have a source for each step and tag, and never a Conjunction;
 *  - the pickles compiled one at a time (sg_gherkin_pickles_each()) are the
 *    ones compiled all at once, and a document over an expansion cap is
 *    over it both ways, with a located error;
 *  - the NDJSON is one valid JSON object per line (jansson checks it), and
 *    the streamed NDJSON is the same bytes.
 *
 * The input goes through sg_gherkin_decode() first, as validate and
 * pickles do, so `# encoding:` headers are fuzzed too.
 *
 * A broken invariant aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "specgate/error.h"
#include "specgate/gherkin.h"
#include "util/util.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: invariant '%s' broken\n",      \
			    __FILE__, __LINE__, #cond);                        \
			abort();                                               \
		}                                                              \
	} while (0)

static void
check_loc(struct sg_loc loc)
{
	CHECK(loc.line >= 1);
	CHECK(loc.column >= 1);
}

static void
check_steps(const struct sg_gh_step *steps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		check_loc(steps[i].loc);
		CHECK(steps[i].keyword && steps[i].text);
		if (steps[i].table) {
			CHECK(steps[i].table->nrows > 0);
			for (size_t r = 0; r < steps[i].table->nrows; r++)
				CHECK(steps[i].table->rows[r].ncells ==
				    steps[i].table->rows[0].ncells);
		}
		if (steps[i].docstring)
			CHECK(steps[i].docstring->content);
	}
}

static void
check_scenario(const struct sg_gh_scenario *s)
{
	check_loc(s->loc);
	check_steps(s->steps, s->nsteps);
	for (size_t e = 0; e < s->nexamples; e++) {
		const struct sg_gh_examples *ex = &s->examples[e];

		check_loc(ex->loc);
		CHECK(ex->header || !ex->nbody);
		for (size_t r = 0; r < ex->nbody; r++)
			CHECK(ex->body[r].ncells == ex->header->ncells);
	}
}

static void
check_children(const struct sg_gh_child *c, size_t n, int depth)
{
	for (size_t i = 0; i < n; i++) {
		switch (c[i].type) {
		case SG_GH_BACKGROUND:
			check_loc(c[i].u.background->loc);
			check_steps(c[i].u.background->steps,
			    c[i].u.background->nsteps);
			break;
		case SG_GH_SCENARIO:
			check_scenario(c[i].u.scenario);
			break;
		case SG_GH_RULE:
			CHECK(depth == 0);
			check_loc(c[i].u.rule->loc);
			check_children(c[i].u.rule->children,
			    c[i].u.rule->nchildren, 1);
			break;
		}
	}
}

struct stream_check {
	const struct sg_pickle *all;
	size_t n;
	size_t i;
};

static int
same_pickle(const struct sg_pickle *p, void *payload, struct sg_error *err)
{
	struct stream_check *sc = payload;
	const struct sg_pickle *q;

	(void)err;
	CHECK(sc->i < sc->n);
	q = &sc->all[sc->i++];
	CHECK(!strcmp(p->name, q->name) && p->scenario == q->scenario &&
	    p->row == q->row && p->loc.line == q->loc.line &&
	    p->ntags == q->ntags && p->nsteps == q->nsteps);
	for (size_t t = 0; t < p->ntags; t++)
		CHECK(p->tags[t].source == q->tags[t].source);
	for (size_t s = 0; s < p->nsteps; s++) {
		const struct sg_pickle_step *a = &p->steps[s];
		const struct sg_pickle_step *b = &q->steps[s];

		CHECK(!strcmp(a->text, b->text) && a->type == b->type &&
		    a->source == b->source && a->nrows == b->nrows &&
		    !a->docstring == !b->docstring);
		if (a->docstring)
			CHECK(!strcmp(a->docstring, b->docstring));
	}
	return 0;
}

/* One at a time gives what all at once gave, or crosses the same cap. */
static void
check_streamed(struct sg_gh_document *doc, int rc, const struct sg_pickle *p,
    size_t n)
{
	struct stream_check sc = {p, n, 0};
	struct sg_error err = SG_ERROR_INIT;
	int rc2;

	rc2 = sg_gherkin_pickles_each(doc, NULL, rc < 0 ? NULL : same_pickle,
	    &sc, &err);
	CHECK(rc2 == rc);
	if (rc < 0)
		CHECK(err.line >= 1 && err.column >= 1 &&
		    strstr(err.message, "exceeds the cap of"));
	else
		CHECK(sc.i == n);
	sg_error_release(&err);
}

static void
check_document(struct sg_gh_document *doc)
{
	const struct sg_pickle *p;
	size_t n;
	int rc;

	for (size_t i = 0; i < doc->ncomments; i++)
		check_loc(doc->comments[i].loc);
	if (doc->nerrors) {
		CHECK(!doc->feature);
		CHECK(doc->nerrors <= SG_GHERKIN_MAX_ERRORS + 1);
		for (size_t i = 0; i < doc->nerrors; i++) {
			CHECK(doc->errors[i].loc.line >= 1);
			CHECK(doc->errors[i].message[0] == '(');
		}
		CHECK(sg_gherkin_pickles(&p, &n, doc) < 0);
		return;
	}
	if (doc->feature)
		check_children(doc->feature->children,
		    doc->feature->nchildren, 0);
	rc = sg_gherkin_pickles(&p, &n, doc);
	CHECK(rc == 0 || rc == SG_ETOOBIG);
	check_streamed(doc, rc, p, n);
	if (rc < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		check_loc(p[i].loc);
		CHECK(p[i].name && p[i].scenario);
		for (size_t t = 0; t < p[i].ntags; t++)
			CHECK(p[i].tags[t].source &&
			    !strcmp(p[i].tags[t].name,
				p[i].tags[t].source->name));
		for (size_t s = 0; s < p[i].nsteps; s++) {
			CHECK(p[i].steps[s].source && p[i].steps[s].text);
			CHECK(p[i].steps[s].type != SG_STEP_CONJUNCTION);
		}
	}
}

static void
check_ndjson(const char *out, size_t len)
{
	const char *p = out;
	const char *end = out + len;

	while (p < end) {
		const char *nl;
		json_error_t jerr;
		json_t *j;

		nl = memchr(p, '\n', (size_t)(end - p));
		CHECK(nl);
		j = json_loadb(p, (size_t)(nl - p), 0, &jerr);
		CHECK(j && json_is_object(j));
		json_decref(j);
		p = nl + 1;
	}
}

static int
collect(const char *data, size_t len, void *payload, struct sg_error *err)
{
	struct sg_buf *b = payload;

	(void)err;
	CHECK(len && data[len - 1] == '\n');
	CHECK(sg_buf_put(b, data, len) == 0);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_gh_document *doc = NULL;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_buf streamed;
	const char *text;
	char *utf8 = NULL;
	char *out = NULL;
	size_t len;
	int rc;

	if (sg_gherkin_decode(&text, &len, &utf8, "fuzz.feature",
		(const char *)data, size, 4 * size + 64, &err) < 0) {
		CHECK(!utf8 && err.line >= 1 && err.column >= 1);
		sg_error_release(&err);
		return 0;
	}
	if (sg_gherkin_parse(&doc, "fuzz.feature", text, len, NULL,
		&err) < 0) {
		CHECK(!doc && err.line >= 1 && err.column >= 1);
		sg_error_release(&err);
		free(utf8);
		return 0;
	}
	check_document(doc);
	rc = sg_gherkin_to_ndjson(&out, &len, doc);
	CHECK(rc == 0 || (rc == SG_ETOOBIG && !out));
	sg_buf_init(&streamed, 0);
	CHECK(sg_gherkin_write_ndjson(doc, NULL, collect, &streamed,
	    &err) == rc);
	if (rc == 0) {
		CHECK(strlen(out) == len);
		check_ndjson(out, len);
		CHECK(streamed.len == len &&
		    (!len || !memcmp(streamed.ptr, out, len)));
	} else {
		CHECK(streamed.len == 0);
	}
	sg_buf_release(&streamed);
	sg_error_release(&err);
	free(out);
	free(utf8);
	sg_gherkin_document_free(doc);
	return 0;
}
