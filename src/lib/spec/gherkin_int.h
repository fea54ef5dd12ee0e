/* SPDX-License-Identifier: MIT */
/*
 * gherkin_int.h - what the files of the Gherkin parser share and nobody
 * else sees: the line scanner and the token matcher (gherkin_lex.c), the
 * private side of a document (gherkin.c, pickles.c, ndjson.c).
 *
 * Data flow: gherkin_lex.c cuts the input into lines (views into the
 * caller's bytes, never copied) and answers "is this line a #StepLine?"
 * questions for the parser's state machine, filling a struct gh_token with
 * views into the line.  gherkin.c copies what it keeps into the document's
 * arena.  Nothing here allocates per line.
 */
#ifndef SG_SPEC_GHERKIN_INT_H
#define SG_SPEC_GHERKIN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "specgate/gherkin.h"
#include "spec/dialect.h"
#include "util/util.h"

/* Token types, in the order of Cucumber's grammar (gherkin.berp). */
enum gh_tok {
	GH_TNONE = 0,
	GH_TEOF,
	GH_TEMPTY,
	GH_TCOMMENT,
	GH_TTAG,
	GH_TFEATURE,
	GH_TRULE,
	GH_TBACKGROUND,
	GH_TSCENARIO,
	GH_TEXAMPLES,
	GH_TSTEP,
	GH_TDOCSEP,
	GH_TROW,
	GH_TLANGUAGE,
	GH_TOTHER,
	GH_TCOUNT
};

/* One line of input: a view, without its "\n" or "\r\n". */
struct gh_line {
	const char *p;
	size_t len;
	size_t trim;	 /* bytes of leading whitespace */
	unsigned indent; /* code points of leading whitespace */
	unsigned lineno; /* 1-based */
	bool eof;	 /* past the last line: the #EOF token */
};

/* A cursor over the lines of the input; copied freely (lookahead). */
struct gh_scanner {
	const char *data;
	size_t end; /* where the lines stop (a blank last line is dropped) */
	size_t off;
	unsigned lineno;
};

/*
 * A growable array, reused between uses for elements of different types
 * (hence counted in bytes; GH_VEC_N gives the number of elements).
 */
struct gh_vec {
	char *p;
	size_t len; /* bytes */
	size_t cap; /* bytes */
};

#define GH_VEC_N(v, type) ((v)->len / sizeof(type))
#define GH_VEC_AT(v, type, i) ((type *)(void *)(v)->p + (i))

struct gh_stepkw {
	const char *kw;
	size_t len;
	enum sg_step_kind kind;
};

/* The matcher's state: the dialect and the open doc string, if any. */
struct gh_lexer {
	const struct sg_dialect *dialect;
	struct gh_stepkw *stepkw; /* longest first, as Cucumber tries them */
	size_t nstepkw;
	size_t stepkw_cap;
	uint16_t first[256]; /* token types a line starting with c may be */
	const char *docsep;	   /* the open separator, or NULL */
	unsigned indent_to_remove; /* the open doc string's indent */
};

/* What a line matched. */
struct gh_token {
	enum gh_tok type;
	const struct gh_line *line;
	struct sg_loc loc;
	const char *text; /* view: title, step text, comment, media type */
	size_t text_len;
	const char *keyword; /* the dialect's keyword or the separator */
	enum sg_step_kind kind;
	char unescape; /* #Other in a doc string: '"' or '`', else 0 */
	const char *language;
	/* set when a match fails with an error (bad tag, unknown language) */
	unsigned err_column;
	const char *err_what;
};

enum gh_match {
	GH_FAIL = -1, /* the line is of that kind but wrong: see err_* */
	GH_NO = 0,
	GH_YES = 1,
};

void sg_gherkin__scanner_init(struct gh_scanner *sc, const char *data,
    size_t len);
/* The next line, or an eof line once past the end (repeatable). */
void sg_gherkin__scanner_next(struct gh_scanner *sc, struct gh_line *out);

/*
 * Validate UTF-8 (NUL bytes refused too).  Returns the offset of the first
 * bad byte, or len when all is well.
 */
size_t sg_gherkin__utf8_check(const char *data, size_t len);

