/* SPDX-License-Identifier: MIT */
/*
 * set.c - the component set that every reader of the SBOM adds to.
 *
 * Readers add components as they meet them, duplicates included (the same
 * npm package under three node_modules paths, the same Debian package
 * needed by two artifacts); sg_sbom__set_finish() sorts them by bom-ref
 * once and merges the duplicates, joining their edges.  Sorting at the end
 * rather than keeping a map up to date costs one qsort and keeps the
 * readers trivial; it is also what makes the output order canonical.
 * Strings live in the set's arena and are dropped with it.
 */
#include "sbom/sbom_int.h"

#include <stdarg.h>

void
sg_sbom__set_init(struct sg_sbom__set *set)
{
	memset(set, 0, sizeof(*set));
	sg_arena_init(&set->arena);
}

void
sg_sbom__set_release(struct sg_sbom__set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->warnings.len; i++)
		free(set->warnings.items[i]);
	sg_vec_release(&set->warnings);
	sg_vec_release(&set->comps);
	sg_arena_release(&set->arena);
}

struct sg_sbom__comp *
sg_sbom__add(struct sg_sbom__set *set)
{
	struct sg_sbom__comp *c;

	if (set->comps.len >= SG_SBOM_MAX_COMPONENTS)
		return NULL;
	c = sg_arena_alloc(&set->arena, sizeof(*c));
	c->seq = set->comps.len;
	sg_vec_push(&set->comps, c);
	return c;
}

const char *
sg_sbom__str(struct sg_sbom__set *set, const char *s, size_t n)
{
	return sg_arena_strndup(&set->arena, s, n);
}

void
sg_sbom__depend(struct sg_sbom__set *set, struct sg_sbom__comp *from,
    const char *to)
{
	struct sg_sbom__dep *d = sg_arena_alloc(&set->arena, sizeof(*d));

	d->ref = to;
	if (from) {
		d->next = from->deps;
		from->deps = d;
	} else {
		d->next = set->root_deps;
		set->root_deps = d;
	}
}

void
sg_sbom__warn(struct sg_sbom__set *set, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	if (set->warnings.len >= SG_SBOM__MAX_WARNINGS) {
		set->nwarnings_dropped++;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	msg = sg_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sg_vec_push(&set->warnings, msg);
}

static int
cmp_comp(const void *a, const void *b)
{
	const struct sg_sbom__comp *x = *(const struct sg_sbom__comp *const *)a;
	const struct sg_sbom__comp *y = *(const struct sg_sbom__comp *const *)b;
	int c = strcmp(x->ref, y->ref);

	/* equal refs keep the order they were added in: the first wins */
	if (!c)
		c = (x->seq > y->seq) - (x->seq < y->seq);
	return c;
}

void
sg_sbom__set_finish(struct sg_sbom__set *set)
{
	struct sg_sbom__comp **v = (struct sg_sbom__comp **)set->comps.items;
	size_t n = set->comps.len, w = 0;

	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_comp);
	for (size_t i = 0; i < n; i++) {
		if (w && !strcmp(v[w - 1]->ref, v[i]->ref)) {
			struct sg_sbom__dep *d = v[i]->deps;

			while (d) {
				struct sg_sbom__dep *next = d->next;

				d->next = v[w - 1]->deps;
				v[w - 1]->deps = d;
				d = next;
			}
			continue;
		}
		v[w++] = v[i];
	}
	set->comps.len = w;
}

struct sg_sbom__comp *
sg_sbom__find(const struct sg_sbom__set *set, const char *ref)
{
	size_t lo = 0, hi = set->comps.len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct sg_sbom__comp *c = set->comps.items[mid];
		int r = strcmp(ref, c->ref);

		if (!r)
			return c;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

bool
sg_sbom__text_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i], need, cp;

		if (c < 0x20 || c == 0x7f)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07;
		else
			return false;
		if (n - i <= need)
			return false;
		for (unsigned k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 &&
		    cp <= 0xdfff))) || (need == 3 && (cp < 0x10000 ||
		    cp > 0x10ffff)))
			return false;
		i += need + 1;
	}
	return true;
}
