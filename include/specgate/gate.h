/* SPDX-License-Identifier: MIT */
/*
 * gate.h - the quality gates of the validate stage (docs/product.md
 * §3 and §5, issue #6): code coverage, tests mapped to scenarios, SAST.
 *
 * Three readers, each for the standard file format of the tools teams
 * already run, each streaming so that memory stays bounded whatever the
 * size of the input:
 *
 *	coverage	lcov tracefiles (hand-written line scanner) and
 *			Cobertura XML (what gcovr writes; libxml2 xmlReader)
 *	tests		JUnit XML (libxml2 xmlReader), one test case at a
 *			time, mapped to the spec's scenarios as it is read
 *	sast		SARIF 2.1.0 (a streaming JSON scanner; each result
 *			and each run's tool is handed to jansson alone)
 *
 * then the gate outcome (findings whose severity follows the mode, in a
 * struct sg_policy_result like the spec findings), and the two documents
 * the validate stage writes: spec-coverage.json and sast-summary.json
 * (docs/formats.md).  libxml2 stays inside src/lib/gate/.
 *
 * XML is read with the network and external entities off (XML_PARSE_NONET,
 * no XML_PARSE_NOENT/DTDLOAD): no XXE, no billion laughs.  Errors name
 * file:line:column where libxml2 or the JSON scanner give one, with
 * SG_EINVAL (malformed input, exit 2) or SG_ETOOBIG (a documented cap).
 *
 * Ownership: every struct returned through **out is new, owned by the
 * caller and freed with the matching _free(); the strings in it belong to
 * it.  Pointers passed to callbacks are borrowed for the call only.
 */
#ifndef SPECGATE_GATE_H
#define SPECGATE_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "specgate/config.h"
#include "specgate/error.h"
#include "specgate/policy.h"
#include "specgate/validate.h"

/* Caps (docs/limits.md).  Going past one is SG_ETOOBIG. */
#define SG_GATE_MAX_LINE (1u << 20)	      /* bytes per lcov line */
#define SG_GATE_MAX_COV_FILES 1000000u	      /* source files in coverage */
#define SG_GATE_MAX_SARIF_VALUE (64u << 20)  /* one result or one tool */
#define SG_GATE_MAX_SARIF_DEPTH 256	      /* JSON nesting */
#define SG_GATE_MAX_TESTS_LISTED 1000u	      /* tests listed per scenario */
/* XML shapes that make libxml2 slow or that no report needs (junit_cobertura.c) */
#define SG_GATE_XML_MAX_ATTRS 256u	      /* attributes of one element */
#define SG_GATE_XML_MAX_NS 256u		      /* xmlns declarations in scope */
#define SG_GATE_XML_MAX_DEPTH 256u	      /* elements nested */
#define SG_GATE_XML_MAX_NAME 4096u	      /* bytes of a name */
#define SG_GATE_XML_MAX_TAG (8u << 20)	      /* bytes of one start tag */

/* --- input files ---------------------------------------------------------- */

/*
 * The files a gate's configured patterns name (cfg->coverage.files,
 * cfg->test_files, cfg->sast_files): each pattern, relative to `root`
 * unless absolute, expanded with glob(3), sorted per pattern, duplicates
 * kept out.  *out is a new array of *nout malloc'd paths (root-prefixed,
 * so usable from the working directory), or NULL with *nout 0 when none
 * matched (the gate's input is missing: sg_gate_* take NULL then).  Free
 * with sg_gate_files_free().  Returns 0, or SG_EIO (an unreadable
 * directory).
 */
int sg_gate_files(char ***out, size_t *nout, const char *root,
    const struct sg_strlist *patterns, struct sg_error *err);

void sg_gate_files_free(char **paths, size_t n);

/* --- coverage ----------------------------------------------------------- */

enum sg_cov_format {
	SG_COV_LCOV = 1,
	SG_COV_COBERTURA = 2,
};

