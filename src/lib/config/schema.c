/* SPDX-License-Identifier: MIT */
/*
 * schema.c - the keys of specgate.yaml, their defaults, and how a YAML
 * node or an environment string becomes a typed value.
 *
 * Strictness is the design: specgate's configuration decides what a
 * compliance run enforces, so a value that a reader could take two ways is
 * refused with its position and what was expected, never guessed.
 *  - Numbers are plain scalars in JSON's grammar (no `0x10`, `1_000`,
 *    `010`, `.5`, `+1`, `.inf`); a quoted "2" is text, not a number; an
 *    integer key refuses `1.5`.
 *  - Where text is expected, a plain scalar that YAML 1.1 reads as a
 *    boolean (yes, no, on, off, y, n...) or null (~, null, empty) is
 *    refused with a hint to quote it; other plain scalars are taken as
 *    written, so `version: 1.10` is the text "1.10", not the float 1.1.
 *  - Ranges are lists of exactly two numbers with min <= max.
 *  - A mapping written as null (`stages:` with nothing after it) is an
 *    empty mapping; a list or a value written as null is an error.
 *
 * Rejected: resolving scalars with YAML 1.1's implicit types first and
 * converting afterwards.  It loses the text (`1.10` -> 1.1), and it turns
 * `mode: on` into a boolean instead of a clear "must be sandbox or
 * compliance".
 */
#include "config/config_int.h"

#include <math.h>

#include "config/text.h"
#include "util/util.h"

#define CFG(m) offsetof(struct sg_config, m)
#define STG(m) offsetof(struct sg_stage_config, m)
#define POL(m) offsetof(struct sg_mode_policy, m)
#define ENVF(m) offsetof(struct sg_environment, m)

/* Integers stay exact in a double up to 2^53. */
#define MAX_EXACT 9007199254740992.0
#define MAX_DUR ((double)SG_DURATION_MAX_MS)

/*
 * The tables are laid out by hand, one key a line where it fits:
 * clang-format would put every designated initializer on a line of its
 * own and turn this page into four.
 */
/* clang-format off */
static const char *const fail_on_words[] = {"error", "warning", "note", NULL};
/* The stages whose commands may produce a gate input (docs/config.md). */
static const char *const gate_stage_words[] = {"validate", "generate",
	"build", NULL};
static const char *const target_words[] = {"local", "kubernetes", NULL};
static const char *const limits_words[] = {"auto", "rlimit", NULL};

static const char *const env_target_words[] = {"local", "kubernetes",
	"commands", NULL};

/* One environment of environments: (its name is the mapping's key). */
static const struct sg_field environment_fields[] = {
	{.name = "target", .type = SG_F_STR, .off = ENVF(target),
	    .choices = env_target_words},
	{.name = "health_url", .type = SG_F_STR, .off = ENVF(health_url)},
	{.name = "min_mode", .type = SG_F_MODE, .off = ENVF(min_mode)},
	{.name = "approvals", .type = SG_F_UINT, .off = ENVF(approvals),
	    .max = 100},
	{.name = NULL},
};

static const struct sg_field policy_fields[] = {
	{.name = "cpu", .type = SG_F_RANGE, .off = POL(cpu), .max = 1e6},
	{.name = "memory", .type = SG_F_IRANGE, .off = POL(memory),
	    .max = MAX_EXACT},
	{.name = "storage", .type = SG_F_IRANGE, .off = POL(storage),
	    .max = MAX_EXACT},
	{.name = "story_points", .type = SG_F_IRANGE, .off = POL(story_points),
	    .max = 1e6},
	{.name = NULL},
};

static const struct sg_field modes_fields[] = {
	{.name = "sandbox", .type = SG_F_SECTION,
	    .off = CFG(policy[SG_MODE_SANDBOX]), .sub = policy_fields},
	{.name = "compliance", .type = SG_F_SECTION,
	    .off = CFG(policy[SG_MODE_COMPLIANCE]), .sub = policy_fields},
	{.name = NULL},
};

static const struct sg_field retry_fields[] = {
	{.name = "retries", .type = SG_F_UINT, .off = CFG(retry.retries),
	    .max = 100},
	{.name = "interval", .type = SG_F_DUR, .off = CFG(retry.interval_ms),
	    .max = MAX_DUR},
	{.name = "backoff", .type = SG_F_NUM, .off = CFG(retry.backoff),
	    .min = 1, .max = 100},
	{.name = NULL},
};

static const struct sg_field retention_fields[] = {
	{.name = "active_runs", .type = SG_F_UINT, .off = CFG(active_runs),
	    .min = 1, .max = 1e6},
	{.name = NULL},
};

static const struct sg_field coverage_fields[] = {
	{.name = "min", .type = SG_F_NUM, .off = CFG(coverage.min),
	    .max = 100},
	{.name = "files", .type = SG_F_STRLIST, .off = CFG(coverage.files)},
	{.name = "stage", .type = SG_F_STR, .off = CFG(gate_stage[0]),
	    .choices = gate_stage_words},
	{.name = NULL},
};

static const struct sg_field tests_fields[] = {
	{.name = "files", .type = SG_F_STRLIST, .off = CFG(test_files)},
	{.name = "stage", .type = SG_F_STR, .off = CFG(gate_stage[1]),
	    .choices = gate_stage_words},
	{.name = NULL},
};

static const struct sg_field sast_fields[] = {
	{.name = "files", .type = SG_F_STRLIST, .off = CFG(sast_files)},
	{.name = "fail_on", .type = SG_F_STR, .off = CFG(sast_fail_on),
	    .choices = fail_on_words},
	{.name = "stage", .type = SG_F_STR, .off = CFG(gate_stage[2]),
	    .choices = gate_stage_words},
	{.name = NULL},
};

