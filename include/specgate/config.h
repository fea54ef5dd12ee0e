/* SPDX-License-Identifier: MIT */
/*
 * config.h - the effective configuration of a project.
 *
 * Sources, highest precedence first (docs/product.md §2.1): command-line
 * flags (struct sg_config_options), the environment (SPECGATE_*), a .env
 * file in the project root (KEY=VALUE, never overriding the real
 * environment), specgate.yaml, built-in defaults.  specgate.yaml is found by
 * walking up from the working directory, as git finds .git.
 *
 * Every value remembers where it came from (sg_config_origin()), which is
 * what `specgate config` prints.  Errors in specgate.yaml name the file,
 * line and column of the offending node.  Unknown keys are findings: errors
 * in compliance, warnings in sandbox (returned in the config's warning list
 * so the front end can print them).
 *
 * Environment variables (each also accepted in .env):
 *
 *	SPECGATE_MODE		mode
 *	SPECGATE_PROJECT	project
 *	SPECGATE_VERSION	version
 *	SPECGATE_FEATURES	features, separated by ':' or ','
 *	SPECGATE_REPORTS	reports
 *	SPECGATE_SIGNING_KEY	signing.key
 *	SPECGATE_DATABASE_URL	store
 *	SPECGATE_LISTEN		serve.listen
 *
 * A variable set to "" counts as unset.  SPECGATE_KEY_PASSWORD is a secret
 * for the signer: the loader never reads it, stores it or prints it.  The
 * full reference (keys, defaults, value syntax, limits) is docs/config.md
 * and specgate.yaml(5).
 *
 * Ownership: sg_config_load() returns a new struct sg_config that the caller
 * frees with sg_config_free(); every string and array in it is owned by it.
 * The struct is read-only data for everybody else.
 */
#ifndef SPECGATE_CONFIG_H
#define SPECGATE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "specgate/error.h"
#include "specgate/states.h"

/* An inclusive range.  cpu in cores, memory and storage in MB. */
struct sg_range {
	double min;
	double max;
};

struct sg_mode_policy {
	struct sg_range cpu;
	struct sg_range memory;
	struct sg_range storage;
	struct sg_range story_points;
};

enum sg_stage_id {
	SG_STAGE_PREFLIGHT = 0,
	SG_STAGE_VALIDATE,
	SG_STAGE_GENERATE,
	SG_STAGE_BUILD,
	SG_STAGE_DEPLOY,
	SG_STAGE_AUDIT,
	SG_STAGE_COUNT
};

struct sg_strlist {
	char **items;
	size_t n;
};

/* One KEY=VALUE of a stage's env map. */
struct sg_env_pair {
	char *key;
	char *value;
};

/*
 * A stage as configured under `stages:`.  Zero/NULL fields mean "not set";
 * has_* tell the set-to-zero case apart for the numbers that fall back to
 * the global `retry:` block.
 */
struct sg_stage_config {
	bool configured; /* the stage appears under stages: */
	struct sg_strlist run;
	struct sg_strlist fix;
	struct sg_strlist fixable; /* commands of run whose failure fix mends */
	struct sg_strlist rollback;
	struct sg_strlist artifacts;
	struct sg_env_pair *env;
	size_t nenv;
	uint64_t timeout_ms; /* default 30 min */
	bool has_retries;
	unsigned retries;
	bool has_interval;
	uint64_t interval_ms;
	bool has_backoff;
	double backoff;
	char *health_url; /* deploy's health: {url: ...}, or NULL */
	/* deploy's built-in target (docs/deploy.md); NULL: commands only */
	char *target;	  /* "local" or "kubernetes" */
	char *start;	  /* local: the release's start command */
	char *image;	  /* kubernetes: the container image */
	unsigned port;	  /* local: its port (0: the health URL's) */
	bool has_restarts;
	unsigned restarts; /* local: restarts after a crash (default 3) */
	char *limits;	  /* local: "auto" (NULL) or "rlimit" */
	/* generate's built-in generator (docs/templates.md), or NULL */
	char *templates; /* a built-in set's name or a directory */
	char *out;	 /* where the files go, relative to the root */
};

