/* SPDX-License-Identifier: MIT */
/*
 * check.c - the per-scenario rules of docs/product.md §4.2 over pickles.
 *
 * Why pickles and not the AST: a pickle is exactly "one scenario as it
 * runs": Outline rows expanded, Background steps prepended, tags inherited
 * in Feature, Rule, Scenario, Examples order.  The nearest resource tag is
 * then the one from the deepest level present, which we recover by asking
 * which AST node's tag array the pickle tag came from.
 *
 * Findings shared by every row of an Outline (its steps, its Scenario-level
 * tag) are reported once: a finding is keyed by (code, line, column) within
 * one document and a duplicate is dropped.
 */
#include "specgate/policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/util.h"

static const struct {
	enum sg_finding_code code;
	const char *id;
	const char *name;
} finding_table[] = {
	{SG_F_PARSE_ERROR, "SG001", "parse-error"},
	{SG_F_MISSING_RESOURCE, "SG101", "missing-resource-tag"},
	{SG_F_INVALID_RESOURCE, "SG102", "invalid-resource-tag"},
	{SG_F_DUPLICATE_RESOURCE, "SG103", "duplicate-resource-tag"},
	{SG_F_CPU_RANGE, "SG111", "cpu-out-of-range"},
	{SG_F_MEMORY_RANGE, "SG112", "memory-out-of-range"},
	{SG_F_STORAGE_RANGE, "SG113", "storage-out-of-range"},
	{SG_F_POINTS_RANGE, "SG114", "story-points-out-of-range"},
	{SG_F_MISSING_GIVEN, "SG121", "missing-given"},
	{SG_F_MISSING_WHEN, "SG122", "missing-when"},
	{SG_F_MISSING_THEN, "SG123", "missing-then"},
	{SG_F_COVERAGE_LOW, "SG301", "coverage-below-min"},
	{SG_F_COVERAGE_SOURCE, "SG302", "coverage-source-missing"},
	{SG_F_COVERAGE_MISSING, "SG303", "coverage-missing"},
	{SG_F_TEST_FAILED, "SG311", "test-failed"},
	{SG_F_SCENARIO_UNCOVERED, "SG312", "scenario-uncovered"},
	{SG_F_TESTS_MISSING, "SG313", "tests-missing"},
	{SG_F_SAST_THRESHOLD, "SG321", "sast-threshold"},
	{SG_F_SAST_MISSING, "SG322", "sast-missing"},
};

const char *
sg_finding_id(enum sg_finding_code code)
{
	for (size_t i = 0; i < SG_ARRAY_SIZE(finding_table); i++)
		if (finding_table[i].code == code)
			return finding_table[i].id;
	return "SG000";
}

const char *
sg_finding_name(enum sg_finding_code code)
{
	for (size_t i = 0; i < SG_ARRAY_SIZE(finding_table); i++)
		if (finding_table[i].code == code)
			return finding_table[i].name;
	return "unknown";
}

const char *
sg_resource_level_name(enum sg_resource_level level)
{
	static const char *const names[] = {"none", "feature", "rule",
	    "scenario", "examples"};

	return level <= SG_LEVEL_EXAMPLES ? names[level] : "none";
}

enum sg_severity
sg_policy_severity(enum sg_mode mode)
{
	return mode == SG_MODE_COMPLIANCE ? SG_SEV_ERROR : SG_SEV_WARNING;
}

void
sg_policy_result_release(struct sg_policy_result *res)
{
	enum sg_severity severity = res->severity;

	for (size_t i = 0; i < res->nfindings; i++)
		free(res->findings[i].message);
	free(res->findings);
	memset(res, 0, sizeof(*res));
	res->severity = severity; /* it may be used again */
}

void
sg_policy_add(struct sg_policy_result *res, enum sg_finding_code code,
    const char *file, struct sg_loc loc, const char *fmt, ...)
{
	struct sg_finding *f;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		SG_BUG("vasprintf failed");
	va_end(ap);
	if (res->nfindings == res->cap) {
		res->cap = res->cap ? res->cap * 2 : 16;
		res->findings = sg_xreallocarray(res->findings, res->cap,
		    sizeof(*res->findings));
	}
	f = &res->findings[res->nfindings++];
	f->code = code;
	if (res->severity != SG_SEV_ERROR && res->severity != SG_SEV_WARNING)
		SG_BUG("a policy result without a severity");
	f->severity = res->severity;
	f->file = file;
	f->loc = loc;
	f->message = msg;
	if (f->severity == SG_SEV_ERROR)
		res->nerrors++;
	else
		res->nwarnings++;
}

/*
 * The set of (code, line, column) already reported for this document: an
 * open-addressing hash, so that 100,000 scenarios stay linear.
 */
struct seen_set {
	uint64_t *keys; /* 0 is the empty slot */
	size_t cap;	/* a power of two */
	size_t len;
};

