/* SPDX-License-Identifier: MIT */
/*
 * gherkin.h - the Gherkin parser and the pickle compiler.
 *
 * sg_gherkin_parse() turns one .feature file into a document: a tree of
 * plain, read-only structs that mirror Cucumber's AST (Feature, Rule,
 * Background, Scenario, Examples, Step, DocString, DataTable, Tag, Comment),
 * each node with its 1-based line and column.  The grammar, the keyword
 * matching of every language of gherkin-languages.json and the error
 * recovery follow Cucumber's reference implementation, so the same input
 * gives the same pickles and the same parse errors (checked against
 * Cucumber's conformance data by tests/integration).
 *
 * Ownership: every node, string and array of a document - and of the pickles
 * compiled from it - lives in the document's arena and is freed at once by
 * sg_gherkin_document_free().  Nodes are borrowed by everyone else.  Strings
 * are NUL-terminated UTF-8.
 *
 * Why structs rather than opaque types with getters: the tree is data, read
 * by the pickle compiler, the policy checks and the report writers; getters
 * for ~40 fields would add code and no safety (the tree is const to them).
 */
#ifndef SPECGATE_GHERKIN_H
#define SPECGATE_GHERKIN_H

#include <stdbool.h>
#include <stddef.h>

#include "specgate/error.h"

struct sg_loc {
	unsigned line;	 /* 1-based */
	unsigned column; /* 1-based; 0 when unknown (end of file) */
};

enum sg_step_kind {
	SG_STEP_UNKNOWN = 0, /* "* " or a keyword of several kinds */
	SG_STEP_CONTEXT,     /* Given */
	SG_STEP_ACTION,	     /* When */
	SG_STEP_OUTCOME,     /* Then */
	SG_STEP_CONJUNCTION, /* And, But */
};

struct sg_gh_tag {
	struct sg_loc loc;
	const char *name; /* with the leading '@' */
};

struct sg_gh_comment {
	struct sg_loc loc;
	const char *text; /* the whole line, as Cucumber reports it */
};

struct sg_gh_cell {
	struct sg_loc loc;
	const char *value; /* escapes (\|, \n, \\) resolved, trimmed */
};

struct sg_gh_row {
	struct sg_loc loc;
	struct sg_gh_cell *cells;
	size_t ncells;
};

struct sg_gh_table {
	struct sg_loc loc;
	struct sg_gh_row *rows;
	size_t nrows;
};

struct sg_gh_docstring {
	struct sg_loc loc;
	const char *delimiter;	/* "\"\"\"" or "```" */
	const char *media_type; /* NULL when none was given */
	const char *content;
};

struct sg_gh_step {
	struct sg_loc loc;
	const char *keyword; /* as written, with its trailing space if any */
	enum sg_step_kind kind;
	const char *text;
	const struct sg_gh_docstring *docstring; /* NULL when none */
	const struct sg_gh_table *table;	 /* NULL when none */
};

struct sg_gh_examples {
	struct sg_loc loc;
	const struct sg_gh_tag *tags;
	size_t ntags;
	const char *keyword;
	const char *name;
	const char *description; /* "" when none */
	const struct sg_gh_row *header; /* NULL when the table is absent */
	const struct sg_gh_row *body;
	size_t nbody;
};

struct sg_gh_background {
	struct sg_loc loc;
	const char *keyword;
	const char *name;
	const char *description;
	const struct sg_gh_step *steps;
	size_t nsteps;
};

/* A Scenario, an Example, or an Outline/Template (nexamples > 0 or not). */
struct sg_gh_scenario {
	struct sg_loc loc;
	const struct sg_gh_tag *tags;
	size_t ntags;
	const char *keyword;
	const char *name;
	const char *description;
	const struct sg_gh_step *steps;
	size_t nsteps;
	const struct sg_gh_examples *examples;
	size_t nexamples;
};

struct sg_gh_rule;

enum sg_gh_child_type {
	SG_GH_BACKGROUND,
	SG_GH_SCENARIO,
	SG_GH_RULE, /* only as a child of a feature */
};

struct sg_gh_child {
	enum sg_gh_child_type type;
	union {
		const struct sg_gh_background *background;
		const struct sg_gh_scenario *scenario;
		const struct sg_gh_rule *rule;
	} u;
};

struct sg_gh_rule {
	struct sg_loc loc;
	const struct sg_gh_tag *tags;
	size_t ntags;
	const char *keyword;
	const char *name;
	const char *description;
	const struct sg_gh_child *children; /* backgrounds and scenarios */
	size_t nchildren;
};

struct sg_gh_feature {
	struct sg_loc loc;
	const struct sg_gh_tag *tags;
	size_t ntags;
	const char *language; /* "en", "fr", ... */
	const char *keyword;
	const char *name;
	const char *description;
	const struct sg_gh_child *children;
	size_t nchildren;
};

