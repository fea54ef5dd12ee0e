/* SPDX-License-Identifier: MIT */
/*
 * cli.h - the `specgate` front end: global options, the table of
 * subcommands (one file each, cmd_<name>.c) and the exit-code mapping.
 *
 * The CLI is the only place that prints, exits and parses argv.  It maps
 * libspecgate's SG_E* codes to the documented exit statuses:
 *
 *	0 success (sandbox warnings included)	1 a gate or stage failed
 *	2 bad usage, config or input		3 waiting for approval
 *	4 verification failed			5 system error (I/O, store)
 */
#ifndef SG_CLI_H
#define SG_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "specgate/sg.h"
#include "specgate/config.h"
#include "specgate/evidence.h"
#include "specgate/gate.h"
#include "specgate/store.h"

enum cli_exit {
	EXIT_OK = 0,
	EXIT_GATE = 1,
	EXIT_USAGE = 2,
	EXIT_WAIT = 3,
	EXIT_VERIFY = 4,
	EXIT_SYSTEM = 5,
	EXIT_CANCELED = 130, /* a run stopped by SIGINT or SIGTERM */
};

struct cli {
	const char *mode;	 /* --mode, or NULL */
	const char *config_file; /* --config, or NULL */
	bool json;		 /* --json */
	int verbosity;		 /* -q: -1, default 0, -v: 1 */
	const char *progname;
	char **argv; /* the command's arguments (argv[0] its name) */
};

struct cli_cmd {
	const char *name;
	const char *usage;   /* synopsis, as in specgate(1) */
	const char *summary; /* one line */
	const char *help;    /* the rest of `specgate help NAME` */
	int (*exec)(struct cli *cli, int argc, char **argv);
};

extern const struct cli_cmd cli_cmd_validate;
extern const struct cli_cmd cli_cmd_id;
extern const struct cli_cmd cli_cmd_pickles;
extern const struct cli_cmd cli_cmd_render;
extern const struct cli_cmd cli_cmd_generate;
extern const struct cli_cmd cli_cmd_config;
extern const struct cli_cmd cli_cmd_doctor;
extern const struct cli_cmd cli_cmd_keygen;
extern const struct cli_cmd cli_cmd_key;
extern const struct cli_cmd cli_cmd_sign;
extern const struct cli_cmd cli_cmd_verify_blob;
extern const struct cli_cmd cli_cmd_layout;
extern const struct cli_cmd cli_cmd_verify;
extern const struct cli_cmd cli_cmd_help;
extern const struct cli_cmd cli_cmd_version;
extern const struct cli_cmd cli_cmd_run;
extern const struct cli_cmd cli_cmd_runs;
extern const struct cli_cmd cli_cmd_report;
extern const struct cli_cmd cli_cmd_approve;
extern const struct cli_cmd cli_cmd_resume;
extern const struct cli_cmd cli_cmd_promote;
extern const struct cli_cmd cli_cmd_audit;
extern const struct cli_cmd cli_cmd_store;
extern const struct cli_cmd cli_cmd_archive;
extern const struct cli_cmd cli_cmd_sbom;
extern const struct cli_cmd cli_cmd_coverage;
extern const struct cli_cmd cli_cmd_junit;
extern const struct cli_cmd cli_cmd_sarif;
extern const struct cli_cmd cli_cmd_serve;
extern const struct cli_cmd cli_cmd_smoke;
extern const struct cli_cmd cli_cmd_branch;
extern const struct cli_cmd cli_cmd_fix_whitespace;
extern const struct cli_cmd cli_cmd_completion;
extern const struct cli_cmd cli_cmd_init;

/* All commands, NULL-terminated, in the order `specgate --help` lists them. */
extern const struct cli_cmd *const cli_cmds[];

const struct cli_cmd *cli_find(const char *name);

/*
 * The global flags accepted after a command too, for getopt_long tables:
 * put CLI_COMMON_LONGOPTS first and "+qvh" style short options in the
 * command's optstring, then pass unknown characters to cli_common_opt().
 */
#define CLI_COMMON_LONGOPTS                                                    \
	{"json", no_argument, NULL, 'j'}, {"quiet", no_argument, NULL, 'q'},    \
	    {"verbose", no_argument, NULL, 'v'},                                \
	    {"mode", required_argument, NULL, 'm'},                             \
	    {"color", optional_argument, NULL, 'C'},                            \
	    {"help", no_argument, NULL, 'h'}

/*
 * Handle one common option character from getopt_long: returns -1 when it
 * was handled, else the exit status to return at once (EXIT_OK after
 * printing --help, EXIT_USAGE for an unknown option).
 */
int cli_common_opt(struct cli *cli, const struct cli_cmd *cmd, int ch,
    const char *arg);

/* Print the full help of cmd (synopsis, summary, help) to f. */
void cli_print_help(FILE *f, const struct cli_cmd *cmd);

/* Map an SG_E* code to an exit status. */
int cli_exit_code(int sg_code);

/* Print "specgate: error: <where: >message" for err and return its exit code. */
int cli_fail(const struct sg_error *err);

/* Print "usage: specgate <usage>" for cmd to stderr and return EXIT_USAGE. */
int cli_usage(const struct cli_cmd *cmd);