int sg_gherkin__lexer_init(struct gh_lexer *lx, const char *language);
void sg_gherkin__lexer_release(struct gh_lexer *lx);

/*
 * The token types `line` may match (a bit per enum gh_tok): a cheap filter
 * on its first byte, so that the parser skips most matchers outright.
 */
static inline unsigned
sg_gherkin__candidates(const struct gh_lexer *lx, const struct gh_line *l)
{
	if (l->eof)
		return 1u << GH_TEOF;
	if (l->trim == l->len)
		return 1u << GH_TEMPTY | 1u << GH_TOTHER;
	return lx->first[(unsigned char)l->p[l->trim]] | 1u << GH_TOTHER;
}

/* Try to match `line` as a token of `type`; see enum gh_match. */
enum gh_match sg_gherkin__match(struct gh_lexer *lx, enum gh_tok type,
    const struct gh_line *line, struct gh_token *out);

/*
 * Split a tag line (one that matched #TagLine) into tags, at most
 * line->len of them.  With out NULL, only count and check them.  Otherwise
 * fill out[] and copy the names, NUL-terminated, into text (which holds
 * line->len bytes plus one per tag; *used says how many it took).  Returns
 * the number of tags, or -1 with *err_column set when a tag holds
 * whitespace.
 */
long sg_gherkin__tags(const struct gh_line *line, struct sg_gh_tag *out,
    char *text, size_t *used, unsigned *err_column);

/* The number of cells of a table row (its unescaped '|', less one). */
size_t sg_gherkin__row_count(const struct gh_line *line);

/*
 * Split a table row into sg_gherkin__row_count() cells at out[] (Cucumber's
 * escapes: \|, \n, \\), their values unescaped, trimmed and NUL-terminated
 * in text, which holds line->len + 1 bytes; *used says how many it took.
 * Returns the number of cells.
 */
size_t sg_gherkin__row_cells(const struct gh_line *line,
    struct sg_gh_cell *out, char *text, size_t *used);

/* Append a #Other token's text to b, undoing an escaped separator. */
void sg_gherkin__put_other(struct sg_buf *b, const struct gh_token *tok);

/* Cucumber's "trim" (JavaScript's whitespace, Unicode spaces included). */
void sg_gherkin__trim(const char **p, size_t *len);

/* Code points in s[0..len). */
size_t sg_gherkin__count_cp(const char *s, size_t len);

void sg_gherkin__vec_grow(struct gh_vec *v, size_t size);
void sg_gherkin__vec_release(struct gh_vec *v);

/* Append an element of `size` bytes (uninitialised) and return it. */
static inline void *
sg_gherkin__vec_push(struct gh_vec *v, size_t size)
{
	void *e;

	if (!v->p || v->cap - v->len < size)
		sg_gherkin__vec_grow(v, size);
	e = v->p + v->len;
	v->len += size;
	return e;
}

/* The private side of a document: the public part comes first. */
struct gh_doc {
	struct sg_gh_document pub;
	struct sg_arena arena;
	char *pool; /* strings, packed without alignment (in the arena) */
	size_t pool_left;
	size_t pool_chunk;
	bool compiled;
	int compile_error; /* sg_gherkin_pickles(): a cap was crossed */
	const struct sg_pickle *pickles;
	size_t npickles;
};

static inline struct gh_doc *
gh_doc_of(struct sg_gh_document *doc)
{
	return (struct gh_doc *)(void *)doc;
}

/*
 * Copy n bytes and a NUL into the document's string pool.  Strings are the
 * bulk of a tree, and the arena's 16-byte alignment and zeroing would cost
 * a third more memory (and page faults) for nothing.
 */
char *sg_gherkin__strdup(struct gh_doc *d, const char *s, size_t n);

/* Room for n bytes in the pool, kept until sg_gherkin__pool_commit(). */
char *sg_gherkin__pool_reserve(struct gh_doc *d, size_t n);
/* Keep the first n bytes of the last reservation. */
void sg_gherkin__pool_commit(struct gh_doc *d, size_t n);

#endif /* SG_SPEC_GHERKIN_INT_H */