/* One parse error.  loc.column is 0 for "unexpected end of file". */
struct sg_gh_parse_error {
	struct sg_loc loc;
	const char *message; /* Cucumber's text: "(5:3): inconsistent ..." */
};

struct sg_gh_document {
	const char *uri;		    /* as given to the parser */
	const struct sg_gh_feature *feature; /* NULL for an empty file */
	const struct sg_gh_comment *comments;
	size_t ncomments;
	/*
	 * Parse errors.  When nerrors > 0 the tree is incomplete: feature is
	 * NULL (Cucumber gives no document either) and there are no pickles.
	 * Like Cucumber, parsing goes on after an error, records each
	 * distinct message once, and stops as soon as there are more than
	 * SG_GHERKIN_MAX_ERRORS of them (so at most 11).
	 */
	const struct sg_gh_parse_error *errors;
	size_t nerrors;
};

#define SG_GHERKIN_MAX_ERRORS 10

/* Pickles: one executable scenario each, as Cucumber compiles them. */

struct sg_pickle_tag {
	const char *name;
	const struct sg_gh_tag *source; /* the AST tag it came from */
};

struct sg_pickle_step {
	const char *text; /* <placeholders> substituted */
	enum sg_step_kind type; /* Conjunctions take the kind before; never
				   SG_STEP_CONJUNCTION */
	const char *docstring;	 /* content, or NULL */
	const char *media_type;	 /* docstring's media type, or NULL */
	const char *const *const *table; /* rows of cells, or NULL */
	size_t nrows;
	size_t ncols;
	const struct sg_gh_step *source; /* the AST step */
	bool from_background;
};

struct sg_pickle {
	const char *uri;
	struct sg_loc loc; /* the scenario's, or the examples row's */
	const char *name;
	const char *language;
	const struct sg_pickle_tag *tags; /* feature, rule, scenario, examples
					     tags, in that order */
	size_t ntags;
	const struct sg_pickle_step *steps;
	size_t nsteps;
	const struct sg_gh_scenario *scenario;
	const struct sg_gh_rule *rule;	       /* NULL outside a Rule */
	const struct sg_gh_examples *examples; /* NULL unless an Outline */
	const struct sg_gh_row *row;	       /* the Examples row, or NULL */
};

struct sg_gherkin_options {
	unsigned version;
	const char *default_language; /* NULL: "en" */
};

#define SG_GHERKIN_OPTIONS_VERSION 1
#define SG_GHERKIN_OPTIONS_INIT {SG_GHERKIN_OPTIONS_VERSION, NULL}

/*
 * Parse `len` bytes at `data` (not necessarily NUL-terminated; CRLF and LF
 * line ends; an optional UTF-8 BOM is skipped).  `uri` is copied.  On
 * success *out is a new document - possibly holding parse errors, see
 * struct sg_gh_document - which the caller frees with
 * sg_gherkin_document_free().
 *
 * Returns 0, or SG_EINVAL when the bytes are not UTF-8 or hold a NUL byte
 * (err names the file, and the line and column in code points of the first
 * bad byte; no document is returned) or when opts names an unknown default
 * language.  Grammar errors are not a failure of this function: they are in
 * (*out)->errors.  opts may be NULL.
 */
int sg_gherkin_parse(struct sg_gh_document **out, const char *uri,
    const char *data, size_t len, const struct sg_gherkin_options *opts,
    struct sg_error *err);

void sg_gherkin_document_free(struct sg_gh_document *doc);

/*
 * What compiling one document may produce.  Pickles multiply what the text
 * says: an Outline repeats its steps for every Examples row, a Background
 * is prepended to every scenario, and <placeholders> substituted into one
 * another grow geometrically, so a small file can ask for gigabytes.  The
 * caps hold for every caller; past one, compiling stops with SG_ETOOBIG at
 * the pickle that crossed it.  The defaults are far above any real spec
 * (docs/limits.md).
 *
 *  max_pickles  pickles (a Scenario, or one Outline row)
 *  max_steps    pickle steps, Background steps counted in every pickle
 *  max_bytes    bytes of pickle text, counted as it is built: names, step
 *               texts, doc strings and media types, table cells, tag names
 *  max_scan     bytes searched for <placeholders> (each header column is
 *               searched for in the text as it stands, as Cucumber does)
 */
struct sg_pickle_limits {
	size_t max_pickles;
	size_t max_steps;
	size_t max_bytes;
	size_t max_scan;
};

#define SG_PICKLE_MAX_PICKLES 200000u
#define SG_PICKLE_MAX_STEPS 1000000u
#define SG_PICKLE_MAX_BYTES (64u << 20)
#define SG_PICKLE_MAX_SCAN (1u << 30)
#define SG_PICKLE_LIMITS_INIT                                                  \
	{SG_PICKLE_MAX_PICKLES, SG_PICKLE_MAX_STEPS, SG_PICKLE_MAX_BYTES,      \
	    SG_PICKLE_MAX_SCAN}

