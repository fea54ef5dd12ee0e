/* SPDX-License-Identifier: MIT */
/*
 * arena.c - a bump allocator (after h2o's mem pool).  A parse tree, its
 * pickles and its findings live in one arena and are dropped together, so
 * the parser never frees node by node and cannot leak on an error path.
 *
 * Blocks grow geometrically from 4 KiB to 1 MiB; a request larger than a
 * block gets a block of its own.
 */
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

struct sg_arena_block {
	struct sg_arena_block *next;
	size_t size;
	size_t used;
	_Alignas(16) unsigned char data[];
};

#define ALIGN 16u
#define MIN_BLOCK 4096u
#define MAX_BLOCK (1u << 20)

void
sg_arena_init(struct sg_arena *a)
{
	a->head = NULL;
	a->used = 0;
}

void
sg_arena_release(struct sg_arena *a)
{
	struct sg_arena_block *b;
	struct sg_arena_block *next;

	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	sg_arena_init(a);
}

static struct sg_arena_block *
new_block(struct sg_arena *a, size_t need)
{
	struct sg_arena_block *b;
	size_t size;

	size = a->head ? a->head->size * 2 : MIN_BLOCK;
	if (size > MAX_BLOCK)
		size = MAX_BLOCK;
	if (size < need)
		size = need;
	b = sg_xmalloc(sizeof(*b) + size);
	b->size = size;
	b->used = 0;
	if (need > MAX_BLOCK / 4 && a->head) {
		/* keep the current block for small allocations */
		b->next = a->head->next;
		a->head->next = b;
	} else {
		b->next = a->head;
		a->head = b;
	}
	return b;
}

void *
sg_arena_alloc_raw(struct sg_arena *a, size_t n)
{
	struct sg_arena_block *b;
	void *p;

	if (n > SIZE_MAX - ALIGN)
		SG_BUG("arena allocation size overflow");
	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (!n)
		n = ALIGN;
	b = a->head;
	if (!b || b->size - b->used < n)
		b = new_block(a, n);
	p = b->data + b->used;
	b->used += n;
	a->used += n;
	return p;
}

void *
sg_arena_alloc(struct sg_arena *a, size_t n)
{
	void *p;

	p = sg_arena_alloc_raw(a, n);
	memset(p, 0, n);
	return p;
}

void *
sg_arena_calloc(struct sg_arena *a, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		SG_BUG("arena allocation size overflow");
	return sg_arena_alloc(a, nmemb * size);
}

char *
sg_arena_strndup(struct sg_arena *a, const char *s, size_t n)
{
	char *p;

	p = sg_arena_alloc_raw(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
sg_arena_strdup(struct sg_arena *a, const char *s)
{
	return sg_arena_strndup(a, s, strlen(s));
}

void *
sg_arena_memdup(struct sg_arena *a, const void *src, size_t nmemb, size_t size)
{
	void *p;

	if (!nmemb)
		return NULL;
	if (size && nmemb > SIZE_MAX / size)
		SG_BUG("arena allocation size overflow");
	p = sg_arena_alloc_raw(a, nmemb * size);
	memcpy(p, src, nmemb * size);
	return p;
}