static const struct sg_field gates_fields[] = {
	{.name = "coverage", .type = SG_F_SECTION, .sub = coverage_fields},
	{.name = "tests", .type = SG_F_SECTION, .sub = tests_fields},
	{.name = "sast", .type = SG_F_SECTION, .sub = sast_fields},
	{.name = NULL},
};

static const struct sg_field approvals_fields[] = {
	{.name = "required", .type = SG_F_UINT, .off = CFG(approvals_required),
	    .max = 100},
	{.name = "keys", .type = SG_F_STRLIST, .off = CFG(approval_keys)},
	{.name = NULL},
};

static const struct sg_field branch_fields[] = {
	{.name = "enabled", .type = SG_F_BOOL, .off = CFG(branch_enabled)},
	{.name = NULL},
};

static const struct sg_field signing_fields[] = {
	{.name = "key", .type = SG_F_STR, .off = CFG(signing_key)},
	{.name = NULL},
};

static const struct sg_field health_fields[] = {
	{.name = "url", .type = SG_F_STR, .off = STG(health_url)},
	{.name = NULL},
};

/* The keys every stage has; deploy adds health. */
#define STAGE_FIELDS                                                           \
	{.name = "run", .type = SG_F_STRLIST, .off = STG(run)},                \
	    {.name = "fix", .type = SG_F_STRLIST, .off = STG(fix)},            \
	    {.name = "fixable", .type = SG_F_STRLIST, .off = STG(fixable)},    \
	    {.name = "rollback", .type = SG_F_STRLIST, .off = STG(rollback)},  \
	    {.name = "timeout", .type = SG_F_DUR, .off = STG(timeout_ms),      \
		.min = 1, .max = MAX_DUR},                                     \
	    {.name = "retries", .type = SG_F_UINT, .off = STG(retries),        \
		.max = 100, .has_off = STG(has_retries),                       \
		.inherit = "retry.retries",                                    \
		.inherit_off = CFG(retry.retries)},                            \
	    {.name = "interval", .type = SG_F_DUR, .off = STG(interval_ms),    \
		.max = MAX_DUR, .has_off = STG(has_interval),                  \
		.inherit = "retry.interval",                                   \
		.inherit_off = CFG(retry.interval_ms)},                        \
	    {.name = "backoff", .type = SG_F_NUM, .off = STG(backoff),         \
		.min = 1, .max = 100, .has_off = STG(has_backoff),             \
		.inherit = "retry.backoff",                                    \
		.inherit_off = CFG(retry.backoff)},                            \
	    {.name = "artifacts", .type = SG_F_STRLIST,                        \
		.off = STG(artifacts)},                                        \
	    {.name = "env", .type = SG_F_ENV, .off = STG(env)}

static const struct sg_field stage_fields[] = {
	STAGE_FIELDS,
	{.name = NULL},
};

static const struct sg_field deploy_fields[] = {
	STAGE_FIELDS,
	{.name = "health", .type = SG_F_SECTION, .sub = health_fields},
	{.name = "target", .type = SG_F_STR, .off = STG(target),
	    .choices = target_words},
	{.name = "start", .type = SG_F_STR, .off = STG(start)},
	{.name = "image", .type = SG_F_STR, .off = STG(image)},
	{.name = "port", .type = SG_F_UINT, .off = STG(port), .min = 1,
	    .max = 65535},
	{.name = "restarts", .type = SG_F_UINT, .off = STG(restarts),
	    .max = 100, .has_off = STG(has_restarts)},
	{.name = "limits", .type = SG_F_STR, .off = STG(limits),
	    .choices = limits_words},
	{.name = NULL},
};

/* generate adds its built-in generator's set and output directory. */
static const struct sg_field generate_fields[] = {
	STAGE_FIELDS,
	{.name = "templates", .type = SG_F_STR, .off = STG(templates)},
	{.name = "out", .type = SG_F_STR, .off = STG(out)},
	{.name = NULL},
};

static const struct sg_field stages_fields[] = {
	{.name = "preflight", .type = SG_F_STAGE,
	    .off = CFG(stages[SG_STAGE_PREFLIGHT]), .sub = stage_fields},
	{.name = "validate", .type = SG_F_STAGE,
	    .off = CFG(stages[SG_STAGE_VALIDATE]), .sub = stage_fields},
	{.name = "generate", .type = SG_F_STAGE,
	    .off = CFG(stages[SG_STAGE_GENERATE]), .sub = generate_fields},
	{.name = "build", .type = SG_F_STAGE,
	    .off = CFG(stages[SG_STAGE_BUILD]), .sub = stage_fields},
	{.name = "deploy", .type = SG_F_STAGE,
	    .off = CFG(stages[SG_STAGE_DEPLOY]), .sub = deploy_fields},
	{.name = "audit", .type = SG_F_STAGE,
	    .off = CFG(stages[SG_STAGE_AUDIT]), .sub = stage_fields},
	{.name = NULL},
};

static const struct sg_field sbom_fields[] = {
	{.name = "components", .type = SG_F_STRLIST,
	    .off = CFG(sbom_components), .flags = SG_FIELD_PURL},
	{.name = NULL},
};

