/* SPDX-License-Identifier: MIT */
/*
 * snippet.c - a step's text as a Cucumber expression, the way
 * @cucumber/cucumber-expressions' CucumberExpressionGenerator writes the
 * first expression of a snippet with the default parameter types.
 *
 * Only the types the generator uses for snippets take part: {int}
 * (/-?\d+/ and /\d+/), {float} and {string} (double or single quotes,
 * backslash escapes).  {word} and the others are defined with
 * useForSnippets false, so the generator never writes them, and neither
 * do we (docs/decisions.md).  From the current position, each type's
 * first match that stands as a whole word (the character before and after
 * is a Unicode separator, punctuation or symbol, or the text's edge) is a
 * candidate; the leftmost wins, then the longest, then the preferred type
 * ({int}), then by name.  The text between is escaped as the generator
 * escapes it: '(' '{' and '/' get a backslash.
 *
 * The regular expressions are matched by hand: every one of them starts
 * on an ASCII character, and their first match at a position is the
 * greedy one (checked against the peer on the whole Gherkin conformance
 * corpus by tests/integration/t1210-snippets.sh).  JavaScript indexes
 * UTF-16 code units, so a character outside the BMP next to a match is
 * half a surrogate pair there, which is no boundary: so here too.
 */
#include "generate/generate_int.h"

