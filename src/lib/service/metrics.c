/* SPDX-License-Identifier: MIT */
/*
 * metrics.c - GET /metrics: Prometheus text exposition format 0.0.4,
 * computed at each scrape from what the store holds (nothing is counted in
 * memory between scrapes, so a restart loses nothing and two services over
 * one store agree).
 *
 * Families, each with HELP and TYPE, in this order (docs/internals/
 * service.md says exactly what each measures):
 *
 *	health_up				/healthz's verdict, 1 or 0
 *	specgate_build_info{version,commit}	1
 *	specgate_runs{mode,status}		runs in the store
 *	specgate_approvals_waiting		runs awaiting_approval
 *	specgate_checkpoints_total{stage,status}	audit records
 *	specgate_stage_attempts_total{stage}	records ending an attempt
 *	specgate_stage_retries_total{stage}	records with status retry
 *	specgate_stage_duration_seconds{stage}	histogram, from consecutive
 *						checkpoint times of a run
 *	specgate_gate_results{gate,outcome}	runs by gate (spec, coverage,
 *						tests, spec_coverage, sast)
 *						and result (pass, warning,
 *						fail, missing, skipped), as
 *						their bundles record them
 *	specgate_audit_records			the trail's head seq
 *	specgate_audit_verify_ok		chain check, at most every 60 s
 *	specgate_audit_verify_timestamp_seconds
 *	specgate_release_up{release,environment}	a local release's
 *						health (releases.c), and its
 *	specgate_release_current, _restarts_total, _cpu_seconds_total,
 *	_memory_bytes, _memory_limit_bytes
 *	process_resident_memory_bytes, process_open_fds, process_max_fds,
 *	process_start_time_seconds
 *
 * Series are generated from fixed tables of stages, statuses and modes,
 * so no series can appear twice; a run whose mode or status is not one of
 * the known names (a store edited by hand) is counted under its own label
 * values, escaped.  The cost is one pass over the runs and one over the
 * audit trail per scrape, linear in the store's size; a scrape within a
 * second of the last one gets the same body.
 */
#include "service/service_int.h"

#include <inttypes.h>

#include "specgate/audit.h"
#include "specgate/config.h"
#include "specgate/sg.h"
#include "util/utctime.h"

#define VERIFY_EVERY_MS 60000
#define METRICS_TYPE "text/plain; version=0.0.4; charset=utf-8"

static const char *const modes[] = {"sandbox", "compliance"};
static const char *const run_statuses[] = {"running", "awaiting_approval",
	"success", "warning", "failure", "cancelled"};
/* Upper bounds in seconds; checkpoint times have a 1 s resolution. */
static const double buckets[] = {1, 5, 15, 60, 300, 900, 1800, 3600,
	14400};

#define NSTAGE SG_STAGE_COUNT
#define NCPS SG_CP_STATUS_COUNT /* enum sg_checkpoint_status */
#define NBUCKET SG_ARRAY_SIZE(buckets)

struct run_count {
	char *mode;
	char *status;
	uint64_t n;
};

/* The last checkpoint time of each run, by "fid/rid": open addressing. */
struct last_seen {
	char **keys;
	int64_t *at;
	size_t cap; /* a power of two */
	size_t n;
};

struct tally {
	struct run_count *runs;
	size_t nruns;
	uint64_t waiting;
	struct last_seen seen;
	uint64_t cps[NSTAGE][NCPS];
	uint64_t hist[NSTAGE][NBUCKET];
	uint64_t hist_count[NSTAGE];
	double hist_sum[NSTAGE];
	struct sg_service *svc;
	uint64_t gates[5][5]; /* gate_names x gate_outcomes */
};

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static int64_t *
seen_slot(struct last_seen *ls, const char *key, bool add)
{
	size_t i;

	if (add && (ls->n + 1) * 2 > ls->cap) {
		struct last_seen bigger = {NULL, NULL, ls->cap ? ls->cap * 2 : 64,
			0};

		bigger.keys = sg_xcalloc(bigger.cap, sizeof(*bigger.keys));
		bigger.at = sg_xcalloc(bigger.cap, sizeof(*bigger.at));
		for (i = 0; i < ls->cap; i++)
			if (ls->keys[i]) {
				size_t j = hash_str(ls->keys[i]) &
				    (bigger.cap - 1);

				while (bigger.keys[j])
					j = (j + 1) & (bigger.cap - 1);
				bigger.keys[j] = ls->keys[i];
				bigger.at[j] = ls->at[i];
				bigger.n++;
			}
		free(ls->keys);
		free(ls->at);
		*ls = bigger;
	}
	if (!ls->cap)
		return NULL;
	i = hash_str(key) & (ls->cap - 1);
	while (ls->keys[i]) {
		if (!strcmp(ls->keys[i], key))
			return &ls->at[i];
		i = (i + 1) & (ls->cap - 1);
	}
	if (!add)
		return NULL;
	ls->keys[i] = sg_xstrdup(key);
	ls->n++;
	return &ls->at[i];
}

