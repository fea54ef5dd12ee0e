/* SPDX-License-Identifier: MIT */
/*
 * sarif.c - the SARIF 2.1.0 reader of the SAST gate.
 *
 * Streaming, because a SARIF log can be hundreds of megabytes (CodeQL on
 * a large repository) and a jansson tree of it takes several times its
 * size.  A small recursive-descent scanner walks the document one byte
 * at a time through a 1 MiB window and validates the JSON grammar of
 * everything outside the results.  Some values are captured instead:
 * each runs[].tool, and the members of each result that the gate reads
 * (level, kind, ruleId, ruleIndex, rule, suppressions, locations).  A
 * captured value is skimmed to its end (strings and brackets only),
 * copied into a buffer capped at SG_GATE_MAX_SARIF_VALUE, and handed to
 * jansson, which validates it and gives the fields.  The other members
 * of a result (message, codeFlows, fixes...: most of the bytes of a big
 * log) are skimmed past, their strings and brackets checked, not their
 * every token: that is what makes a 200 MB log a matter of a second or
 * two.  So the memory is one tool (or one result's captured members)
 * plus, per result of the current run, a 24-byte record: a result
 * may come before its run's tool (object keys have no order), so levels
 * are resolved when the run's object ends.
 *
 * Rejected: capping the file and loading it whole with jansson (simple,
 * but 5-10x the file in memory, and the issue asks for 500 MB);
 * a general event-based JSON parser (more code than the two paths that
 * matter).
 *
 * Effective level, after SARIF 2.1.0 section 3.27.10: result.level; else,
 * when kind is absent or "fail", the rule's defaultConfiguration.level
 * (the rule by rule.index/ruleIndex, else by id, in tool.driver.rules or
 * tool.extensions[rule.toolComponent.index].rules), "warning" when the
 * rule has none or there is no rule; a kind other than "fail" (pass,
 * open, review, informational, notApplicable) has level "none".
 * Suppressed (section 3.34): a non-empty "suppressions" with no entry
 * "rejected" and at least one "accepted" (or without a status); those
 * "underReview" only do not suppress.
 */
#include "gate/gate_int.h"

#include <errno.h>

#include "sys/fs.h"

#define WINDOW (1u << 20)
#define KEY_MAX 64

struct pending {
	int64_t rule_index; /* -1: none */
	int32_t rule_key;   /* index in rule map, -1: no id */
	int32_t comp;	    /* -1: driver */
	uint32_t file_key;
	int8_t level; /* -1: from the rule */
};

struct comp_rules {
	size_t n;
	int32_t *keys;	 /* rule id -> rule map index, -1 no id */
	int8_t *levels;	 /* default level, SG_SARIF_WARNING when unset */
};

struct js {
	const char *path;
	struct sg_error *err;
	int fd;
	char *buf;
	size_t len, off;
	bool eof;
	unsigned line, col;
	struct sg_buf cap;
	bool keep;   /* skim() copies what it reads into cap */
	json_t *acc; /* the members of the result being read */
	unsigned depth;
	/* the run being read */
	struct pending *pend;
	size_t npend, cappend;
	struct comp_rules *comps; /* [0] driver, [1 + i] extensions[i] */
	size_t ncomps;
	/* totals over every file */
	struct sg_sarif *s;
	struct gate_map rules, files, tools;
	struct sg_sarif_count *rc, *fc;
	size_t caprc, capfc;
};

static int
fail(struct js *j, const char *what)
{
	return sg_error_set_at(j->err, SG_EINVAL, j->path, j->line, j->col,
	    "malformed SARIF: %s", what);
}

static int
refill(struct js *j)
{
	ssize_t got;

	if (j->off < j->len || j->eof)
		return 0;
	got = sg_fs_read(j->fd, j->buf, WINDOW);
	if (got < 0)
		return sg_error_set_errno(j->err, SG_EIO, errno,
		    "cannot read '%s'", j->path);
	j->off = 0;
	j->len = (size_t)got;
	j->eof = got == 0;
	return 0;
}

