/* SPDX-License-Identifier: MIT */
/*
 * buf.c - sg_buf, a capped growable byte buffer (after curl's dynbuf).
 *
 * The cap is the point: every buffer fed with untrusted input is created
 * with the documented limit for that input, and crossing it is SG_ETOOBIG,
 * not another realloc.
 */
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty[1];

void
sg_buf_init(struct sg_buf *b, size_t max)
{
	b->ptr = empty;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : SIZE_MAX / 2;
}

void
sg_buf_release(struct sg_buf *b)
{
	if (b->cap)
		free(b->ptr);
	sg_buf_init(b, b->max);
}

char *
sg_buf_detach(struct sg_buf *b, size_t *len_out)
{
	char *p;

	p = b->cap ? b->ptr : sg_xstrdup("");
	if (len_out)
		*len_out = b->len;
	sg_buf_init(b, b->max);
	return p;
}

int
sg_buf_grow(struct sg_buf *b, size_t extra)
{
	size_t want;
	size_t cap;

	if (extra > b->max - b->len)
		return SG_ETOOBIG;
	want = b->len + extra + 1;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	if (b->cap) {
		b->ptr = sg_xrealloc(b->ptr, cap);
	} else {
		b->ptr = sg_xmalloc(cap);
		b->ptr[0] = '\0';
	}
	b->cap = cap;
	return 0;
}

int
sg_buf_put(struct sg_buf *b, const void *p, size_t n)
{
	int error;

	if ((error = sg_buf_grow(b, n)) < 0)
		return error;
	if (n)
		memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int
sg_buf_puts(struct sg_buf *b, const char *s)
{
	return sg_buf_put(b, s, strlen(s));
}

int
sg_buf_putc(struct sg_buf *b, int c)
{
	char ch = (char)c;

	return sg_buf_put(b, &ch, 1);
}

int
sg_buf_vprintf(struct sg_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	int error;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return SG_EINVAL;
	if ((error = sg_buf_grow(b, (size_t)n)) < 0)
		return error;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
sg_buf_printf(struct sg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = sg_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return error;
}

void
sg_buf_truncate(struct sg_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}
