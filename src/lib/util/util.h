/* SPDX-License-Identifier: MIT */
/*
 * util.h - project-agnostic helpers shared by every module of the library:
 * allocation that aborts on OOM (sg_x*), a growable byte buffer with a hard
 * cap (sg_buf), an arena for parse trees (sg_arena) and a pointer vector
 * (sg_vec).  Nothing here knows about specs, runs or evidence.
 *
 * Why abort on OOM: neither a CLI nor a small service has a useful recovery,
 * and every size an attacker controls is capped (sg_buf's max, the reader
 * caps in docs/limits.md) so OOM cannot be provoked from input.
 */
#ifndef SG_UTIL_H
#define SG_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "specgate/error.h"

#define SG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define SG_NORETURN __attribute__((noreturn))
#else
#define SG_NORETURN
#endif

/* Programmer errors: never used for bad input (HACKING.md, Errors). */
SG_NORETURN void sg__bug(const char *file, int line, const char *msg);
#define SG_BUG(msg) sg__bug(__FILE__, __LINE__, (msg))

/* Allocation: abort with a message on OOM or size overflow. */
void *sg_xmalloc(size_t n);
void *sg_xcalloc(size_t nmemb, size_t size);
void *sg_xrealloc(void *p, size_t n);
void *sg_xreallocarray(void *p, size_t nmemb, size_t size);
char *sg_xstrdup(const char *s);
char *sg_xstrndup(const char *s, size_t n);
char *sg_xasprintf(const char *fmt, ...) SG_PRINTF(1, 2);

/*
 * "Did you mean" (similar.c): the optimal-string-alignment edit distance
 * of a and b (SIZE_MAX for words over 64 bytes), and the one candidate of
 * cands[0..n) close enough to word to be a typo of it, or NULL (none, or
 * two equally close).  The result is one of cands (borrowed).
 */
size_t sg_edit_distance(const char *a, const char *b);
const char *sg_similar(const char *word, const char *const *cands,
    size_t n);

/*
 * Wipe n bytes at p with a memset the compiler cannot drop (for keys and
 * passphrases before they are freed).
 */
void sg_memzero(void *p, size_t n);

/* The value of the hex digit c (either case), or -1 (percent.c). */
int sg_hexval(int c);

/*
 * The byte a percent-escape "%XX" at s stands for (n: the bytes readable
 * at s, at least 3 for an escape), or -1 when s does not start with one
 * or it is "%00".
 */
int sg_percent_byte(const char *s, size_t n);

/*
 * sg_buf: a NUL-terminated growable byte buffer.  `max` is a hard cap on
 * len (0: SIZE_MAX/2); growing past it fails with SG_ETOOBIG instead of
 * allocating more (HACKING.md, Memory).  ptr is never NULL after init.
 */
struct sg_buf {
	char *ptr;
	size_t len;
	size_t cap;
	size_t max;
};

void sg_buf_init(struct sg_buf *b, size_t max);
void sg_buf_release(struct sg_buf *b);
/* Hand over the string: the caller frees it; b is re-initialised. */
char *sg_buf_detach(struct sg_buf *b, size_t *len_out);
int sg_buf_grow(struct sg_buf *b, size_t extra);
int sg_buf_put(struct sg_buf *b, const void *p, size_t n);
int sg_buf_puts(struct sg_buf *b, const char *s);
int sg_buf_putc(struct sg_buf *b, int c);
int sg_buf_printf(struct sg_buf *b, const char *fmt, ...) SG_PRINTF(2, 3);
int sg_buf_vprintf(struct sg_buf *b, const char *fmt, va_list ap)
    SG_PRINTF(2, 0);
void sg_buf_truncate(struct sg_buf *b, size_t len);

/*
 * UTF-8 and escaping into a sg_buf (escape.c).  The sg_buf_* ones return
 * 0 or sg_buf_put()'s error (SG_ETOOBIG past the cap).
 *
 * sg_utf8_len(): the length of the valid UTF-8 sequence (RFC 3629) at s,
 * of which n >= 1 bytes may be read, or 0 when none starts there.
 * sg_buf_put_utf8(): append n bytes of s, each byte that is not part of
 * valid UTF-8 as U+FFFD.
 */