/* The next byte without consuming it: 0..255, -1 at EOF, or an error. */
static int
peek(struct js *j, int *c)
{
	int error;

	if (j->off == j->len && (error = refill(j)) < 0)
		return error;
	*c = j->off < j->len ? (unsigned char)j->buf[j->off] : -1;
	return 0;
}

static int
advance(struct js *j)
{
	char c = j->buf[j->off++];

	if (c == '\n') {
		j->line++;
		j->col = 1;
	} else {
		j->col++;
	}
	return 0;
}

static int
skip_ws(struct js *j, int *c)
{
	int error;

	for (;;) {
		if ((error = peek(j, c)) < 0)
			return error;
		if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r')
			return 0;
		if ((error = advance(j)) < 0)
			return error;
	}
}

static int
expect(struct js *j, int want, const char *what)
{
	int c;
	int error;

	if ((error = skip_ws(j, &c)) < 0)
		return error;
	if (c != want)
		return fail(j, what);
	return advance(j);
}

/* The four hex digits after "\\u" (the 'u' not consumed yet). */
static int
hex4(struct js *j)
{
	int c;
	int error;

	if ((error = advance(j)) < 0)
		return error;
	for (int k = 0; k < 4; k++) {
		if ((error = peek(j, &c)) < 0)
			return error;
		if (c <= 0 || !strchr("0123456789abcdefABCDEF", c))
			return fail(j, "bad \\u escape in a string");
		if ((error = advance(j)) < 0)
			return error;
	}
	return 0;
}

