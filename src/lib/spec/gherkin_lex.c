/* SPDX-License-Identifier: MIT */
/*
 * gherkin_lex.c - the lines and tokens of a .feature file.
 *
 * The scanner cuts the input at "\n" (dropping a "\r" before it) with
 * memchr and hands out views; a cursor is two integers, so the parser's
 * lookahead copies it instead of queueing tokens.  The matcher answers one
 * question at a time ("is this line a #ScenarioLine?") the way Cucumber's
 * token matcher does, because the parser's state decides which questions
 * are asked and in which order, and the answers must agree with Cucumber's
 * to the byte:
 *
 *  - "whitespace" is JavaScript's \s (the ASCII controls \t..\r, space and
 *    the Unicode spaces U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029,
 *    U+202F, U+205F, U+3000, U+FEFF), except for table cells, which trim
 *    space, \t, \v, \f, \r, U+0085 and U+00A0 only;
 *  - a title keyword matches when the trimmed line starts with it and a
 *    colon; step keywords are tried longest first (UTF-16 length, ties in
 *    the order given, when, then, and, but) and a keyword found in several
 *    of those lists is of unknown kind;
 *  - columns count code points, except the column of a table cell, which
 *    Cucumber counts in UTF-16 units from the start of the row;
 *  - tag lines end at whitespace followed by '#', and a tag holding
 *    whitespace is an error at the column Cucumber computes (which does not
 *    advance over empty tags: in "@a @@b", @b is at column 4, not 6).
 *
 * Rejected: a regex engine (slower and a dependency for five patterns),
 * and decoding the input to UTF-32 first (four times the memory, and the
 * views into the caller's bytes are what the parser copies from).
 */
#include "spec/gherkin_int.h"

#include <string.h>

void
sg_gherkin__vec_grow(struct gh_vec *v, size_t size)
{
	while (!v->cap || v->cap - v->len < size)
		v->cap = v->cap ? v->cap * 2 : 256;
	v->p = sg_xrealloc(v->p, v->cap);
}

void
sg_gherkin__vec_release(struct gh_vec *v)
{
	free(v->p);
	v->p = NULL;
	v->len = 0;
	v->cap = 0;
}

/* UTF-8 */

static bool
has_zero_or_high(uint64_t w)
{
	const uint64_t lo = 0x0101010101010101ull;
	const uint64_t hi = 0x8080808080808080ull;

	return ((w - lo) & ~w & hi) || (w & hi);
}

size_t
sg_gherkin__utf8_check(const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned min;
		unsigned cp;

		if (len - i >= 8) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if (!has_zero_or_high(w)) {
				i += 8;
				continue;
			}
		}
		if (c < 0x80) {
			if (!c)
				return i;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			min = 0x80;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			min = 0x800;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			min = 0x10000;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (len - i <= n)
			return i;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

static inline size_t
cp_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c < 0xe0)
		return 2;
	if (c < 0xf0)
		return 3;
	return 4;
}

size_t
sg_gherkin__count_cp(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/* UTF-16 units in s[0..len): code points, plus one per astral one. */
static size_t
count_u16(const char *s, size_t len)
{
	size_t n = 0;
	size_t i = 0;

	for (; len - i >= 8; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ull)
			break;
		n += 8;
	}
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		n += (c & 0xc0) != 0x80;
		n += c >= 0xf0;
	}
	return n;
}

/* Whitespace */