static const struct sg_field serve_fields[] = {
	{.name = "listen", .type = SG_F_STR, .off = CFG(serve.listen)},
	{.name = "connections", .type = SG_F_UINT,
	    .off = CFG(serve.connections), .min = 1, .max = 100000},
	{.name = "timeout", .type = SG_F_DUR, .off = CFG(serve.timeout_ms),
	    .min = 1000, .max = 3600000},
	{.name = "request_max", .type = SG_F_UINT,
	    .off = CFG(serve.request_max), .min = 4096, .max = 1048576},
	{.name = "min_free_mb", .type = SG_F_UINT,
	    .off = CFG(serve.min_free_mb), .max = 1e9},
	{.name = "header_timeout", .type = SG_F_DUR,
	    .off = CFG(serve.header_timeout_ms), .min = 1000, .max = 3600000},
	{.name = "connections_per_client", .type = SG_F_UINT,
	    .off = CFG(serve.per_client), .max = 100000},
	{.name = "reserve", .type = SG_F_UINT, .off = CFG(serve.reserve),
	    .max = 50000},
	{.name = "release_probe", .type = SG_F_DUR,
	    .off = CFG(serve.release_probe_ms), .min = 1000, .max = 3600000},
	{.name = NULL},
};

const struct sg_field sg_config__schema[] = {
	{.name = "project", .type = SG_F_STR, .off = CFG(project)},
	{.name = "version", .type = SG_F_STR, .off = CFG(version)},
	{.name = "mode", .type = SG_F_MODE, .off = CFG(mode)},
	{.name = "features", .type = SG_F_STRLIST, .off = CFG(features),
	    .flags = SG_FIELD_NONEMPTY},
	{.name = "reports", .type = SG_F_STR, .off = CFG(reports)},
	{.name = "policy", .type = SG_F_SECTION, .sub = modes_fields},
	{.name = "retry", .type = SG_F_SECTION, .sub = retry_fields},
	{.name = "retention", .type = SG_F_SECTION, .sub = retention_fields},
	{.name = "gates", .type = SG_F_SECTION, .sub = gates_fields},
	{.name = "approvals", .type = SG_F_SECTION, .sub = approvals_fields},
	{.name = "signing", .type = SG_F_SECTION, .sub = signing_fields},
	{.name = "branch", .type = SG_F_SECTION, .sub = branch_fields},
	{.name = "store", .type = SG_F_STR, .off = CFG(store),
	    .flags = SG_FIELD_STORE},
	{.name = "secrets", .type = SG_F_STRLIST, .off = CFG(secrets)},
	{.name = "stages", .type = SG_F_SECTION, .sub = stages_fields},
	{.name = "sbom", .type = SG_F_SECTION, .sub = sbom_fields},
	{.name = "serve", .type = SG_F_SECTION, .sub = serve_fields},
	{.name = NULL},
};
/* clang-format on */

/* ---- defaults ---- */

static void
strlist_set(struct sg_strlist *l, const char *const *items, size_t n)
{
	sg_config__strlist_release(l);
	l->items = n ? sg_xcalloc(n, sizeof(*l->items)) : NULL;
	for (size_t i = 0; i < n; i++)
		l->items[i] = sg_xstrdup(items[i]);
	l->n = n;
}

static void
set_policy(struct sg_mode_policy *p, double cpu_max, double mem_max)
{
	p->cpu = (struct sg_range){0.1, cpu_max};
	p->memory = (struct sg_range){128, mem_max};
	p->storage = (struct sg_range){10, 100000};
	p->story_points = (struct sg_range){1, 20};
}

void
sg_config__defaults(struct sg_config *cfg)
{
	static const char *const features[] = {"features"};
	static const char *const coverage[] = {"coverage.info"};
	static const char *const tests[] = {"build/test-results/*.xml"};
	static const char *const sast[] = {"build/sast/*.sarif"};

	cfg->mode = SG_MODE_SANDBOX;
	strlist_set(&cfg->features, features, 1);
	cfg->reports = sg_xstrdup("reports");
	set_policy(&cfg->policy[SG_MODE_SANDBOX], 0.5, 512);
	set_policy(&cfg->policy[SG_MODE_COMPLIANCE], 16.0, 32768);
	cfg->retry.retries = 2;
	cfg->retry.interval_ms = 120000;
	cfg->retry.backoff = 1.0;
	cfg->active_runs = 20;
	cfg->coverage.min = 70.0;
	strlist_set(&cfg->coverage.files, coverage, 1);
	strlist_set(&cfg->test_files, tests, 1);
	strlist_set(&cfg->sast_files, sast, 1);
	cfg->sast_fail_on = sg_xstrdup("error");
	for (size_t i = 0; i < 3; i++)
		cfg->gate_stage[i] = sg_xstrdup("validate");
	cfg->branch_enabled = true;
	cfg->approvals_required = 1;
	cfg->signing_key = sg_xstrdup(".specgate/keys/specgate.key");
	cfg->store = sg_xstrdup("sqlite:.specgate/state.db");
	for (size_t i = 0; i < SG_STAGE_COUNT; i++)
		cfg->stages[i].timeout_ms = 30 * 60 * 1000;
	cfg->serve.listen = sg_xstrdup("127.0.0.1:8080");
	cfg->serve.connections = 256;
	cfg->serve.timeout_ms = 30000;
	cfg->serve.request_max = 16384;
	cfg->serve.min_free_mb = 100;
	cfg->serve.header_timeout_ms = 10000;
	cfg->serve.release_probe_ms = 15000;
	cfg->serve.per_client = 64;
	cfg->serve.reserve = 32;
}

/* ---- looking keys up ---- */

static const struct sg_field *
find_in(const struct sg_field *table, const char *name, size_t len)
{
	for (; table->name; table++)
		if (strlen(table->name) == len &&
		    !memcmp(table->name, name, len))
			return table;
	return NULL;
}