/* A string; its first KEY_MAX-1 bytes (raw, escapes kept) into key. */
static int
string(struct js *j, char *key)
{
	size_t n = 0;
	int c;
	int error;

	if ((error = expect(j, '"', "expected a string")) < 0)
		return error;
	for (;;) {
		if ((error = peek(j, &c)) < 0)
			return error;
		if (c < 0)
			return fail(j, "unterminated string");
		if (c < 0x20)
			return fail(j, "control character in a string");
		if ((error = advance(j)) < 0)
			return error;
		if (c == '"')
			break;
		if (key && n < KEY_MAX - 1)
			key[n++] = (char)c;
		if (c == '\\') {
			if ((error = peek(j, &c)) < 0)
				return error;
			if (c <= 0 || !strchr("\"\\/bfnrtu", c))
				return fail(j, "bad escape in a string");
			if (key && n < KEY_MAX - 1)
				key[n++] = (char)c;
			if ((error = c == 'u' ? hex4(j) : advance(j)) < 0)
				return error;
		}
	}
	if (key)
		key[n] = '\0';
	return 0;
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
digits(struct js *j, bool need)
{
	int c;
	int error;
	bool any = false;

	for (;;) {
		if ((error = peek(j, &c)) < 0)
			return error;
		if (!is_digit(c))
			break;
		any = true;
		if ((error = advance(j)) < 0)
			return error;
	}
	return need && !any ? fail(j, "bad number") : 0;
}

static int
number(struct js *j)
{
	int c;
	int error;

	if ((error = peek(j, &c)) < 0)
		return error;
	if (c == '-' && (error = advance(j)) < 0)
		return error;
	if ((error = peek(j, &c)) < 0)
		return error;
	if (c == '0') {
		if ((error = advance(j)) < 0)
			return error;
	} else if ((error = digits(j, true)) < 0) {
		return error;
	}
	if ((error = peek(j, &c)) < 0)
		return error;
	if (c == '.' && ((error = advance(j)) < 0 ||
			    (error = digits(j, true)) < 0))
		return error;
	if ((error = peek(j, &c)) < 0)
		return error;
	if (c == 'e' || c == 'E') {
		if ((error = advance(j)) < 0 || (error = peek(j, &c)) < 0)
			return error;
		if ((c == '+' || c == '-') && (error = advance(j)) < 0)
			return error;
		return digits(j, true);
	}
	return 0;
}

static int
literal(struct js *j, const char *word)
{
	int c;
	int error;

	for (const char *p = word; *p; p++) {
		if ((error = peek(j, &c)) < 0)
			return error;
		if (c != *p)
			return fail(j, "unexpected character");
		if ((error = advance(j)) < 0)
			return error;
	}
	return 0;
}

typedef int (*member_fn)(struct js *j, const char *key);

static int value(struct js *j);

static int
too_deep(struct js *j)
{
	return sg_error_set_at(j->err, SG_ETOOBIG, j->path, j->line, j->col,
	    "JSON nested more than %d deep", SG_GATE_MAX_SARIF_DEPTH);
}

/*
 * Enter an object or an array: past its opening bracket and any white
 * space; *empty when its closing bracket follows.
 */
static int
open_nested(struct js *j, int open, int close, const char *what, bool *empty)
{
	int c;
	int error;

	if ((error = expect(j, open, what)) < 0)
		return error;
	if (++j->depth > SG_GATE_MAX_SARIF_DEPTH)
		return too_deep(j);
	if ((error = skip_ws(j, &c)) < 0)
		return error;
	*empty = c == close;
	return 0;
}

/*
 * After a member or an element: *done at the closing bracket (which is
 * consumed, leaving the level), else past the ','.
 */
static int
next_or_close(struct js *j, int close, const char *what, bool *done)
{
	int c;
	int error;

	if ((error = skip_ws(j, &c)) < 0)
		return error;
	*done = c == close;
	if (*done)
		j->depth--;
	else if (c != ',')
		return fail(j, what);
	return advance(j);
}

/* An object; each member's value is read by fn (NULL: value()). */
static int
object(struct js *j, member_fn fn)
{
	char key[KEY_MAX];
	bool done;
	int error;

	if ((error = open_nested(j, '{', '}', "expected an object", &done)) < 0)
		return error;
	if (done)
		return next_or_close(j, '}', NULL, &done);
	while (!done) {
		if ((error = string(j, key)) < 0 ||
		    (error = expect(j, ':', "expected ':'")) < 0)
			return error;
		if ((error = fn ? fn(j, key) : value(j)) < 0 ||
		    (error = next_or_close(j, '}', "expected ',' or '}'",
			 &done)) < 0)
			return error;
	}
	return 0;
}

typedef int (*element_fn)(struct js *j);

static int
array(struct js *j, element_fn fn)
{
	bool done;
	int error;

	if ((error = open_nested(j, '[', ']', "expected an array", &done)) < 0)
		return error;
	if (done)
		return next_or_close(j, ']', NULL, &done);
	while (!done) {
		if ((error = fn(j)) < 0 ||
		    (error = next_or_close(j, ']', "expected ',' or ']'",
			 &done)) < 0)
			return error;
	}
	return 0;
}

static int
value(struct js *j)
{
	int c;
	int error;

	if ((error = skip_ws(j, &c)) < 0)
		return error;
	switch (c) {
	case '{':
		return object(j, NULL);
	case '[':
		return array(j, value);
	case '"':
		return string(j, NULL);
	case 't':
		return literal(j, "true");
	case 'f':
		return literal(j, "false");
	case 'n':
		return literal(j, "null");
	case -1:
		return fail(j, "unexpected end of file");
	default:
		if (c == '-' || is_digit(c))
			return number(j);
		return fail(j, "unexpected character");
	}
}

/* Account for the bytes [b, e) consumed: position, and the capture. */
static int
consumed(struct js *j, const char *b, const char *e)
{
	const char *nl;
	const char *p = b;

	while ((nl = memchr(p, '\n', (size_t)(e - p)))) {
		j->line++;
		j->col = 1;
		p = nl + 1;
	}
	j->col += (unsigned)(e - p);
	j->off += (size_t)(e - b);
	if (j->keep && sg_buf_put(&j->cap, b, (size_t)(e - b)) < 0)
		return sg_error_set_at(j->err, SG_ETOOBIG, j->path, j->line,
		    j->col, "a SARIF result or tool over %u bytes",
		    SG_GATE_MAX_SARIF_VALUE);
	return 0;
}

/*
 * Skim one value into j->cap: strings and brackets only, a window at a
 * time (jansson validates the rest).  This is the hot loop of a large
 * log: results are nearly all of its bytes.
 */
static int
skim(struct js *j)
{
	unsigned depth = 0;
	bool in_str = false, esc = false, done = false;
	const char *b, *p, *e;
	int error;

	while (!done) {
		if (j->off == j->len && (error = refill(j)) < 0)
			return error;
		if (j->off == j->len)
			return fail(j, depth || in_str ?
				"unexpected end of file" :
				"unexpected end of file after a value");
		b = p = j->buf + j->off;
		e = j->buf + j->len;
		for (; p < e && !done; p++) {
			if (in_str) {
				if (esc)
					esc = false;
				else if (*p == '\\')
					esc = true;
				else if (*p == '"')
					in_str = false, done = depth == 0;
				continue;
			}
			switch (*p) {
			case '"':
				in_str = true;
				break;
			case '{':
			case '[':
				if (++depth > SG_GATE_MAX_SARIF_DEPTH)
					return too_deep(j);
				break;
			case '}':
			case ']':
				if (!depth)
					goto scalar_end;
				done = --depth == 0;
				break;
			case ',':
			case ' ':
			case '\t':
			case '\r':
			case '\n':
				if (!depth)
					goto scalar_end;
				break;
			}
		}
		if ((error = consumed(j, b, p)) < 0)
			return error;
	}
	return 0;
scalar_end:
	return consumed(j, b, p);
}

/*
 * Capture one value into j->cap and parse it with jansson.  *out is the
 * tree (json_decref) or NULL on error.
 */
static int
capture(struct js *j, json_t **out)
{
	unsigned line0, col0;
	json_error_t jerr;
	int c;
	int error;

	*out = NULL;
	if ((error = skip_ws(j, &c)) < 0)
		return error;
	line0 = j->line;
	col0 = j->col;
	sg_buf_truncate(&j->cap, 0);
	j->keep = true;
	error = skim(j);
	j->keep = false;
	if (error < 0)
		return error;
	*out = json_loadb(j->cap.ptr, j->cap.len, JSON_DECODE_ANY, &jerr);
	if (!*out)
		return sg_error_set_at(j->err, SG_EINVAL, j->path,
		    line0 + (unsigned)jerr.line - 1,
		    jerr.line == 1 ? col0 + (unsigned)jerr.column - 1 :
				     (unsigned)jerr.column,
		    "malformed SARIF: %s", jerr.text);
	return 0;
}

/* --- counting --------------------------------------------------------- */

static struct sg_sarif_count *
count_at(struct sg_sarif_count **v, size_t *cap, size_t key)
{
	if (key >= *cap) {
		size_t n = *cap ? *cap * 2 : 64;

		while (n <= key)
			n *= 2;
		*v = sg_xreallocarray(*v, n, sizeof(**v));
		memset(*v + *cap, 0, (n - *cap) * sizeof(**v));
		*cap = n;
	}
	return &(*v)[key];
}

static int32_t
rule_key(struct js *j, const char *id)
{
	return id ? (int32_t)sg_gate__map_put(&j->rules, id, strlen(id), NULL) :
		    -1;
}

static void
comps_release(struct js *j)
{
	for (size_t i = 0; i < j->ncomps; i++) {
		free(j->comps[i].keys);
		free(j->comps[i].levels);
	}
	free(j->comps);
	j->comps = NULL;
	j->ncomps = 0;
}

static void
comp_load(struct js *j, struct comp_rules *c, json_t *component)
{
	json_t *rules = json_object_get(component, "rules");
	size_t n = json_is_array(rules) ? json_array_size(rules) : 0;

	c->n = n;
	c->keys = sg_xcalloc(n ? n : 1, sizeof(*c->keys));
	c->levels = sg_xcalloc(n ? n : 1, sizeof(*c->levels));
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_array_get(rules, i);
		json_t *dc = json_object_get(r, "defaultConfiguration");
		int l = sg_gate__level(json_string_value(
		    json_object_get(dc, "level")));

		c->keys[i] = rule_key(j,
		    json_string_value(json_object_get(r, "id")));
		c->levels[i] = (int8_t)(l < 0 ? SG_SARIF_WARNING : l);
	}
}

