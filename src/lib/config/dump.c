/* SPDX-License-Identifier: MIT */
/*
 * dump.c - the effective configuration as text or JSON, each value with
 * its origin (what `specgate config` prints).
 *
 * Both forms walk the schema table in its order (docs/product.md §2.2), so
 * the output lists every key, including the ones left at their defaults,
 * and a stage only when it is configured.  Text is one line per key,
 *
 *	policy.sandbox.cpu: [0.1, 0.5]  # specgate.yaml:7:5
 *
 * with values in YAML flow syntax (strings quoted when YAML would read
 * them as something else); JSON is one object of
 * {"key": {"value": ..., "origin": "..."}} built with jansson, so every
 * string is escaped correctly.  Durations are shown in the largest unit
 * that divides them ("120s" is shown as "2m").
 *
 * Secrets are never shown: every string goes through sg_url_mask() (a
 * store URL's password, a health URL's token), and the value of a stage
 * env variable whose name says secret (sg_secret_name()) or is listed in
 * `secrets:` is shown as [REDACTED].
 */
#include "specgate/config.h"

#include <jansson.h>

#include "config/config_int.h"
#include "config/text.h"
#include "util/util.h"

struct dump {
	const struct sg_config *cfg;
	bool json;
	struct sg_buf text;
	json_t *obj;
};

/* ---- scalars ---- */

static void
fmt_double(char *dst, size_t n, double d, bool point)
{
	if (d == (double)(long long)d && d > -1e15 && d < 1e15) {
		snprintf(dst, n, "%lld%s", (long long)d, point ? ".0" : "");
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(dst, n, "%.*g", prec, d);
		if (strtod(dst, NULL) == d)
			break;
	}
	if (point && !strpbrk(dst, ".eEn"))
		snprintf(dst + strlen(dst), n - strlen(dst), ".0");
}

static void
fmt_duration(char *dst, size_t n, uint64_t ms)
{
	if (ms && ms % 3600000 == 0)
		snprintf(dst, n, "%lluh", (unsigned long long)(ms / 3600000));
	else if (ms && ms % 60000 == 0)
		snprintf(dst, n, "%llum", (unsigned long long)(ms / 60000));
	else if (ms % 1000 == 0)
		snprintf(dst, n, "%llus", (unsigned long long)(ms / 1000));
	else
		snprintf(dst, n, "%llums", (unsigned long long)ms);
}

/* Would YAML read s as a number, a boolean or null? */
static bool
looks_typed(const char *s)
{
	static const char *const words[] = {"~", "null", "Null", "NULL", "y",
		"Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true",
		"True", "TRUE", "false", "False", "FALSE", "on", "On", "ON",
		"off", "Off", "OFF"};
	char *end;

	for (size_t i = 0; i < SG_ARRAY_SIZE(words); i++)
		if (!strcmp(s, words[i]))
			return true;
	strtod(s, &end);
	if (end != s && !*end)
		return true;
	if (s[0] == '0' && strchr("xXoObB", s[1]))
		return true;
	return (s[0] >= '0' && s[0] <= '9') &&
	    strspn(s, "0123456789_:.") == strlen(s) && strpbrk(s, "_:");
}

static bool
plain_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || strchr("-?:,[]{}#&*!|>'\"%@` \t", s[0]) || s[n - 1] == ' ' ||
	    looks_typed(s) || strpbrk(s, ",[]{}"))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return false;
		if (c == '#' && s[i - 1] == ' ')
			return false;
		if (c == ':' && (s[i + 1] == ' ' || !s[i + 1]))
			return false;
	}
	return true;
}

static void
put_str(struct sg_buf *b, const char *s)
{
	if (plain_ok(s)) {
		sg_buf_puts(b, s);
		return;
	}
	sg_buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			sg_buf_printf(b, "\\%c", c);
		else if (c == '\n')
			sg_buf_puts(b, "\\n");
		else if (c == '\t')
			sg_buf_puts(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			sg_buf_printf(b, "\\x%02x", c);
		else
			sg_buf_putc(b, (char)c);
	}
	sg_buf_putc(b, '"');
}

