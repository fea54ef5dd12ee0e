/* SPDX-License-Identifier: MIT */
/*
 * yaml.c - libyaml's event stream folded into a tree of sg_ynode.
 *
 * Events arrive in document order; open sequences and mappings sit on a
 * fixed stack of SG_YAML_MAX_DEPTH frames, each collecting its children in
 * a heap vector until its END event, when they are copied into the arena.
 * The depth is checked on each START event, so input nested 10,000 levels
 * deep stops at level 65 after reading only that much, and the node count
 * is checked on every node, so memory stays proportional to a small cap
 * rather than to what the input could expand to.
 *
 * Rejected: libyaml's document loader (yaml_parser_load).  It expands the
 * whole document before we can look at it, recurses on nesting in
 * yaml_document_delete, and hides the scalar style we need to tell `"yes"`
 * from `yes`.  Anchors and aliases are refused rather than expanded: a
 * configuration that auditors read should say each value where it
 * applies, and refusing them removes the "billion laughs" expansion
 * outright (docs/decisions.md).
 */
#include "config/yaml.h"

#include <yaml.h>

#include "util/util.h"

struct frame {
	struct sg_ynode *node; /* the SEQ or MAP being filled */
	struct sg_vec kids;
};

struct builder {
	struct sg_arena *arena;
	const char *name;
	const char *buf; /* the input, to place reader errors */
	size_t len;
	struct frame stack[SG_YAML_MAX_DEPTH];
	size_t depth;
	size_t nnodes;
	unsigned ndocs;
	struct sg_ynode *root;
	struct sg_error *err;
};

static int
fail_at(struct builder *b, yaml_mark_t mark, int code, const char *msg)
{
	return sg_error_set_at(b->err, code, b->name, (unsigned)mark.line + 1,
	    (unsigned)mark.column + 1, "%s", msg);
}

/*
 * libyaml reports reader errors (bad UTF-8, control characters) as a byte
 * offset; turn it into line and column, counting characters as its marks
 * do.
 */
static int
fail_offset(struct builder *b, size_t off, const char *problem)
{
	unsigned line = 1;
	unsigned col = 1;

	if (off > b->len)
		off = b->len;
	for (size_t i = 0; i < off; i++) {
		unsigned char c = (unsigned char)b->buf[i];

		if (c == '\n') {
			line++;
			col = 1;
		} else if ((c & 0xc0) != 0x80) {
			col++;
		}
	}
	return sg_error_set_at(b->err, SG_EINVAL, b->name, line, col,
	    "invalid YAML: %s", problem);
}

static int
fail_parser(struct builder *b, yaml_parser_t *p)
{
	char msg[256];

	if (p->error == YAML_MEMORY_ERROR)
		SG_BUG("libyaml is out of memory");
	if (p->error == YAML_READER_ERROR)
		return fail_offset(b, p->problem_offset,
		    p->problem ? p->problem : "unreadable input");
	if (p->context)
		snprintf(msg, sizeof(msg), "invalid YAML: %s %s",
		    p->problem ? p->problem : "syntax error", p->context);
	else
		snprintf(msg, sizeof(msg), "invalid YAML: %s",
		    p->problem ? p->problem : "syntax error");
	return fail_at(b, p->problem_mark, SG_EINVAL, msg);
}

static struct sg_ynode *
new_node(struct builder *b, enum sg_ynode_kind kind, yaml_mark_t mark)
{
	struct sg_ynode *n;

	n = sg_arena_alloc(b->arena, sizeof(*n));
	n->kind = kind;
	n->line = (unsigned)mark.line + 1;
	n->column = (unsigned)mark.column + 1;
	return n;
}

/* Hang a finished node on the open collection, or make it the root. */
static void
attach(struct builder *b, struct sg_ynode *n)
{
	if (b->depth)
		sg_vec_push(&b->stack[b->depth - 1].kids, n);
	else
		b->root = n;
}