static int
tool(struct js *j)
{
	json_t *t;
	json_t *ext;
	const char *name;
	int error;

	if ((error = capture(j, &t)) < 0)
		return error;
	comps_release(j);
	ext = json_object_get(t, "extensions");
	j->ncomps = 1 + (json_is_array(ext) ? json_array_size(ext) : 0);
	j->comps = sg_xcalloc(j->ncomps, sizeof(*j->comps));
	comp_load(j, &j->comps[0], json_object_get(t, "driver"));
	for (size_t i = 1; i < j->ncomps; i++)
		comp_load(j, &j->comps[i], json_array_get(ext, i - 1));
	name = json_string_value(json_object_get(json_object_get(t, "driver"),
	    "name"));
	if (name)
		sg_gate__map_put(&j->tools, name, strlen(name), NULL);
	json_decref(t);
	return 0;
}

static bool
suppressed(json_t *r)
{
	json_t *sup = json_object_get(r, "suppressions");
	bool accepted = false;
	size_t i;
	json_t *s;

	if (!json_is_array(sup))
		return false;
	json_array_foreach(sup, i, s) {
		const char *st = json_string_value(json_object_get(s,
		    "status"));

		if (st && !strcmp(st, "rejected"))
			return false;
		if (!st || !strcmp(st, "accepted"))
			accepted = true;
	}
	return accepted;
}