static void
tally_release(struct tally *t)
{
	for (size_t i = 0; i < t->nruns; i++) {
		free(t->runs[i].mode);
		free(t->runs[i].status);
	}
	free(t->runs);
	for (size_t i = 0; i < t->seen.cap; i++)
		free(t->seen.keys[i]);
	free(t->seen.keys);
	free(t->seen.at);
}

static void
count_run(struct tally *t, const char *mode, const char *status)
{
	for (size_t i = 0; i < t->nruns; i++)
		if (!strcmp(t->runs[i].mode, mode) &&
		    !strcmp(t->runs[i].status, status)) {
			t->runs[i].n++;
			return;
		}
	t->runs = sg_xreallocarray(t->runs, t->nruns + 1, sizeof(*t->runs));
	t->runs[t->nruns].mode = sg_xstrdup(mode);
	t->runs[t->nruns].status = sg_xstrdup(status);
	t->runs[t->nruns].n = 1;
	t->nruns++;
}

static void count_gates(struct tally *t, const struct sg_run *run);

static int
run_cb(const struct sg_run *run, void *payload)
{
	struct tally *t = payload;
	char key[64];

	count_run(t, run->mode, run->status);
	count_gates(t, run);
	if (run->status_enum == SG_RUN_AWAITING_APPROVAL)
		t->waiting++;
	snprintf(key, sizeof(key), "%s/%s", run->feature_id, run->run_id);
	*seen_slot(&t->seen, key, true) =
	    sg_service__iso_seconds(run->started_at);
	return 0;
}

static int
index_of(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return (int)i;
	return -1;
}

static const char *const gate_names[] = {"spec", "coverage", "tests",
	"spec_coverage", "sast"};
static const char *const gate_outcomes[] = {"pass", "warning", "fail",
	"missing", "skipped"};

/*
 * A run's gates as its bundle records them (gates.c, the API's words: a
 * missing input is "missing", never a pass).  The trail holds only the
 * validate stage's status, which cannot tell a missing input from a
 * failed one, so the bundles are read; a finished run's bundle never
 * changes, so its results are kept in svc->gate_cache ("fid/rid" ->
 * [results]) and each bundle is read once per service.
 */
static void
count_gates(struct tally *t, const struct sg_run *run)
{
	struct sg_service *svc = t->svc;
	enum sg_bundle_where where = SG_BUNDLE_NONE;
	char *bundle = NULL;
	json_t *res, *gates, *g;
	char key[64];
	size_t i;
	int gi, oi;

	if (run->status_enum == SG_RUN_RUNNING)
		return;
	snprintf(key, sizeof(key), "%s/%s", run->feature_id, run->run_id);
	sg_mutex_lock(&svc->lock);
	res = json_incref(json_object_get(svc->gate_cache, key));
	sg_mutex_unlock(&svc->lock);
	if (!res) {
		if (sg_evidence_locate(&bundle, &where, &svc->eo,
			run->feature_id, run->run_id, run->bundle, NULL) < 0 ||
		    !bundle)
			goto out;
		res = json_array();
		gates = sg_service__gates_json(bundle);
		json_array_foreach(gates, i, g)
			json_array_append(res, json_object_get(g, "result"));
		json_decref(gates);
		sg_mutex_lock(&svc->lock);
		if (!svc->gate_cache)
			svc->gate_cache = json_object();
		json_object_set(svc->gate_cache, key, res);
		sg_mutex_unlock(&svc->lock);
	}
	for (i = 0; i < json_array_size(res) && i < SG_ARRAY_SIZE(gate_names);
	     i++) {
		gi = (int)i;
		oi = index_of(gate_outcomes, SG_ARRAY_SIZE(gate_outcomes),
		    json_string_value(json_array_get(res, i)) ?
			json_string_value(json_array_get(res, i)) : "");
		if (oi >= 0)
			t->gates[gi][oi]++;
	}
out:
	json_decref(res);
	free(bundle);
}