/* A key must be a scalar: complex keys (`? [a, b]`) are refused. */
static bool
at_key_position(const struct builder *b)
{
	const struct frame *f;

	if (!b->depth)
		return false;
	f = &b->stack[b->depth - 1];
	return f->node->kind == SG_YNODE_MAP && f->kids.len % 2 == 0;
}

struct keyref {
	const struct sg_ynode *key;
	size_t index;
};

static int
keyref_cmp(const void *pa, const void *pb)
{
	const struct keyref *a = pa;
	const struct keyref *b = pb;
	int c;

	if (a->key->len != b->key->len)
		return a->key->len < b->key->len ? -1 : 1;
	c = memcmp(a->key->str, b->key->str, a->key->len);
	if (c)
		return c;
	return a->index < b->index ? -1 : (a->index > b->index);
}

/*
 * Refuse duplicate keys, naming the first repeated one in document order.
 * Sorting keeps a mapping of 100,000 keys at n log n instead of n^2.
 */
static int
check_duplicates(struct builder *b, const struct sg_ynode *map)
{
	struct keyref *refs;
	const struct sg_ynode *dup = NULL;
	const struct sg_ynode *first = NULL;
	size_t dupi = SIZE_MAX;
	int error = 0;

	if (map->n < 2)
		return 0;
	refs = sg_xreallocarray(NULL, map->n, sizeof(*refs));
	for (size_t i = 0; i < map->n; i++) {
		refs[i].key = sg_ynode_key(map, i);
		refs[i].index = i;
	}
	qsort(refs, map->n, sizeof(*refs), keyref_cmp);
	for (size_t i = 1, g = 0; i < map->n; i++) {
		if (refs[i].key->len != refs[g].key->len ||
		    memcmp(refs[i].key->str, refs[g].key->str,
			refs[i].key->len)) {
			g = i;
			continue;
		}
		if (refs[i].index < dupi) {
			dupi = refs[i].index;
			dup = refs[i].key;
			first = refs[g].key;
		}
	}
	if (dup) {
		error = sg_error_set_at(b->err, SG_EINVAL, b->name, dup->line,
		    dup->column, "duplicate key '%.*s' (first at line %u)",
		    dup->len > 64 ? 64 : (int)dup->len, dup->str, first->line);
	}
	free(refs);
	return error;
}

static int
count_node(struct builder *b, yaml_mark_t mark)
{
	if (++b->nnodes > SG_YAML_MAX_NODES)
		return fail_at(b, mark, SG_ETOOBIG,
		    "too many YAML nodes (the limit is 100000)");
	return 0;
}

static int
on_scalar(struct builder *b, yaml_event_t *ev)
{
	struct sg_ynode *n;
	int error;

	if (ev->data.scalar.anchor)
		return fail_at(b, ev->start_mark, SG_EINVAL,
		    "anchors (&name) are not supported; write the value out");
	if (ev->data.scalar.tag)
		return fail_at(b, ev->start_mark, SG_EINVAL,
		    "tags (!name) are not supported; quote the value instead");
	if ((error = count_node(b, ev->start_mark)) < 0)
		return error;
	n = new_node(b, SG_YNODE_SCALAR, ev->start_mark);
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	n->len = ev->data.scalar.length;
	n->str = sg_arena_strndup(b->arena, (const char *)ev->data.scalar.value,
	    n->len);
	attach(b, n);
	return 0;
}

static int
on_start(struct builder *b, yaml_event_t *ev, enum sg_ynode_kind kind)
{
	const yaml_char_t *anchor;
	const yaml_char_t *tag;
	struct frame *f;
	int error;

	if (kind == SG_YNODE_SEQ) {
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
	} else {
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
	}
	if (anchor)
		return fail_at(b, ev->start_mark, SG_EINVAL,
		    "anchors (&name) are not supported; write the value out");
	if (tag)
		return fail_at(b, ev->start_mark, SG_EINVAL,
		    "tags (!name) are not supported");
	if (at_key_position(b))
		return fail_at(b, ev->start_mark, SG_EINVAL,
		    "a mapping key must be a string, not a list or a mapping");
	if (b->depth == SG_YAML_MAX_DEPTH)
		return fail_at(b, ev->start_mark, SG_EINVAL,
		    "nesting is too deep (the limit is 64 levels)");
	if ((error = count_node(b, ev->start_mark)) < 0)
		return error;
	f = &b->stack[b->depth++];
	f->node = new_node(b, kind, ev->start_mark);
	f->kids = (struct sg_vec)SG_VEC_INIT;
	return 0;
}