static inline bool
is_ascii_space(unsigned c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Bytes of the JavaScript whitespace character at p (< e), or 0. */
static inline size_t
ws_at(const unsigned char *p, const unsigned char *e)
{
	unsigned c = p[0];

	if (c < 0x80)
		return is_ascii_space(c);
	if (c == 0xc2)
		return e - p >= 2 && p[1] == 0xa0 ? 2 : 0;
	if (e - p < 3)
		return 0;
	switch (c) {
	case 0xe1:
		return p[1] == 0x9a && p[2] == 0x80 ? 3 : 0;
	case 0xe2:
		if (p[1] == 0x80)
			return (p[2] <= 0x8a || p[2] == 0xa8 || p[2] == 0xa9 ||
				   p[2] == 0xaf) ?
			    3 :
			    0;
		return p[1] == 0x81 && p[2] == 0x9f ? 3 : 0;
	case 0xe3:
		return p[1] == 0x80 && p[2] == 0x80 ? 3 : 0;
	case 0xef:
		return p[1] == 0xbb && p[2] == 0xbf ? 3 : 0;
	default:
		return 0;
	}
}

/* Bytes of the whitespace character ending at e (> s), or 0. */
static inline size_t
ws_before(const unsigned char *s, const unsigned char *e)
{
	if (e[-1] < 0x80)
		return is_ascii_space(e[-1]);
	if (e - s >= 2 && e[-2] == 0xc2 && e[-1] == 0xa0)
		return 2;
	if (e - s >= 3 && ws_at(e - 3, e) == 3)
		return 3;
	return 0;
}

static size_t
ltrim_len(const char *p, size_t len, unsigned *ncp)
{
	const unsigned char *s = (const unsigned char *)p;
	const unsigned char *e = s + len;
	size_t i = 0;
	size_t n;
	unsigned cps = 0;

	/* indentation is mostly spaces: eight at a time */
	for (; len - i >= 8; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (w != 0x2020202020202020ull)
			break;
	}
	while (i < len && s[i] == ' ')
		i++;
	cps = (unsigned)i;
	if (i < len && s[i] > ' ' && s[i] < 0x80)
		goto out; /* the usual case: the text starts here */
	while (i < len) {
		if (s[i] == ' ' || s[i] == '\t') {
			i++;
			cps++;
			continue;
		}
		n = ws_at(s + i, e);
		if (!n)
			break;
		i += n;
		cps++;
	}
out:
	if (ncp)
		*ncp = cps;
	return i;
}

static size_t
rtrim_len(const char *p, size_t len)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t e = len;
	size_t n;

	while (e > 0) {
		n = ws_before(s, s + e);
		if (!n)
			break;
		e -= n;
	}
	return e;
}

void
sg_gherkin__trim(const char **p, size_t *len)
{
	size_t l;

	l = ltrim_len(*p, *len, NULL);
	*p += l;
	*len = rtrim_len(*p, *len - l);
}

static bool
is_ascii(const char *p, size_t len)
{
	size_t i = 0;

	for (; len - i >= 8; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		if (w & 0x8080808080808080ull)
			return false;
	}
	for (; i < len; i++)
		if ((unsigned char)p[i] >= 0x80)
			return false;
	return true;
}

static bool
has_ws(const char *p, size_t len)
{
	const unsigned char *s = (const unsigned char *)p;

	for (size_t i = 0; i < len; i++) {
		if (s[i] > ' ' && s[i] < 0x80)
			continue;
		if (ws_at(s + i, s + len))
			return true;
	}
	return false;
}

/* The scanner */

void
sg_gherkin__scanner_init(struct gh_scanner *sc, const char *data, size_t len)
{
	const char *nl;
	size_t last;
	const char *p;
	size_t n;

	/*
	 * Cucumber splits at /\r?\n/ and drops the last piece when it is
	 * blank: find where that piece starts and whether it stays.
	 */
	nl = memrchr(data, '\n', len);
	last = nl ? (size_t)(nl - data) + 1 : 0;
	p = data + last;
	n = len - last;
	sg_gherkin__trim(&p, &n);
	sc->data = data;
	sc->end = n ? len : last;
	sc->off = 0;
	sc->lineno = 0;
}