static int
record_cb(const struct sg_audit_record *rec, void *payload)
{
	struct tally *t = payload;
	enum sg_stage_id stage;
	int64_t at = sg_service__iso_seconds(rec->timestamp);
	int64_t *prev;
	char key[64];
	enum sg_checkpoint_status cp;
	int st = sg_checkpoint_status_parse(&cp, rec->status) < 0 ? -1 :
									 (int)cp;
	double d;

	if (sg_stage_parse(&stage, rec->stage) < 0 || st < 0)
		return 0;
	t->cps[stage][st]++;
	snprintf(key, sizeof(key), "%s/%s", rec->feature_id, rec->run_id);
	prev = seen_slot(&t->seen, key, false);
	/* A skipped stage did no work: it has no duration to observe. */
	if (prev && *prev >= 0 && at >= *prev &&
	    cp != SG_CP_SKIPPED) {
		d = (double)(at - *prev);
		for (size_t b = 0; b < NBUCKET; b++)
			if (d <= buckets[b])
				t->hist[stage][b]++;
		t->hist_count[stage]++;
		t->hist_sum[stage] += d;
	}
	if (prev && at >= 0)
		*prev = at;
	return 0;
}

void
sg_service__put_label(struct sg_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			sg_buf_puts(b, "\\\\");
		else if (*s == '"')
			sg_buf_puts(b, "\\\"");
		else if (*s == '\n')
			sg_buf_puts(b, "\\n");
		else
			sg_buf_putc(b, *s);
	}
}

