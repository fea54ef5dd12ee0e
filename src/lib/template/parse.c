/* SPDX-License-Identifier: MIT */
/*
 * parse.c - Mustache source -> a tree of nodes (template_int.h), in four
 * passes over a flat token list:
 *
 *  1. tokenize: text (split after each '\n', so a text token never spans
 *     lines) and tags, following set-delimiter tags as they come;
 *  2. match: pair each opening tag with its End Section tag (errors for a
 *     stray, mismatched or missing end, with the tag's line:column);
 *  3. standalone: a source line that holds only whitespace and one tag
 *     that prints nothing (section, inverted, end, comment, delimiter,
 *     partial, parent, block) loses its whitespace and line end; the
 *     tag's leading whitespace becomes the indentation of a partial,
 *     parent or block.  The inheritance module lets two adjacent tags
 *     share a standalone line: {{<p}}{{/p}}, {{<p}}{{$b}}, {{/b}}{{/p}}
 *     and {{$b}}{{/b}} (which keeps its line end);
 *  4. build the tree; comments and delimiter tags leave no node.
 *
 * Deciding whitespace on whole lines before building the tree keeps the
 * renderer free of look-ahead, and a separate token pass is what makes the
 * two-tag lines of the inheritance module easy to recognise.
 */
#include "template/template_int.h"

#include <string.h>

#define DELIM_MAX 32 /* bytes of a delimiter set by {{=a b=}} */

enum tok_kind {
	K_TEXT,
	K_VAR,
	K_UVAR,
	K_SECTION,
	K_INVERTED,
	K_CLOSE,
	K_COMMENT,
	K_DELIM,
	K_PARTIAL,
	K_PARENT,
	K_BLOCK,
};

struct tok {
	enum tok_kind kind;
	size_t start, end; /* the text, or the whole tag with its delimiters */
	const char *name;
	size_t name_len;
	bool dynamic;
	unsigned line, column;
	size_t match; /* openers <-> their K_CLOSE */
	bool removed;
	bool bol;
	bool standalone;
	size_t indent_start, indent_len;
	size_t content_start; /* block openers: first byte of the content */
};

struct parser {
	struct sg_template *t;
	struct tok *toks;
	size_t ntoks, cap;
	struct sg_error *err;
	/* position tracking for line:column */
	unsigned line;
	size_t line_start;
	size_t scanned;
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static bool
is_opener(enum tok_kind k)
{
	return k == K_SECTION || k == K_INVERTED || k == K_PARENT ||
	       k == K_BLOCK;
}

static struct tok *
push_tok(struct parser *p, enum tok_kind kind, size_t start, size_t end)
{
	struct tok *tk;

	if (p->ntoks == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->toks = sg_xreallocarray(p->toks, p->cap, sizeof(*p->toks));
	}
	tk = &p->toks[p->ntoks++];
	memset(tk, 0, sizeof(*tk));
	tk->kind = kind;
	tk->start = start;
	tk->end = end;
	return tk;
}

/* Move the line counter up to offset `to` of the source. */
static void
advance(struct parser *p, size_t to)
{
	const char *s = p->t->src;

	for (size_t i = p->scanned; i < to; i++)
		if (s[i] == '\n') {
			p->line++;
			p->line_start = i + 1;
		}
	if (to > p->scanned)
		p->scanned = to;
}

/* The 1-based column of offset `at` on the current line, in characters. */
static unsigned
column_of(const struct parser *p, size_t at)
{
	unsigned col = 1;

	for (size_t i = p->line_start; i < at; i++)
		if (((unsigned char)p->t->src[i] & 0xC0) != 0x80)
			col++;
	return col;
}

#define FAIL_AT(p, line, column, ...)                                          \
	sg_error_set_at((p)->err, SG_EINVAL, (p)->t->where, (line), (column),  \
			__VA_ARGS__)

/* A printable, bounded copy of a name for messages. */
static const char *
shown(char *buf, size_t size, const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 4 < size; i++)
		buf[k++] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	if (n && k + 4 >= size) {
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k] = '\0';
	return buf;
}