void
sg_gherkin__scanner_next(struct gh_scanner *sc, struct gh_line *out)
{
	const char *p = sc->data + sc->off;
	const char *nl;
	size_t len;

	sc->lineno++;
	out->lineno = sc->lineno;
	if (sc->off >= sc->end) {
		sc->lineno--; /* an eof line repeats */
		out->p = p;
		out->len = 0;
		out->trim = 0;
		out->indent = 0;
		out->eof = true;
		return;
	}
	nl = memchr(p, '\n', sc->end - sc->off);
	if (nl) {
		len = (size_t)(nl - p);
		sc->off += len + 1;
		if (len && p[len - 1] == '\r')
			len--;
	} else {
		len = sc->end - sc->off;
		sc->off = sc->end;
	}
	out->p = p;
	out->len = len;
	out->eof = false;
	out->trim = ltrim_len(p, len, &out->indent);
}

/* The matcher */

static void
add_stepkw(struct gh_lexer *lx, const char *const *list, enum sg_step_kind k)
{
	for (size_t i = 0; list[i]; i++) {
		struct gh_stepkw *s;

		if (lx->nstepkw == lx->stepkw_cap) {
			lx->stepkw_cap = lx->stepkw_cap ? 2 * lx->stepkw_cap :
							  32;
			lx->stepkw = sg_xreallocarray(lx->stepkw,
			    lx->stepkw_cap, sizeof(*lx->stepkw));
		}
		s = &lx->stepkw[lx->nstepkw++];
		s->kw = list[i];
		s->len = strlen(list[i]);
		s->kind = k;
	}
}

/*
 * A keyword listed more than once (as "* " is in every list) has no single
 * kind.  Then sort by UTF-16 length, longest first, keeping the list order
 * among equals (insertion sort is stable; there are at most a few dozen).
 */
static void
add_first(struct gh_lexer *lx, const char *const *list, enum gh_tok type)
{
	for (size_t i = 0; list[i]; i++)
		lx->first[(unsigned char)list[i][0]] |= 1u << type;
}

static void
set_first(struct gh_lexer *lx, const struct sg_dialect *d)
{
	memset(lx->first, 0, sizeof(lx->first));
	lx->first['@'] |= 1u << GH_TTAG;
	lx->first['|'] |= 1u << GH_TROW;
	lx->first['#'] |= 1u << GH_TCOMMENT | 1u << GH_TLANGUAGE;
	lx->first['"'] |= 1u << GH_TDOCSEP;
	lx->first['`'] |= 1u << GH_TDOCSEP;
	add_first(lx, d->feature, GH_TFEATURE);
	add_first(lx, d->rule, GH_TRULE);
	add_first(lx, d->background, GH_TBACKGROUND);
	add_first(lx, d->scenario, GH_TSCENARIO);
	add_first(lx, d->scenario_outline, GH_TSCENARIO);
	add_first(lx, d->examples, GH_TEXAMPLES);
	for (size_t i = 0; i < lx->nstepkw; i++)
		lx->first[(unsigned char)lx->stepkw[i].kw[0]] |= 1u << GH_TSTEP;
}

static void
set_dialect(struct gh_lexer *lx, const struct sg_dialect *d)
{
	struct gh_stepkw *k = NULL;

	lx->dialect = d;
	lx->nstepkw = 0;
	add_stepkw(lx, d->given, SG_STEP_CONTEXT);
	add_stepkw(lx, d->when, SG_STEP_ACTION);
	add_stepkw(lx, d->then, SG_STEP_OUTCOME);
	add_stepkw(lx, d->and_, SG_STEP_CONJUNCTION);
	add_stepkw(lx, d->but, SG_STEP_CONJUNCTION);
	k = lx->stepkw;
	for (size_t i = 0; i < lx->nstepkw; i++) {
		for (size_t j = 0; j < lx->nstepkw; j++) {
			if (i != j && !strcmp(k[i].kw, k[j].kw)) {
				k[i].kind = SG_STEP_UNKNOWN;
				break;
			}
		}
	}
	for (size_t i = 1; i < lx->nstepkw; i++) {
		struct gh_stepkw t = k[i];
		size_t tl = count_u16(t.kw, t.len);
		size_t j = i;

		while (j > 0 && count_u16(k[j - 1].kw, k[j - 1].len) < tl) {
			k[j] = k[j - 1];
			j--;
		}
		k[j] = t;
	}
	set_first(lx, d);
}

