/* SPDX-License-Identifier: MIT */
/*
 * dotenv.h - the .env file of a project root: KEY=VALUE lines.
 *
 *	# a comment
 *	export SPECGATE_MODE=compliance     # `export ` is optional
 *	SPECGATE_PROJECT='literal $text'    # single quotes: taken as is
 *	SPECGATE_REPORTS="out\treports"     # double quotes: \\ \" \n \t \r \$
 *	SPECGATE_VERSION=1.2.3 # a comment after a space
 *
 * Values are never expanded (no $VAR); a later line for the same key wins,
 * as when a shell sources the file.  The whole file must be UTF-8 without
 * NUL bytes.
 */
#ifndef SG_CONFIG_DOTENV_H
#define SG_CONFIG_DOTENV_H

#include <stddef.h>

#include "util/util.h"

struct sg_dotenv_var {
	const char *key;   /* in the arena */
	const char *value; /* in the arena, unquoted and unescaped */
	unsigned line;	   /* 1-based line of the assignment */
	unsigned column;   /* 1-based column where the value starts */
};

/*
 * Parse `len` bytes at `buf` into an array of *n variables in file order,
 * allocated in `arena` (*out is NULL when there are none).  `name` names
 * the file in errors.  Returns 0 or SG_EINVAL with file:line:column.
 */
int sg_dotenv_parse(struct sg_dotenv_var **out, size_t *n,
    struct sg_arena *arena, const char *name, const char *buf, size_t len,
    struct sg_error *err);

/* The last variable named `key`, or NULL. */
const struct sg_dotenv_var *sg_dotenv_find(const struct sg_dotenv_var *vars,
    size_t n, const char *key);

#endif /* SG_CONFIG_DOTENV_H */
