/* SPDX-License-Identifier: MIT */
/*
 * generate_int.h - what the files of src/lib/generate/ share: the snippet
 * maker (snippet.c, Cucumber's expression generator redone in C), the
 * Unicode table it needs (ucat.c, generated), the data model (model.c)
 * and the built-in template sets (embedded at build time by
 * tools/gen-templates into $(BUILD)/gen/templates.c).
 */
#ifndef SG_GENERATE_INT_H
#define SG_GENERATE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "specgate/error.h"
#include "specgate/validate.h"
#include "util/util.h"

/* A range of code points, both ends included. */
struct sg_gen__urange {
	uint32_t lo;
	uint32_t hi;
};

/* The BMP's Z, P and S characters, sorted (ucat.c). */
extern const struct sg_gen__urange sg_gen__zps[];
extern const size_t sg_gen__nzps;

/* One parameter the generator found in a step's text. */
struct sg_gen__param {
	const char *type; /* "int", "float" or "string" (static) */
	char *name;	  /* "int", "int2", "string"... as Cucumber names it */
	char *raw;	  /* the text matched: "5", "\"a b\"" */
	char *value;	  /* what the step function gets: "5", "a b" */
};

struct sg_gen__snippet {
	char *expression; /* "I have {int} cukes" */
	struct sg_gen__param *params;
	size_t nparams;
};

/*
 * The snippet of a step's text (UTF-8), as @cucumber/cucumber-expressions'
 * CucumberExpressionGenerator gives its first expression with the default
 * parameter types (docs/templates.md).  Cannot fail.
 */
void sg_gen__snippet(struct sg_gen__snippet *out, const char *text);
void sg_gen__snippet_release(struct sg_gen__snippet *s);

/*
 * An identifier from a text: lower-case ASCII letters and digits, other
 * runs as one '_', at most max bytes, never empty (`fallback`), never
 * starting with a digit (prefixed with `fallback` then).
 */
char *sg_gen__ident(const char *text, size_t max, const char *fallback);

/* A C string literal of s (quotes included): escapes, UTF-8 kept. */
char *sg_gen__c_literal(const char *s);

/*
 * The data model, built in two passes when `summary` (sg_generate): the
 * root's features without their rules and scenarios (the bulk), and each
 * feature whole on demand, one at a time, with the same idents and
 * function names.  Without `summary` the root is the whole model.
 */
struct sg_gen__model;

int sg_gen__model_new(struct sg_gen__model **out,
    const struct sg_validation *v, const char *project, bool summary,
    struct sg_error *err);
json_t *sg_gen__model_root(struct sg_gen__model *m);
/* The k-th feature of the root, whole: a new reference in *out. */
int sg_gen__model_feature(struct sg_gen__model *m, size_t k, json_t **out,
    struct sg_error *err);
void sg_gen__model_free(struct sg_gen__model *m);

/* One file of a built-in template set ($(BUILD)/gen/templates.c). */
struct sg_gen__builtin {
	const char *set;  /* "c-cmocka" */
	const char *path; /* "feature/test_FEATURE.c.mustache" */
	const char *text;
	size_t len;
};

extern const struct sg_gen__builtin sg_gen__builtins[];
extern const size_t sg_gen__nbuiltins;

#endif /* SG_GENERATE_INT_H */