struct sg_cov_file {
	char *path;		 /* as the coverage file names it */
	uint64_t lines_found;	 /* instrumented lines */
	uint64_t lines_hit;	 /* of which executed at least once */
	uint64_t branches_found; /* 0 when the input has no branch data */
	uint64_t branches_hit;
	bool exists; /* the source exists (checked by sg_coverage_check) */
};

struct sg_coverage {
	struct sg_cov_file *files; /* sorted bytewise by path, unique */
	size_t nfiles;
	uint64_t lines_found, lines_hit;
	uint64_t branches_found, branches_hit;
	size_t nmissing; /* files whose source does not exist */
	struct sg_coverage_private *priv;
};

/*
 * Read coverage files (lcov tracefile or Cobertura XML, told apart by
 * their first bytes: '<' is XML) and merge them: a source named twice,
 * in one file or several, counts each line once (hits summed), as lcov
 * and gcovr merge.  Per file, figures are recomputed from DA/BRDA lines
 * (lcov) or <line> elements (Cobertura), never taken from the LF/LH or
 * line-rate summaries, which a producer may get wrong.
 *
 * Errors: SG_ENOTFOUND (a file does not exist), SG_EINVAL (malformed:
 * err names file:line[:column]), SG_ETOOBIG, SG_EIO.  *out NULL then.
 */
int sg_coverage_read(struct sg_coverage **out, const char *const *paths,
    size_t npaths, struct sg_error *err);

/*
 * Check that each source named exists, relative to `root` when the path
 * is relative (Cobertura's <source> directories are tried first); sets
 * files[i].exists and cov->nmissing.  Never fails.
 */
void sg_coverage_check(struct sg_coverage *cov, const char *root);

/* 100 * hit / found, or -1 when found is 0 (no data: not 100%). */
double sg_coverage_percent(uint64_t hit, uint64_t found);

void sg_coverage_free(struct sg_coverage *cov);

/* --- tests (JUnit XML) --------------------------------------------------- */

enum sg_test_status {
	SG_TEST_PASSED = 0,
	SG_TEST_FAILED,	 /* <failure> */
	SG_TEST_ERROR,	 /* <error> */
	SG_TEST_SKIPPED, /* <skipped> */
};

/* "passed", "failed", "error", "skipped". */
const char *sg_test_status_name(enum sg_test_status st);

/* One <testcase>, borrowed for the duration of the callback. */
struct sg_test_case {
	const char *file;      /* the JUnit file */
	unsigned line;	       /* of the <testcase> element */
	const char *suite;     /* the enclosing <testsuite name>, or "" */
	const char *classname; /* "" when absent */
	const char *name;      /* "" when absent */
	double time;	       /* seconds; 0 when absent or not a number */
	enum sg_test_status status;
	const char *message; /* the failure/error/skipped message, or "" */
};

struct sg_test_totals {
	uint64_t tests, passed, failed, errors, skipped;
	size_t nfiles;
};

/*
 * Return 0 to go on, or a negative SG_E* code to stop the reader (which
 * then returns that code).
 */
typedef int (*sg_test_cb)(const struct sg_test_case *tc, void *payload);

/*
 * Stream the test cases of JUnit XML files (<testsuites>, <testsuite> at
 * any depth, <testcase> with <failure>, <error>, <skipped>) to cb (may be
 * NULL), adding them up in *totals (zeroed first).  Memory is one test
 * case at a time.  Errors as sg_coverage_read(); a root element that is
 * not testsuites/testsuite is SG_EINVAL.
 */
int sg_junit_read(struct sg_test_totals *totals, const char *const *paths,
    size_t npaths, sg_test_cb cb, void *payload, struct sg_error *err);

/* --- scenarios mapped to tests -------------------------------------------- */

struct sg_mapped_test {
	char *id; /* "classname.name" (or "name" without a classname) */
	enum sg_test_status status;
};