/* A JSON string; bytes that are not UTF-8 (a path, say) become '?'. */
static json_t *
jstr(const char *s)
{
	json_t *j;
	char *copy;
	size_t len = strlen(s);
	size_t bad;

	j = json_string(s);
	if (j)
		return j;
	copy = sg_xstrdup(s);
	for (bad = sg_text_utf8_invalid(copy, len); bad < len;
	    bad = sg_text_utf8_invalid(copy, len))
		copy[bad] = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

/* ---- values ---- */

#define MASK "[REDACTED]"

/* What a string value shows: a new string (see the top). */
static char *
shown(const char *s)
{
	return sg_url_mask(s);
}

static bool
env_secret(const struct sg_config *cfg, const char *name)
{
	if (sg_secret_name(name))
		return true;
	for (size_t i = 0; i < cfg->secrets.n; i++)
		if (!strcmp(cfg->secrets.items[i], name))
			return true;
	return false;
}

static char *
env_shown(const struct sg_config *cfg, const struct sg_env_pair *v)
{
	return env_secret(cfg, v->key) ? sg_xstrdup(MASK) : shown(v->value);
}

static void
put_shown(struct sg_buf *b, char *s)
{
	put_str(b, s);
	free(s);
}

static json_t *
jstr_shown(char *s)
{
	json_t *j = jstr(s);

	free(s);
	return j;
}

static void
text_value(struct sg_buf *b, const struct sg_config *cfg,
    const struct sg_field *f, const void *p)
{
	const struct sg_strlist *l = p;
	const struct sg_range *r = p;
	const struct sg_stage_config *st;
	char num[64];
	char num2[64];

	switch (f->type) {
	case SG_F_STR:
		if (*(char *const *)p)
			put_shown(b, shown(*(char *const *)p));
		else
			sg_buf_puts(b, "null");
		break;
	case SG_F_STRLIST:
		sg_buf_putc(b, '[');
		for (size_t i = 0; i < l->n; i++) {
			sg_buf_puts(b, i ? ", " : "");
			put_shown(b, shown(l->items[i]));
		}
		sg_buf_putc(b, ']');
		break;
	case SG_F_UINT:
		sg_buf_printf(b, "%u", *(const unsigned *)p);
		break;
	case SG_F_NUM:
		fmt_double(num, sizeof(num), *(const double *)p, true);
		sg_buf_puts(b, num);
		break;
	case SG_F_DUR:
		fmt_duration(num, sizeof(num), *(const uint64_t *)p);
		sg_buf_puts(b, num);
		break;
	case SG_F_RANGE:
	case SG_F_IRANGE:
		fmt_double(num, sizeof(num), r->min, f->type == SG_F_RANGE);
		fmt_double(num2, sizeof(num2), r->max, f->type == SG_F_RANGE);
		sg_buf_printf(b, "[%s, %s]", num, num2);
		break;
	case SG_F_MODE:
		sg_buf_puts(b, sg_mode_name(*(const enum sg_mode *)p));
		break;
	case SG_F_BOOL:
		sg_buf_puts(b, *(const bool *)p ? "true" : "false");
		break;
	case SG_F_ENV:
		st = (const struct sg_stage_config *)((const char *)p - f->off);
		sg_buf_putc(b, '{');
		for (size_t i = 0; i < st->nenv; i++) {
			sg_buf_puts(b, i ? ", " : "");
			put_str(b, st->env[i].key);
			sg_buf_puts(b, ": ");
			put_shown(b, env_shown(cfg, &st->env[i]));
		}
		sg_buf_putc(b, '}');
		break;
	case SG_F_SECTION:
	case SG_F_STAGE:
		SG_BUG("a section is not a value");
	}
}

static json_t *
json_value(const struct sg_config *cfg, const struct sg_field *f,
    const void *p)
{
	const struct sg_strlist *l = p;
	const struct sg_range *r = p;
	const struct sg_stage_config *st;
	const char *s;
	json_t *j;
	char num[64];

	switch (f->type) {
	case SG_F_STR:
		s = *(char *const *)p;
		return s ? jstr_shown(shown(s)) : json_null();
	case SG_F_STRLIST:
		j = json_array();
		for (size_t i = 0; i < l->n; i++)
			json_array_append_new(j, jstr_shown(shown(l->items[i])));
		return j;
	case SG_F_UINT:
		return json_integer(*(const unsigned *)p);
	case SG_F_NUM:
		return json_real(*(const double *)p);
	case SG_F_DUR:
		fmt_duration(num, sizeof(num), *(const uint64_t *)p);
		return json_string(num);
	case SG_F_RANGE:
		return json_pack("[f, f]", r->min, r->max);
	case SG_F_IRANGE:
		return json_pack("[I, I]", (json_int_t)r->min,
		    (json_int_t)r->max);
	case SG_F_MODE:
		return json_string(sg_mode_name(*(const enum sg_mode *)p));
	case SG_F_BOOL:
		return json_boolean(*(const bool *)p);
	case SG_F_ENV:
		st = (const struct sg_stage_config *)((const char *)p - f->off);
		j = json_object();
		for (size_t i = 0; i < st->nenv; i++)
			json_object_set_new(j, st->env[i].key,
			    jstr_shown(env_shown(cfg, &st->env[i])));
		return j;
	case SG_F_SECTION:
	case SG_F_STAGE:
		break;
	}
	SG_BUG("a section is not a value");
}

static void
emit_at(struct dump *d, const char *key, const struct sg_field *f,
    const void *p, const char *origin)
{
	json_t *entry;

	if (!d->json) {
		sg_buf_printf(&d->text, "%s: ", key);
		text_value(&d->text, d->cfg, f, p);
		sg_buf_printf(&d->text, "  # %s\n", origin);
		return;
	}
	entry = json_object();
	json_object_set_new(entry, "value", json_value(d->cfg, f, p));
	json_object_set_new(entry, "origin", jstr(origin));
	json_object_set_new(d->obj, key, entry);
}

static void
emit(struct dump *d, const char *key, const struct sg_field *f,
    const void *p)
{
	const char *origin = sg_config_origin(d->cfg, key);

	if (!origin)
		SG_BUG("a schema key without an origin");
	emit_at(d, key, f, p, origin);
}

static void
dump_table(struct dump *d, const struct sg_field *table, const char *base,
    const char *path)
{
	char key[160];
	const void *p;

	for (const struct sg_field *f = table; f->name; f++) {
		snprintf(key, sizeof(key), "%s%s%s", path, *path ? "." : "",
		    f->name);
		if (f->type == SG_F_SECTION) {
			dump_table(d, f->sub, base + f->off, key);
			continue;
		}
		if (f->type == SG_F_STAGE) {
			if (((const struct sg_stage_config *)(base + f->off))
				->configured)
				dump_table(d, f->sub, base + f->off, key);
			continue;
		}
		p = base + f->off;
		if (f->inherit && !*(const bool *)(base + f->has_off))
			p = (const char *)d->cfg + f->inherit_off;
		emit(d, key, f, p);
	}
}

static void
dump_paths(struct dump *d)
{
	static const struct sg_field str = {.name = "", .type = SG_F_STR};
	const struct sg_config *cfg = d->cfg;

	emit(d, "root", &str, &cfg->root);
	emit(d, "file", &str, &cfg->file);
}

/*
 * environments.<name>.<key>: every key of every environment, each with
 * the environment's own position (a key left out shows its default: a
 * null target or health_url means the deploy stage's own).
 */
static void
dump_environments(struct dump *d)
{
	static const struct sg_field str = {.name = "", .type = SG_F_STR};
	static const struct sg_field mode = {.name = "", .type = SG_F_MODE};
	static const struct sg_field num = {.name = "", .type = SG_F_UINT};
	char key[96];

	for (size_t i = 0; i < d->cfg->nenvs; i++) {
		const struct sg_environment *e = &d->cfg->envs[i];

		snprintf(key, sizeof(key), "environments.%s.target", e->name);
		emit_at(d, key, &str, &e->target, e->origin);
		snprintf(key, sizeof(key), "environments.%s.health_url",
		    e->name);
		emit_at(d, key, &str, &e->health_url, e->origin);
		snprintf(key, sizeof(key), "environments.%s.min_mode",
		    e->name);
		emit_at(d, key, &mode, &e->min_mode, e->origin);
		snprintf(key, sizeof(key), "environments.%s.approvals",
		    e->name);
		emit_at(d, key, &num, &e->approvals, e->origin);
	}
}

int
sg_config_dump(char **out, const struct sg_config *cfg, bool as_json)
{
	struct dump d;

	memset(&d, 0, sizeof(d));
	d.cfg = cfg;
	d.json = as_json;
	sg_buf_init(&d.text, 0);
	if (as_json)
		d.obj = json_object();
	dump_paths(&d);
	dump_table(&d, sg_config__schema, (const char *)cfg, "");
	dump_environments(&d);
	if (as_json) {
		char *s = json_dumps(d.obj, JSON_INDENT(2) |
			JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));

		json_decref(d.obj);
		if (!s)
			SG_BUG("json_dumps failed");
		sg_buf_puts(&d.text, s);
		sg_buf_putc(&d.text, '\n');
		free(s);
	}
	*out = sg_buf_detach(&d.text, NULL);
	return 0;
}
