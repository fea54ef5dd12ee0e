/* SPDX-License-Identifier: MIT */
/*
 * cmd_init.c - `specgate init [--mode M] [DIR]`: start a project.
 *
 * Writes a commented specgate.yaml, features/example.feature (one tagged
 * scenario that passes the policy of both modes) and the two ignore
 * entries specgate's output needs in .gitignore.  Like `git init` on a
 * repository that exists, it never overwrites: when specgate.yaml or the
 * example feature already exists it says so and writes nothing (exit 2).
 * .gitignore is the one file it may change, and only by appending the
 * entries that are missing.
 *
 * Everything is checked before anything is written, and each file is
 * written whole (sg_fs_write_new(): a temporary file linked into place),
 * so a failure leaves no half-written file.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>

#include "sys/fs.h"
#include "util/util.h"

static const char config_common[] =
    "# specgate configuration (specgate.yaml(5); `specgate config` prints\n"
    "# every effective value and where it came from).\n"
    "project: %s\n"
    "version: 0.1.0\n"
    "# sandbox: findings are warnings; compliance: findings fail the run,\n"
    "# signatures and approvals are required.  The mode written here is a\n"
    "# floor: --mode or SPECGATE_MODE may raise it, never lower it.\n"
    "mode: %s\n"
    "features: [features]          # searched recursively for *.feature\n"
    "reports: reports              # the evidence bundles\n";

static const char config_sandbox[] =
    "\n"
    "# The pipeline's commands, run through /bin/sh -c in this directory.\n"
    "# None is needed to start: `specgate run` checks the spec and writes\n"
    "# the evidence.  Uncomment and adapt as the project grows:\n"
    "#stages:\n"
    "#  validate: {run: [\"make lint\", \"make test\"]}\n"
    "#  build:    {run: [\"make\"], artifacts: [\"build/app\"]}\n"
    "#  deploy:   {run: [\"./deploy.sh\"], rollback: [\"./rollback.sh\"]}\n";

static const char config_compliance[] =
    "\n"
    "# Compliance needs all of the following before a run may start;\n"
    "# `specgate doctor` lists what is still missing.  Replace each\n"
    "# command and path with the project's own, then uncomment.\n"
    "#stages:\n"
    "#  validate: {run: [\"make lint\", \"make test\"]}\n"
    "#  build:    {run: [\"make\"], artifacts: [\"build/app\"]}\n"
    "#  deploy:   {run: [\"./deploy.sh\"], rollback: [\"./rollback.sh\"]}\n"
    "#gates:\n"
    "#  coverage: {min: 70.0, files: [coverage.info]}\n"
    "#  tests:    {files: [build/test-results/*.xml]}\n"
    "#  sast:     {files: [build/sast/*.sarif], fail_on: error}\n"
    "# The approvers' public keys (`specgate keygen` on their machines);\n"
    "# never this pipeline's own signing key.\n"
    "#approvals: {required: 1, keys: [keys/approver.pub]}\n"
    "# The pipeline's signing key: `specgate keygen` writes it here.\n"
    "signing: {key: .specgate/keys/specgate.key}\n";

static const char example_feature[] =
    "# An example spec: one scenario with its resource tag and a Given,\n"
    "# a When and a Then.  `specgate validate` checks it.\n"
    "@resource:cpu=0.1,memory=128,storage=10,story_points=1\n"
    "Feature: Example\n"
    "  The service answers a ping.\n"
    "\n"
    "  Scenario: The service responds to ping\n"
    "    Given the service is running\n"
    "    When I call GET /v1/ping\n"
    "    Then I receive a 200 OK\n";

static const char *const ignores[] = {"/reports/", "/.specgate/"};

/* The last path component of the absolute dir (the project's name). */
static const char *
base_name(const char *dir)
{
	const char *slash = strrchr(dir, '/');

	return slash && slash[1] ? slash + 1 : "project";
}

/* Whether .gitignore's text has line (exactly). */
static bool
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, line, n) && (p[n] == '\n' || p[n] == '\0'))
			return true;
		if ((p = strchr(p, '\n')))
			p++;
	}
	return false;
}

/* The new .gitignore text in *out (NULL: nothing to add). */
static int
gitignore_text(char **out, const char *path, struct sg_error *err)
{
	struct sg_buf b;
	size_t old;
	int error;

	*out = NULL;
	sg_buf_init(&b, 1 << 20);
	if ((error = sg_fs_read_file(&b, path, 1 << 20, err)) < 0 &&
	    error != SG_ENOTFOUND)
		goto out;
	error = 0;
	old = b.len;
	for (size_t i = 0; i < SG_ARRAY_SIZE(ignores); i++) {
		if (has_line(b.ptr, ignores[i]))
			continue;
		if (b.len == old) {
			if (b.len && b.ptr[b.len - 1] != '\n')
				sg_buf_putc(&b, '\n');
			sg_buf_puts(&b, "# specgate's evidence and state\n");
		}
		sg_buf_printf(&b, "%s\n", ignores[i]);
	}
	if (b.len != old)
		*out = sg_buf_detach(&b, NULL);
out:
	sg_buf_release(&b);
	return error;
}