const struct sg_field *
sg_config__field(const char *key, struct sg_config *cfg, char **base)
{
	const struct sg_field *table = sg_config__schema;
	const struct sg_field *f;
	char *b = (char *)cfg;
	const char *dot;
	size_t len;

	for (;;) {
		dot = strchr(key, '.');
		len = dot ? (size_t)(dot - key) : strlen(key);
		f = find_in(table, key, len);
		if (!f)
			return NULL;
		if (!dot)
			break;
		if (f->type != SG_F_SECTION && f->type != SG_F_STAGE)
			return NULL;
		if (b)
			b += f->off;
		table = f->sub;
		key = dot + 1;
	}
	if (base)
		*base = b;
	return f;
}

/* ---- checking text ---- */

/* JSON's integer grammar without a sign: 0 or [1-9][0-9]*. */
static bool
is_uint_text(const char *s)
{
	if (s[0] == '0')
		return !s[1];
	if (s[0] < '1' || s[0] > '9')
		return false;
	while (*++s)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static const char *
skip_digits(const char *s)
{
	while (*s >= '0' && *s <= '9')
		s++;
	return s;
}

/* JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool
is_num_text(const char *s)
{
	const char *p;

	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		s = skip_digits(s);
	else
		return false;
	if (*s == '.') {
		p = skip_digits(s + 1);
		if (p == s + 1)
			return false;
		s = p;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		p = skip_digits(s);
		if (p == s)
			return false;
		s = p;
	}
	return !*s;
}

static bool
is_store_text(const char *s)
{
	return (!strncmp(s, "sqlite:", 7) && s[7]) ||
	    (!strncmp(s, "postgres://", 11) && s[11]) ||
	    (!strncmp(s, "postgresql://", 13) && s[13]);
}

/* ---- reading YAML ---- */

struct loader {
	struct sg_config *cfg;
	const char *name; /* specgate.yaml as messages name it */
	enum sg_mode mode;
	struct sg_error *err;
};

/* "what a key expects", for messages. */
static void
expected(char *dst, size_t n, const struct sg_field *f)
{
	switch (f->type) {
	case SG_F_SECTION:
	case SG_F_STAGE:
		snprintf(dst, n, "a mapping");
		break;
	case SG_F_STR:
		if (f->choices) {
			size_t used = 0;

			snprintf(dst, n, "one of");
			for (size_t i = 0; f->choices[i]; i++) {
				used = strlen(dst);
				snprintf(dst + used, n - used, "%s %s",
				    i ? "," : "", f->choices[i]);
			}
		}
		else if (f->flags & SG_FIELD_STORE)
			snprintf(dst, n, "a store URL, sqlite:PATH or "
					 "postgres://...");
		else
			snprintf(dst, n, "a string");
		break;
	case SG_F_STRLIST:
		if (f->flags & SG_FIELD_PURL)
			snprintf(dst, n, "a list of package URLs such as "
					 "[\"pkg:generic/zlib@1.3.1\"]");
		else
			snprintf(dst, n, "a list of %sstrings, such as [a, b]",
			    f->flags & SG_FIELD_NONEMPTY ? "one or more " : "");
		break;
	case SG_F_UINT:
		snprintf(dst, n, "an integer from %.0f to %.0f", f->min,
		    f->max);
		break;
	case SG_F_NUM:
		snprintf(dst, n, "a number from %g to %g", f->min, f->max);
		break;
	case SG_F_BOOL:
		snprintf(dst, n, "true or false");
		break;
	case SG_F_DUR:
		snprintf(dst, n, "a duration such as 500ms, 120s, 1.5m or 2h "
				 "(at most 168h)");
		break;
	case SG_F_RANGE:
		snprintf(dst, n, "a list of two numbers [min, max]");
		break;
	case SG_F_IRANGE:
		snprintf(dst, n, "a list of two integers [min, max]");
		break;
	case SG_F_MODE:
		snprintf(dst, n, "sandbox or compliance");
		break;
	case SG_F_ENV:
		snprintf(dst, n, "a mapping of variable names to strings");
		break;
	}
}

/*
 * Fail at node n: "'path' must be EXPECTED", followed by what was found
 * when that helps ("not 'x'", "not a list"...).
 */
static int
bad(struct loader *l, const struct sg_ynode *n, const char *path,
    const struct sg_field *f)
{
	char want[128];
	char got[80];
	bool b;

	expected(want, sizeof(want), f);
	if (n->kind == SG_YNODE_SEQ &&
	    (f->type == SG_F_RANGE || f->type == SG_F_IRANGE))
		return sg_error_set_at(l->err, SG_EINVAL, l->name, n->line,
		    n->column, "'%s' must be %s, not a list of %zu", path, want,
		    n->n);
	if (n->kind == SG_YNODE_SEQ)
		return sg_error_set_at(l->err, SG_EINVAL, l->name, n->line,
		    n->column, "'%s' must be %s, not a list", path, want);
	if (n->kind == SG_YNODE_MAP)
		return sg_error_set_at(l->err, SG_EINVAL, l->name, n->line,
		    n->column, "'%s' must be %s, not a mapping", path, want);
	if (sg_yaml_is_null(n))
		return sg_error_set_at(l->err, SG_EINVAL, l->name, n->line,
		    n->column, "'%s' must be %s, not empty (null)", path, want);
	sg_text_clip(got, sizeof(got), n->str, n->len);
	if (f->type == SG_F_BOOL)
		return sg_error_set_at(l->err, SG_EINVAL, l->name, n->line,
		    n->column, "'%s' must be %s (unquoted), not '%s'", path,
		    want, got);
	if (sg_yaml_is_bool(n, &b))
		return sg_error_set_at(l->err, SG_EINVAL, l->name, n->line,
		    n->column,
		    "'%s' must be %s; '%s' is a YAML 1.1 boolean (quote it, "
		    "\"%s\", for the text)",
		    path, want, got, got);
	return sg_error_set_at(l->err, SG_EINVAL, l->name, n->line, n->column,
	    "'%s' must be %s, not '%s'", path, want, got);
}

/* The text of a scalar meant as a string, or NULL (then report `bad`). */
static const char *
text_of(const struct sg_ynode *n, bool allow_empty)
{
	if (n->kind != SG_YNODE_SCALAR || sg_yaml_is_null(n) ||
	    sg_yaml_is_bool(n, NULL) || strlen(n->str) != n->len)
		return NULL;
	if (!allow_empty && !n->len)
		return NULL;
	return n->str;
}

static int
string_value(struct loader *l, const struct sg_ynode *n, const char *path,
    const struct sg_field *f, const char **out)
{
	const char *s;

	s = text_of(n, false);
	if (s && f->choices) {
		size_t i;

		for (i = 0; f->choices[i] && strcmp(f->choices[i], s); i++)
			;
		if (!f->choices[i])
			s = NULL;
	}
	if (s && (f->flags & SG_FIELD_STORE) && !is_store_text(s))
		s = NULL;
	if (!s)
		return bad(l, n, path, f);
	*out = s;
	return 0;
}

/*
 * The shape of a package URL, pkg:TYPE/[NS/]NAME@VERSION[?...][#...]:
 * enough to catch a typo at its line; the SBOM decodes the parts.
 */
static bool
is_purl_text(const char *s)
{
	const char *slash, *end, *at;

	if (strncmp(s, "pkg:", 4) || !(slash = strchr(s + 4, '/')) ||
	    slash == s + 4)
		return false;
	end = slash + 1 + strcspn(slash + 1, "?#");
	at = memchr(slash + 1, '@', (size_t)(end - slash - 1));
	return at && at > slash + 1 && at[-1] != '/' && at + 1 < end;
}

static int
strlist_value(struct loader *l, const struct sg_ynode *n, const char *path,
    const struct sg_field *f, struct sg_strlist *out)
{
	struct sg_strlist list = {NULL, 0};

	if (n->kind != SG_YNODE_SEQ ||
	    ((f->flags & SG_FIELD_NONEMPTY) && !n->n))
		return bad(l, n, path, f);
	for (size_t i = 0; i < n->n; i++)
		if (!text_of(n->kids[i], false) || ((f->flags & SG_FIELD_PURL) &&
		    !is_purl_text(n->kids[i]->str)))
			return bad(l, n->kids[i], path, f);
	list.items = n->n ? sg_xcalloc(n->n, sizeof(*list.items)) : NULL;
	for (size_t i = 0; i < n->n; i++)
		list.items[i] = sg_xstrdup(n->kids[i]->str);
	list.n = n->n;
	sg_config__strlist_release(out);
	*out = list;
	return 0;
}

/* A plain scalar number within the field's limits. */
static int
number_value(struct loader *l, const struct sg_ynode *n, const char *path,
    const struct sg_field *f, bool integer, double *out)
{
	double v;

	if (n->kind != SG_YNODE_SCALAR || !n->plain ||
	    !(integer ? is_uint_text(n->str) : is_num_text(n->str)))
		return bad(l, n, path, f);
	v = strtod(n->str, NULL);
	if (!isfinite(v) || v < f->min || v > f->max) {
		char got[80];

		return sg_error_set_at(l->err, SG_EINVAL, l->name, n->line,
		    n->column, "'%s' must be from %.15g to %.15g, not '%s'",
		    path, f->min, f->max,
		    sg_text_clip(got, sizeof(got), n->str, n->len));
	}
	*out = v;
	return 0;
}

static int
duration_value(struct loader *l, const struct sg_ynode *n, const char *path,
    const struct sg_field *f, uint64_t *out)
{
	uint64_t ms;

	if (n->kind != SG_YNODE_SCALAR || strlen(n->str) != n->len ||
	    sg_duration_parse(&ms, n->str) < 0 || (double)ms < f->min ||
	    (double)ms > f->max)
		return bad(l, n, path, f);
	*out = ms;
	return 0;
}

static int
range_value(struct loader *l, const struct sg_ynode *n, const char *path,
    const struct sg_field *f, struct sg_range *out)
{
	bool integer = f->type == SG_F_IRANGE;
	double v[2];
	int error;

	if (n->kind != SG_YNODE_SEQ || n->n != 2)
		return bad(l, n, path, f);
	for (size_t i = 0; i < 2; i++)
		if ((error = number_value(l, n->kids[i], path, f, integer,
			 &v[i])) < 0)
			return error;
	if (v[0] > v[1])
		return sg_error_set_at(l->err, SG_EINVAL, l->name, n->line,
		    n->column,
		    "'%s' must be a range [min, max] with min <= max, "
		    "not [%g, %g]",
		    path, v[0], v[1]);
	out->min = v[0];
	out->max = v[1];
	return 0;
}

static bool
is_env_name(const char *s, size_t len)
{
	if (!len || strlen(s) != len || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(s[i] == '_' || (s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'A' && s[i] <= 'Z') ||
			(s[i] >= 'a' && s[i] <= 'z')))
			return false;
	return true;
}

static void
env_release(struct sg_env_pair *env, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(env[i].key);
		free(env[i].value);
	}
	free(env);
}