static int
on_end(struct builder *b)
{
	struct frame *f;
	struct sg_ynode *n;
	int error = 0;

	if (!b->depth)
		SG_BUG("collection end without a start");
	f = &b->stack[b->depth - 1];
	n = f->node;
	n->kids = sg_arena_memdup(b->arena, f->kids.items, f->kids.len,
	    sizeof(*n->kids));
	n->n = n->kind == SG_YNODE_MAP ? f->kids.len / 2 : f->kids.len;
	sg_vec_release(&f->kids);
	b->depth--;
	if (n->kind == SG_YNODE_MAP)
		error = check_duplicates(b, n);
	attach(b, n);
	return error;
}

static int
on_event(struct builder *b, yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->ndocs > 1)
			return fail_at(b, ev->start_mark, SG_EINVAL,
			    "more than one YAML document; specgate.yaml holds "
			    "exactly one");
		return 0;
	case YAML_ALIAS_EVENT:
		return fail_at(b, ev->start_mark, SG_EINVAL,
		    "aliases (*name) are not supported; write the value out");
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(b, ev, SG_YNODE_SEQ);
	case YAML_MAPPING_START_EVENT:
		return on_start(b, ev, SG_YNODE_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(b);
	default:
		return 0;
	}
}

int
sg_yaml_parse(struct sg_ynode **out, struct sg_arena *arena,
    const char *name, const char *buf, size_t len, struct sg_error *err)
{
	struct builder b;
	yaml_parser_t parser;
	yaml_event_t ev;
	bool done = false;
	int error = 0;

	memset(&b, 0, sizeof(b));
	b.arena = arena;
	b.name = name;
	b.buf = buf;
	b.len = len;
	b.err = err;
	*out = NULL;
	if (!yaml_parser_initialize(&parser))
		SG_BUG("yaml_parser_initialize failed");
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			error = fail_parser(&b, &parser);
			goto out;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		error = on_event(&b, &ev);
		yaml_event_delete(&ev);
		if (error)
			goto out;
	}
	*out = b.root;
out:
	for (size_t i = 0; i < b.depth; i++)
		sg_vec_release(&b.stack[i].kids);
	yaml_parser_delete(&parser);
	return error;
}

bool
sg_yaml_is_null(const struct sg_ynode *n)
{
	static const char *const words[] = {"", "~", "null", "Null", "NULL"};

	if (n->kind != SG_YNODE_SCALAR || !n->plain)
		return false;
	for (size_t i = 0; i < SG_ARRAY_SIZE(words); i++)
		if (!strcmp(n->str, words[i]))
			return true;
	return false;
}

bool
sg_yaml_is_bool(const struct sg_ynode *n, bool *value)
{
	/* YAML 1.1's bool type, http://yaml.org/type/bool.html */
	static const char *const yes[] = {"y", "Y", "yes", "Yes", "YES",
		"true", "True", "TRUE", "on", "On", "ON"};
	static const char *const no[] = {"n", "N", "no", "No", "NO", "false",
		"False", "FALSE", "off", "Off", "OFF"};

	if (n->kind != SG_YNODE_SCALAR || !n->plain)
		return false;
	for (size_t i = 0; i < SG_ARRAY_SIZE(yes); i++) {
		if (!strcmp(n->str, yes[i])) {
			if (value)
				*value = true;
			return true;
		}
		if (!strcmp(n->str, no[i])) {
			if (value)
				*value = false;
			return true;
		}
	}
	return false;
}
