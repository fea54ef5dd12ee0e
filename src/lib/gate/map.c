/* SPDX-License-Identifier: MIT */
/*
 * map.c - scenarios mapped to test cases (issue #6, item 3).
 *
 * A scenario tagged @test:<glob> is covered by the test cases whose
 * "classname.name" matches the glob; an untagged one by the test cases
 * whose name equals the scenario's name, case and white space folded.
 * Test cases arrive one at a time from the JUnit reader, so the map
 * never holds the test results, only per scenario its counts and the
 * first SG_GATE_MAX_TESTS_LISTED matches: a million test cases are
 * matched in the memory of the scenarios.  Names are found through a
 * table of folded names (one lookup per test case); globs are tried one
 * by one, and there are as many as tagged scenarios.
 */
#include "gate/gate_int.h"

#include <fnmatch.h>

struct sg_spec_map_private {
	struct gate_map names; /* folded scenario name -> slot */
	size_t *first;	       /* slot -> first scenario index + 1 */
	size_t *next;	       /* scenario -> next with that name + 1 */
	char *id;	       /* "classname.name" of the current test */
	size_t idcap;
	struct sg_buf fold;
};

#define TEST_TAG "@test:"

/* ASCII case folded, runs of white space one space, trimmed. */
static void
fold(struct sg_buf *b, const char *s)
{
	bool space = false;

	sg_buf_truncate(b, 0);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f' || c == '\v') {
			space = b->len > 0;
			continue;
		}
		if (space)
			sg_buf_putc(b, ' ');
		space = false;
		sg_buf_putc(b, c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
}

static const char *
test_glob(const struct sg_validated_scenario *sc)
{
	for (size_t i = 0; i < sc->ntags; i++)
		if (!strncmp(sc->tags[i], TEST_TAG, strlen(TEST_TAG)))
			return sc->tags[i] + strlen(TEST_TAG);
	return NULL;
}

int
sg_spec_map_new(struct sg_spec_map **out, const struct sg_validation *v)
{
	struct sg_spec_map *m = sg_xcalloc(1, sizeof(*m));
	struct sg_spec_map_private *p = sg_xcalloc(1, sizeof(*p));
	size_t n = 0;
	size_t k = 0;

	m->priv = p;
	sg_gate__map_init(&p->names);
	sg_buf_init(&p->fold, 0);
	for (size_t i = 0; v && i < v->nfiles; i++)
		n += v->files[i].nscenarios;
	m->scenarios = sg_xcalloc(n ? n : 1, sizeof(*m->scenarios));
	p->first = sg_xcalloc(n ? n : 1, sizeof(*p->first));
	p->next = sg_xcalloc(n ? n : 1, sizeof(*p->next));
	for (size_t i = 0; v && i < v->nfiles; i++) {
		for (size_t s = 0; s < v->files[i].nscenarios; s++, k++) {
			struct sg_mapped_scenario *ms = &m->scenarios[k];
			size_t slot;

			ms->scenario = &v->files[i].scenarios[s];
			ms->file = v->files[i].path;
			ms->glob = test_glob(ms->scenario);
			if (ms->glob)
				continue;
			/* chained in reverse; the order does not matter */
			fold(&p->fold, ms->scenario->name);
			slot = sg_gate__map_put(&p->names, p->fold.ptr,
			    p->fold.len, NULL);
			p->next[k] = p->first[slot];
			p->first[slot] = k + 1;
		}
	}
	m->nscenarios = n;
	*out = m;
	return 0;
}

static void
record(struct sg_mapped_scenario *ms, const char *id,
    enum sg_test_status st)
{
	ms->matched++;
	if (st == SG_TEST_PASSED)
		ms->passed++;
	else if (st == SG_TEST_FAILED || st == SG_TEST_ERROR)
		ms->failed++;
	if (ms->ntests < SG_GATE_MAX_TESTS_LISTED) {
		if (!(ms->ntests & (ms->ntests - 1)) || !ms->ntests)
			ms->tests = sg_xreallocarray(ms->tests,
			    ms->ntests ? ms->ntests * 2 : 1,
			    sizeof(*ms->tests));
		ms->tests[ms->ntests].id = sg_xstrdup(id);
		ms->tests[ms->ntests].status = st;
		ms->ntests++;
	}
}

int
sg_spec_map_add(const struct sg_test_case *tc, void *arg)
{
	struct sg_spec_map *m = arg;
	struct sg_spec_map_private *p = m->priv;
	size_t need = strlen(tc->classname) + strlen(tc->name) + 2;
	size_t slot;

	if (need > p->idcap) {
		p->idcap = need * 2;
		p->id = sg_xrealloc(p->id, p->idcap);
	}
	snprintf(p->id, p->idcap, "%s%s%s", tc->classname,
	    tc->classname[0] ? "." : "", tc->name);
	for (size_t i = 0; i < m->nscenarios; i++) {
		struct sg_mapped_scenario *ms = &m->scenarios[i];

		if (ms->glob && !fnmatch(ms->glob, p->id, 0))
			record(ms, p->id, tc->status);
	}
	fold(&p->fold, tc->name);
	if (sg_gate__map_get(&p->names, p->fold.ptr, p->fold.len, &slot))
		for (size_t k = p->first[slot]; k; k = p->next[k - 1])
			record(&m->scenarios[k - 1], p->id, tc->status);
	return 0;
}

int
sg_spec_map_read(struct sg_spec_map *m, const char *const *paths,
    size_t npaths, struct sg_error *err)
{
	int error;

	error = sg_junit_read(&m->totals, paths, npaths, sg_spec_map_add, m,
	    err);
	sg_spec_map_finish(m);
	return error;
}

void
sg_spec_map_finish(struct sg_spec_map *m)
{
	m->ncovered = 0;
	for (size_t i = 0; i < m->nscenarios; i++) {
		struct sg_mapped_scenario *ms = &m->scenarios[i];

		ms->covered = ms->passed > 0 && ms->failed == 0;
		m->ncovered += ms->covered;
	}
}

void
sg_spec_map_free(struct sg_spec_map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nscenarios; i++) {
		for (size_t t = 0; t < m->scenarios[i].ntests; t++)
			free(m->scenarios[i].tests[t].id);
		free(m->scenarios[i].tests);
	}
	free(m->scenarios);
	if (m->priv) {
		sg_gate__map_release(&m->priv->names);
		free(m->priv->first);
		free(m->priv->next);
		free(m->priv->id);
		sg_buf_release(&m->priv->fold);
		free(m->priv);
	}
	free(m);
}
