/* SPDX-License-Identifier: MIT */
/*
 * validate.h - check a project's spec: collect the .feature files, parse
 * each, compile its pickles, apply the policy of the mode, compute the
 * feature id, and keep what the spec-validation report needs.
 *
 * Data flow, one file at a time (peak memory is one document and one
 * pickle, not the spec nor its expansion): read (capped) -> screen the
 * bytes (no NUL, lines under the cap) -> `# encoding:` header (converted to
 * UTF-8) -> parse (UTF-8 checked) -> pickles, compiled one at a time within
 * the caps of struct sg_pickle_limits -> the policy checks -> copy the
 * per-scenario results into the validation's arena -> free the document.
 * The feature id is computed from the same bytes as read (before any
 * conversion), so each file is read once.
 *
 * Spec parse errors are findings (SG001): a warning in sandbox, where the
 * file is skipped, an error in compliance.  A file that cannot be checked
 * (NUL bytes, invalid UTF-8, an unknown encoding, a line over
 * SG_VALIDATE_MAX_LINE, a file or its expansion over a cap) is bad input,
 * in both modes: by default the whole call fails with its SG_EINVAL or
 * SG_ETOOBIG naming file:line:column; with keep_going, the other files are
 * checked all the same, like a compiler going on after an error, and the
 * call succeeds with the file listed in v->unreadable (the caller exits 2).
 *
 * Ownership: sg_validate() returns a new struct sg_validation (read-only
 * for the caller) freed with sg_validation_free().
 */
#ifndef SPECGATE_VALIDATE_H
#define SPECGATE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "specgate/config.h"
#include "specgate/error.h"
#include "specgate/ids.h"
#include "specgate/gherkin.h"
#include "specgate/policy.h"

#define SG_VALIDATE_MAX_FILE (64u << 20) /* bytes per .feature file */
#define SG_VALIDATE_MAX_LINE (1u << 20)	 /* bytes per line */

struct sg_validated_scenario {
	const char *name;
	const char *keyword;
	struct sg_loc loc;	/* the pickle's: an Outline row's own line */
	struct sg_loc scenario_loc; /* the Scenario/Outline keyword's */
	const char *rule;	/* the Rule's name, or NULL */
	const char **tags;	/* inherited tag names */
	size_t ntags;
	enum sg_resource_level level;
	const char *resource_tag; /* the winning tag's text, or NULL */
	struct sg_loc resource_loc;
	bool resources_valid;
	struct sg_resources resources;
	bool tag_ok;
	bool ranges_ok;
	bool steps_ok;
	unsigned ngiven, nwhen, nthen, nsteps;
};

enum sg_file_status {
	SG_FILE_PARSED = 0,
	SG_FILE_PARSE_ERROR, /* skipped in sandbox; an error in compliance */
	SG_FILE_UNREADABLE,  /* bad input: see v->unreadable (keep_going) */
};

struct sg_validated_file {
	const char *path; /* as opened */
	const char *name; /* as hashed into the feature id */
	char sha256[65];
	size_t size;
	enum sg_file_status status;
	const char *feature;  /* the Feature's name, or NULL (empty file) */
	const char *keyword;
	const char *language;
	struct sg_loc feature_loc;
	struct sg_validated_scenario *scenarios;
	size_t nscenarios;
};

struct sg_validation {
	char feature_id[SG_FEATURE_ID_SIZE];
	enum sg_mode mode;
	struct sg_mode_policy ranges;
	struct sg_validated_file *files;
	size_t nfiles;
	size_t nfeatures;
	size_t nscenarios;
	size_t nskipped; /* files skipped for parse errors */
	struct sg_policy_result result; /* of the files that could be read */
	/*
	 * With keep_going: why each file that could not be checked was
	 * refused (located errors, in file order).  When there is one, the
	 * feature id is not computed (feature_id is "").
	 */
	struct sg_error *unreadable;
	size_t nunreadable;
	const char **warnings; /* non-findings: ignored symlinks...  */
	size_t nwarnings;
	struct sg_validation_private *priv;
};

struct sg_validate_options {
	unsigned version;
	enum sg_mode mode;
	const struct sg_mode_policy *ranges; /* the mode's ranges */
	const char *root;		     /* project root */
	const char *const *paths;	     /* directories or files */
	size_t npaths;
	bool details; /* keep per-scenario results (for the report) */
	bool keep_going; /* a bad file is listed, not the end (see above) */
};

#define SG_VALIDATE_OPTIONS_VERSION 1
#define SG_VALIDATE_OPTIONS_INIT                                               \
	{SG_VALIDATE_OPTIONS_VERSION, SG_MODE_SANDBOX, NULL, ".", NULL, 0,     \
	    true, false}

/*
 * Validate the spec under opts->paths.  Returns 0 and *out whatever the
 * findings (look at (*out)->result.nerrors, and with keep_going at
 * (*out)->nunreadable), or: SG_EINVAL (bad input: a binary or non-UTF-8
 * file, an overlong line, no .feature file, a symlink loop; err names it),
 * SG_ENOTFOUND (a path does not exist), SG_ETOOBIG (a file, its expansion
 * or the spec over its cap), SG_EIO.  With keep_going, the bad input of a
 * file (SG_EINVAL, SG_ETOOBIG) goes to (*out)->unreadable instead.
 */
int sg_validate(struct sg_validation **out,
    const struct sg_validate_options *opts, struct sg_error *err);

void sg_validation_free(struct sg_validation *v);

/*
 * The spec-validation report (docs/formats.md), as a JSON document:
 * schema "specgate/spec-validation-report/v1".  run_id may be NULL (outside
 * a run: written as null); timestamp is UTC "YYYY-MM-DDTHH:MM:SSZ".  *out is
 * malloc'd.
 */
int sg_validation_report(char **out, const struct sg_validation *v,
    const char *run_id, const char *timestamp, struct sg_error *err);

/*
 * The findings of v for CI (docs/ci.md), each as a malloc'd string in
 * *out: SARIF 2.1.0 (a rule for every spec finding code, each result on
 * its .feature line), GitHub workflow commands (one `::error` or
 * `::warning` line a finding), JUnit XML (one test case per file).
 * root is the project root: paths are made relative to the root of the
 * git work tree that holds it (the nearest directory up with a .git
 * entry), else to root itself; a file outside keeps its absolute path.  timestamp is UTC
 * "YYYY-MM-DDTHH:MM:SSZ".  Files in v->unreadable are not reported.
 */
int sg_validation_sarif(char **out, const struct sg_validation *v,
    const char *root, struct sg_error *err);
int sg_validation_github(char **out, const struct sg_validation *v,
    const char *root, struct sg_error *err);
int sg_validation_junit(char **out, const struct sg_validation *v,
    const char *root, const char *timestamp, struct sg_error *err);

#endif /* SPECGATE_VALIDATE_H */
