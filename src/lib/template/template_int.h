/* SPDX-License-Identifier: MIT */
/*
 * template_int.h - the parsed form of a Mustache template, shared by the
 * parser (parse.c) and the renderer (render.c).
 *
 * A template is a tree of nodes in one arena.  Whitespace decisions are
 * made by the parser: lines that hold only a standalone tag are already
 * gone from the tree, and a node that starts a line of the source carries
 * `bol`, where the renderer adds the indentation of a standalone partial
 * (and strips that of a re-indented block).  Names and text point into
 * the template's own copy of the source.
 */
#ifndef SG_TEMPLATE_INT_H
#define SG_TEMPLATE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "specgate/template.h"
#include "util/util.h"

enum tnode_kind {
	TN_TEXT,     /* literal bytes: at most one line, ending at its '\n' */
	TN_VAR,      /* {{name}} (escaped) {{{name}}} {{&name}} */
	TN_SECTION,  /* {{#name}}...{{/name}} */
	TN_INVERTED, /* {{^name}}...{{/name}} */
	TN_PARTIAL,  /* {{>name}} {{>*name}} */
	TN_PARENT,   /* {{<name}}...{{/name}}: children are its arguments */
	TN_BLOCK,    /* {{$name}}...{{/name}}: children are the default */
};

struct tnode {
	enum tnode_kind kind;
	bool bol;        /* starts a line of the source (not standalone) */
	bool standalone; /* a partial, parent or block alone on its line */
	bool escape;     /* TN_VAR: HTML-escape the value */
	bool dynamic;    /* TN_PARTIAL, TN_PARENT: the name is *dotted.name */
	const char *str; /* TN_TEXT: the bytes; otherwise the name */
	size_t len;
	/* standalone: the whitespace before the tag on its line */
	const char *indent;
	size_t indent_len;
	/*
	 * TN_BLOCK whose opening tag is standalone: the indentation of the
	 * first non-blank line of its content (NULL when it has none).  The
	 * renderer strips it from the lines of the content and adds the
	 * indentation of the site where the content is expanded.
	 */
	const char *intrinsic;
	size_t intrinsic_len;
	unsigned line, column;
	struct tnode *child; /* first child (sections, parents, blocks) */
	struct tnode *next;
};

struct sg_template {
	struct sg_arena arena;
	char *src; /* the source, NUL-terminated copy */
	size_t len;
	char *where;
	struct tnode *root; /* first top-level node, NULL when empty */
};

#endif /* SG_TEMPLATE_INT_H */
