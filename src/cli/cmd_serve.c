/* SPDX-License-Identifier: MIT */
/*
 * cmd_serve.c - `specgate serve [--listen ADDR:PORT]`: load the
 * configuration, make the service (src/lib/service/) and hand it to the
 * HTTP front end (src/httpd/).  Signals are blocked here, before any
 * thread exists, so that every thread inherits the mask and only the
 * front end's sigwait() takes SIGTERM and SIGINT.
 *
 * The signing key is checked by /healthz when one is configured: set in
 * specgate.yaml, .env or SPECGATE_SIGNING_KEY, or present at the default
 * path, without its passphrase: the service never signs, so the
 * dashboard host need not hold the secret (SPECGATE_KEY_PASSWORD is not
 * read).
 */
#include "cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "specgate/service.h"

#include "httpd/httpd.h"

static int
serve_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"listen", required_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	struct sg_service_options so = SG_SERVICE_OPTIONS_INIT;
	struct httpd_options ho;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_service *svc = NULL;
	struct sg_config *cfg = NULL;
	struct sg_store *st = NULL;
	const char *listen = NULL;
	const char *origin;
	char key[4096];
	sigset_t set;
	int code, ch;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		if (ch == 'l') {
			listen = optarg;
			continue;
		}
		if ((code = cli_common_opt(cli, &cli_cmd_serve, ch, optarg)) >=
		    0)
			return code;
	}
	if (optind != argc)
		return cli_usage(&cli_cmd_serve);
	if ((code = cli_load_config(cli, &cfg)) != EXIT_OK)
		goto out;
	/* Create the store if there is none yet, so that health is green. */
	if ((code = cli_open_store(cfg, true, &st)) != EXIT_OK)
		cli_warnf("the service starts anyway; /healthz reports it");
	sg_store_close(st);
	origin = sg_config_origin(cfg, "signing.key");
	snprintf(key, sizeof(key), "%s/%s", cfg->root, cfg->signing_key);
	so.root = cfg->root;
	so.reports = cfg->reports;
	so.store_url = cfg->store;
	so.project = cfg->project;
	so.mode = sg_mode_name(cfg->mode);
	so.active_runs = cfg->active_runs;
	if ((origin && strcmp(origin, "default")) ||
	    access(cfg->signing_key[0] == '/' ? cfg->signing_key : key, F_OK) ==
		0)
		so.signing_key = cfg->signing_key;
	/* /healthz checks the key without its passphrase: none is read. */
	so.min_free_bytes = (uint64_t)cfg->serve.min_free_mb << 20;
	so.release_probe_ms = (unsigned)cfg->serve.release_probe_ms;
	if (sg_service_new(&svc, &so, &err) < 0) {
		code = cli_fail(&err);
		goto out;
	}
	ho.listen = listen ? listen : cfg->serve.listen;
	ho.connections = cfg->serve.connections;
	ho.timeout_s = (unsigned)((cfg->serve.timeout_ms + 999) / 1000);
	ho.request_max = cfg->serve.request_max;
	ho.header_timeout_ms = (unsigned)cfg->serve.header_timeout_ms;
	ho.per_client = cfg->serve.per_client;
	ho.reserve = cfg->serve.reserve;
	ho.access_log = cli->verbosity >= 0;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	code = httpd_run(svc, &ho) < 0 ? EXIT_SYSTEM : EXIT_OK;
out:
	sg_service_free(svc);
	sg_config_free(cfg);
	sg_error_release(&err);
	return code;
}

const struct cli_cmd cli_cmd_serve = {
	.name = "serve",
	.usage = "serve [--listen ADDR:PORT]",
	.summary = "the HTTP service: /healthz, /metrics, the API, a dashboard",
	.help =
	    "Serve the project's runs, read-only, over HTTP (libmicrohttpd):\n"
	    "\n"
	    "  GET /healthz              health; 200 healthy, 503 unhealthy\n"
	    "  GET /metrics              Prometheus text format 0.0.4\n"
	    "  GET /api/v1/runs          runs (feature_id, mode, status, limit,\n"
	    "                            offset)\n"
	    "  GET /api/v1/runs/RUN-ID   one run: stages, gates, artifacts\n"
	    "  GET /api/v1/audit         audit records (after, limit)\n"
	    "  GET /                     the dashboard\n"
	    "\n"
	    "  --listen ADDR:PORT  where to listen (serve.listen, SPECGATE_LISTEN;\n"
	    "                      default 127.0.0.1:8080; port 0 picks one)\n"
	    "\n"
	    "Prints 'listening on http://ADDR:PORT/' once bound and one access\n"
	    "log line per request on stderr (not with -q).  SIGTERM or SIGINT:\n"
	    "stop accepting, finish requests in flight, exit 0.  Limits:\n"
	    "serve.connections, serve.timeout, serve.request_max,\n"
	    "serve.header_timeout, serve.connections_per_client, serve.reserve\n"
	    "(specgate.yaml).\n"
	    "\n"
	    "Exit status: 0 after a signal, 2 bad usage or config, 5 when the\n"
	    "address cannot be bound.\n",
	.exec = serve_exec,
};
