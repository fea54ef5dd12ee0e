/* SPDX-License-Identifier: MIT */
/*
 * audit-trail.c - the benchmark driver of bench/audit-verify.sh.
 *
 *	audit-trail gen DIR N	create DIR/state.db and append N records
 *	audit-trail verify DIR	verify the trail of DIR/state.db
 *	audit-trail append DIR N	append N records one at a time: N
 *				checkpoints, one writer transaction each
 *
 * DIR may instead be a store URL (postgres://..., sqlite:/ABS/PATH), as
 * bench/pg-store.sh passes it: the same trail, in that store.
 *
 * gen goes through the real API (sg_store_run_create() is not involved:
 * records name run ids directly), in batches of 10,000 records per
 * sg_audit_append() call, i.e. per writer transaction and fsync, so that
 * the trail is exactly what specgate would have written, hashes included.
 * Each simulated run has 12 checkpoints: six stages, some with a retry,
 * outputs with digests, both modes and a handful of feature ids.
 *
 * verify prints "N records, head SEQ HASH" and exits 0, or prints the
 * finding and exits 4 (as `specgate audit verify` will).
 */
#include <inttypes.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "specgate/audit.h"
#include "specgate/store.h"
#include "util/utctime.h"

#define BATCH 10000
#define PER_RUN 12
#define T0 ((time_t)1758722680) /* 2025-09-24T14:04:40Z */

static const char *const features[] = {"005cc0262265", "1f3a9b7c2d4e",
    "a0b1c2d3e4f5", "9e8d7c6b5a41"};
static const char *const stages[PER_RUN] = {"preflight", "validate",
    "validate", "generate", "build", "build", "deploy", "deploy", "deploy",
    "audit", "audit", "audit"};
static const char *const statuses[PER_RUN] = {"success", "retry",
    "success", "success", "warning", "success", "awaiting_approval",
    "approved", "success", "success", "success", "success"};
static const char *const outputs[PER_RUN] = {"spec-validation-report.json",
    NULL, "spec-coverage.json", "generated-files.json", NULL,
    "sbom.cyclonedx.json", NULL, NULL, "deploy.json", "manifest.json",
    "resource-estimates.json", NULL};
static const char *const digests[4] = {
	"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	"60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
	"fd61a03af4f77d870fc21e05e7e80678095c92d808cfb3b5c279ee04c74aca13",
	"a4e624d686e03ed2767c0abd85c14426b0b1157d2ce81d27bb4fe4f6f01d688a",
};

/* Strings of one record that are not static: they live here. */
struct slot {
	char ts[SG_UTC_ISO_SIZE];
	char run_id[SG_UTC_COMPACT_SIZE];
};

static void
make(struct sg_audit_record *r, struct slot *s, uint64_t i)
{
	uint64_t run = i / PER_RUN;
	unsigned k = (unsigned)(i % PER_RUN);

	sg_utc_iso(s->ts, T0 + (time_t)(run * 900 + k * 30));
	sg_utc_compact(s->run_id, T0 + (time_t)(run * 900));
	memset(r, 0, sizeof(*r));
	r->timestamp = s->ts;
	r->run_id = s->run_id;
	r->feature_id = features[run % 4];
	r->stage = stages[k];
	r->status = statuses[k];
	r->output = outputs[k];
	r->output_sha256 = outputs[k] ? digests[(i / 7) % 4] : NULL;
	r->mode = run % 3 ? "sandbox" : "compliance";
}

static struct sg_store *
open_store(const char *dir)
{
	struct sg_store_options opts = SG_STORE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_store *st = NULL;
	bool url = !strncmp(dir, "postgres", 8) || !strncmp(dir, "sqlite:", 7);

	opts.root = url ? "." : dir;
	if (sg_store_open(&st, url ? dir : "sqlite:state.db", &opts,
		&err) < 0) {
		fprintf(stderr, "audit-trail: %s\n", err.message);
		exit(5);
	}
	return st;
}

static int
gen(const char *dir, uint64_t n)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_audit_record *recs;
	struct sg_audit_head head;
	struct slot *slots;
	struct sg_store *st;
	uint64_t done = 0;
	size_t m;

	st = open_store(dir);
	recs = calloc(BATCH, sizeof(*recs));
	slots = calloc(BATCH, sizeof(*slots));
	if (!recs || !slots)
		abort();
	while (done < n) {
		m = n - done < BATCH ? (size_t)(n - done) : BATCH;
		for (size_t j = 0; j < m; j++)
			make(&recs[j], &slots[j], done + j);
		if (sg_audit_append(&head, st, recs, m, &err) < 0) {
			fprintf(stderr, "audit-trail: %s\n", err.message);
			return 5;
		}
		done += m;
	}
	printf("%" PRIu64 " records, head %" PRIu64 " %s\n", done, head.seq,
	    head.hash);
	free(recs);
	free(slots);
	sg_store_close(st);
	return 0;
}

/*
 * N checkpoints as a run appends them, one record per sg_audit_append(),
 * i.e. per writer transaction and commit; the run ids carry this
 * process's id so that concurrent appenders write different runs.
 */
static int
append(const char *dir, uint64_t n)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_audit_record r;
	struct slot s;
	struct sg_store *st;
	char rid[SG_UTC_COMPACT_SIZE + 16];

	st = open_store(dir);
	for (uint64_t i = 0; i < n; i++) {
		make(&r, &s, i);
		snprintf(rid, sizeof(rid), "%.14s-%ld", s.run_id,
		    (long)getpid() % 99998 + 2);
		r.run_id = rid;
		if (sg_audit_append(NULL, st, &r, 1, &err) < 0) {
			fprintf(stderr, "audit-trail: %s\n", err.message);
			return 5;
		}
	}
	sg_store_close(st);
	return 0;
}

static int
verify(const char *dir)
{
	struct sg_audit_verify_result res;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_store *st;
	int error;

	st = open_store(dir);
	error = sg_audit_verify(&res, st, NULL, 0, &err);
	sg_store_close(st);
	if (error) {
		fprintf(stderr, "audit-trail: %s\n", err.message);
		return error == SG_EVERIFY ? 4 : 5;
	}
	printf("%" PRIu64 " records, head %" PRIu64 " %s\n", res.records,
	    res.head.seq, res.head.hash);
	return 0;
}

int
main(int argc, char **argv)
{
#ifdef __GLIBC__
	/* as specgate's main() (src/cli/main.c) */
	mallopt(M_TRIM_THRESHOLD, 16 << 20);
#endif
	if (argc == 4 && !strcmp(argv[1], "gen"))
		return gen(argv[2], strtoull(argv[3], NULL, 10));
	if (argc == 4 && !strcmp(argv[1], "append"))
		return append(argv[2], strtoull(argv[3], NULL, 10));
	if (argc == 3 && !strcmp(argv[1], "verify"))
		return verify(argv[2]);
	fprintf(stderr, "usage: audit-trail gen DIR N | verify DIR |"
	    " append DIR N\n");
	return 2;
}