static int
env_value(struct loader *l, const struct sg_ynode *n, const char *path,
    const struct sg_field *f, struct sg_stage_config *st)
{
	struct sg_env_pair *env;

	if (n->kind != SG_YNODE_MAP && !sg_yaml_is_null(n))
		return bad(l, n, path, f);
	for (size_t i = 0; i < n->n; i++) {
		const struct sg_ynode *k = sg_ynode_key(n, i);
		const struct sg_ynode *v = sg_ynode_value(n, i);
		char name[80];

		if (!is_env_name(k->str, k->len))
			return sg_error_set_at(l->err, SG_EINVAL, l->name,
			    k->line, k->column,
			    "'%s' must be a mapping of variable names to "
			    "strings; '%s' is not a variable name",
			    path, sg_text_clip(name, sizeof(name), k->str,
				      k->len));
		if (!text_of(v, true))
			return bad(l, v, path, f);
	}
	env = n->n ? sg_xcalloc(n->n, sizeof(*env)) : NULL;
	for (size_t i = 0; i < n->n; i++) {
		env[i].key = sg_xstrdup(sg_ynode_key(n, i)->str);
		env[i].value = sg_xstrdup(sg_ynode_value(n, i)->str);
	}
	env_release(st->env, st->nenv);
	st->env = env;
	st->nenv = n->n;
	return 0;
}