static int64_t
int_or(json_t *v, int64_t dflt)
{
	return json_is_integer(v) && json_integer_value(v) >= 0 ?
	    (int64_t)json_integer_value(v) : dflt;
}

/*
 * A member of a result: the ones the gate reads are captured (and so
 * validated by jansson); the others - message, codeFlows, fixes... nearly
 * all the bytes of a large log - are skimmed past, checked for the
 * structure of their strings and brackets only.
 */
static int
result_member(struct js *j, const char *key)
{
	static const char *const wanted[] = {"level", "kind", "ruleId",
	    "ruleIndex", "rule", "suppressions", "locations"};
	json_t *v;
	int c;
	int error;

	for (size_t i = 0; i < SG_ARRAY_SIZE(wanted); i++) {
		if (strcmp(key, wanted[i]))
			continue;
		if ((error = capture(j, &v)) < 0)
			return error;
		json_object_set_new(j->acc, key, v);
		return 0;
	}
	if ((error = skip_ws(j, &c)) < 0)
		return error;
	return skim(j);
}

static int
result(struct js *j)
{
	struct pending *p;
	json_t *r;
	json_t *rule;
	json_t *loc;
	const char *level, *kind, *id, *uri;
	int c;
	int error;

	if ((error = skip_ws(j, &c)) < 0)
		return error;
	if (c != '{')
		return fail(j, c < 0 ? "unexpected end of file" :
				       "a result that is not an object");
	j->acc = json_object();
	error = object(j, result_member);
	r = j->acc;
	j->acc = NULL;
	if (error < 0) {
		json_decref(r);
		return error;
	}
	if (suppressed(r)) {
		j->s->suppressed++;
		goto out;
	}
	if (j->npend == j->cappend) {
		j->cappend = j->cappend ? j->cappend * 2 : 256;
		j->pend = sg_xreallocarray(j->pend, j->cappend,
		    sizeof(*j->pend));
	}
	p = &j->pend[j->npend++];
	rule = json_object_get(r, "rule");
	level = json_string_value(json_object_get(r, "level"));
	kind = json_string_value(json_object_get(r, "kind"));
	p->level = (int8_t)sg_gate__level(level);
	if (level && p->level < 0) {
		json_decref(r);
		return fail(j, "a result level that is not error, warning, "
			       "note or none");
	}
	if (!level && kind && strcmp(kind, "fail"))
		p->level = SG_SARIF_NONE;
	id = json_string_value(json_object_get(r, "ruleId"));
	if (!id)
		id = json_string_value(json_object_get(rule, "id"));
	p->rule_key = rule_key(j, id);
	p->rule_index = int_or(json_object_get(r, "ruleIndex"),
	    int_or(json_object_get(rule, "index"), -1));
	p->comp = (int32_t)int_or(json_object_get(json_object_get(rule,
	    "toolComponent"), "index"), -1);
	loc = json_object_get(json_array_get(json_object_get(r, "locations"),
	    0), "physicalLocation");
	uri = json_string_value(json_object_get(json_object_get(loc,
	    "artifactLocation"), "uri"));
	p->file_key = (uint32_t)sg_gate__map_put(&j->files, uri ? uri : "",
	    uri ? strlen(uri) : 0, NULL);
out:
	json_decref(r);
	return 0;
}