static uint64_t
seen_key(enum sg_finding_code code, struct sg_loc loc)
{
	return ((uint64_t)loc.line << 32 | (uint64_t)loc.column << 10 |
	    (uint64_t)code) + 1;
}

/* Insert key; returns false when it was already there. */
static bool
seen_insert(struct seen_set *s, uint64_t key)
{
	size_t i;

	if (2 * (s->len + 1) > s->cap) {
		struct seen_set big = {NULL, s->cap ? s->cap * 2 : 64, 0};

		big.keys = sg_xcalloc(big.cap, sizeof(*big.keys));
		for (size_t j = 0; j < s->cap; j++)
			if (s->keys[j])
				seen_insert(&big, s->keys[j]);
		free(s->keys);
		*s = big;
	}
	i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (s->cap - 1);
	while (s->keys[i]) {
		if (s->keys[i] == key)
			return false;
		i = (i + 1) & (s->cap - 1);
	}
	s->keys[i] = key;
	s->len++;
	return true;
}

static bool
tag_in(const struct sg_gh_tag *t, const struct sg_gh_tag *arr, size_t n)
{
	return n && t >= arr && t < arr + n;
}

static enum sg_resource_level
tag_level(const struct sg_pickle *p, const struct sg_gh_feature *feat,
    const struct sg_gh_tag *t)
{
	if (p->examples && tag_in(t, p->examples->tags, p->examples->ntags))
		return SG_LEVEL_EXAMPLES;
	if (tag_in(t, p->scenario->tags, p->scenario->ntags))
		return SG_LEVEL_SCENARIO;
	if (p->rule && tag_in(t, p->rule->tags, p->rule->ntags))
		return SG_LEVEL_RULE;
	(void)feat;
	return SG_LEVEL_FEATURE;
}

struct ctx {
	struct sg_policy_result *res;
	const struct sg_gh_document *doc;
	struct seen_set seen;
	const char *file;
	enum sg_mode mode;
	const struct sg_mode_policy *ranges;
	/*
	 * The last tag parsed and its outcome: every row of an Outline, and
	 * every scenario under a Feature-level tag, shares one tag.
	 */
	const struct sg_gh_tag *last_tag;
	int last_error;
	struct sg_resources last_res;
	char last_why[512];
};

static void
add_once(struct ctx *c, enum sg_finding_code code, struct sg_loc loc,
    const char *fmt, ...) SG_PRINTF(4, 5);

static void
add_once(struct ctx *c, enum sg_finding_code code, struct sg_loc loc,
    const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	if (!seen_insert(&c->seen, seen_key(code, loc)))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sg_policy_add(c->res, code, c->file, loc, "%s", msg);
}

static bool
in_range(double v, const struct sg_range *r)
{
	return v >= r->min && v <= r->max;
}

static bool
check_ranges(struct ctx *c, const struct sg_scenario_check *sc)
{
	const struct sg_mode_policy *r = c->ranges;
	const struct sg_resources *v = &sc->resources;
	const char *mode = sg_mode_name(c->mode);
	struct sg_loc loc = sc->tag->loc;
	bool ok = true;

	if (!in_range(v->cpu, &r->cpu)) {
		add_once(c, SG_F_CPU_RANGE, loc,
		    "cpu=%g is outside the %s range [%g, %g] cores; declare a "
		    "value inside it or change policy.%s.cpu",
		    v->cpu, mode, r->cpu.min, r->cpu.max, mode);
		ok = false;
	}
	if (!in_range((double)v->memory_mb, &r->memory)) {
		add_once(c, SG_F_MEMORY_RANGE, loc,
		    "memory=%llu MB is outside the %s range [%g, %g] MB; "
		    "declare a value inside it or change policy.%s.memory",
		    (unsigned long long)v->memory_mb, mode, r->memory.min,
		    r->memory.max, mode);
		ok = false;
	}
	if (!in_range((double)v->storage_mb, &r->storage)) {
		add_once(c, SG_F_STORAGE_RANGE, loc,
		    "storage=%llu MB is outside the %s range [%g, %g] MB; "
		    "declare a value inside it or change policy.%s.storage",
		    (unsigned long long)v->storage_mb, mode, r->storage.min,
		    r->storage.max, mode);
		ok = false;
	}
	if (!in_range((double)v->story_points, &r->story_points)) {
		add_once(c, SG_F_POINTS_RANGE, loc,
		    "story_points=%llu is outside the %s range [%g, %g]; split "
		    "the scenario or change policy.%s.story_points",
		    (unsigned long long)v->story_points, mode,
		    r->story_points.min, r->story_points.max, mode);
		ok = false;
	}
	return ok;
}