static int apply_map(struct loader *l, const struct sg_field *table,
    char *base, const struct sg_ynode *map, const char *path);

/* Parse one leaf value into the struct at base + f->off. */
static int
apply_leaf(struct loader *l, const struct sg_field *f, char *base,
    const struct sg_ynode *n, const char *path)
{
	void *p = base + f->off;
	const char *s = NULL;
	double d = 0;
	int error = 0;

	switch (f->type) {
	case SG_F_STR:
		if (!(error = string_value(l, n, path, f, &s))) {
			free(*(char **)p);
			*(char **)p = sg_xstrdup(s);
		}
		break;
	case SG_F_STRLIST:
		error = strlist_value(l, n, path, f, p);
		break;
	case SG_F_UINT:
		if (!(error = number_value(l, n, path, f, true, &d)))
			*(unsigned *)p = (unsigned)d;
		break;
	case SG_F_NUM:
		if (!(error = number_value(l, n, path, f, false, &d)))
			*(double *)p = d;
		break;
	case SG_F_DUR:
		error = duration_value(l, n, path, f, p);
		break;
	case SG_F_RANGE:
	case SG_F_IRANGE:
		error = range_value(l, n, path, f, p);
		break;
	case SG_F_MODE:
		if (n->kind != SG_YNODE_SCALAR || strlen(n->str) != n->len ||
		    sg_mode_parse(p, n->str) < 0)
			error = bad(l, n, path, f);
		break;
	case SG_F_BOOL:
		/* YAML 1.2's words only: yes, no, on, off are refused */
		if (n->kind == SG_YNODE_SCALAR && sg_yaml_is_bool(n, NULL) &&
		    (!strcmp(n->str, "true") || !strcmp(n->str, "false")))
			*(bool *)p = !strcmp(n->str, "true");
		else
			error = bad(l, n, path, f);
		break;
	case SG_F_ENV:
		error = env_value(l, n, path, f,
		    (struct sg_stage_config *)base);
		break;
	case SG_F_SECTION:
	case SG_F_STAGE:
		SG_BUG("a section is not a leaf");
	}
	if (!error && f->has_off)
		*(bool *)(base + f->has_off) = true;
	return error;
}

/* ", did you mean 'timeout'?" when a key of table is near name, else "". */
static void
suggest_key(char *out, size_t size, const struct sg_field *table,
    const char *name)
{
	const char *cands[64];
	const char *near;
	size_t n = 0;

	for (; table->name && n < SG_ARRAY_SIZE(cands); table++)
		cands[n++] = table->name;
	near = sg_similar(name, cands, n);
	if (near)
		snprintf(out, size, "; did you mean '%s'?", near);
	else
		out[0] = '\0';
}

static int
unknown_key(struct loader *l, const struct sg_field *table,
    const struct sg_ynode *k, const char *path)
{
	char name[80];
	char hint[112];

	sg_text_clip(name, sizeof(name), k->str, k->len);
	suggest_key(hint, sizeof(hint), table, name);
	if (l->mode == SG_MODE_COMPLIANCE)
		return sg_error_set_at(l->err, SG_EINVAL, l->name, k->line,
		    k->column, "unknown key '%s%s%s' (unknown keys are errors "
		    "in compliance mode)%s", path, *path ? "." : "", name,
		    hint);
	sg_config__warn(l->cfg, "%s:%u:%u: warning: unknown key '%s%s%s' "
	    "(ignored in sandbox mode; an error in compliance)%s", l->name,
	    k->line, k->column, path, *path ? "." : "", name, hint);
	return 0;
}

/*
 * A stage's `fixable` names commands of its `run` list (by their exact
 * text): an entry that is not one is a typo that would keep the fix
 * commands from ever running, so it is refused at its position.  `fix`
 * without any `fixable` command never runs: a warning says so.
 */