/* The rule's (component, index) by id: the driver's first. */
static bool
find_by_id(struct js *j, int32_t key, int32_t comp, size_t *ci, size_t *ri)
{
	for (size_t c = 0; c < j->ncomps; c++) {
		if (comp >= 0 && (size_t)comp + 1 != c)
			continue;
		for (size_t i = 0; i < j->comps[c].n; i++) {
			if (j->comps[c].keys[i] == key) {
				*ci = c;
				*ri = i;
				return true;
			}
		}
	}
	return false;
}

static void
resolve(struct js *j, struct pending *p)
{
	size_t c = p->comp >= 0 ? (size_t)p->comp + 1 : 0;
	size_t i = 0;
	bool found = false;
	int level = p->level;
	struct sg_sarif_count *rc, *fc;

	if (c < j->ncomps && p->rule_index >= 0 &&
	    (size_t)p->rule_index < j->comps[c].n) {
		i = (size_t)p->rule_index;
		found = true;
	} else if (p->rule_key >= 0) {
		found = find_by_id(j, p->rule_key, p->comp, &c, &i);
	}
	if (found && p->rule_key < 0)
		p->rule_key = j->comps[c].keys[i];
	if (level < 0)
		level = found ? j->comps[c].levels[i] : SG_SARIF_WARNING;
	if (p->rule_key < 0)
		p->rule_key = rule_key(j, "");
	rc = count_at(&j->rc, &j->caprc, (size_t)p->rule_key);
	fc = count_at(&j->fc, &j->capfc, p->file_key);
	rc->by_level[level]++;
	rc->total++;
	fc->by_level[level]++;
	fc->total++;
	j->s->by_level[level]++;
	j->s->results++;
}

static int
run_member(struct js *j, const char *key)
{
	if (!strcmp(key, "tool"))
		return tool(j);
	if (!strcmp(key, "results")) {
		int c;
		int error;

		if ((error = skip_ws(j, &c)) < 0)
			return error;
		if (c == 'n')
			return literal(j, "null");
		return array(j, result);
	}
	return value(j);
}

static int
run(struct js *j)
{
	int error;

	j->npend = 0;
	comps_release(j);
	if ((error = object(j, run_member)) < 0)
		return error;
	for (size_t i = 0; i < j->npend; i++)
		resolve(j, &j->pend[i]);
	j->s->nruns++;
	return 0;
}

static int
top_member(struct js *j, const char *key)
{
	json_t *v;
	int error;

	if (!strcmp(key, "runs"))
		return array(j, run);
	if (strcmp(key, "version"))
		return value(j);
	if ((error = capture(j, &v)) < 0)
		return error;
	if (!json_is_string(v) || strcmp(json_string_value(v), "2.1.0"))
		error = fail(j, "version is not \"2.1.0\"");
	json_decref(v);
	return error;
}

