/* SPDX-License-Identifier: MIT */
/*
 * dialect.h - the Gherkin keywords of every language.
 *
 * The table is generated at build time (tools/gen-dialects.c) from
 * data/gherkin-languages.json, Cucumber's own keyword data (MIT, notice in
 * data/gherkin-languages.LICENSE), so adding a language is a data change.
 * Each keyword list is NULL-terminated and in the order of the JSON file;
 * step keywords keep their trailing space ("Given "), "* " included.
 */
#ifndef SG_SPEC_DIALECT_H
#define SG_SPEC_DIALECT_H

#include <stddef.h>

struct sg_dialect {
	const char *code;   /* "en", "fr", "en-pirate" */
	const char *name;   /* "English" */
	const char *native; /* "English", "français" */
	const char *const *feature;
	const char *const *rule;
	const char *const *background;
	const char *const *scenario;
	const char *const *scenario_outline;
	const char *const *examples;
	const char *const *given;
	const char *const *when;
	const char *const *then;
	const char *const *and_;
	const char *const *but;
};

extern const struct sg_dialect sg_dialects[]; /* sorted by code */
extern const size_t sg_ndialects;

/* The dialect for `code`, or NULL.  Binary search over sg_dialects. */
const struct sg_dialect *sg_dialect_find(const char *code);

#endif /* SG_SPEC_DIALECT_H */
