/* SPDX-License-Identifier: MIT */
/*
 * cmd_smoke.c - `specgate smoke URL [--retries N] [--delay D]`: ask a
 * /healthz URL until it answers healthy (HTTP 200, "status": "healthy",
 * "metrics": {"health_up": 1}), at most 1 + N times, D apart; print what
 * each try saw.  Exit 0 when a try was healthy, 1 when none was.
 *
 * http:// or https:// (libcurl, src/lib/sys/curl.c), the deploy probe's
 * own client.  Each try has a 5 s deadline for the whole exchange.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <time.h>

#include "specgate/service.h"

#define TRY_TIMEOUT_MS 5000

static void
sleep_ms(uint64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) != 0)
		;
}

static int
smoke_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{"retries", required_argument, NULL, 'r'},
		{"delay", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	struct sg_smoke_result res;
	struct sg_error err = SG_ERROR_INIT;
	uint64_t delay_ms = 2000;
	unsigned long retries = 2;
	unsigned tries;
	char *end;
	int code, ch, rc;

	while ((ch = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			retries = strtoul(optarg, &end, 10);
			if (*end || !*optarg || optarg[0] == '-' ||
			    retries > 1000) {
				cli_errorf("--retries wants 0 to 1000, not '%s'",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case 'd':
			if (sg_duration_parse(&delay_ms, optarg) < 0) {
				cli_errorf("--delay wants a duration such as "
					   "2s or 500ms, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			if ((code = cli_common_opt(cli, &cli_cmd_smoke, ch,
				optarg)) >= 0)
				return code;
		}
	}
	if (argc - optind != 1)
		return cli_usage(&cli_cmd_smoke);
	code = EXIT_GATE;
	if (cli->json) {
		printf("{");
		cli_json_field(stdout, true, "url", argv[optind]);
		printf(", \"tries\": [");
	}
	for (tries = 1; tries <= retries + 1; tries++) {
		if (tries > 1)
			sleep_ms(delay_ms);
		rc = sg_smoke_probe(&res, argv[optind], TRY_TIMEOUT_MS, &err);
		if (rc == SG_EINVAL) {
			code = cli_fail(&err);
			break;
		}
		if (cli->json) {
			printf("%s{\"try\": %u, \"http_status\": %d, "
			       "\"healthy\": %s, ",
			    tries > 1 ? ", " : "", tries,
			    rc < 0 ? 0 : res.http_status,
			    rc == 0 && res.healthy ? "true" : "false");
			cli_json_field(stdout, true, "summary",
			    rc < 0 ? err.message : res.summary);
			printf("}");
		} else if (cli->verbosity >= 0) {
			printf("try %u/%lu: %s: %s\n", tries, retries + 1,
			    argv[optind], rc < 0 ? err.message : res.summary);
		}
		if (rc == 0 && res.healthy)
			code = EXIT_OK;
		sg_smoke_result_release(&res);
		sg_error_release(&err);
		if (code == EXIT_OK)
			break;
	}
	if (cli->json)
		printf("], \"healthy\": %s}\n",
		    code == EXIT_OK ? "true" : "false");
	else if (code == EXIT_GATE && cli->verbosity >= 0)
		printf("unhealthy after %lu %s\n", retries + 1,
		    retries ? "tries" : "try");
	sg_error_release(&err);
	return code;
}

const struct cli_cmd cli_cmd_smoke = {
	.name = "smoke",
	.usage = "smoke URL [--retries N] [--delay D]",
	.summary = "health-check a service: GET URL until it answers healthy",
	.help =
	    "GET URL (a /healthz endpoint, plain http:// only) until it answers\n"
	    "healthy: HTTP 200 with \"status\": \"healthy\" and\n"
	    "\"metrics\": {\"health_up\": 1}.  One line per try says what it saw.\n"
	    "\n"
	    "  --retries N  tries after the first (default 2: three in all)\n"
	    "  --delay D    time between tries (default 2s; ms, s, m, h)\n"
	    "\n"
	    "Each try has 5 s to connect and answer.  Exit status: 0 healthy,\n"
	    "1 not healthy after every try (refused, timed out, 503...), 2 bad\n"
	    "usage or a URL that is not plain http.\n",
	.exec = smoke_exec,
};