int
sg_gherkin__lexer_init(struct gh_lexer *lx, const char *language)
{
	const struct sg_dialect *d;

	memset(lx, 0, sizeof(*lx));
	d = sg_dialect_find(language ? language : "en");
	if (!d)
		return SG_ENOTFOUND;
	set_dialect(lx, d);
	return 0;
}

void
sg_gherkin__lexer_release(struct gh_lexer *lx)
{
	free(lx->stepkw);
	memset(lx, 0, sizeof(*lx));
}

static inline bool
starts_with(const struct gh_line *l, const char *s, size_t n)
{
	return l->len - l->trim >= n && !memcmp(l->p + l->trim, s, n);
}

static void
set_token(struct gh_token *t, enum gh_tok type, const struct gh_line *l,
    unsigned indent)
{
	t->type = type;
	t->line = l;
	t->loc.line = l->lineno;
	t->loc.column = indent + 1;
	t->text = NULL;
	t->text_len = 0;
	t->keyword = NULL;
	t->kind = SG_STEP_UNKNOWN;
	t->unescape = 0;
	t->language = NULL;
}

/* The trimmed line from byte `skip` on, trimmed again (getRestTrimmed). */
static void
set_rest(struct gh_token *t, const struct gh_line *l, size_t skip)
{
	size_t n = l->len - l->trim;
	const char *p = l->p + l->trim;

	t->text = p + skip;
	t->text_len = n - skip;
	sg_gherkin__trim(&t->text, &t->text_len);
}

static enum gh_match
match_title(struct gh_lexer *lx, enum gh_tok type, const char *const *kws,
    const struct gh_line *l, struct gh_token *t)
{
	size_t n = l->len - l->trim;
	const char *p = l->p + l->trim;

	if (!n)
		return GH_NO;
	for (size_t i = 0; kws[i]; i++) {
		size_t kl;

		if ((unsigned char)kws[i][0] != (unsigned char)p[0])
			continue;
		kl = strlen(kws[i]);
		if (n > kl && p[kl] == ':' && !memcmp(p, kws[i], kl)) {
			set_token(t, type, l, l->indent);
			t->keyword = kws[i];
			t->language = lx->dialect->code;
			set_rest(t, l, kl + 1);
			return GH_YES;
		}
	}
	return GH_NO;
}

static enum gh_match
match_step(struct gh_lexer *lx, const struct gh_line *l, struct gh_token *t)
{
	size_t n = l->len - l->trim;
	const char *p = l->p + l->trim;

	if (!n)
		return GH_NO;
	for (size_t i = 0; i < lx->nstepkw; i++) {
		const struct gh_stepkw *k = &lx->stepkw[i];

		if (n >= k->len && k->kw[0] == p[0] &&
		    !memcmp(p, k->kw, k->len)) {
			set_token(t, GH_TSTEP, l, l->indent);
			t->keyword = k->kw;
			t->kind = k->kind;
			set_rest(t, l, k->len);
			return GH_YES;
		}
	}
	return GH_NO;
}

/*
 * The tags of a tag line, after Cucumber: the line is cut before the first
 * whitespace that is followed by '#', split at '@', each piece trimmed at
 * its end; empty pieces are skipped and do not move the column.
 */