size_t sg_utf8_len(const char *s, size_t n);
int sg_buf_put_utf8(struct sg_buf *b, const char *s, size_t n);

enum sg_json_flags {
	/* a byte that is not part of valid UTF-8 as \ufffd */
	SG_JSON_CLEAN = (1 << 0),
	/* every control but LF, and DEL, as \u00XX (else \b \f \r \t) */
	SG_JSON_HEX_CONTROLS = (1 << 1),
};

/*
 * Append s as a quoted JSON string, or `null` when s is NULL: `"` and `\`
 * escaped, LF as \n, other controls as \b \f \r \t or \u00XX (lower-case
 * hex), the rest as it is; flags (enum sg_json_flags) change that.
 */
int sg_buf_json_string(struct sg_buf *b, const char *s, unsigned flags);

enum sg_xml_flags {
	/* ' as &#39; (for HTML attributes quoted either way) */
	SG_XML_APOS = (1 << 0),
	/*
	 * bytes that are not part of valid UTF-8 and the controls XML 1.0
	 * forbids as U+FFFD, CR as &#13; (so a parser keeps it)
	 */
	SG_XML_CLEAN = (1 << 1),
	/* LF and TAB as &#10; and &#9; (attribute values keep them) */
	SG_XML_ATTR = (1 << 2),
};

/*
 * Append n bytes of s as XML/HTML character data: & < > " as entities,
 * the rest as it is; flags (enum sg_xml_flags) add to that.
 * sg_buf_xml_escape() does the same for a string (NULL: nothing).
 */
int sg_buf_xml_escapen(struct sg_buf *b, const char *s, size_t n,
    unsigned flags);
int sg_buf_xml_escape(struct sg_buf *b, const char *s, unsigned flags);

/*
 * sg_arena: bump allocator for parse trees and per-run data, dropped at once
 * by sg_arena_release().  Allocations are 16-byte aligned and zeroed,
 * except sg_arena_alloc_raw()'s (which the string copies use: zeroing bytes
 * about to be overwritten was a visible cost on large specs).
 */
struct sg_arena_block;
struct sg_arena {
	struct sg_arena_block *head;
	size_t used; /* bytes handed out (for reporting and tests) */
};

void sg_arena_init(struct sg_arena *a);
void sg_arena_release(struct sg_arena *a);
void *sg_arena_alloc(struct sg_arena *a, size_t n);
/* Like sg_arena_alloc(), but the memory is not zeroed (for strings). */
void *sg_arena_alloc_raw(struct sg_arena *a, size_t n);
void *sg_arena_calloc(struct sg_arena *a, size_t nmemb, size_t size);
char *sg_arena_strndup(struct sg_arena *a, const char *s, size_t n);
char *sg_arena_strdup(struct sg_arena *a, const char *s);
/* Copy n elements of `size` bytes from src into the arena (NULL if n == 0). */
void *sg_arena_memdup(struct sg_arena *a, const void *src, size_t nmemb,
    size_t size);

/* sg_vec: a growable array of pointers (borrowed; the vec owns the array). */
struct sg_vec {
	void **items;
	size_t len;
	size_t cap;
};

#define SG_VEC_INIT {NULL, 0, 0}
void sg_vec_push(struct sg_vec *v, void *item);
void sg_vec_release(struct sg_vec *v);

/*
 * Credentials out of URLs (urlmask.c): a userinfo's password (or a
 * userinfo with none, outside ssh) and the values of query and fragment
 * parameters whose names say secret become "[REDACTED]".  sg_url_mask()
 * masks one URL; sg_text_mask_urls() every `scheme://...` in len bytes of
 * text (*outlen, may be NULL, gets the length).  New strings: free().
 */
char *sg_url_mask(const char *url);
char *sg_text_mask_urls(const char *text, size_t len, size_t *outlen);

/* Whether a variable's name says its value is a secret: it contains
 * TOKEN, PASSWORD, SECRET or KEY, in any case. */
bool sg_secret_name(const char *name);

/*
 * Last, after every system header the library uses has been seen: banned.h
 * redefines names that those headers declare.  Files that need another
 * system header include it before util.h.
 */
#include "util/banned.h"

#endif /* SG_UTIL_H */