#include <stdlib.h>
#include <string.h>

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
zps(uint32_t cp)
{
	size_t lo = 0, hi = sg_gen__nzps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < sg_gen__zps[mid].lo)
			hi = mid;
		else if (cp > sg_gen__zps[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* The code point at s (valid UTF-8, as pickles are), and its length. */
static uint32_t
decode(const unsigned char *s, size_t *n)
{
	if (s[0] < 0x80) {
		*n = 1;
		return s[0];
	}
	if (s[0] < 0xe0) {
		*n = 2;
		return (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	}
	if (s[0] < 0xf0) {
		*n = 3;
		return (uint32_t)(s[0] & 0x0f) << 12 |
		    (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	}
	*n = 4;
	return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
	    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
}

static bool
boundary_at(const char *t, size_t i)
{
	size_t n;
	uint32_t cp = decode((const unsigned char *)t + i, &n);

	return n < 4 && zps(cp);
}

/* Does a match of [start, end) stand as a whole word in t (len bytes)? */
static bool
whole_word(const char *t, size_t len, size_t start, size_t end)
{
	size_t p;

	if (start > 0) {
		p = start - 1;
		while (p > 0 && ((unsigned char)t[p] & 0xc0) == 0x80)
			p--;
		if (!boundary_at(t, p))
			return false;
	}
	return end == len || boundary_at(t, end);
}

enum matcher { M_INT_SIGNED, M_INT, M_FLOAT, M_STRING, M_COUNT };


static size_t
digits(const char *t, size_t len, size_t i)
{
	size_t j = i;

	while (j < len && is_digit(t[j]))
		j++;
	return j - i;
}

/* Is there a digit in t[i..] before the end of the line ('.' stops)? */
static bool
digit_ahead(const char *t, size_t len, size_t i)
{
	for (; i < len; i++) {
		unsigned char c = (unsigned char)t[i];

		if (is_digit((char)c))
			return true;
		if (c == '\n' || c == '\r')
			return false;
		if (c == 0xe2 && i + 2 < len && (unsigned char)t[i + 1] == 0x80 &&
		    ((unsigned char)t[i + 2] == 0xa8 ||
			(unsigned char)t[i + 2] == 0xa9))
			return false;
	}
	return false;
}

static bool
line_end(const char *t, size_t len, size_t i)
{
	unsigned char c = (unsigned char)t[i];

	return c == '\n' || c == '\r' ||
	    (c == 0xe2 && i + 2 < len && (unsigned char)t[i + 1] == 0x80 &&
		((unsigned char)t[i + 2] == 0xa8 ||
		    (unsigned char)t[i + 2] == 0xa9));
}

/* The length of m's match at i, or 0 (no match, or an empty one). */
static size_t
match_at(enum matcher m, const char *t, size_t len, size_t i)
{
	size_t j = i;
	char q;

	switch (m) {
	case M_INT_SIGNED:
		if (t[i] == '-' && i + 1 < len && is_digit(t[i + 1]))
			return 1 + digits(t, len, i + 1);
		return digits(t, len, i);
	case M_INT:
		return digits(t, len, i);
	case M_FLOAT:
		/* (?=.*\d.*)[-+]?\d*(?:\.(?=\d.*))?\d*(?:\d+E[+-]?\d+)? */
		if (!digit_ahead(t, len, i))
			return 0;
		if (t[j] == '-' || t[j] == '+')
			j++;
		j += digits(t, len, j);
		if (j + 1 < len && t[j] == '.' && is_digit(t[j + 1]))
			j++;
		j += digits(t, len, j);
		/* the exponent: \d* above took every digit it needs */
		return j - i;
	case M_STRING:
		if (t[i] != '"' && t[i] != '\'')
			return 0;
		q = t[i];
		for (j = i + 1; j < len; j++) {
			if (t[j] == q)
				return j + 1 - i;
			if (t[j] == '\\') {
				size_t n;

				if (j + 1 >= len || line_end(t, len, j + 1))
					return 0;
				decode((const unsigned char *)t + j + 1, &n);
				j += n;
			}
		}
		return 0;
	default:
		return 0;
	}
}

struct found {
	size_t start;
	size_t len;
	bool ok;
};

static struct found
first_match(enum matcher m, const char *t, size_t len, size_t pos)
{
	struct found f = {0, 0, false};

	for (size_t s = pos; s < len; s++) {
		size_t n = match_at(m, t, len, s);

		if (n && whole_word(t, len, s, s + n)) {
			f.start = s;
			f.len = n;
			f.ok = true;
			break;
		}
	}
	return f;
}

static void
put_escaped(struct sg_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '(' || s[i] == '{' || s[i] == '/')
			sg_buf_putc(b, '\\');
		sg_buf_putc(b, s[i]);
	}
}

/* What the transformer of {string} makes of "a \"b\"": a "b". */
static char *
string_value(const char *raw, size_t n)
{
	struct sg_buf b;

	sg_buf_init(&b, 0);
	for (size_t i = 1; i + 1 < n; i++) {
		if (raw[i] == '\\' && i + 2 < n &&
		    (raw[i + 1] == '"' || raw[i + 1] == '\''))
			i++;
		sg_buf_putc(&b, raw[i]);
	}
	sg_buf_putc(&b, '\0');
	return sg_buf_detach(&b, NULL);
}

/*
 * GeneratedExpression.source: the template's "{N}" become the names of
 * the chosen types, by JavaScript's rules: an index that is not one
 * (a leading zero, out of range) reads "undefined".  "{{0}}" gives
 * "{int}"; a "{7}" the step wrote itself (escaped to "\{7}") is replaced
 * too, as the peer does.
 */
static char *
format(const char *tpl, const struct sg_gen__param *params, size_t n)
{
	struct sg_buf b;
	size_t i = 0;

	sg_buf_init(&b, 0);
	while (tpl[i]) {
		size_t d = tpl[i] == '{' ? digits(tpl, strlen(tpl), i + 1) : 0;

		if (d && tpl[i + 1 + d] == '}') {
			const char *num = tpl + i + 1;
			size_t k = 0;
			bool ok = !(d > 1 && num[0] == '0') && d < 10;

			for (size_t j = 0; ok && j < d; j++)
				k = k * 10 + (size_t)(num[j] - '0');
			sg_buf_puts(&b, ok && k < n ? params[k].type :
			    "undefined");
			i += d + 2;
			continue;
		}
		sg_buf_putc(&b, tpl[i++]);
	}
	sg_buf_putc(&b, '\0');
	return sg_buf_detach(&b, NULL);
}

void
sg_gen__snippet(struct sg_gen__snippet *out, const char *text)
{
	size_t len = strlen(text);
	struct sg_buf tpl;
	size_t pos = 0;
	unsigned counts[3] = {0, 0, 0};

	memset(out, 0, sizeof(*out));
	sg_buf_init(&tpl, 0);
	while (pos < len) {
		struct found best = {0, 0, false};
		bool has[M_COUNT] = {false, false, false, false};
		struct found f[M_COUNT];
		struct sg_gen__param *p;
		const char *type;
		unsigned *count;

		for (int m = 0; m < M_COUNT; m++) {
			f[m] = first_match((enum matcher)m, text, len, pos);
			if (!f[m].ok)
				continue;
			if (!best.ok || f[m].start < best.start ||
			    (f[m].start == best.start && f[m].len > best.len))
				best = f[m];
		}
		if (!best.ok)
			break;
		for (int m = 0; m < M_COUNT; m++)
			has[m] = f[m].ok && f[m].start == best.start &&
			    f[m].len == best.len;
		/* int is preferred; then float before string, by name */
		type = has[M_INT_SIGNED] || has[M_INT] ? "int" :
		    has[M_FLOAT] ? "float" : "string";
		put_escaped(&tpl, text + pos, best.start - pos);
		sg_buf_printf(&tpl, "{{%zu}}", out->nparams);
		out->params = sg_xreallocarray(out->params, out->nparams + 1,
		    sizeof(*out->params));
		p = &out->params[out->nparams++];
		p->type = type;
		count = &counts[type[0] == 'i' ? 0 : type[0] == 'f' ? 1 : 2];
		if (++*count == 1)
			p->name = sg_xstrdup(type);
		else
			p->name = sg_xasprintf("%s%u", type, *count);
		p->raw = sg_xstrndup(text + best.start, best.len);
		p->value = type[0] == 's' ? string_value(p->raw, best.len) :
		    sg_xstrdup(p->raw);
		pos = best.start + best.len;
	}
	put_escaped(&tpl, text + pos, len - pos);
	sg_buf_putc(&tpl, '\0');
	out->expression = format(tpl.ptr, out->params, out->nparams);
	sg_buf_release(&tpl);
}

void
sg_gen__snippet_release(struct sg_gen__snippet *s)
{
	for (size_t i = 0; i < s->nparams; i++) {
		free(s->params[i].name);
		free(s->params[i].raw);
		free(s->params[i].value);
	}
	free(s->params);
	free(s->expression);
	memset(s, 0, sizeof(*s));
}

char *
sg_gen__ident(const char *text, size_t max, const char *fallback)
{
	struct sg_buf b;
	bool sep = false;
	char *s;

	sg_buf_init(&b, 0);
	for (const char *p = text; *p && b.len < max; p++) {
		char c = *p;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if ((c >= 'a' && c <= 'z') || is_digit(c)) {
			if (sep && b.len)
				sg_buf_putc(&b, '_');
			sep = false;
			sg_buf_putc(&b, c);
		} else {
			sep = true;
		}
	}
	if (!b.len || is_digit(b.ptr[0])) {
		struct sg_buf f;

		sg_buf_init(&f, 0);
		sg_buf_puts(&f, fallback);
		if (b.len) {
			sg_buf_putc(&f, '_');
			sg_buf_put(&f, b.ptr, b.len);
		}
		sg_buf_release(&b);
		b = f;
	}
	sg_buf_putc(&b, '\0');
	s = sg_buf_detach(&b, NULL);
	return s;
}

char *
sg_gen__c_literal(const char *s)
{
	struct sg_buf b;

	sg_buf_init(&b, 0);
	sg_buf_putc(&b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			sg_buf_puts(&b, "\\\"");
			break;
		case '\\':
			sg_buf_puts(&b, "\\\\");
			break;
		case '\n':
			sg_buf_puts(&b, "\\n");
			break;
		case '\t':
			sg_buf_puts(&b, "\\t");
			break;
		case '/':
			/* "*\057" in a comment ends no comment */
			sg_buf_puts(&b, p > (const unsigned char *)s &&
			    p[-1] == '*' ? "\\057" : "/");
			break;
		case '?':
			/* no trigraph: "??=" stays itself */
			sg_buf_puts(&b, p[1] == '?' ? "?\"\"" : "?");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				sg_buf_printf(&b, "\\%03o", *p);
			else
				sg_buf_putc(&b, *p);
		}
	}
	sg_buf_putc(&b, '"');
	sg_buf_putc(&b, '\0');
	return sg_buf_detach(&b, NULL);
}
