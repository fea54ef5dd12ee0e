/* SPDX-License-Identifier: MIT */
/*
 * run_deploy.h - the deploy stage's built-in work: the health probes and
 * deploy.json (deploy.c), and the `local` target that releases, limits,
 * starts and rolls back the service on this machine (local.c).
 */
#ifndef SG_RUN_DEPLOY_H
#define SG_RUN_DEPLOY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run/run_int.h"
#include "util/util.h"

/* The deploy stage's own document: its checkpoint's output. */
#define SG_RUN__DEPLOY_JSON "deploy.json"

/* The deploy stage's health check (deploy.c; kube.c's probes say the same). */
#define SG_RUN__HEALTH_TRIES 3
#define SG_RUN__HEALTH_INTERVAL_MS 2000
#define SG_RUN__HEALTH_TIMEOUT_MS 5000

/*
 * Deploy (deploy.c): probe stages.deploy.health.url after the commands
 * succeeded; *ok false (why says why) when no probe was healthy.  The
 * deploy.json document is written by sg_run__deploy_document() when the
 * stage ends, from the results and the probes remembered in c.
 */
int sg_run__deploy_health(struct sg_run__ctx *c, unsigned attempt,
    struct sg_buf *log, bool *ok, char *why, size_t why_size,
    struct sg_error *err);
int sg_run__deploy_document(struct sg_run__ctx *c, struct sg_error *err);
void sg_run__deploy_release(struct sg_run__ctx *c);

/*
 * One attempt's built-in work after the commands: the local target's
 * release (when configured), then the health check; a failed check stops
 * the release.  And after the last attempt failed: the local target's
 * restore of the previous release (c->restored, c->restore_why), before
 * deploy.json is written.
 */
int sg_run__deploy_check(struct sg_run__ctx *c, unsigned attempt,
    struct sg_buf *log, bool *ok, char *why, size_t why_size,
    struct sg_error *err);
int sg_run__deploy_restore(struct sg_run__ctx *c, struct sg_buf *log,
    struct sg_error *err);

/*
 * The deploy stage's `local` target (local.c, docs/deploy.md): whether it
 * is configured; make, limit and start this run's release after the
 * commands succeeded (*ok false, why, when it could not: a changed
 * artifact, a port held by another process, a start that failed); whether
 * the port's listener is the release's process group; stop the release
 * of a failed attempt; after the last one, restore the previous release
 * and check its health (*ok false: the rollback failed); the "local"
 * object of deploy.json; free.
 */
struct json_t;
bool sg_run__local_enabled(const struct sg_run__ctx *c);
int sg_run__local_deploy(struct sg_run__ctx *c, unsigned attempt,
    struct sg_buf *log, bool *ok, char *why, size_t why_size,
    struct sg_error *err);
int sg_run__local_owner(struct sg_run__ctx *c, bool *ok, char *why,
    size_t why_size, struct sg_error *err);
void sg_run__local_stop(struct sg_run__ctx *c, struct sg_buf *log);
int sg_run__local_rollback(struct sg_run__ctx *c, struct sg_buf *log,
    bool *ok, char *why, size_t why_size, struct sg_error *err);
struct json_t *sg_run__local_json(const struct sg_run__ctx *c);
const char *sg_run__local_restored(const struct sg_run__ctx *c);
void sg_run__local_release(struct sg_run__ctx *c);

/*
 * What a release may use (local.c): cpu and memory limits are the largest
 * any scenario declares (@resource:cpu=...,memory=...), requests the
 * smallest, all within the mode's ranges (policy.<mode>.cpu, .memory);
 * without a declaration, the ranges' ends.  Memory in MiB.
 */
struct sg_run__limits {
	double cpu, cpu_request;
	uint64_t memory_mb, memory_request_mb;
	bool declared; /* a scenario declared them */
};

void sg_run__deploy_limits(const struct sg_run__ctx *c,
    struct sg_run__limits *lim);

/* The release's port: stages.deploy.port, else the health URL's; 0 none. */
unsigned sg_run__deploy_port(const struct sg_run__ctx *c);

/*
 * The deploy stage's `kubernetes` target (kube.c, docs/deploy.md):
 * whether it is configured; render this run's Deployment and Service
 * into the bundle (kubernetes/deployment.json, kubernetes/service.json)
 * after the commands succeeded (*ok false, why, when it cannot: no
 * port); the "kubernetes" object of deploy.json; free.  Nothing is
 * applied to a cluster: the stage's checkpoint is `rendered`.
 */
bool sg_run__kube_enabled(const struct sg_run__ctx *c);

/*
 * A promotion (opts->promote), before deploy: hash again, in the project,
 * every build artifact that the promoted run's bundle lists (its
 * artifacts.json, checked against its manifest); *ok false, why naming
 * the first that differs (local.c).  A run that listed none passes.
 */
int sg_run__promote_artifacts(struct sg_run__ctx *c, bool *ok, char *why,
    size_t why_size, struct sg_error *err);
int sg_run__kube_render(struct sg_run__ctx *c, struct sg_buf *log,
    bool *ok, char *why, size_t why_size, struct sg_error *err);
struct json_t *sg_run__kube_json(const struct sg_run__ctx *c);
void sg_run__kube_release(struct sg_run__ctx *c);

#endif /* SG_RUN_DEPLOY_H */
