/* SPDX-License-Identifier: MIT */
/*
 * cmd_doctor.c - `specgate doctor`: could this project run in compliance
 * today?  The compliance profile (specgate/profile.h) item by item, each
 * `ok`, `missing` (with what to add) or `unknown` (cannot be told without
 * the signing key's passphrase), whatever the project's mode.  It is the
 * "mode transition" procedure made a command: a sandbox project that
 * `doctor` passes can set `mode: compliance`.
 *
 * Also here: cli_check_profile(), the refusal that `run` and `resume`
 * print before any run exists, with the same items.
 *
 * Exit 0 when nothing is missing or unknown, 1 otherwise (the project
 * fails the profile, as a gate fails), 2 for a configuration error.
 * --json prints one document (docs/formats.md, "specgate doctor").
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "specgate/profile.h"

int
cli_check_profile(const struct sg_config *cfg, const char *signer_keyid)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_profile p;
	size_t n = 0;

	if (cfg->mode != SG_MODE_COMPLIANCE)
		return EXIT_OK;
	if (sg_profile_check(&p, cfg, signer_keyid, &err) < 0) {
		int code = cli_fail(&err);

		sg_error_release(&err);
		return code;
	}
	for (size_t i = 0; i < p.n; i++) {
		const struct sg_profile_item *it = &p.items[i];

		/* Unknown (no key id yet) is decided once the key is loaded. */
		if (it->state != SG_PROFILE_MISSING)
			continue;
		cli_errorf("compliance profile: %s: %s; %s", it->key, it->found,
		    it->fix);
		n++;
	}
	if (n)
		cli_errorf("this project cannot run in compliance: %zu item%s "
			   "of the compliance profile %s missing (no run was "
			   "made; `specgate doctor` lists every item)",
		    n, n == 1 ? "" : "s", n == 1 ? "is" : "are");
	sg_profile_release(&p);
	return n ? EXIT_USAGE : EXIT_OK;
}

static void
print_json(const struct sg_config *cfg, const struct sg_profile *p)
{
	printf("{\"schema\": \"specgate/doctor/v1\", ");
	cli_json_field(stdout, true, "project", cfg->project);
	cli_json_field(stdout, false, "mode", sg_mode_name(cfg->mode));
	cli_json_field(stdout, false, "mode_floor",
	    sg_mode_name(cfg->mode_floor));
	cli_json_field(stdout, false, "mode_floor_origin",
	    cfg->mode_floor_origin);
	printf(", \"ready\": %s, \"missing\": %zu, \"unknown\": %zu, "
	       "\"items\": [",
	    p->nmissing || p->nunknown ? "false" : "true", p->nmissing,
	    p->nunknown);
	for (size_t i = 0; i < p->n; i++) {
		const struct sg_profile_item *it = &p->items[i];

		printf("%s{", i ? ", " : "");
		cli_json_field(stdout, true, "key", it->key);
		cli_json_field(stdout, false, "status",
		    sg_profile_state_name(it->state));
		cli_json_field(stdout, false, "found", it->found);
		cli_json_field(stdout, false, "fix", it->fix);
		printf("}");
	}
	printf("]}\n");
}

static void
print_text(const struct cli *cli, const struct sg_config *cfg,
    const struct sg_profile *p)
{
	printf("compliance profile of project %s (mode %s, floor %s from "
	       "%s):\n",
	    cfg->project, sg_mode_name(cfg->mode),
	    sg_mode_name(cfg->mode_floor), cfg->mode_floor_origin);
	for (size_t i = 0; i < p->n; i++) {
		const struct sg_profile_item *it = &p->items[i];

		if (cli->verbosity < 0 && it->state == SG_PROFILE_OK)
			continue;
		printf("  %-8s %s: %s\n", sg_profile_state_name(it->state),
		    it->key, it->found);
		if (it->fix)
			printf("           to fix: %s\n", it->fix);
	}
	if (!p->nmissing && !p->nunknown)
		printf("ready: this project can run in compliance\n");
	else
		printf("not ready: %zu missing, %zu unknown: this project "
		       "cannot run in compliance today\n",
		    p->nmissing, p->nunknown);
}

static int
doctor_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	struct sg_profile p;
	int code;
	int ch;

	memset(&p, 0, sizeof(p));
	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1)
		if ((code = cli_common_opt(cli, &cli_cmd_doctor, ch, optarg)) >=
		    0)
			return code;
	if (optind < argc)
		return cli_usage(&cli_cmd_doctor);
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK)
		goto out;
	if (sg_profile_check(&p, cfg, NULL, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	if (cli->json)
		print_json(cfg, &p);
	else
		print_text(cli, cfg, &p);
	code = p.nmissing || p.nunknown ? EXIT_GATE : EXIT_OK;
out:
	sg_profile_release(&p);
	sg_config_free(cfg);
	sg_error_release(&err);
	return code;
}

const struct cli_cmd cli_cmd_doctor = {
	.name = "doctor",
	.usage = "doctor [--json]",
	.summary = "could this project run in compliance today?",
	.help =
	    "Check the project's configuration against the compliance\n"
	    "profile, whatever its mode, and print each item as ok, missing\n"
	    "(with what to add) or unknown: at least one validate command;\n"
	    "gates.coverage.files, gates.tests.files and gates.sast.files set\n"
	    "in specgate.yaml; a build stage with declared artifacts; a\n"
	    "deploy stage with commands; approvals.required of 1 or more;\n"
	    "that many readable, distinct approver public keys in\n"
	    "approvals.keys, none of them the signing key's; a usable signing\n"
	    "key (checked without its passphrase).  'specgate run' and\n"
	    "'specgate resume' in compliance refuse (exit 2) while an item is\n"
	    "missing.\n"
	    "\n"
	    "Options:\n"
	    "  --json   print one JSON document\n"
	    "  -q       print only the items that are not ok\n"
	    "\n"
	    "Exit status: 0 ready, 1 an item is missing or unknown, 2 bad\n"
	    "usage or configuration.\n",
	.exec = doctor_exec,
};
