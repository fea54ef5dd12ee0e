/* SPDX-License-Identifier: MIT */
/*
 * xalloc.c - allocation wrappers that abort on OOM and on size overflow
 * (after tmux's xmalloc.c), the SG_BUG() sink, and a memset for secrets that
 * the optimiser cannot remove.
 */
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static SG_NORETURN void
oom(const char *what, size_t n)
{
	fprintf(stderr, "specgate: fatal: %s: out of memory (%zu bytes)\n", what,
	    n);
	abort();
}

void
sg__bug(const char *file, int line, const char *msg)
{
	fprintf(stderr, "specgate: BUG at %s:%d: %s\n", file, line, msg);
	abort();
}

void *
sg_xmalloc(size_t n)
{
	void *p;

	p = malloc(n ? n : 1);
	if (!p)
		oom("malloc", n);
	return p;
}

void *
sg_xcalloc(size_t nmemb, size_t size)
{
	void *p;

	p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom("calloc", nmemb * size);
	return p;
}

void *
sg_xrealloc(void *p, size_t n)
{
	void *q;

	q = realloc(p, n ? n : 1);
	if (!q)
		oom("realloc", n);
	return q;
}

void *
sg_xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		oom("reallocarray: size overflow", SIZE_MAX);
	return sg_xrealloc(p, nmemb * size);
}

char *
sg_xstrdup(const char *s)
{
	return sg_xstrndup(s, strlen(s));
}

char *
sg_xstrndup(const char *s, size_t n)
{
	char *p;

	p = sg_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
sg_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom("asprintf", 0);
	return p;
}

/* A volatile function pointer: the compiler cannot prove the call dead. */
static void *(*volatile memset_v)(void *, int, size_t) = memset;

void
sg_memzero(void *p, size_t n)
{
	if (p && n)
		memset_v(p, 0, n);
}

void
sg_vec_push(struct sg_vec *v, void *item)
{
	if (v->len == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->items = sg_xreallocarray(v->items, v->cap, sizeof(*v->items));
	}
	v->items[v->len++] = item;
}

void
sg_vec_release(struct sg_vec *v)
{
	free(v->items);
	v->items = NULL;
	v->len = v->cap = 0;
}