long
sg_gherkin__tags(const struct gh_line *l, struct sg_gh_tag *out, char *text,
    size_t *used, unsigned *err_column)
{
	size_t n = l->len - l->trim;
	const char *p = l->p + l->trim;
	const unsigned char *s = (const unsigned char *)p;
	unsigned column = l->indent + 1;
	size_t end = n;
	size_t i;
	long count = 0;
	size_t w = 0;
	const char *h = p;

	/* the first '#' after whitespace: JavaScript's split(/\s#/) */
	while ((h = memchr(h, '#', (size_t)(p + n - h)))) {
		size_t k = 0;

		if (h > p)
			k = ws_before(s, (const unsigned char *)h);
		if (k) {
			end = (size_t)(h - p) - k;
			break;
		}
		h++;
	}
	i = 0; /* p[0] == '@' */
	while (i < end) {
		const char *at;
		size_t next;
		size_t raw;
		size_t len;

		at = memchr(p + i + 1, '@', end - i - 1);
		next = at ? (size_t)(at - p) : end;
		raw = next - i - 1;
		len = rtrim_len(p + i + 1, raw);
		if (len) {
			if (has_ws(p + i + 1, len)) {
				*err_column = column;
				return -1;
			}
			if (out) {
				out[count].loc.line = l->lineno;
				out[count].loc.column = column;
				out[count].name = text + w;
				memcpy(text + w, p + i, len + 1);
				w += len + 1;
				text[w++] = '\0';
			}
			count++;
			column += (unsigned)sg_gherkin__count_cp(p + i + 1,
				      raw) +
			    1;
		}
		i = next;
	}
	if (used)
		*used = w;
	return count;
}

static enum gh_match
match_tags(const struct gh_line *l, struct gh_token *t)
{
	size_t n = l->len - l->trim;
	const char *p = l->p + l->trim;

	if (!n || p[0] != '@')
		return GH_NO;
	set_token(t, GH_TTAG, l, l->indent);
	if (sg_gherkin__tags(l, NULL, NULL, NULL, &t->err_column) < 0) {
		t->err_what = "A tag may not contain whitespace";
		return GH_FAIL;
	}
	return GH_YES;
}

static bool
is_lang_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
	    c == '_';
}

/* ^\s*#\s*language\s*:\s*([a-zA-Z\-_]+)\s*$ on the trimmed line. */
static enum gh_match
match_language(struct gh_lexer *lx, const struct gh_line *l,
    struct gh_token *t)
{
	size_t n = l->len - l->trim;
	const char *p = l->p + l->trim;
	const char *e = p + n;
	const char *name;
	size_t nlen;
	char code[32];
	const struct sg_dialect *d = NULL;

	if (!n || *p != '#')
		return GH_NO;
	p++;
	p += ltrim_len(p, (size_t)(e - p), NULL);
	if ((size_t)(e - p) < 8 || memcmp(p, "language", 8))
		return GH_NO;
	p += 8;
	p += ltrim_len(p, (size_t)(e - p), NULL);
	if (p == e || *p != ':')
		return GH_NO;
	p++;
	p += ltrim_len(p, (size_t)(e - p), NULL);
	name = p;
	while (p < e && is_lang_char((unsigned char)*p))
		p++;
	nlen = (size_t)(p - name);
	if (!nlen || rtrim_len(p, (size_t)(e - p)))
		return GH_NO;
	set_token(t, GH_TLANGUAGE, l, l->indent);
	t->text = name;
	t->text_len = nlen;
	if (nlen < sizeof(code)) {
		memcpy(code, name, nlen);
		code[nlen] = '\0';
		d = sg_dialect_find(code);
	}
	if (!d) {
		t->err_column = l->indent + 1;
		t->err_what = "Language not supported: ";
		return GH_FAIL;
	}
	set_dialect(lx, d);
	t->language = d->code;
	return GH_YES;
}

static enum gh_match
match_docsep(struct gh_lexer *lx, const struct gh_line *l,
    struct gh_token *t)
{
	static const char *const seps[] = {"\"\"\"", "```"};