static void
check_resources(struct ctx *c, struct sg_scenario_check *sc,
    const struct sg_gh_feature *feat)
{
	const struct sg_pickle *p = sc->pickle;
	const struct sg_gh_tag *dup = NULL;

	/* The last resource tag of the deepest level wins... */
	for (size_t i = 0; i < p->ntags; i++) {
		const struct sg_gh_tag *t = p->tags[i].source;
		enum sg_resource_level lv;

		if (!sg_is_resource_tag(p->tags[i].name))
			continue;
		lv = tag_level(p, feat, t);
		if (lv > sc->level) {
			sc->level = lv;
			sc->tag = t;
			dup = NULL;
		} else if (lv == sc->level) {
			/* ...but two on one level is ambiguous. */
			dup = t;
		}
	}
	if (!sc->tag) {
		add_once(c, SG_F_MISSING_RESOURCE, p->scenario->loc,
		    "scenario '%s' has no resource tag; tag it (or its Rule or "
		    "Feature) with @resource:cpu=0.1,memory=128,storage=10,"
		    "story_points=1",
		    p->scenario->name);
		return;
	}
	if (dup) {
		add_once(c, SG_F_DUPLICATE_RESOURCE, dup->loc,
		    "a second resource tag on the same %s as '%s' (line %u); "
		    "keep one",
		    sg_resource_level_name(sc->level), sc->tag->name,
		    sc->tag->loc.line);
		return;
	}
	if (sc->tag != c->last_tag) {
		c->last_tag = sc->tag;
		c->last_error = sg_resource_parse(&c->last_res, sc->tag->name,
		    c->last_why, sizeof(c->last_why));
	}
	sc->resources = c->last_res;
	if (c->last_error < 0) {
		add_once(c, SG_F_INVALID_RESOURCE, sc->tag->loc,
		    "invalid resource tag: %s", c->last_why);
		return;
	}
	sc->resources_valid = true;
	sc->tag_ok = true;
	sc->ranges_ok = check_ranges(c, sc);
}

static void
check_steps(struct ctx *c, struct sg_scenario_check *sc)
{
	const struct sg_pickle *p = sc->pickle;
	const struct sg_gh_scenario *s = p->scenario;
	enum sg_step_kind last = SG_STEP_UNKNOWN;

	for (size_t i = 0; i < p->nsteps; i++) {
		enum sg_step_kind k = p->steps[i].type;

		/* And/But were resolved by the compiler; '*' is ours to do. */
		if (k == SG_STEP_UNKNOWN || k == SG_STEP_CONJUNCTION)
			k = last;
		if (k == SG_STEP_CONTEXT)
			sc->ngiven++;
		else if (k == SG_STEP_ACTION)
			sc->nwhen++;
		else if (k == SG_STEP_OUTCOME)
			sc->nthen++;
		last = k;
	}
	if (!sc->ngiven)
		add_once(c, SG_F_MISSING_GIVEN, s->loc,
		    "scenario '%s' has no Given step; state the context it "
		    "starts from (a Background's Given counts)",
		    s->name);
	if (!sc->nwhen)
		add_once(c, SG_F_MISSING_WHEN, s->loc,
		    "scenario '%s' has no When step; add the action it tests",
		    s->name);
	if (!sc->nthen)
		add_once(c, SG_F_MISSING_THEN, s->loc,
		    "scenario '%s' has no Then step; add the outcome it "
		    "expects",
		    s->name);
	sc->steps_ok = sc->ngiven && sc->nwhen && sc->nthen;
}

/* The checker is the context, kept between pickles. */
struct sg_policy_checker {
	struct ctx ctx;
};

struct sg_policy_checker *
sg_policy_checker_new(struct sg_policy_result *res, const char *file,
    const struct sg_gh_document *doc, enum sg_mode mode,
    const struct sg_mode_policy *ranges)
{
	struct sg_policy_checker *checker = sg_xcalloc(1, sizeof(*checker));
	struct ctx *c = &checker->ctx;

	c->res = res;
	c->doc = doc;
	c->file = file;
	c->mode = mode;
	c->ranges = ranges;
	return checker;
}

void
sg_policy_checker_add(struct sg_policy_checker *checker,
    struct sg_scenario_check *sc, const struct sg_pickle *pickle)
{
	struct ctx *c = &checker->ctx;

	memset(sc, 0, sizeof(*sc));
	sc->pickle = pickle;
	check_resources(c, sc, c->doc->feature);
	check_steps(c, sc);
}

void
sg_policy_checker_free(struct sg_policy_checker *checker)
{
	if (!checker)
		return;
	free(checker->ctx.seen.keys);
	free(checker);
}

void
sg_policy_check(struct sg_policy_result *res, struct sg_scenario_check *checks,
    const char *file, const struct sg_gh_document *doc,
    const struct sg_pickle *pickles, size_t npickles, enum sg_mode mode,
    const struct sg_mode_policy *ranges)
{
	struct sg_policy_checker *c;

	c = sg_policy_checker_new(res, file, doc, mode, ranges);
	for (size_t i = 0; i < npickles; i++) {
		struct sg_scenario_check local;

		sg_policy_checker_add(c, checks ? &checks[i] : &local,
		    &pickles[i]);
	}
	sg_policy_checker_free(c);
}
