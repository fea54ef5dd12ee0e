/* SPDX-License-Identifier: MIT */
/*
 * yaml.h - a YAML document read into a small tree of nodes, each with the
 * 1-based line and column where it starts.  This is the only part of the
 * library that talks to libyaml; the configuration loader interprets the
 * tree against its schema.
 *
 * The reader is deliberately narrow: one document, no anchors or aliases,
 * no explicit tags, mapping keys that are scalars and unique, at most
 * SG_YAML_MAX_DEPTH levels of nesting and SG_YAML_MAX_NODES nodes.  Scalars
 * keep their text as written (a plain `1.10` stays "1.10"); typing them is
 * the caller's job, because only the schema knows what a key expects.
 */
#ifndef SG_CONFIG_YAML_H
#define SG_CONFIG_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

#define SG_YAML_MAX_DEPTH 64
#define SG_YAML_MAX_NODES 100000

enum sg_ynode_kind {
	SG_YNODE_SCALAR,
	SG_YNODE_SEQ,
	SG_YNODE_MAP,
};

struct sg_ynode {
	enum sg_ynode_kind kind;
	unsigned line;	 /* 1-based */
	unsigned column; /* 1-based, in characters */
	bool plain;	 /* a scalar written without quotes or | > */
	const char *str; /* scalar text, NUL-terminated (may hold NULs) */
	size_t len;	 /* scalar text length in bytes */
	/*
	 * A sequence's items, or a mapping's keys and values interleaved
	 * (key 0, value 0, key 1, ...).  n counts items, or pairs.
	 */
	struct sg_ynode **kids;
	size_t n;
};

/*
 * Parse `len` bytes at `buf` (UTF-8, or UTF-16 with a BOM) into a tree
 * allocated in `arena`.  `name` is the file name used in error messages.
 * *out is the document's root, or NULL when the stream holds no document
 * (an empty file, or only comments).  Returns 0, SG_EINVAL with the
 * location in err (a syntax error, a second document, an anchor, alias or
 * tag, a duplicate or non-scalar key, nesting too deep), or SG_ETOOBIG
 * (more than SG_YAML_MAX_NODES nodes).
 */
int sg_yaml_parse(struct sg_ynode **out, struct sg_arena *arena,
    const char *name, const char *buf, size_t len, struct sg_error *err);

/* true for a plain scalar that YAML 1.1 reads as null: "", ~, null. */
bool sg_yaml_is_null(const struct sg_ynode *n);

/* true for a plain scalar that YAML 1.1 reads as a boolean (yes, off...). */
bool sg_yaml_is_bool(const struct sg_ynode *n, bool *value);

/* The i-th key and value of a mapping. */
static inline const struct sg_ynode *
sg_ynode_key(const struct sg_ynode *map, size_t i)
{
	return map->kids[2 * i];
}

static inline const struct sg_ynode *
sg_ynode_value(const struct sg_ynode *map, size_t i)
{
	return map->kids[2 * i + 1];
}

#endif /* SG_CONFIG_YAML_H */