	if (lx->docsep) {
		if (!starts_with(l, lx->docsep, 3))
			return GH_NO;
		set_token(t, GH_TDOCSEP, l, l->indent);
		t->keyword = lx->docsep;
		lx->docsep = NULL;
		lx->indent_to_remove = 0;
		return GH_YES;
	}
	for (size_t i = 0; i < SG_ARRAY_SIZE(seps); i++) {
		if (!starts_with(l, seps[i], 3))
			continue;
		set_token(t, GH_TDOCSEP, l, l->indent);
		t->keyword = seps[i];
		set_rest(t, l, 3);
		lx->docsep = seps[i];
		lx->indent_to_remove = l->indent;
		return GH_YES;
	}
	return GH_NO;
}

/*
 * A line of a description or of a doc string: the whole line, less the
 * doc string's indentation (or all of the line's when it has less).
 */
static enum gh_match
match_other(struct gh_lexer *lx, const struct gh_line *l, struct gh_token *t)
{
	const unsigned char *s = (const unsigned char *)l->p;
	size_t i = 0;

	set_token(t, GH_TOTHER, l, 0);
	if (lx->indent_to_remove > l->indent) {
		i = l->trim;
	} else {
		for (unsigned k = 0; k < lx->indent_to_remove; k++)
			i += ws_at(s + i, s + l->len);
	}
	t->text = l->p + i;
	t->text_len = l->len - i;
	t->unescape = lx->docsep ? lx->docsep[0] : 0;
	return GH_YES;
}

enum gh_match
sg_gherkin__match(struct gh_lexer *lx, enum gh_tok type,
    const struct gh_line *l, struct gh_token *t)
{
	const struct sg_dialect *d = lx->dialect;

	if (l->eof) {
		if (type != GH_TEOF)
			return GH_NO;
		set_token(t, GH_TEOF, l, 0);
		return GH_YES;
	}
	switch (type) {
	case GH_TEOF:
		return GH_NO;
	case GH_TEMPTY:
		if (l->trim != l->len)
			return GH_NO;
		set_token(t, GH_TEMPTY, l, 0);
		return GH_YES;
	case GH_TCOMMENT:
		if (!starts_with(l, "#", 1))
			return GH_NO;
		set_token(t, GH_TCOMMENT, l, 0);
		t->text = l->p;
		t->text_len = l->len;
		return GH_YES;
	case GH_TTAG:
		return match_tags(l, t);
	case GH_TFEATURE:
		return match_title(lx, type, d->feature, l, t);
	case GH_TRULE:
		return match_title(lx, type, d->rule, l, t);
	case GH_TBACKGROUND:
		return match_title(lx, type, d->background, l, t);
	case GH_TSCENARIO:
		if (match_title(lx, type, d->scenario, l, t))
			return GH_YES;
		return match_title(lx, type, d->scenario_outline, l, t);
	case GH_TEXAMPLES:
		return match_title(lx, type, d->examples, l, t);
	case GH_TSTEP:
		return match_step(lx, l, t);
	case GH_TDOCSEP:
		return match_docsep(lx, l, t);
	case GH_TROW:
		if (!starts_with(l, "|", 1))
			return GH_NO;
		set_token(t, GH_TROW, l, l->indent);
		return GH_YES;
	case GH_TLANGUAGE:
		return match_language(lx, l, t);
	case GH_TOTHER:
		return match_other(lx, l, t);
	default:
		SG_BUG("unknown token type");
	}
}

/* Cell whitespace: a narrower set than \s (no Unicode spaces but NBSP). */
static size_t
cell_ws_at(const unsigned char *p, const unsigned char *e)
{
	if (*p == ' ' || *p == '\t' || *p == '\v' || *p == '\f' || *p == '\r')
		return 1;
	if (*p == 0xc2 && e - p >= 2 && (p[1] == 0x85 || p[1] == 0xa0))
		return 2;
	return 0;
}

static size_t
cell_ws_before(const unsigned char *s, const unsigned char *e)
{
	if (e - s >= 2 && e[-2] == 0xc2 && (e[-1] == 0x85 || e[-1] == 0xa0))
		return 2;
	return cell_ws_at(e - 1, e) == 1 ? 1 : 0;
}