static int
init_write(const char *dir, enum sg_mode mode)
{
	char *yaml = NULL, *feature = NULL, *features = NULL, *ign = NULL;
	char *ignore_text = NULL;
	struct sg_error err = SG_ERROR_INIT;
	int rc = EXIT_OK;

	yaml = sg_xasprintf("%s/specgate.yaml", dir);
	features = sg_xasprintf("%s/features", dir);
	feature = sg_xasprintf("%s/example.feature", features);
	ign = sg_xasprintf("%s/.gitignore", dir);
	/* check everything first: nothing is written when one file exists */
	if (sg_fs_exists(yaml) || sg_fs_exists(feature)) {
		cli_errorf("'%s' already exists; init writes nothing over a "
			   "project's files",
		    sg_fs_exists(yaml) ? yaml : feature);
		rc = EXIT_USAGE;
		goto out;
	}
	if (gitignore_text(&ignore_text, ign, &err) < 0)
		goto fail;
	if (mkdir(features, 0777) < 0 && errno != EEXIST) {
		cli_errorf("cannot create directory '%s': %s", features,
		    strerror(errno));
		rc = EXIT_SYSTEM;
		goto out;
	}
	{
		char *text = sg_xasprintf(config_common, base_name(dir),
		    sg_mode_name(mode));
		char *all = sg_xasprintf("%s%s", text,
		    mode == SG_MODE_COMPLIANCE ? config_compliance :
						 config_sandbox);
		int e = sg_fs_write_new(yaml, all, strlen(all), 0644, false,
		    &err);

		free(text);
		free(all);
		if (e < 0)
			goto fail;
	}
	if (sg_fs_write_new(feature, example_feature,
		sizeof(example_feature) - 1, 0644, false, &err) < 0)
		goto fail;
	if (ignore_text && sg_fs_write_atomic(ign, ignore_text,
			       strlen(ignore_text), 0644, &err) < 0)
		goto fail;
	printf("initialised %s project in %s: specgate.yaml, "
	       "features/example.feature%s\n",
	    sg_mode_name(mode), dir, ignore_text ? ", .gitignore" : "");
	if (mode == SG_MODE_COMPLIANCE)
		printf("next: specgate keygen, then fill in specgate.yaml "
		       "until `specgate doctor` finds nothing missing\n");
	else
		printf("next: specgate validate, then specgate run\n");
	goto out;
fail:
	rc = cli_fail(&err);
out:
	sg_error_release(&err);
	free(yaml);
	free(feature);
	free(features);
	free(ign);
	free(ignore_text);
	return rc;
}

static int
init_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	enum sg_mode mode = SG_MODE_SANDBOX;
	char *dir = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "+qvh", longopts, NULL)) != -1)
		if ((rc = cli_common_opt(cli, &cli_cmd_init, ch, optarg)) >= 0)
			return rc;
	if (argc - optind > 1)
		return cli_usage(&cli_cmd_init);
	if (cli->mode && sg_mode_parse(&mode, cli->mode) < 0) {
		cli_errorf("unknown mode '%s' (sandbox or compliance)",
		    cli->mode);
		return EXIT_USAGE;
	}
	if (argc - optind == 1 && mkdir(argv[optind], 0777) < 0 &&
	    errno != EEXIST) {
		cli_errorf("cannot create directory '%s': %s", argv[optind],
		    strerror(errno));
		return EXIT_SYSTEM;
	}
	dir = realpath(argc - optind == 1 ? argv[optind] : ".", NULL);
	if (!dir) {
		cli_errorf("cannot resolve '%s': %s",
		    argc - optind == 1 ? argv[optind] : ".", strerror(errno));
		return EXIT_USAGE;
	}
	rc = init_write(dir, mode);
	free(dir);
	return rc;
}

const struct cli_cmd cli_cmd_init = {
	.name = "init",
	.usage = "init [--mode M] [DIR]",
	.summary = "start a project: specgate.yaml, an example feature",
	.help = "Writes DIR/specgate.yaml (commented; the mode M, default\n"
		"sandbox, becomes the project's floor), features/example.feature\n"
		"(one scenario that passes the policy of both modes) and adds\n"
		"/reports/ and /.specgate/ to .gitignore when they are missing.\n"
		"Refuses (exit 2, writing nothing) when specgate.yaml or the\n"
		"example feature exists.  DIR defaults to the current directory\n"
		"and is created if need be.\n",
	.exec = init_exec,
};
