/* SPDX-License-Identifier: MIT */
/*
 * cmd_verify.c - `specgate verify BUNDLE [--key PUB] [--layout FILE]`:
 * check one bundle offline (sg_evidence_verify_bundle()) and print each
 * problem as `specgate audit verify` does.
 *
 * The store is used when the project's configuration can be loaded and
 * its store exists (the audit-trail head is then checked); outside a
 * project, or with no store yet, the bundle is checked on its own and a
 * note says that the trail was not.  Exit 0, or 4 when anything does not
 * verify; 2 for bad usage or an unreadable --key; 5 when the bundle or
 * the store cannot be read.
 *
 * `specgate verify --store [FEATURE-ID/]RUN-ID`: the run from the
 * project's store alone (sg_evidence_verify_stored()), without its bundle
 * directory; the store is required (exit 5 when there is none), a run it
 * does not have is exit 2.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

#include "specgate/sign.h"
#include "util/util.h"

/* The store of the project around the cwd, quietly: NULL when none. */
static struct sg_store *
quiet_store(struct cli *cli, struct sg_config **cfg)
{
	struct sg_config_options opts = SG_CONFIG_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_store *st = NULL;

	opts.config_file = cli->config_file;
	opts.mode = cli->mode;
	if (sg_config_load(cfg, &opts, &err) < 0 ||
	    cli_open_store(*cfg, false, &st) != EXIT_OK)
		st = NULL;
	sg_error_release(&err);
	return st;
}

/* --store: the run from the configured store, no bundle directory. */
static int
verify_stored(struct cli *cli, const char *arg, struct sg_key *key,
    const char *layout)
{
	struct sg_stored_verify_options o = SG_STORED_VERIFY_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_evidence_report r;
	struct sg_config *cfg = NULL;
	struct sg_store *st = NULL;
	char *fid = NULL;
	const char *slash = strchr(arg, '/');
	int error;
	int code;

	memset(&r, 0, sizeof(r));
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK ||
	    (code = cli_open_store(cfg, false, &st)) != EXIT_OK)
		goto out;
	if (!st) {
		sg_error_set(&err, SG_EIO,
		    "there is no store at '%s': nothing to verify the run from",
		    cfg->store);
		code = cli_fail(&err);
		goto out;
	}
	if (slash) {
		fid = sg_xstrdup(arg);
		fid[slash - arg] = '\0';
		o.feature_id = fid;
		o.run_id = slash + 1;
	} else {
		o.run_id = arg;
	}
	o.st = st;
	o.key = key;
	o.layout = layout;
	error = sg_evidence_verify_stored(&r, &o, &err);
	code = cli_verify_verdict(cli, &r, error, &err);
out:
	free(fid);
	sg_evidence_report_release(&r);
	sg_store_close(st);
	sg_config_free(cfg);
	sg_error_release(&err);
	return code;
}

static int
verify_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"key", required_argument, NULL, 'k'},
		{"layout", required_argument, NULL, 'l'},
		{"store", no_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	struct sg_bundle_verify_options o = SG_BUNDLE_VERIFY_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_evidence_report r;
	struct sg_config *cfg = NULL;
	struct sg_store *st = NULL;
	struct sg_key *key = NULL;
	const char *keyf = NULL;
	bool stored = false;
	int error;
	int code;
	int ch;

	memset(&r, 0, sizeof(r));
	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 'k')
			keyf = optarg;
		else if (ch == 's')
			stored = true;
		else if (ch == 'l')
			o.layout = optarg;
		else if ((code = cli_common_opt(cli, &cli_cmd_verify, ch,
			      optarg)) >= 0)
			return code;
	}
	if (argc - optind != 1)
		return cli_usage(&cli_cmd_verify);
	if (keyf && sg_key_load_public(&key, keyf, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	if (stored) {
		code = verify_stored(cli, argv[optind], key, o.layout);
		goto out;
	}
	st = quiet_store(cli, &cfg);
	o.path = argv[optind];
	o.key = key;
	o.st = st;
	error = sg_evidence_verify_bundle(&r, &o, &err);
	code = cli_verify_verdict(cli, &r, error, &err);
out:
	sg_evidence_report_release(&r);
	sg_store_close(st);
	sg_config_free(cfg);
	sg_key_free(key);
	sg_error_release(&err);
	return cli_finish_stdout(code);
}

const struct cli_cmd cli_cmd_verify = {
	.name = "verify",
	.usage = "verify BUNDLE | --store [FEATURE-ID/]RUN-ID [--key PUB] "
		 "[--layout FILE]",
	.summary = "verify a bundle offline, or a run from the store",
	.help =
	    "Check the bundle directory BUNDLE: every file against the\n"
	    "SHA-256 of manifest.json; every FILE.json.sig and\n"
	    "manifest.json.sig; every in-toto link in links/ (signature, step\n"
	    "name, run, products and materials against the files, one link\n"
	    "per stage); the signature and subjects of\n"
	    "provenance.intoto.json; the layout FILE, when given: signature\n"
	    "and expiry; and, when the project's store is there, the audit\n"
	    "record sealing the manifest, checkpoints.log and the audit\n"
	    "trail up to the head the manifest records.  PUB pins the\n"
	    "signer: without it the key the manifest names is used (a note\n"
	    "says so).  Each failure is printed as 'path: error: message'.\n"
	    "\n"
	    "With --store, RUN-ID is verified from the project's store alone,\n"
	    "without its bundle directory: the documents the store keeps\n"
	    "with the run (manifest.json and its .sig, checkpoints.log, the\n"
	    "JSON reports and their .sig, the links, the release report) get\n"
	    "the same checks, named 'store:FEATURE-ID/RUN-ID/FILE'; a note\n"
	    "names the files of the manifest the store does not keep (logs,\n"
	    "artifacts), which were not checked.  FEATURE-ID/ is needed when\n"
	    "the run id belongs to several features.\n"
	    "\n"
	    "Exit status: 0 verified, 4 verification failed, 2 bad usage or\n"
	    "key (or a run the store does not have), 5 the bundle or the\n"
	    "store cannot be read.\n",
	.exec = verify_exec,
};
