/* SPDX-License-Identifier: MIT */
/*
 * service_int.h - what the files of src/lib/service/ share: the service
 * struct, the store pool, the response helpers and the run-detail builder
 * that both the JSON API and the dashboard render.
 */
#ifndef SG_SERVICE_SERVICE_INT_H
#define SG_SERVICE_SERVICE_INT_H

#include <jansson.h>

#include "specgate/evidence.h"
#include "specgate/service.h"
#include "specgate/store.h"
#include "sys/self.h"
#include "util/util.h"

#define SG_SERVICE_POOL 16 /* idle store connections kept */

struct sg_service {
	char *root;
	char *reports;	   /* absolute */
	char *store_url;
	char *project;
	char *mode;	   /* mode_enum's word, for output */
	enum sg_mode mode_enum;
	char *signing_key; /* absolute, or NULL */
	char *passphrase;
	size_t passlen;
	uint64_t min_free_bytes;
	struct sg_evidence_options eo;

	struct sg_mutex lock; /* guards everything below */
	struct sg_store *idle[SG_SERVICE_POOL];
	size_t nidle;
	bool key_checked;     /* key_id/key_error are from a load */
	struct sg_fs_id key_id;
	char key_error[512];  /* "" when the key loaded */
	uint64_t verify_at_ms; /* last chain verification (monotonic) */
	bool verify_done;
	bool verify_ok;
	double verify_time;   /* its wall-clock time, seconds since epoch */
	json_t *health;	      /* the last health document, or NULL */
	uint64_t health_at_ms; /* when it was made (monotonic) */
	json_t *gate_cache;   /* "fid/rid" -> gate results (metrics.c) */
	char *metrics;	      /* the last /metrics body, or NULL */
	size_t metrics_len;
	uint64_t metrics_at_ms;
	unsigned release_probe_ms; /* serve.release_probe */
	json_t *release_health; /* id -> {at, pgid, ok} (releases.c) */
};

/* The default of serve.release_probe, in milliseconds. */
#define SG_SERVICE_RELEASE_PROBE_MS 15000

/* How long a health document is reused: the checks run once a second. */
#define SG_SERVICE_HEALTH_TTL_MS 1000
/* The same for /metrics: the store is read at most once a second. */
#define SG_SERVICE_METRICS_TTL_MS 1000

/* A store connection for this thread: put it back with ..._put(). */
int sg_service__store_get(struct sg_store **out, struct sg_service *svc,
    struct sg_error *err);
void sg_service__store_put(struct sg_service *svc, struct sg_store *st);

/* Fill r with body (taken over: owned by r afterwards). */
void sg_service__reply(struct sg_service_response *r, int status,
    const char *type, char *body, size_t len);

/* Fill r with json serialised (json is not consumed). */
void sg_service__reply_json(struct sg_service_response *r, int status,
    const json_t *json);

/* A JSON error {"error": {"code": code, "message": msg}}. */
void sg_service__reply_error(struct sg_service_response *r, int status,
    const char *code, const char *fmt, ...) SG_PRINTF(4, 5);

/* The health document in *out (new reference); true when healthy. */
bool sg_service__health(json_t **out, struct sg_service *svc);

void sg_service__healthz(struct sg_service_response *r,
    struct sg_service *svc, const struct sg_service_request *req);
void sg_service__metrics(struct sg_service_response *r,
    struct sg_service *svc, const struct sg_service_request *req);
void sg_service__runs(struct sg_service_response *r, struct sg_service *svc,
    const struct sg_service_request *req);
void sg_service__run(struct sg_service_response *r, struct sg_service *svc,
    const struct sg_service_request *req);
void sg_service__audit(struct sg_service_response *r,
    struct sg_service *svc, const struct sg_service_request *req);
void sg_service__dashboard(struct sg_service_response *r,
    struct sg_service *svc, const struct sg_service_request *req);

/*
 * Everything known about one run, as the API's /api/v1/runs/<id> returns
 * it (docs/formats.md): run, bundle, stages, checkpoints, gates,
 * artifacts, approvals.  *out is a new reference.
 */
int sg_service__run_detail(json_t **out, struct sg_service *svc,
    struct sg_store *st, const struct sg_run *run, struct sg_error *err);

/* A run as in listings: the store's fields and where its bundle is. */
json_t *sg_service__run_summary(struct sg_service *svc,
    const struct sg_run *run);

/* Seconds since the epoch of an ISO UTC timestamp; -1 when malformed. */
int64_t sg_service__iso_seconds(const char *iso);

/* Write s as a label value: \ " and newline escaped (format 0.0.4). */
void sg_service__put_label(struct sg_buf *b, const char *s);

/* A family's HELP and TYPE lines. */
void sg_service__family(struct sg_buf *b, const char *name,
    const char *type, const char *help);

/*
 * The families of the releases the local target deployed (releases.c):
 * up, current, restarts, CPU seconds, memory and its limit.
 */
void sg_service__put_releases(struct sg_buf *b, struct sg_service *svc);

/* The gates of a run from its bundle (gates.c); bundle may be NULL. */
json_t *sg_service__gates_json(const char *bundle);

/*
 * The documents the service shows of a run whose bundle directory is not
 * here (another runner's, on a shared store): manifest.json and the gate
 * reports, read from the store (sg_store_documents_foreach()).
 */
struct sg_service__stored {
	char *paths[4];
	struct sg_buf bodies[4];
	size_t n;
};

/* Load them (0 and none when the store keeps none; SG_EIO). */
int sg_service__stored_load(struct sg_service__stored *out,
    struct sg_store *st, const char *feature_id, const char *run_id,
    struct sg_error *err);

/* The stored document `path`, or NULL. */
const struct sg_buf *sg_service__stored_get(
    const struct sg_service__stored *s, const char *path);

void sg_service__stored_release(struct sg_service__stored *s);

/* The gates of a run from its stored documents. */
json_t *sg_service__gates_json_stored(const struct sg_service__stored *s);

#endif /* SG_SERVICE_SERVICE_INT_H */