struct sg_config {
	char *root;	/* absolute project root */
	char *root_rel; /* the root relative to the working directory at load
			   time ("." or "../.."): for paths shown to people */
	char *file;	/* absolute path of specgate.yaml, or NULL */
	char *project;	/* default: the root directory's name */
	char *version;	/* default "0.0.0" */
	enum sg_mode mode;
	/*
	 * The mode specgate.yaml sets (sandbox when it sets none): the lowest
	 * mode a run that deploys may use (docs/compliance.md), and where it
	 * was set ("specgate.yaml:4:7", or "default").
	 */
	enum sg_mode mode_floor;
	char *mode_floor_origin;
	struct sg_strlist features; /* relative to root as written */
	char *reports;
	struct sg_mode_policy policy[SG_MODE_COUNT];
	struct {
		unsigned retries;
		uint64_t interval_ms;
		double backoff;
	} retry;
	unsigned active_runs;
	struct {
		double min;
		struct sg_strlist files;
	} coverage;
	struct sg_strlist test_files;
	struct sg_strlist sast_files;
	char *sast_fail_on; /* "error", "warning" or "note" */
	/*
	 * gates.coverage.stage, gates.tests.stage, gates.sast.stage: the
	 * stage after which each gate's input is read ("validate",
	 * "generate" or "build").
	 */
	char *gate_stage[3];
	/*
	 * branch.enabled (default true): whether a run claims and commits
	 * on a feature branch.  false is for sandbox runs; a compliance run
	 * refuses it (docs/config.md).
	 */
	bool branch_enabled;
	unsigned approvals_required;
	struct sg_strlist approval_keys;
	char *signing_key;
	char *store; /* "sqlite:PATH" or "postgres://..." */
	struct sg_strlist secrets;
	struct sg_stage_config stages[SG_STAGE_COUNT];
	/* sbom.components: declared components, as package URLs */
	struct sg_strlist sbom_components;
	/* `specgate serve` (serve: in specgate.yaml; docs/config.md). */
	struct {
		char *listen;		 /* "127.0.0.1:8080" */
		unsigned connections;	 /* open connections at most */
		uint64_t timeout_ms;	 /* idle time before a close */
		unsigned request_max;	 /* bytes of a request's head */
		unsigned min_free_mb;	 /* /healthz: reports free space */
		uint64_t header_timeout_ms; /* a request's headers, at most */
		unsigned per_client;	 /* connections per address; 0: any */
		unsigned reserve;	 /* free slots kept by shedding */
		uint64_t release_probe_ms; /* a release's health, at most */
	} serve;

	/*
	 * Named environments (docs/deploy.md, "Environments and promotion"),
	 * in the order specgate.yaml lists them: the order of promotion.
	 */
	struct sg_environment *envs;
	size_t nenvs;

	/* Warnings (unknown keys in sandbox, ...), "file:line:col: message". */
	struct sg_strlist warnings;
	struct sg_config_origins *origins; /* private */
};

/* One of environments: (at most SG_ENVIRONMENTS_MAX). */
struct sg_environment {
	char *name;	  /* [a-z][a-z0-9_-]*, at most 32 characters */
	char *target;	  /* "local", "kubernetes", "commands"; NULL: the
			     deploy stage's own target */
	char *health_url; /* NULL: stages.deploy.health.url */
	enum sg_mode min_mode; /* the lowest mode a run promoted here had */
	unsigned approvals;    /* approvals the promoted run must carry */
	char origin[160];      /* "specgate.yaml:12:3" */
};

#define SG_ENVIRONMENTS_MAX 16

/* The environment called name, or NULL; *index (may be NULL) its place. */
const struct sg_environment *sg_config_environment(
    const struct sg_config *cfg, const char *name, size_t *index);