struct sg_mapped_scenario {
	const struct sg_validated_scenario *scenario; /* borrowed */
	const char *file;			      /* borrowed: its path */
	const char *glob; /* the @test:<glob>, or NULL: matched by name */
	struct sg_mapped_test *tests; /* at most SG_GATE_MAX_TESTS_LISTED */
	size_t ntests;
	uint64_t matched, passed, failed; /* all matches (failed: + error) */
	bool covered; /* >= 1 passing test and no failing one */
};

struct sg_spec_map {
	struct sg_mapped_scenario *scenarios; /* in the validation's order */
	size_t nscenarios;
	size_t ncovered;
	struct sg_test_totals totals;
	struct sg_spec_map_private *priv;
};

/*
 * A new map of the scenarios of `v` (a validation made with details on;
 * borrowed, must outlive the map; NULL: no scenario, the map only counts
 * tests), with no test yet.  A scenario tagged
 * @test:<glob> (several tags: any of them) is covered by the test cases
 * whose "classname.name" matches the glob (fnmatch(3), no flags); an
 * untagged one by test cases whose name equals the scenario's name with
 * case folded (ASCII) and runs of white space made one space, trimmed.
 */
int sg_spec_map_new(struct sg_spec_map **out, const struct sg_validation *v);

/* Match one test case against every scenario (an sg_test_cb). */
int sg_spec_map_add(const struct sg_test_case *tc, void *map);

/*
 * Set each scenario's `covered` and map->ncovered from the tests added.
 * Call it after the last sg_spec_map_add() (sg_spec_map_read() does).
 */
void sg_spec_map_finish(struct sg_spec_map *map);

/*
 * Read JUnit files straight into the map: sg_junit_read() into
 * map->totals with sg_spec_map_add(), then sg_spec_map_finish().
 */
int sg_spec_map_read(struct sg_spec_map *map, const char *const *paths,
    size_t npaths, struct sg_error *err);

void sg_spec_map_free(struct sg_spec_map *map);

/* --- SAST (SARIF 2.1.0) -------------------------------------------------- */

enum sg_sarif_level {
	SG_SARIF_NONE = 0,
	SG_SARIF_NOTE = 1,
	SG_SARIF_WARNING = 2,
	SG_SARIF_ERROR = 3,
};

#define SG_SARIF_LEVELS 4

/* "none", "note", "warning", "error". */
const char *sg_sarif_level_name(enum sg_sarif_level level);
/* Parse one of those names.  0 or SG_EINVAL. */
int sg_sarif_level_parse(enum sg_sarif_level *out, const char *s);

/* Counts for one rule or one file, by effective level. */
struct sg_sarif_count {
	char *key; /* rule id ("" when none) or artifact uri ("" when none) */
	uint64_t by_level[SG_SARIF_LEVELS];
	uint64_t total;
};

struct sg_sarif {
	size_t nfiles, nruns;
	uint64_t results;    /* counted (not suppressed) */
	uint64_t suppressed; /* not counted */
	uint64_t by_level[SG_SARIF_LEVELS];
	struct sg_sarif_count *rules; /* sorted by key */
	size_t nrules;
	struct sg_sarif_count *files; /* sorted by key */
	size_t nfiles_hit;
	char **tools; /* tool.driver.name of each run, deduplicated */
	size_t ntools;
};

/*
 * Read SARIF 2.1.0 files and count their results.  The effective level
 * of a result is its "level", else its rule's
 * defaultConfiguration.level (the rule found by rule.index/ruleIndex, or
 * else by ruleId, in tool.driver.rules, or in tool.extensions[i].rules
 * when rule.toolComponent.index says so), else "warning".  A result with
 * a non-empty "suppressions" array of which one is not "rejected" is
 * suppressed and not counted.  The file of a result is its first
 * location's physicalLocation.artifactLocation.uri.
 *
 * The reader streams: only one result (or one run's tool) is in memory
 * as a jansson tree at a time, each capped at SG_GATE_MAX_SARIF_VALUE;
 * what is kept is the counts, and per result its rule and file (until
 * its run ends).  Errors as sg_coverage_read(); a "version" other than
 * "2.1.0" is SG_EINVAL.
 */