static int
check_fixable(struct loader *l, const struct sg_stage_config *st,
    const struct sg_ynode *map, const char *path)
{
	const struct sg_ynode *seq = NULL;

	for (size_t i = 0; i < map->n; i++) {
		const struct sg_ynode *k = sg_ynode_key(map, i);

		if (k->len == 7 && !memcmp(k->str, "fixable", 7))
			seq = sg_ynode_value(map, i);
	}
	for (size_t i = 0; i < st->fixable.n; i++) {
		bool found = false;

		for (size_t r = 0; r < st->run.n && !found; r++)
			found = !strcmp(st->fixable.items[i], st->run.items[r]);
		if (!found && seq && i < seq->n)
			return sg_error_set_at(l->err, SG_EINVAL, l->name,
			    seq->kids[i]->line, seq->kids[i]->column,
			    "'%s.fixable': '%s' is not one of the commands of "
			    "'%s.run' (written exactly as there)", path,
			    st->fixable.items[i], path);
	}
	if (st->fix.n && !st->fixable.n)
		sg_config__warn(l->cfg, "%s: warning: '%s.fix' is set but no "
		    "command is marked in '%s.fixable': the fix commands "
		    "never run", l->name, path, path);
	return 0;
}

/*
 * deploy's built-in target needs what it deploys: the local target a
 * start command, the kubernetes target an image.  Refused at the stage's
 * position when missing.
 */
static int
check_target(struct loader *l, const struct sg_stage_config *st,
    const struct sg_ynode *k, const char *path)
{
	if (!st->target)
		return 0;
	if (!strcmp(st->target, "local") && !st->start)
		return sg_error_set_at(l->err, SG_EINVAL, l->name, k->line,
		    k->column, "'%s.target' is local: '%s.start' must say how "
		    "to start a release", path, path);
	if (!strcmp(st->target, "kubernetes") && !st->image)
		return sg_error_set_at(l->err, SG_EINVAL, l->name, k->line,
		    k->column, "'%s.target' is kubernetes: '%s.image' must "
		    "name the container image to deploy", path, path);
	return 0;
}

static int apply_map(struct loader *l, const struct sg_field *table,
    char *base, const struct sg_ynode *map, const char *path);

/*
 * environments: a mapping of names to environments, kept in the order
 * written (the order of promotion).  A name is [a-z][a-z0-9_-]*, at most
 * 32 characters; at most SG_ENVIRONMENTS_MAX of them.  Written again (a
 * second environments: key, an overlay file), the list is replaced.
 */
static int
apply_environments(struct loader *l, const struct sg_ynode *k,
    const struct sg_ynode *map)
{
	struct sg_config *cfg = l->cfg;
	int error = 0;

	if (map->kind != SG_YNODE_MAP && !sg_yaml_is_null(map))
		return sg_error_set_at(l->err, SG_EINVAL, l->name, map->line,
		    map->column, "'environments' must be a mapping of "
		    "environment names to {target, health_url, min_mode, "
		    "approvals}");
	sg_config__environments_release(cfg);
	if (map->kind == SG_YNODE_MAP && map->n > SG_ENVIRONMENTS_MAX)
		return sg_error_set_at(l->err, SG_ETOOBIG, l->name, k->line,
		    k->column, "'environments' lists %zu environments; at most "
		    "%d", map->n, SG_ENVIRONMENTS_MAX);
	for (size_t i = 0; map->kind == SG_YNODE_MAP && i < map->n && !error;
	    i++) {
		const struct sg_ynode *nk = sg_ynode_key(map, i);
		const struct sg_ynode *v = sg_ynode_value(map, i);
		struct sg_environment *e;
		char name[40], sub[80];
		bool ok = nk->len >= 1 && nk->len <= 32 &&
		    strlen(nk->str) == nk->len && nk->str[0] >= 'a' &&
		    nk->str[0] <= 'z';

		for (size_t j = 1; ok && j < nk->len; j++)
			ok = (nk->str[j] >= 'a' && nk->str[j] <= 'z') ||
			    (nk->str[j] >= '0' && nk->str[j] <= '9') ||
			    nk->str[j] == '-' || nk->str[j] == '_';
		sg_text_clip(name, sizeof(name), nk->str, nk->len);
		if (!ok)
			return sg_error_set_at(l->err, SG_EINVAL, l->name,
			    nk->line, nk->column, "environment name '%s' must "
			    "be lower case letters, digits, '-' or '_', a "
			    "letter first, at most 32 characters", name);
		if (v->kind != SG_YNODE_MAP && !sg_yaml_is_null(v))
			return sg_error_set_at(l->err, SG_EINVAL, l->name,
			    v->line, v->column, "'environments.%s' must be a "
			    "mapping ({target, health_url, min_mode, "
			    "approvals})", name);
		cfg->envs = sg_xreallocarray(cfg->envs, cfg->nenvs + 1,
		    sizeof(*cfg->envs));
		e = &cfg->envs[cfg->nenvs++];
		memset(e, 0, sizeof(*e));
		e->name = sg_xstrdup(name);
		e->min_mode = SG_MODE_SANDBOX;
		snprintf(e->origin, sizeof(e->origin), "%s:%u:%u", l->name,
		    nk->line, nk->column);
		snprintf(sub, sizeof(sub), "environments.%s", name);
		if (v->kind == SG_YNODE_MAP)
			error = apply_map(l, environment_fields, (char *)e, v,
			    sub);
	}
	if (!error)
		sg_config__set_origin(cfg, "environments", "%s:%u:%u", l->name,
		    k->line, k->column);
	return error;
}

