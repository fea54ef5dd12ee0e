/* SPDX-License-Identifier: MIT */
/*
 * policy.h - the spec rules of docs/product.md §4.2, as pure functions:
 * pickles and a mode's ranges in, findings out.
 *
 * Per scenario (per pickle: an Outline row is a scenario of its own):
 *   - it has a resource tag; the nearest one wins (Examples > Scenario >
 *     Rule > Feature), two on the same level are a finding;
 *   - the tag follows the grammar: cpu, memory, storage and story_points,
 *     in any order, each exactly once, nothing else;
 *   - each value is inside the mode's inclusive range;
 *   - it has at least one Given, one When and one Then, where And, But and
 *     `*` take the kind of the step before and Background steps count.
 *
 * Each finding has a stable code and name (the table in docs/findings.md),
 * the file:line:column it is about and a message that says what to do.  The
 * severity follows the mode: a warning in sandbox, an error in compliance.
 *
 * Ownership: findings and their strings are allocated in the caller's
 * struct sg_policy_result, freed by sg_policy_result_release().
 */
#ifndef SPECGATE_POLICY_H
#define SPECGATE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "specgate/config.h"
#include "specgate/error.h"
#include "specgate/gherkin.h"

enum sg_severity {
	SG_SEV_WARNING = 1,
	SG_SEV_ERROR = 2,
};

/* The stable finding codes.  Never renumber: reports and CI scripts use them. */
enum sg_finding_code {
	SG_F_PARSE_ERROR = 1,	       /* SG001 parse-error */
	SG_F_MISSING_RESOURCE = 101,   /* SG101 missing-resource-tag */
	SG_F_INVALID_RESOURCE = 102,   /* SG102 invalid-resource-tag */
	SG_F_DUPLICATE_RESOURCE = 103, /* SG103 duplicate-resource-tag */
	SG_F_CPU_RANGE = 111,	       /* SG111 cpu-out-of-range */
	SG_F_MEMORY_RANGE = 112,       /* SG112 memory-out-of-range */
	SG_F_STORAGE_RANGE = 113,      /* SG113 storage-out-of-range */
	SG_F_POINTS_RANGE = 114,       /* SG114 story-points-out-of-range */
	SG_F_MISSING_GIVEN = 121,      /* SG121 missing-given */
	SG_F_MISSING_WHEN = 122,       /* SG122 missing-when */
	SG_F_MISSING_THEN = 123,       /* SG123 missing-then */
	/* the quality gates (include/specgate/gate.h) */
	SG_F_COVERAGE_LOW = 301,       /* SG301 coverage-below-min */
	SG_F_COVERAGE_SOURCE = 302,    /* SG302 coverage-source-missing */
	SG_F_COVERAGE_MISSING = 303,   /* SG303 coverage-missing */
	SG_F_TEST_FAILED = 311,	       /* SG311 test-failed */
	SG_F_SCENARIO_UNCOVERED = 312, /* SG312 scenario-uncovered */
	SG_F_TESTS_MISSING = 313,      /* SG313 tests-missing */
	SG_F_SAST_THRESHOLD = 321,     /* SG321 sast-threshold */
	SG_F_SAST_MISSING = 322,       /* SG322 sast-missing */
};

/* "SG101" and "missing-resource-tag" for a code; "SG000"/"unknown" else. */
const char *sg_finding_id(enum sg_finding_code code);
const char *sg_finding_name(enum sg_finding_code code);

struct sg_finding {
	enum sg_finding_code code;
	enum sg_severity severity;
	const char *file; /* borrowed from the caller (the spec's path) */
	struct sg_loc loc;
	char *message; /* owned by the result */
};

/* Where a resource tag was found (the level that won). */
enum sg_resource_level {
	SG_LEVEL_NONE = 0,
	SG_LEVEL_FEATURE,
	SG_LEVEL_RULE,
	SG_LEVEL_SCENARIO,
	SG_LEVEL_EXAMPLES,
};

const char *sg_resource_level_name(enum sg_resource_level level);

/* The four values of a resource tag, normalised to cores and MB. */
struct sg_resources {
	double cpu;		/* cores; "250m" is 0.25 */
	uint64_t memory_mb;	/* "1Gi" is 1024 */
	uint64_t storage_mb;
	uint64_t story_points;
};