int sg_sarif_read(struct sg_sarif **out, const char *const *paths,
    size_t npaths, struct sg_error *err);

/* Counted results at `level` or above. */
uint64_t sg_sarif_at_or_above(const struct sg_sarif *s,
    enum sg_sarif_level level);

void sg_sarif_free(struct sg_sarif *s);

/* --- the gate outcome ----------------------------------------------------- */

/*
 * Add the findings of each gate to res (of res->severity: a warning in
 * sandbox, an error in compliance; see docs/findings.md):
 *
 *	coverage: SG301 coverage-below-min (line coverage under min; no data
 *	  counts as 0%), SG302 coverage-source-missing (once per source that
 *	  does not exist, after sg_coverage_check), SG303 coverage-missing
 *	  (cov NULL: no coverage file);
 *	tests: SG311 test-failed (once per scenario with a failing or erring
 *	  test), SG312 scenario-uncovered, SG313 tests-missing (map NULL or
 *	  no test case at all);
 *	sast: SG321 sast-threshold (results at fail_on or above), SG322
 *	  sast-missing (s NULL: an error in compliance, which requires SAST
 *	  results, and nothing in sandbox, where they are optional).
 *
 * `where` names the input files in the messages (borrowed; may be "").
 */
void sg_gate_coverage(struct sg_policy_result *res,
    const struct sg_coverage *cov, double min, const char *where);
void sg_gate_tests(struct sg_policy_result *res,
    const struct sg_spec_map *map);
void sg_gate_sast(struct sg_policy_result *res, const struct sg_sarif *s,
    enum sg_sarif_level fail_on, const char *where);

/* --- the documents -------------------------------------------------------- */

/* What every document of a run carries (docs/product.md §6.1). */
struct sg_doc_meta {
	const char *feature_id; /* NULL: written as null */
	const char *run_id;	/* NULL: outside a run, null */
	enum sg_mode mode;
	const char *timestamp; /* UTC "YYYY-MM-DDTHH:MM:SSZ" */
};

/*
 * spec-coverage.json (schema "specgate/spec-coverage/v1"): the
 * scenarios with their tests and results, spec coverage, test totals, the
 * code coverage figures (cov may be NULL) and the gate findings in res
 * (may be NULL).  *out is malloc'd.  Returns 0 or SG_EIO.
 */
int sg_spec_coverage_report(char **out, const struct sg_doc_meta *meta,
    const struct sg_spec_map *map, const struct sg_coverage *cov,
    double min, const struct sg_policy_result *res, struct sg_error *err);

/*
 * sast-summary.json (schema "specgate/sast-summary/v1"): counts by
 * level, rule and file, the threshold and whether it was crossed; s NULL
 * is "present": false.  *out is malloc'd.  Returns 0 or SG_EIO.
 */
int sg_sast_summary_report(char **out, const struct sg_doc_meta *meta,
    const struct sg_sarif *s, enum sg_sarif_level fail_on,
    const struct sg_policy_result *res, struct sg_error *err);

/*
 * Coverage figures as a JSON object {"line_percent", "branch_percent",
 * "lines_found", ..., "files": [...]} (the body of `specgate coverage
 * --json` and of spec-coverage.json's "code_coverage").  *out malloc'd.
 */
int sg_coverage_json(char **out, const struct sg_coverage *cov,
    struct sg_error *err);

/* Counts of a SARIF read as JSON (the body of `specgate sarif --json`). */
int sg_sarif_json(char **out, const struct sg_sarif *s,
    enum sg_sarif_level fail_on, struct sg_error *err);

#endif /* SPECGATE_GATE_H */