static int
sarif_file(struct js *j, const char *path)
{
	int c;
	int error;

	j->path = path;
	j->line = j->col = 1;
	j->off = j->len = 0;
	j->eof = false;
	j->depth = 0;
	if ((error = sg_fs_open_read(&j->fd, path, 0, NULL, j->err)) < 0)
		return error;
	if ((error = peek(j, &c)) < 0)
		goto out;
	if (c == 0xef) /* a UTF-8 BOM */
		for (int k = 0; k < 3 && !error; k++)
			error = advance(j);
	if (!error)
		error = object(j, top_member);
	if (!error && !(error = skip_ws(j, &c)) && c >= 0)
		error = fail(j, "trailing data after the document");
out:
	sg_fs_close(j->fd);
	j->fd = -1;
	return error;
}

static int
cmp_count(const void *a, const void *b)
{
	const struct sg_sarif_count *x = a, *y = b;

	return strcmp(x->key, y->key);
}

/* Move the used counts of map m into a sorted array. */
static struct sg_sarif_count *
counts(struct gate_map *m, struct sg_sarif_count *v, size_t capv, size_t *n)
{
	struct sg_sarif_count *out = sg_xcalloc(m->n ? m->n : 1, sizeof(*out));

	*n = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (i >= capv || !v[i].total)
			continue;
		out[*n] = v[i];
		out[*n].key = m->keys[i];
		m->keys[i] = NULL;
		(*n)++;
	}
	qsort(out, *n, sizeof(*out), cmp_count);
	return out;
}

int
sg_sarif_read(struct sg_sarif **out, const char *const *paths,
    size_t npaths, struct sg_error *err)
{
	struct js j;
	int error = 0;

	*out = NULL;
	memset(&j, 0, sizeof(j));
	j.err = err;
	j.fd = -1;
	j.buf = sg_xmalloc(WINDOW);
	sg_buf_init(&j.cap, SG_GATE_MAX_SARIF_VALUE);
	sg_gate__map_init(&j.rules);
	sg_gate__map_init(&j.files);
	sg_gate__map_init(&j.tools);
	j.s = sg_xcalloc(1, sizeof(*j.s));
	for (size_t i = 0; i < npaths && !error; i++)
		error = sarif_file(&j, paths[i]);
	if (error < 0) {
		sg_sarif_free(j.s);
		goto out;
	}
	j.s->nfiles = npaths;
	j.s->rules = counts(&j.rules, j.rc, j.caprc, &j.s->nrules);
	j.s->files = counts(&j.files, j.fc, j.capfc, &j.s->nfiles_hit);
	j.s->ntools = j.tools.n;
	j.s->tools = j.tools.keys;
	j.tools.keys = NULL;
	j.tools.n = 0;
	*out = j.s;
out:
	comps_release(&j);
	free(j.pend);
	free(j.rc);
	free(j.fc);
	sg_gate__map_release(&j.rules);
	sg_gate__map_release(&j.files);
	sg_gate__map_release(&j.tools);
	sg_buf_release(&j.cap);
	free(j.buf);
	return error;
}

uint64_t
sg_sarif_at_or_above(const struct sg_sarif *s, enum sg_sarif_level level)
{
	uint64_t n = 0;

	for (int l = (int)level; l < SG_SARIF_LEVELS; l++)
		n += s->by_level[l];
	return n;
}

void
sg_sarif_free(struct sg_sarif *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nrules; i++)
		free(s->rules[i].key);
	for (size_t i = 0; i < s->nfiles_hit; i++)
		free(s->files[i].key);
	for (size_t i = 0; i < s->ntools; i++)
		free(s->tools[i]);
	free(s->rules);
	free(s->files);
	free(s->tools);
	free(s);
}