static void
trim(const char **s, size_t *n)
{
	while (*n && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

/* Fill tk's name from the tag content; '*' starts a dynamic name. */
static int
set_name(struct parser *p, struct tok *tk, const char *s, size_t n,
	 bool may_be_dynamic)
{
	char buf[80];

	trim(&s, &n);
	if (may_be_dynamic && n && s[0] == '*') {
		tk->dynamic = true;
		s++;
		n--;
		trim(&s, &n);
	}
	if (!n)
		return FAIL_AT(p, tk->line, tk->column, "empty tag name");
	for (size_t i = 0; i < n; i++)
		if (is_space(s[i]) || s[i] == '\0')
			return FAIL_AT(p, tk->line, tk->column,
				       "invalid tag name '%s'",
				       shown(buf, sizeof(buf), s, n));
	tk->name = s;
	tk->name_len = n;
	return 0;
}

/* {{=<% %>=}}: content is what lies between the two '='. */
static int
set_delims(struct parser *p, const struct tok *tk, const char *s, size_t n,
	   char *otag, size_t *olen, char *ctag, size_t *clen)
{
	size_t a;
	size_t b;
	size_t c;

	trim(&s, &n);
	for (a = 0; a < n && !is_space(s[a]); a++)
		;
	for (b = a; b < n && is_space(s[b]); b++)
		;
	for (c = b; c < n && !is_space(s[c]); c++)
		;
	if (!a || b == a || c == b || c != n || a > DELIM_MAX ||
	    c - b > DELIM_MAX || memchr(s, '\0', n))
		return FAIL_AT(
		    p, tk->line, tk->column,
		    "invalid set-delimiter tag: want two delimiters of 1 to "
		    "32 bytes without whitespace, as in {{=<%% %%>=}}");
	memcpy(otag, s, a);
	*olen = a;
	memcpy(ctag, s + b, c - b);
	*clen = c - b;
	return 0;
}

/* Pass 1. */
static int
tokenize(struct parser *p)
{
	const char *src = p->t->src;
	size_t len = p->t->len;
	char otag[DELIM_MAX] = "{{";
	char ctag[DELIM_MAX] = "}}";
	size_t olen = 2;
	size_t clen = 2;
	size_t pos = 0;
	char closing[DELIM_MAX + 1];
	char b1[80];
	char b2[80];

	while (pos < len) {
		const char *t = memmem(src + pos, len - pos, otag, olen);
		size_t tstart = t ? (size_t)(t - src) : len;
		size_t q;
		size_t clos_len;
		const char *hit;
		struct tok *tk;
		enum tok_kind kind;
		char sigil;

		while (pos < tstart) {
			const char *nl = memchr(src + pos, '\n', tstart - pos);
			size_t e = nl ? (size_t)(nl - src) + 1 : tstart;

			push_tok(p, K_TEXT, pos, e);
			pos = e;
		}
		if (!t)
			break;
		advance(p, tstart);
		q = tstart + olen;
		while (q < len && is_blank(src[q]))
			q++;
		sigil = q < len ? src[q] : '\0';
		switch (sigil) {
		case '!':
			kind = K_COMMENT;
			break;
		case '=':
			kind = K_DELIM;
			break;
		case '{':
			kind = K_UVAR;
			break;
		case '&':
			kind = K_UVAR;
			break;
		case '#':
			kind = K_SECTION;
			break;
		case '^':
			kind = K_INVERTED;
			break;
		case '/':
			kind = K_CLOSE;
			break;
		case '>':
			kind = K_PARTIAL;
			break;
		case '<':
			kind = K_PARENT;
			break;
		case '$':
			kind = K_BLOCK;
			break;
		default:
			kind = K_VAR;
			break;
		}
		if (kind != K_VAR)
			q++;
		clos_len = 0;
		if (sigil == '{' || sigil == '=')
			closing[clos_len++] = sigil == '{' ? '}' : '=';
		memcpy(closing + clos_len, ctag, clen);
		clos_len += clen;
		hit = memmem(src + q, len - q, closing, clos_len);
		if (!hit)
			return FAIL_AT(p, p->line, column_of(p, tstart),
				       "unclosed tag: no '%s' after '%s'",
				       shown(b1, sizeof(b1), closing, clos_len),
				       shown(b2, sizeof(b2), otag, olen));
		tk = push_tok(p, kind, tstart, (size_t)(hit - src) + clos_len);
		tk->line = p->line;
		tk->column = column_of(p, tstart);
		switch (kind) {
		case K_COMMENT:
			break;
		case K_DELIM:
			if (set_delims(p, tk, src + q, (size_t)(hit - src) - q,
				       otag, &olen, ctag, &clen) < 0)
				return SG_EINVAL;
			break;
		default:
			if (set_name(p, tk, src + q, (size_t)(hit - src) - q,
				     kind == K_PARTIAL || kind == K_PARENT ||
					 kind == K_CLOSE) < 0)
				return SG_EINVAL;
			break;
		}
		pos = tk->end;
		advance(p, pos);
	}
	return 0;
}

static bool
same_name(const struct tok *a, const struct tok *b)
{
	return a->dynamic == b->dynamic && a->name_len == b->name_len &&
	       !memcmp(a->name, b->name, a->name_len);
}

/* Pass 2. */
static int
match(struct parser *p)
{
	size_t *stack = NULL;
	size_t depth = 0;
	char b1[80];
	char b2[80];
	int error = 0;

	for (size_t i = 0; i < p->ntoks; i++) {
		struct tok *tk = &p->toks[i];
		struct tok *open;

		if (is_opener(tk->kind)) {
			if (depth == SG_TEMPLATE_MAX_DEPTH) {
				error =
				    FAIL_AT(p, tk->line, tk->column,
					    "sections nested more than %u deep",
					    SG_TEMPLATE_MAX_DEPTH);
				goto out;
			}
			if (!stack)
				stack = sg_xreallocarray(NULL,
							 SG_TEMPLATE_MAX_DEPTH,
							 sizeof(*stack));
			stack[depth++] = i;
			continue;
		}
		if (tk->kind != K_CLOSE)
			continue;
		if (!depth) {
			error = FAIL_AT(
			    p, tk->line, tk->column,
			    "end tag '%s' closes no section",
			    shown(b1, sizeof(b1), tk->name, tk->name_len));
			goto out;
		}
		open = &p->toks[stack[depth - 1]];
		if (!same_name(open, tk)) {
			char b3[160];

			snprintf(
			    b3, sizeof(b3), "'%s' opened at %u:%u",
			    shown(b2, sizeof(b2), open->name, open->name_len),
			    open->line, open->column);
			error = FAIL_AT(
			    p, tk->line, tk->column,
			    "end tag '%s' does not match section %s",
			    shown(b1, sizeof(b1), tk->name, tk->name_len), b3);
			goto out;
		}
		tk->match = stack[depth - 1];
		open->match = i;
		depth--;
	}
	if (depth) {
		struct tok *open = &p->toks[stack[depth - 1]];

		error = FAIL_AT(
		    p, open->line, open->column, "section '%s' is not closed",
		    shown(b1, sizeof(b1), open->name, open->name_len));
	}
out:
	free(stack);
	return error;
}

static bool
prints_nothing(enum tok_kind k)
{
	return k != K_TEXT && k != K_VAR && k != K_UVAR;
}

/*
 * Is text token tk only blanks, with a line end allowed when it is the
 * last of its line?  *nl_at gets the offset of that line end.
 */
static bool
blank_text(const struct parser *p, const struct tok *tk, size_t *nl_at)
{
	const char *s = p->t->src;
	size_t e = tk->end;

	*nl_at = e;
	if (e > tk->start && s[e - 1] == '\n') {
		e--;
		if (e > tk->start && s[e - 1] == '\r')
			e--;
		*nl_at = e;
	}
	for (size_t i = tk->start; i < e; i++)
		if (!is_blank(s[i]))
			return false;
	return true;
}

/*
 * The indentation of the first non-blank line in [from, to): what a
 * standalone block's content is indented by in the source.
 */
static void
intrinsic(struct parser *p, struct tok *tk, size_t from, size_t to,
	  const char **ind, size_t *len)
{
	const char *s = p->t->src;
	size_t i = from;

	(void)tk;
	*ind = NULL;
	*len = 0;
	while (i < to) {
		size_t ls = i;

		while (i < to && is_blank(s[i]))
			i++;
		if (i < to && s[i] != '\n' && s[i] != '\r') {
			*ind = s + ls;
			*len = i - ls;
			return;
		}
		while (i < to && s[i] != '\n')
			i++;
		i++;
	}
}

/* Do the two adjacent tags a, b share a standalone line? 2: keep its end. */
static int
pair_standalone(const struct parser *p, size_t a, size_t b)
{
	const struct tok *x = &p->toks[a];
	const struct tok *y = &p->toks[b];

	if (b != a + 1 || x->end != y->start)
		return 0;
	if (x->kind == K_PARENT && y->kind == K_CLOSE && y->match == a)
		return 1;
	if (x->kind == K_BLOCK && y->kind == K_CLOSE && y->match == a)
		return 2;
	if (x->kind == K_PARENT && y->kind == K_BLOCK)
		return 1;
	if (x->kind == K_CLOSE && y->kind == K_CLOSE &&
	    p->toks[x->match].kind == K_BLOCK &&
	    p->toks[y->match].kind == K_PARENT)
		return 1;
	return 0;
}

/* Pass 3 on the line made of tokens first..last. */
static void
line_standalone(struct parser *p, size_t first, size_t last)
{
	size_t tags[3];
	size_t ntags = 0;
	size_t nl_at = 0;
	int pair = 1;
	struct tok *lead = NULL;
	struct tok *tail = NULL;

	for (size_t i = first; i <= last; i++) {
		struct tok *tk = &p->toks[i];
		size_t at;

		if (tk->kind == K_TEXT) {
			if (!blank_text(p, tk, &at) ||
			    (at != tk->end && i != last))
				goto inline_line;
			if (!ntags)
				lead = tk;
			else
				tail = tk, nl_at = at;
			continue;
		}
		if (!prints_nothing(tk->kind) || ntags == 2)
			goto inline_line;
		tags[ntags++] = i;
	}
	if (!ntags)
		goto inline_line;
	if (ntags == 2 && !(pair = pair_standalone(p, tags[0], tags[1])))
		goto inline_line;
	if (lead)
		lead->removed = true;
	if (tail) {
		if (pair == 2 && nl_at != tail->end)
			tail->start =
			    nl_at; /* {{$b}}{{/b}} keeps its line end */
		else
			tail->removed = true;
	}
	for (size_t k = 0; k < ntags; k++) {
		struct tok *tk = &p->toks[tags[k]];

		tk->standalone = true;
		if (lead) {
			tk->indent_start = lead->start;
			tk->indent_len = lead->end - lead->start;
		}
		if (tk->kind == K_BLOCK)
			tk->content_start =
			    pair == 2 ? tk->end : p->toks[last].end;
	}
	return;
inline_line:
	p->toks[first].bol = true;
}

/* Pass 3: split the tokens into source lines. */
static void
standalone(struct parser *p)
{
	size_t first = 0;
	const char *s = p->t->src;

	for (size_t i = 0; i < p->ntoks; i++) {
		struct tok *tk = &p->toks[i];

		if (i + 1 < p->ntoks &&
		    !(tk->kind == K_TEXT && s[tk->end - 1] == '\n'))
			continue;
		line_standalone(p, first, i);
		first = i + 1;
	}
}

static enum tnode_kind
node_kind(enum tok_kind k)
{
	switch (k) {
	case K_TEXT:
		return TN_TEXT;
	case K_VAR:
	case K_UVAR:
		return TN_VAR;
	case K_SECTION:
		return TN_SECTION;
	case K_INVERTED:
		return TN_INVERTED;
	case K_PARTIAL:
		return TN_PARTIAL;
	case K_PARENT:
		return TN_PARENT;
	case K_BLOCK:
		return TN_BLOCK;
	default:
		SG_BUG("no node for this token");
	}
}

/* Pass 4. */
static void
build(struct parser *p)
{
	struct sg_template *t = p->t;
	struct tnode **tail = &t->root;
	struct tnode ***tails;
	struct tnode **opens;
	size_t depth = 0;
	bool carry_bol = false;

	tails =
	    sg_xreallocarray(NULL, SG_TEMPLATE_MAX_DEPTH + 1, sizeof(*tails));
	opens =
	    sg_xreallocarray(NULL, SG_TEMPLATE_MAX_DEPTH + 1, sizeof(*opens));
	for (size_t i = 0; i < p->ntoks; i++) {
		struct tok *tk = &p->toks[i];
		struct tnode *n;

		if (tk->removed || tk->start == tk->end)
			continue;
		if (tk->kind == K_COMMENT || tk->kind == K_DELIM) {
			carry_bol |= tk->bol && !tk->standalone;
			continue;
		}
		if (tk->kind == K_CLOSE) {
			struct tnode *open = opens[--depth];

			tail = tails[depth];
			if (open->kind == TN_BLOCK && open->standalone)
				intrinsic(p, tk,
					  p->toks[tk->match].content_start,
					  tk->start, &open->intrinsic,
					  &open->intrinsic_len);
			carry_bol = false;
			continue;
		}
		n = sg_arena_calloc(&t->arena, 1, sizeof(*n));
		n->kind = node_kind(tk->kind);
		n->bol = (tk->bol || carry_bol) && !tk->standalone;
		carry_bol = false;
		n->standalone = tk->standalone;
		n->line = tk->line;
		n->column = tk->column;
		if (tk->kind == K_TEXT) {
			n->str = t->src + tk->start;
			n->len = tk->end - tk->start;
		} else {
			n->str = tk->name;
			n->len = tk->name_len;
			n->escape = tk->kind == K_VAR;
			n->dynamic = tk->dynamic;
			n->indent = t->src + tk->indent_start;
			n->indent_len = tk->indent_len;
		}
		*tail = n;
		tail = &n->next;
		if (is_opener(tk->kind)) {
			opens[depth] = n;
			tails[depth++] = tail;
			tail = &n->child;
		}
	}
	free(tails);
	free(opens);
}

int
sg_template_parse(struct sg_template **out, const char *where, const char *src,
		  size_t len, struct sg_error *err)
{
	struct sg_template *t = sg_xcalloc(1, sizeof(*t));
	struct parser p;
	int error;

	*out = NULL;
	sg_arena_init(&t->arena);
	t->where = sg_xstrdup(where ? where : "template");
	t->src = sg_xmalloc(len + 1);
	if (len)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->len = len;
	memset(&p, 0, sizeof(p));
	p.t = t;
	p.err = err;
	p.line = 1;
	if ((error = tokenize(&p)) < 0 || (error = match(&p)) < 0)
		goto out;
	standalone(&p);
	build(&p);
	*out = t;
	t = NULL;
out:
	free(p.toks);
	sg_template_free(t);
	return error;
}

void
sg_template_free(struct sg_template *t)
{
	if (!t)
		return;
	sg_arena_release(&t->arena);
	free(t->src);
	free(t->where);
	free(t);
}