static int
apply_map(struct loader *l, const struct sg_field *table, char *base,
    const struct sg_ynode *map, const char *path)
{
	int error = 0;

	for (size_t i = 0; i < map->n && !error; i++) {
		const struct sg_ynode *k = sg_ynode_key(map, i);
		const struct sg_ynode *v = sg_ynode_value(map, i);
		const struct sg_field *f;
		char sub[160];

		if (table == sg_config__schema && k->len == 12 &&
		    !memcmp(k->str, "environments", 12)) {
			error = apply_environments(l, k, v);
			continue;
		}
		f = strlen(k->str) == k->len ? find_in(table, k->str, k->len) :
					       NULL;
		if (!f) {
			error = unknown_key(l, table, k, path);
			continue;
		}
		snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "",
		    f->name);
		if (f->type != SG_F_SECTION && f->type != SG_F_STAGE) {
			if (!(error = apply_leaf(l, f, base, v, sub)))
				sg_config__set_origin(l->cfg, sub, "%s:%u:%u",
				    l->name, k->line, k->column);
			continue;
		}
		if (v->kind != SG_YNODE_MAP && !sg_yaml_is_null(v)) {
			error = bad(l, v, sub, f);
			continue;
		}
		if (f->type == SG_F_STAGE) {
			struct sg_stage_config *st;

			st = (struct sg_stage_config *)(base + f->off);
			st->configured = true;
			sg_config__set_origin(l->cfg, sub, "%s:%u:%u", l->name,
			    k->line, k->column);
		}
		error = apply_map(l, f->sub, base + f->off, v, sub);
		if (!error && f->type == SG_F_STAGE)
			error = check_fixable(l, (struct sg_stage_config *)
			    (base + f->off), v, sub);
		if (!error && f->type == SG_F_STAGE)
			error = check_target(l, (struct sg_stage_config *)
			    (base + f->off), k, sub);
	}
	return error;
}

int
sg_config__apply_yaml(struct sg_config *cfg, const struct sg_ynode *root,
    const char *name, enum sg_mode mode, struct sg_error *err)
{
	struct loader l = {cfg, name, mode, err};

	if (!root || sg_yaml_is_null(root))
		return 0;
	if (root->kind != SG_YNODE_MAP)
		return sg_error_set_at(err, SG_EINVAL, name, root->line,
		    root->column,
		    "the file must hold a mapping of keys such as "
		    "'project:' and 'mode:'");
	return apply_map(&l, sg_config__schema, (char *)cfg, root, "");
}

int
sg_config__yaml_mode(enum sg_mode *out, bool *found,
    const struct sg_ynode *root, const char *name, struct sg_error *err)
{
	struct loader l = {NULL, name, SG_MODE_SANDBOX, err};
	const struct sg_field *f;

	*found = false;
	if (!root || root->kind != SG_YNODE_MAP)
		return 0;
	f = find_in(sg_config__schema, "mode", 4);
	if (!f)
		SG_BUG("the schema has no mode");
	for (size_t i = 0; i < root->n; i++) {
		const struct sg_ynode *k = sg_ynode_key(root, i);
		const struct sg_ynode *v = sg_ynode_value(root, i);

		if (k->len != 4 || memcmp(k->str, "mode", 4))
			continue;
		if (v->kind != SG_YNODE_SCALAR || strlen(v->str) != v->len ||
		    sg_mode_parse(out, v->str) < 0)
			return bad(&l, v, "mode", f);
		*found = true;
	}
	return 0;
}

/* ---- reading the environment, .env and flags ---- */

static int
text_fail(struct sg_error *err, const char *file, unsigned line,
    unsigned column, const char *subject, const char *want, const char *text)
{
	char got[80];

	sg_text_clip(got, sizeof(got), text, strlen(text));
	return sg_error_set_at(err, SG_EINVAL, file, line, column,
	    "'%s' must be %s, not '%s'", subject, want, got);
}

/* SPECGATE_FEATURES=a:b or a,b: empty items are skipped. */
static void
split_list(struct sg_strlist *out, const char *text)
{
	const char *p = text;
	size_t len;

	sg_config__strlist_release(out);
	while (*p) {
		len = strcspn(p, ":,");
		if (len) {
			out->items = sg_xreallocarray(out->items, out->n + 1,
			    sizeof(*out->items));
			out->items[out->n++] = sg_xstrndup(p, len);
		}
		p += len;
		if (*p)
			p++;
	}
}

int
sg_config__apply_text(struct sg_config *cfg, const char *key,
    const char *text, const char *subject, const char *origin,
    const char *file, unsigned line, unsigned column, struct sg_error *err)
{
	const struct sg_field *f;
	char want[128];
	char *base;
	void *p;

	f = sg_config__field(key, cfg, &base);
	if (!f)
		SG_BUG("an environment mapping names an unknown key");
	p = base + f->off;
	expected(want, sizeof(want), f);
	if (sg_text_utf8_invalid(text, strlen(text)) < strlen(text))
		return sg_error_set_at(err, SG_EINVAL, file, line, column,
		    "'%s' is not valid UTF-8", subject);
	switch (f->type) {
	case SG_F_STR:
		if (!*text ||
		    ((f->flags & SG_FIELD_STORE) && !is_store_text(text)))
			return text_fail(err, file, line, column, subject, want,
			    text);
		free(*(char **)p);
		*(char **)p = sg_xstrdup(text);
		break;
	case SG_F_STRLIST:
		if (strspn(text, ":,") == strlen(text))
			return text_fail(err, file, line, column, subject,
			    "a list of directories separated by ':' or ','",
			    text);
		split_list(p, text);
		break;
	case SG_F_MODE:
		if (sg_mode_parse(p, text) < 0)
			return text_fail(err, file, line, column, subject, want,
			    text);
		break;
	default:
		SG_BUG("no text form for this key type");
	}
	sg_config__set_origin(cfg, key, "%s", origin);
	return 0;
}