void
sg_service__family(struct sg_buf *b, const char *name, const char *type,
    const char *help)
{
	sg_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

static void
put_runs(struct sg_buf *b, const struct tally *t)
{
	sg_service__family(b, "specgate_runs", "gauge",
	    "Runs in the store by mode and status (running, "
	    "awaiting_approval, or the final result).");
	for (size_t i = 0; i < t->nruns; i++) {
		sg_buf_puts(b, "specgate_runs{mode=\"");
		sg_service__put_label(b, t->runs[i].mode);
		sg_buf_puts(b, "\",status=\"");
		sg_service__put_label(b, t->runs[i].status);
		sg_buf_printf(b, "\"} %" PRIu64 "\n", t->runs[i].n);
	}
	sg_service__family(b, "specgate_approvals_waiting", "gauge",
	    "Runs whose status is awaiting_approval.");
	sg_buf_printf(b, "specgate_approvals_waiting %" PRIu64 "\n",
	    t->waiting);
}

static void
put_stages(struct sg_buf *b, const struct tally *t)
{
	uint64_t n;

	sg_service__family(b, "specgate_checkpoints_total", "counter",
	    "Checkpoints in the audit trail by stage and status.");
	for (int s = 0; s < NSTAGE; s++)
		for (size_t i = 0; i < NCPS; i++)
			sg_buf_printf(b,
			    "specgate_checkpoints_total{stage=\"%s\","
			    "status=\"%s\"} %" PRIu64 "\n",
			    sg_stage_name(s),
			    sg_checkpoint_status_name((enum sg_checkpoint_status)i),
			    t->cps[s][i]);
	sg_service__family(b, "specgate_stage_attempts_total", "counter",
	    "Attempts of each stage: its checkpoints with status success, "
	    "warning, failure or retry.");
	for (int s = 0; s < NSTAGE; s++) {
		n = t->cps[s][0] + t->cps[s][1] + t->cps[s][2] + t->cps[s][3];
		sg_buf_printf(b,
		    "specgate_stage_attempts_total{stage=\"%s\"} %" PRIu64 "\n",
		    sg_stage_name(s), n);
	}
	sg_service__family(b, "specgate_stage_retries_total", "counter",
	    "Failed attempts that were retried: checkpoints with status "
	    "retry, by stage.");
	for (int s = 0; s < NSTAGE; s++)
		sg_buf_printf(b,
		    "specgate_stage_retries_total{stage=\"%s\"} %" PRIu64 "\n",
		    sg_stage_name(s), t->cps[s][3]);
	sg_service__family(b, "specgate_stage_duration_seconds", "histogram",
	    "Time from a run's previous checkpoint (or its start) to each "
	    "checkpoint of the stage that is not skipped, in seconds; "
	    "checkpoint times have a resolution of one second.");
	for (int s = 0; s < NSTAGE; s++) {
		for (size_t i = 0; i < NBUCKET; i++)
			sg_buf_printf(b,
			    "specgate_stage_duration_seconds_bucket{stage=\"%s\","
			    "le=\"%g\"} %" PRIu64 "\n",
			    sg_stage_name(s), buckets[i], t->hist[s][i]);
		sg_buf_printf(b,
		    "specgate_stage_duration_seconds_bucket{stage=\"%s\","
		    "le=\"+Inf\"} %" PRIu64 "\n"
		    "specgate_stage_duration_seconds_sum{stage=\"%s\"} %.17g\n"
		    "specgate_stage_duration_seconds_count{stage=\"%s\"} %"
		    PRIu64 "\n",
		    sg_stage_name(s), t->hist_count[s], sg_stage_name(s),
		    t->hist_sum[s], sg_stage_name(s), t->hist_count[s]);
	}
	sg_service__family(b, "specgate_gate_results", "gauge",
	    "Runs by gate and result as their bundles record them; a gate "
	    "whose input never appeared is missing, one that did not run "
	    "skipped.");
	for (size_t g = 0; g < SG_ARRAY_SIZE(gate_names); g++)
		for (size_t o = 0; o < SG_ARRAY_SIZE(gate_outcomes); o++)
			sg_buf_printf(b, "specgate_gate_results{gate=\"%s\","
			    "outcome=\"%s\"} %" PRIu64 "\n", gate_names[g],
			    gate_outcomes[o], t->gates[g][o]);
}

/* Verify the chain when the last verification is older than a minute. */
static void
verify_chain(struct sg_service *svc, struct sg_store *st, bool *done,
    bool *ok, double *when)
{
	struct sg_audit_verify_result res;
	struct sg_error err = SG_ERROR_INIT;
	uint64_t now = sg_clock_ms();
	int rc;

	sg_mutex_lock(&svc->lock);
	if (!svc->verify_done || now - svc->verify_at_ms >= VERIFY_EVERY_MS) {
		rc = sg_audit_verify(&res, st, NULL, 0, &err);
		if (rc == 0 || rc == SG_EVERIFY) {
			svc->verify_done = true;
			svc->verify_ok = rc == 0;
			svc->verify_at_ms = now;
			svc->verify_time = (double)sg_utc_now();
		}
	}
	*done = svc->verify_done;
	*ok = svc->verify_ok;
	*when = svc->verify_time;
	sg_mutex_unlock(&svc->lock);
	sg_error_release(&err);
}

static void
put_audit(struct sg_buf *b, struct sg_service *svc, struct sg_store *st,
    const struct sg_audit_head *head)
{
	bool done, ok = false;
	double when = 0;

	sg_service__family(b, "specgate_audit_records", "gauge",
	    "Records in the audit trail: the sequence number of its head.");
	if (st)
		sg_buf_printf(b, "specgate_audit_records %" PRIu64 "\n",
		    head->seq);
	done = false;
	if (st)
		verify_chain(svc, st, &done, &ok, &when);
	sg_service__family(b, "specgate_audit_verify_ok", "gauge",
	    "1 when this service's last recomputation of the audit trail's "
	    "hash chain (at most once a minute, without the bundles' heads) "
	    "found it intact, else 0.");
	if (done)
		sg_buf_printf(b, "specgate_audit_verify_ok %d\n", ok);
	sg_service__family(b, "specgate_audit_verify_timestamp_seconds", "gauge",
	    "When that recomputation ran, in seconds since the epoch.");
	if (done)
		sg_buf_printf(b,
		    "specgate_audit_verify_timestamp_seconds %.0f\n", when);
}

static void
put_process(struct sg_buf *b)
{
	uint64_t v;
	double start;

	sg_service__family(b, "process_resident_memory_bytes", "gauge",
	    "Resident memory size in bytes (/proc/self/statm).");
	if (sg_proc_rss(&v) == 0)
		sg_buf_printf(b, "process_resident_memory_bytes %" PRIu64 "\n",
		    v);
	sg_service__family(b, "process_open_fds", "gauge",
	    "Open file descriptors (/proc/self/fd).");
	if (sg_proc_open_fds(&v) == 0)
		sg_buf_printf(b, "process_open_fds %" PRIu64 "\n", v);
	sg_service__family(b, "process_max_fds", "gauge",
	    "The soft limit on open file descriptors.");
	if (sg_proc_max_fds(&v) == 0)
		sg_buf_printf(b, "process_max_fds %" PRIu64 "\n", v);
	sg_service__family(b, "process_start_time_seconds", "gauge",
	    "Start time of the process since the epoch, in seconds.");
	if (sg_proc_start_time(&start) == 0)
		sg_buf_printf(b, "process_start_time_seconds %.2f\n", start);
}

static void
render(struct sg_service_response *r, struct sg_service *svc)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_audit_head head = {0, {0}};
	struct tally t;
	struct sg_store *st = NULL;
	struct sg_buf b;
	json_t *health;
	bool up, have_store;

	memset(&t, 0, sizeof(t));
	t.svc = svc;
	sg_buf_init(&b, 0);
	for (size_t m = 0; m < SG_ARRAY_SIZE(modes); m++)
		for (size_t s = 0; s < SG_ARRAY_SIZE(run_statuses); s++)
			count_run(&t, modes[m], run_statuses[s]);
	for (size_t i = 0; i < t.nruns; i++)
		t.runs[i].n = 0;
	up = sg_service__health(&health, svc);
	json_decref(health);
	have_store = sg_service__store_get(&st, svc, &err) == 0 &&
	    sg_store_run_list(st, NULL, run_cb, &t, &err) == 0 &&
	    sg_audit_foreach(st, NULL, record_cb, &t, &err) == 0 &&
	    sg_audit_head(&head, st, &err) == 0;
	if (!have_store && st) {
		sg_store_close(st);
		st = NULL;
	}
	sg_service__family(&b, "health_up", "gauge",
	    "1 when every check of /healthz passes (store, reports "
	    "directory, signing key), else 0.");
	sg_buf_printf(&b, "health_up %d\n", up ? 1 : 0);
	sg_service__family(&b, "specgate_build_info", "gauge",
	    "The specgate serving these metrics; version and commit are "
	    "fixed at build time.  Always 1.");
	sg_buf_puts(&b, "specgate_build_info{version=\"");
	sg_service__put_label(&b, sg_version());
	sg_buf_puts(&b, "\",commit=\"");
	sg_service__put_label(&b, sg_commit());
	sg_buf_puts(&b, "\"} 1\n");
	sg_service__family(&b, "specgate_store_up", "gauge",
	    "1 when this scrape could read the store, else 0 (and the "
	    "store's families below are all zero).");
	sg_buf_printf(&b, "specgate_store_up %d\n", have_store ? 1 : 0);
	if (!have_store) {
		/* A listing cut short would be a lie: report zeros instead. */
		for (size_t i = 0; i < t.nruns; i++)
			t.runs[i].n = 0;
		t.waiting = 0;
		memset(t.cps, 0, sizeof(t.cps));
		memset(t.hist, 0, sizeof(t.hist));
		memset(t.hist_count, 0, sizeof(t.hist_count));
		memset(t.hist_sum, 0, sizeof(t.hist_sum));
		memset(t.gates, 0, sizeof(t.gates));
	}
	put_runs(&b, &t);
	put_stages(&b, &t);
	put_audit(&b, svc, have_store ? st : NULL, &head);
	sg_service__put_releases(&b, svc);
	put_process(&b);
	sg_service__store_put(svc, st);
	tally_release(&t);
	sg_error_release(&err);
	r->status = 200;
	r->content_type = METRICS_TYPE;
	r->body = sg_buf_detach(&b, &r->len);
}

/*
 * A scrape reads the whole store: the body is reused for up to
 * SG_SERVICE_METRICS_TTL_MS so that many scrapers (or a benchmark) cost
 * one pass a second.
 */
void
sg_service__metrics(struct sg_service_response *r, struct sg_service *svc,
    const struct sg_service_request *req)
{
	uint64_t now = sg_clock_ms();
	char *body = NULL;
	size_t len = 0;

	sg_mutex_lock(&svc->lock);
	if (svc->metrics && now - svc->metrics_at_ms < SG_SERVICE_METRICS_TTL_MS) {
		len = svc->metrics_len;
		body = sg_xmalloc(len + 1);
		memcpy(body, svc->metrics, len + 1);
	}
	sg_mutex_unlock(&svc->lock);
	if (body) {
		sg_service__reply(r, 200, METRICS_TYPE, body, len);
		return;
	}
	render(r, svc);
	body = sg_xmalloc(r->len + 1);
	memcpy(body, r->body, r->len + 1);
	sg_mutex_lock(&svc->lock);
	free(svc->metrics);
	svc->metrics = body;
	svc->metrics_len = r->len;
	svc->metrics_at_ms = now;
	sg_mutex_unlock(&svc->lock);
}