/*
 * Compile the pickles of a document that has no parse errors: Outlines
 * expanded (one pickle per Examples body row), Backgrounds prepended (the
 * feature's, then the rule's), tags inherited, <placeholders> substituted in
 * names, step texts, doc strings and tables.  *out (borrowed: it lives in
 * the document's arena) is set to the array, *nout to its length; an empty
 * document gives 0 pickles.  Returns 0, SG_EINVAL when doc has errors, or
 * SG_ETOOBIG when the pickles exceed the default caps (SG_PICKLE_LIMITS_INIT;
 * sg_gherkin_pickles_each() says where).  Memory: all the pickles at once;
 * sg_gherkin_pickles_each() holds one.
 */
int sg_gherkin_pickles(const struct sg_pickle **out, size_t *nout,
    struct sg_gh_document *doc);

/*
 * Called with each pickle in turn.  The pickle, and every string and array
 * it points to that is not the document's own, are valid only during the
 * call.  Return 0 to go on, or a negative SG_E* code (filling err yourself)
 * to stop: sg_gherkin_pickles_each() returns it.
 */
typedef int (*sg_pickle_fn)(const struct sg_pickle *p, void *payload,
    struct sg_error *err);

/*
 * Compile the pickles of a document one at a time, calling fn (which may be
 * NULL: only measure) for each, in the order sg_gherkin_pickles() gives
 * them.  Memory: the tree plus one pickle, whatever the expansion.  lim may
 * be NULL (the defaults).  Returns 0; SG_EINVAL when doc has errors;
 * SG_ETOOBIG when a cap is crossed, err naming file:line:column of the
 * pickle that crossed it (its Examples row, or its Scenario) and the cap
 * ("... exceeds the cap of N ... [max-pickle-steps]"); or fn's code.
 */
int sg_gherkin_pickles_each(struct sg_gh_document *doc,
    const struct sg_pickle_limits *lim, sg_pickle_fn fn, void *payload,
    struct sg_error *err);

/*
 * Render a document as Cucumber-messages NDJSON: one {"pickle":...} line per
 * pickle, or one {"parseError":...} line per parse error when the document
 * has errors.  Keys are sorted as Cucumber's own output sorts them; ids are
 * assigned incrementally.  *out is malloc'd (the caller frees it), *outlen
 * its length.  Returns 0, or SG_ETOOBIG (nothing in *out) when the pickles
 * exceed the default caps.
 */
int sg_gherkin_to_ndjson(char **out, size_t *outlen, struct sg_gh_document *doc);

/* Where sg_gherkin_write_ndjson() sends each line; 0 or an SG_E* code. */
typedef int (*sg_write_fn)(const char *data, size_t len, void *payload,
    struct sg_error *err);

/*
 * The same NDJSON, streamed: one call of sink per line, memory for one
 * pickle.  The pickles are measured against lim (NULL: the defaults)
 * before the first line is written, so a document over a cap writes
 * nothing: SG_ETOOBIG, located as sg_gherkin_pickles_each() says.  Returns
 * 0, SG_ETOOBIG, or sink's code.
 */
int sg_gherkin_write_ndjson(struct sg_gh_document *doc,
    const struct sg_pickle_limits *lim, sg_write_fn sink, void *payload,
    struct sg_error *err);

/*
 * The text of a .feature file as UTF-8, honouring an encoding header as
 * Cucumber does: among the first lines, as long as each is blank or a
 * comment, the first `# encoding: NAME` (case-insensitive, NAME of
 * [0-9A-Za-z-]; a leading UTF-8 BOM skipped) names the encoding of the
 * whole file.  When there is none, or NAME is UTF-8, *text and *len are
 * data and len (no copy) and *owned is NULL.  Otherwise the bytes are
 * converted with iconv(3) into a malloc'd buffer, *owned (the caller frees
 * it), and *text, *len point there (lines and columns, counted in
 * characters, are the same as in the original).  Returns 0, or SG_EINVAL
 * naming uri:line:column: an encoding iconv does not know (the column of
 * NAME), a byte sequence that is not NAME (the place of the first one), or
 * an encoding that changes the file's lines; SG_ETOOBIG when the UTF-8 text
 * would exceed max bytes.
 */
int sg_gherkin_decode(const char **text, size_t *len, char **owned,
    const char *uri, const char *data, size_t n, size_t max,
    struct sg_error *err);

/*
 * "Context", "Action", "Outcome", "Unknown" (the messages' PickleStepType),
 * and "Conjunction" for an AST step's And/But (a static string).
 */
const char *sg_step_kind_name(enum sg_step_kind kind);

/* true when `lang` names a dialect of gherkin-languages.json. */
bool sg_gherkin_has_language(const char *lang);

#endif /* SPECGATE_GHERKIN_H */