size_t
sg_gherkin__row_count(const struct gh_line *l)
{
	size_t n = l->len - l->trim;
	const char *p = l->p + l->trim;
	const char *e = p + n;
	size_t pipes = 0;

	if (!memchr(p, '\\', n)) {
		while ((p = memchr(p, '|', (size_t)(e - p)))) {
			pipes++;
			p++;
		}
		return pipes ? pipes - 1 : 0;
	}
	for (; p < e; p++) {
		if (*p == '\\')
			p++; /* the escaped byte starts a character */
		else if (*p == '|')
			pipes++;
	}
	return pipes ? pipes - 1 : 0;
}

/*
 * Split a row in one pass.  A cell's leading whitespace is skipped before
 * it is copied (no escape produces whitespace, so the unescaped text starts
 * the same way); its trailing whitespace is trimmed off the copy.  Columns
 * are UTF-16 indexes, which are byte indexes on an ASCII line.
 */
size_t
sg_gherkin__row_cells(const struct gh_line *l, struct sg_gh_cell *out,
    char *text, size_t *used)
{
	size_t n = l->len - l->trim;
	const char *p = l->p + l->trim;
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 1;	  /* p[0] == '|' */
	size_t u = 1;	  /* UTF-16 index of p[i], as Cucumber counts */
	size_t w = 0;	  /* bytes written to text */
	size_t count = 0;
	bool ascii; /* then u == i throughout */

	ascii = is_ascii(p, n);
	while (i < n) {
		unsigned column = l->indent + (unsigned)u + 1;
		size_t start;
		size_t e;
		size_t k;

		/* a cell, perhaps: skip its leading whitespace */
		while (i < n && (k = cell_ws_at(s + i, s + n))) {
			i += k;
			u++;
			column++;
		}
		start = w;
		while (i < n && s[i] != '|') {
			unsigned char ch = s[i];

			if (ch != '\\') {
				text[w++] = (char)ch;
				i++;
				if (ascii)
					u++;
				else
					u += ((ch & 0xc0) != 0x80) + (ch >= 0xf0);
				continue;
			}
			i++;
			u++;
			if (i >= n)
				break; /* the text after the last '|' is dropped */
			ch = s[i];
			if (ch == 'n') {
				text[w++] = '\n';
				i++;
				u++;
				continue;
			}
			if (ch != '|' && ch != '\\')
				text[w++] = '\\';
			/* the escaped character is taken whole */
			for (k = cp_len(ch); k; k--)
				text[w++] = (char)s[i++];
			u += ch >= 0xf0 ? 2 : 1;
		}
		if (i >= n) {
			w = start; /* no closing '|': not a cell */
			break;
		}
		i++; /* the closing '|' */
		u++;
		e = w;
		while (e > start && (k = cell_ws_before(
					 (const unsigned char *)text + start,
					 (const unsigned char *)text + e)))
			e -= k;
		text[e] = '\0';
		out[count].loc.line = l->lineno;
		out[count].loc.column = column;
		out[count].value = text + start;
		count++;
		w = e + 1;
	}
	*used = w;
	return count;
}

void
sg_gherkin__put_other(struct sg_buf *b, const struct gh_token *t)
{
	char pat[6];
	const char *hit = NULL;

	if (t->unescape && t->text_len >= 6) {
		for (size_t k = 0; k < 3; k++) {
			pat[2 * k] = '\\';
			pat[2 * k + 1] = t->unescape;
		}
		hit = memmem(t->text, t->text_len, pat, 6);
	}
	if (!hit) {
		sg_buf_put(b, t->text, t->text_len);
		return;
	}
	/* Cucumber unescapes the first escaped separator of a line only. */
	sg_buf_put(b, t->text, (size_t)(hit - t->text));
	sg_buf_put(b, pat + 1, 1);
	sg_buf_put(b, pat + 1, 1);
	sg_buf_put(b, pat + 1, 1);
	sg_buf_put(b, hit + 6, t->text_len - (size_t)(hit - t->text) - 6);
}
