/* SPDX-License-Identifier: MIT */
/*
 * template.h - a Mustache engine: the official specification's required
 * modules (interpolation, sections, inverted sections, comments, partials,
 * set delimiters) and the optional inheritance ({{<parent}}, {{$block}})
 * and dynamic-names ({{>*name}}) modules.  Lambdas are not supported: the
 * data model is JSON (a jansson json_t), which has no functions.
 *
 * The engine does no I/O of its own: partials and parents come through a
 * callback that the caller provides (the CLI reads DIR/name.mustache; a
 * test reads a JSON object), so the same code serves files, built-in
 * template sets and the spec's tests.
 *
 * A template is parsed once (sg_template_parse) into a tree and can be
 * rendered many times against different data (sg_template_render).  Parse
 * errors carry the template's line:column; rendering is bounded by a cap
 * on the output size, on nesting (recursive partials) and on work (see
 * docs/internals/template.md and docs/limits.md).
 *
 * Rejected: rendering straight from the source text on each call (as
 * small engines do): a code generator renders the same templates for
 * every scenario, and a tree makes the standalone-line rules a parse-time
 * decision instead of a render-time one.
 */
#ifndef SPECGATE_TEMPLATE_H
#define SPECGATE_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "specgate/error.h"

/* Default caps (docs/limits.md); an option of 0 selects them. */
#define SG_TEMPLATE_MAX_OUTPUT ((size_t)64 << 20) /* bytes rendered */
#define SG_TEMPLATE_MAX_DEPTH 256u /* nested sections/partials/parents/blocks  \
				    */
#define SG_TEMPLATE_MAX_STEPS 100000000u /* nodes visited by one render */
#define SG_TEMPLATE_MAX_PARTIALS                                               \
	4096u /* distinct partials loaded by one render */

struct sg_template;

/*
 * A partial or parent template handed to the engine by the loader: text is
 * allocated with malloc() and the engine frees it; where (malloc()ed, or
 * NULL for the name) is what error messages call it, e.g. a path.
 */
struct sg_template_source {
	char *text;
	size_t len;
	char *where;
};

/*
 * Load the partial called `name` (a NUL-terminated string of the tag's
 * content, or of the value a dynamic name resolved to).  Returns 0 with
 * *out filled, SG_ENOTFOUND when there is no such partial (it renders as
 * the empty string, as the spec says), or another negative SG_E* code with
 * err set, which stops the rendering.
 */
typedef int (*sg_template_loader_fn)(void *arg, const char *name,
				     struct sg_template_source *out,
				     struct sg_error *err);

struct sg_template_options {
	sg_template_loader_fn loader; /* NULL: every partial is missing */
	void *loader_arg;
	size_t max_output;  /* 0: SG_TEMPLATE_MAX_OUTPUT */
	unsigned max_depth; /* 0: SG_TEMPLATE_MAX_DEPTH */
	uint64_t max_steps; /* 0: SG_TEMPLATE_MAX_STEPS */
};

#define SG_TEMPLATE_OPTIONS_INIT                                               \
	{                                                                      \
		NULL, NULL, 0, 0, 0                                            \
	}

/*
 * Parse len bytes of Mustache source (copied; NUL bytes are ordinary
 * text).  `where` names the template in error messages (a path; NULL:
 * "template").  Fails with SG_EINVAL at where:line:column for an unclosed
 * tag, an unclosed or mismatched section, a bad set-delimiter tag, an empty
 * or malformed name, or sections nested deeper than SG_TEMPLATE_MAX_DEPTH.
 * Columns count UTF-8 characters from 1.
 */
int sg_template_parse(struct sg_template **out, const char *where,
		      const char *src, size_t len, struct sg_error *err);

void sg_template_free(struct sg_template *t);

/*
 * Render t against data (the bottom of the context stack; any JSON value)
 * into *out (malloc()ed, NUL-terminated; *len_out its length without the
 * NUL).  Fails with SG_ETOOBIG past a cap, with SG_EINVAL when a partial
 * does not parse (at its where:line:column), or with the loader's error.
 * Nothing is returned on failure.
 */
int sg_template_render(const struct sg_template *t, json_t *data,
		       const struct sg_template_options *opts, char **out,
		       size_t *len_out, struct sg_error *err);

#endif /* SPECGATE_TEMPLATE_H */