/* Flags and overrides from the command line (highest precedence). */
struct sg_config_options {
	unsigned version;
	const char *cwd;	 /* where to start looking; NULL: "." */
	const char *config_file; /* --config FILE: no walking up */
	const char *mode;	 /* --mode M, or NULL */
	/*
	 * The process environment as "KEY=VALUE" strings (NULL: environ).
	 * Tests pass their own.
	 */
	char *const *environ;
};

#define SG_CONFIG_OPTIONS_VERSION 1
#define SG_CONFIG_OPTIONS_INIT {SG_CONFIG_OPTIONS_VERSION, NULL, NULL, NULL, NULL}

/*
 * Load the effective configuration.  Without a specgate.yaml anywhere up the
 * tree (and no --config), the project root is the working directory and
 * every value is a default.  Returns 0 and *out, or SG_EINVAL (bad YAML, a
 * bad value, an unknown key in compliance: err has file:line:column; a
 * specgate.yaml or .env that is not a regular file), SG_ENOTFOUND
 * (--config names no file), SG_ETOOBIG (specgate.yaml or .env over 1 MiB,
 * more than 100000 YAML nodes), SG_EIO (a file that exists but cannot be
 * read).  On failure *out is NULL.  opts may be NULL (SG_CONFIG_OPTIONS_INIT).
 */
int sg_config_load(struct sg_config **out, const struct sg_config_options *opts,
    struct sg_error *err);

void sg_config_free(struct sg_config *cfg);

/*
 * Where the value at `key` (a dotted path such as "policy.sandbox.cpu" or
 * "retry.interval") came from: "default", "specgate.yaml:12:3",
 * "env SPECGATE_MODE", ".env:3", "--mode".  File names are relative to the
 * directory the search started in ("../specgate.yaml:3:1").  The keys
 * "root" and "file" answer "search" (found by walking up), "--config" or
 * "default" (no file).  A stage's unset retries, interval or backoff answer
 * the origin of the retry.* key they inherit.  Borrowed; NULL for a key
 * that is not in the schema.
 */
const char *sg_config_origin(const struct sg_config *cfg, const char *key);

/*
 * Render the effective configuration as YAML-like text, one "key: value  #
 * origin" per line, in the order of docs/product.md §2.2 (as_json false), or
 * as a JSON object {"key": {"value": ..., "origin": ...}} (as_json true).
 * Both end with a newline.  Keys not set anywhere are listed with their
 * defaults; stages only when configured.  *out is malloc'd (free()).
 * Returns 0.
 */
int sg_config_dump(char **out, const struct sg_config *cfg, bool as_json);

/*
 * When the effective mode is below the floor (a lower --mode,
 * SPECGATE_MODE or .env than specgate.yaml's mode): true, with a message
 * in buf such as "mode 'compliance' is this project's floor; --mode
 * sandbox is refused".  The caller names cfg->mode_floor_origin before it.
 */
bool sg_config_below_floor(const struct sg_config *cfg, char *buf,
    size_t size);

const char *sg_stage_name(enum sg_stage_id stage);
/* Parse a stage name.  Returns 0 or SG_EINVAL. */
int sg_stage_parse(enum sg_stage_id *out, const char *s);

/* The longest duration accepted anywhere: 168h, one week. */
#define SG_DURATION_MAX_MS (168ull * 3600 * 1000)

/*
 * Parse a duration "120s", "500ms", "2m", "1h" into ms: digits, an optional
 * fraction, and a unit (ms, s, m, h), without spaces or a sign.  A fraction
 * is accepted when the result is a whole number of milliseconds ("1.5m",
 * "0.25s"; not "1.5ms").  At most SG_DURATION_MAX_MS.  0 or SG_EINVAL.
 */
int sg_duration_parse(uint64_t *out_ms, const char *s);

#endif /* SPECGATE_CONFIG_H */