/*
 * Parse the text of a tag ("@resource:cpu=0.1,memory=128,...").  Returns 0,
 * or SG_EINVAL with a message in `why` (what is wrong and what would be
 * right).  Accepts exactly the grammar of docs/product.md §4.2:
 *   cpu          = DIGITS [ "." 1*3DIGIT ] | DIGITS "m"
 *   memory       = DIGITS [ "Mi" | "Gi" ]   (likewise storage)
 *   story_points = DIGITS
 * with DIGITS at most 9 digits long (values stay exact in a double).
 */
int sg_resource_parse(struct sg_resources *out, const char *tag, char *why,
    size_t whylen);

/* true when a tag's name starts with "@resource:" (its grammar unchecked). */
bool sg_is_resource_tag(const char *name);

/* What the rules concluded about one pickle. */
struct sg_scenario_check {
	const struct sg_pickle *pickle;
	enum sg_resource_level level;	  /* SG_LEVEL_NONE: no tag */
	const struct sg_gh_tag *tag;	  /* the winning tag, or NULL */
	bool resources_valid;		  /* the tag parsed */
	struct sg_resources resources;	  /* when resources_valid */
	bool tag_ok;			  /* present, unique, valid */
	bool ranges_ok;			  /* every value inside the range */
	bool steps_ok;			  /* Given, When and Then present */
	unsigned ngiven, nwhen, nthen;	  /* after And/But/'*' resolution */
};

struct sg_policy_result {
	struct sg_finding *findings;
	size_t nfindings;
	size_t cap;
	size_t nerrors;
	size_t nwarnings;
	/*
	 * What every finding added is, chosen once from the mode: a warning
	 * in sandbox, an error in compliance (docs/findings.md).  The checks
	 * and gates that add findings need not know the mode.
	 */
	enum sg_severity severity;
};

#define SG_POLICY_RESULT_INIT(mode)                                            \
	{NULL, 0, 0, 0, 0, sg_policy_severity(mode)}

/* The severity of a finding in mode: SG_SEV_ERROR in compliance. */
enum sg_severity sg_policy_severity(enum sg_mode mode);

void sg_policy_result_release(struct sg_policy_result *res);

/*
 * Append a finding of res->severity (the message is formatted and owned by
 * res).  Used by the checks below and by callers for findings of their own
 * (parse errors).
 */
void sg_policy_add(struct sg_policy_result *res, enum sg_finding_code code,
    const char *file, struct sg_loc loc, const char *fmt, ...)
    SG_PRINTF(5, 6);

/*
 * Check every pickle of one document against the mode's ranges.  `file`
 * (borrowed, must outlive res) is the path findings name.  `checks`
 * (may be NULL) receives one entry per pickle, in order; it must have room
 * for npickles.  Findings are appended to res; a finding that several rows
 * of one Outline share (a missing Then) is reported once, at the scenario.
 */
void sg_policy_check(struct sg_policy_result *res,
    struct sg_scenario_check *checks, const char *file,
    const struct sg_gh_document *doc,
    const struct sg_pickle *pickles, size_t npickles, enum sg_mode mode,
    const struct sg_mode_policy *ranges);

/*
 * The same rules, one pickle at a time, for pickles that are compiled one
 * at a time (sg_gherkin_pickles_each()): the checker keeps what must span
 * the document (the findings already reported, the last tag parsed).
 * sg_policy_checker_add() fills *check (check->pickle is borrowed: valid as
 * long as the pickle is).  Same findings, in the same order, as
 * sg_policy_check() over the same pickles.
 */
struct sg_policy_checker;

struct sg_policy_checker *sg_policy_checker_new(struct sg_policy_result *res,
    const char *file, const struct sg_gh_document *doc, enum sg_mode mode,
    const struct sg_mode_policy *ranges);
void sg_policy_checker_add(struct sg_policy_checker *c,
    struct sg_scenario_check *check, const struct sg_pickle *pickle);
void sg_policy_checker_free(struct sg_policy_checker *c);

#endif /* SPECGATE_POLICY_H */
