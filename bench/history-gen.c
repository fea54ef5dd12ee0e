/* SPDX-License-Identifier: MIT */
/*
 * history-gen.c - the history maker of bench/history.sh.
 *
 *	history-gen DIR N	N runs of the project in DIR, in one process
 *
 * Each run is a real sg_run_execute() (the library `specgate run` calls),
 * with its bundle, its store row, its audit records, `latest` and
 * retention, so that `specgate audit verify` accepts the history it leaves.
 * What makes it cheap: one process (no start-up per run), and the caller
 * puts DIR on a tmpfs, where fsync is free, then copies the project where
 * it is measured.  Run i starts at 2025-01-01T00:00:00Z + i minutes (the
 * `started` option), so the run ids are distinct without the -2, -3...
 * suffixes and the archive spreads over YYYYMMDD directories as a real
 * history does; the run measured afterwards, at the real clock, is the
 * newest.  Unsigned (sandbox).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "specgate/config.h"
#include "specgate/run.h"
#include "specgate/store.h"

#define T0 ((time_t)1735689600) /* 2025-01-01T00:00:00Z */

int
main(int argc, char **argv)
{
	struct sg_config_options copts = SG_CONFIG_OPTIONS_INIT;
	struct sg_store_options sopts = SG_STORE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_config *cfg = NULL;
	struct sg_store *st = NULL;
	long n;
	int rc = 1;

	if (argc != 3 || (n = strtol(argv[2], NULL, 10)) < 0) {
		fprintf(stderr, "usage: history-gen DIR N\n");
		return 2;
	}
	if (chdir(argv[1]) < 0) {
		perror(argv[1]);
		return 1;
	}
	if (sg_config_load(&cfg, &copts, &err) < 0)
		goto out;
	sopts.root = cfg->root;
	if (sg_store_open(&st, cfg->store, &sopts, &err) < 0)
		goto out;
	for (long i = 0; i < n; i++) {
		struct sg_run_options o = SG_RUN_OPTIONS_INIT;
		struct sg_run_outcome out;

		memset(&out, 0, sizeof(out));
		o.cfg = cfg;
		o.started = T0 + (time_t)i * 60;
		o.unsigned_why = "bench/history-gen: no key";
		if (sg_run_execute(&out, st, &o, &err) < 0 && !out.published) {
			fprintf(stderr, "history-gen: run %ld: ", i);
			sg_run_outcome_release(&out);
			goto out;
		}
		sg_run_outcome_release(&out);
	}
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "history-gen: %s\n", err.message);
	sg_store_close(st);
	sg_config_free(cfg);
	sg_error_release(&err);
	return rc;
}