/* Load the configuration with the global flags; prints warnings (unless -q). */
int cli_load_config(struct cli *cli, struct sg_config **out);

/*
 * The mode floor (docs/compliance.md): when the effective mode is below
 * the mode specgate.yaml sets, print "specgate.yaml:4:7: error: mode
 * 'compliance' is this project's floor; --mode sandbox is refused" and
 * `hint` when not NULL, and return EXIT_USAGE; else EXIT_OK.
 */
int cli_check_floor(const struct sg_config *cfg, const char *hint);

/*
 * In compliance, the compliance profile (specgate/profile.h, cmd_doctor.c):
 * print every missing item and return EXIT_USAGE, else EXIT_OK.
 * signer_keyid is the loaded signing key's id, or NULL before it is
 * loaded (separation of duties is then checked only when the key's id
 * can be known without its passphrase).
 */
int cli_check_profile(const struct sg_config *cfg, const char *signer_keyid);

/*
 * Open the configured store (cfg->store, relative to the project root).
 * With `create` false, a store that does not exist yet gives *out NULL and
 * EXIT_OK (read-only commands: nothing has run).  Returns an exit status,
 * having printed the error.
 */
int cli_open_store(const struct sg_config *cfg, bool create,
    struct sg_store **out);

/*
 * Load the private key at keyf (asking for its passphrase) into a signer
 * in *out (OUT: sg_signer_free()); strict refuses a key file others may
 * read.  Returns an exit status, having printed the error (signer.c).
 */
struct sg_signer;
int cli_load_signer(struct sg_signer **out, struct cli *cli,
    const char *keyf, bool strict);

/*
 * The signer of a run (signing.key from the project root): *out NULL and
 * *why (OUT: free()) saying why when there is no key file (a warning in
 * sandbox; an error, EXIT_USAGE, in compliance).
 */
int cli_run_signer(struct sg_signer **out, char **why, struct cli *cli,
    const struct sg_config *cfg);

/*
 * What `run` and `resume` do alike before a run (signer.c): the signer
 * (cli_run_signer()), then the profile's check of its key id; opts gets
 * cfg, the signer and the reason it is missing.  *signer and *why are the
 * caller's to free whatever this returns.
 */
struct sg_run_options;
int cli_run_prepare(struct sg_run_options *opts, struct sg_signer **signer,
    char **why, struct cli *cli, const struct sg_config *cfg);

/* The bundle locations and retention of cfg, for libspecgate. */
void cli_evidence_options(struct sg_evidence_options *out,
    const struct sg_config *cfg);

/*
 * The end of `audit verify` and `verify` (cmd_audit.c), given what the
 * verifier returned: an error other than SG_EVERIFY is printed as one;
 * else the report, one problem a line as "where: error: message", the
 * notes, a summary (or as one JSON document with --json).  Returns the
 * exit code: EXIT_OK, EXIT_VERIFY or cli_fail()'s.
 */
int cli_verify_verdict(const struct cli *cli,
    const struct sg_evidence_report *r, int error,
    const struct sg_error *err);

/* Write str as a JSON string (NULL: null). */
void cli_json_string(FILE *f, const char *str);

/* Write `"key": "value"`, preceded by ", " unless first. */
void cli_json_field(FILE *f, bool first, const char *key, const char *value);

/*
 * Colour (color.c): cli_color_set() takes --color's word (NULL: always)
 * and returns an exit status; cli_color() is the SGR sequence for c on f,
 * or "" when f gets no colour (not a terminal, NO_COLOR, --color=never).
 */
enum cli_color {
	CLI_COLOR_RESET,
	CLI_COLOR_ERROR,
	CLI_COLOR_WARNING,
	CLI_COLOR_OK,
};
int cli_color_set(const char *when);
const char *cli_color(FILE *f, enum cli_color c);
/* The colour of a checkpoint, run or gate status word. */
enum cli_color cli_color_of_status(const char *status);

void cli_errorf(const char *fmt, ...) SG_PRINTF(1, 2);
void cli_warnf(const char *fmt, ...) SG_PRINTF(1, 2);

/*
 * The progress callback of `resume` and `promote`: "stage: status
 * (detail)" on stdout for each checkpoint, nothing with --json or -q.
 * payload is the struct cli.
 */
void cli_stage_line(enum sg_stage_id stage, const char *status,
    const char *detail, void *payload);

/* A finding as 'file:line:col: warning|error: message [code name]'. */
void cli_print_finding(const struct sg_finding *f);

/* Print res's findings (errors only with -q); EXIT_GATE on an error. */
int cli_print_findings(const struct cli *cli,
    const struct sg_policy_result *res);

/*
 * The header of a gate document read outside a run: no feature id, no
 * run id, the mode, now (into ts, SG_UTC_ISO_SIZE = 21 bytes).  Returns
 * an exit status.
 */
int cli_doc_meta(struct sg_doc_meta *meta, char ts[21], enum sg_mode mode);

/* fflush and check stdout; returns EXIT_SYSTEM when writing failed. */
int cli_finish_stdout(int code);

#endif /* SG_CLI_H */
