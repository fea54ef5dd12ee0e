/* SPDX-License-Identifier: MIT */
/*
 * deploy.c - the deploy stage's health check and deploy.json (run_int.h).
 *
 * When stages.deploy.health.url is set, an attempt whose commands all
 * succeeded is not a success until the URL answers: it is probed with
 * sg_smoke_probe() up to SG_RUN__HEALTH_TRIES times,
 * SG_RUN__HEALTH_INTERVAL_MS apart (a cancel cuts the wait short).  A
 * probe passes when sg_smoke_probe() calls the answer healthy (HTTP 200,
 * "status": "healthy", "metrics": {"health_up": 1}): `specgate smoke`
 * and the deploy share one definition.  With the local target (local.c)
 * the answer must also come from the release just started: the socket
 * listening on the port must belong to its process group, so a 200 from
 * another process holding the port is a failed probe.  No passing probe
 * fails the attempt, so the stage's retries and rollback apply as to a
 * failed command.
 *
 * deploy.json, written when the stage ends (success or not), says what
 * the deploy did: every command of every attempt with its exit status and
 * times, and every probe.  The health URL is shown masked everywhere
 * (sg_url_mask(): `user:[REDACTED]@`, `?token=[REDACTED]`).  The probes are kept in the run's context until
 * then.
 */
#include "run/run_int.h"

#include <jansson.h>
#include <string.h>

#include "run/run_deploy.h"
#include "specgate/service.h"
#include "util/utctime.h"
#include "util/util.h"

/* One health probe of the deploy stage. */
struct sg_run__probe {
	unsigned attempt; /* the stage's attempt */
	unsigned try;	  /* 1..SG_RUN__HEALTH_TRIES */
	int http_status;  /* 0: no answer */
	bool ok;
	char *summary;	  /* owned */
};

#define DEPLOY_JSON SG_RUN__DEPLOY_JSON

static void
probe_add(struct sg_run__ctx *c, unsigned attempt, unsigned try,
    int http_status, bool ok, const char *summary)
{
	struct sg_run__probe *p;

	c->probes = sg_xreallocarray(c->probes, c->nprobes + 1,
	    sizeof(*c->probes));
	p = &c->probes[c->nprobes++];
	p->attempt = attempt;
	p->try = try;
	p->http_status = http_status;
	p->ok = ok;
	p->summary = sg_url_mask(summary);
}

int
sg_run__deploy_health(struct sg_run__ctx *c, unsigned attempt,
    struct sg_buf *log, bool *ok, char *why, size_t why_size,
    struct sg_error *err)
{
	const char *url = c->cfg->stages[SG_STAGE_DEPLOY].health_url;
	struct sg_smoke_result r;
	struct sg_error mine = SG_ERROR_INIT;
	char *shown;	/* the URL as the log and the detail show it */
	char *said;
	char owner[256];
	int sig;
	int e;

	*ok = true;
	owner[0] = '\0';
	if (!url)
		return 0;
	*ok = false;
	shown = sg_url_mask(url);
	for (unsigned t = 1; t <= SG_RUN__HEALTH_TRIES && !*ok; t++) {
		if (t > 1 && (sig = sg_proc_sleep(SG_RUN__HEALTH_INTERVAL_MS,
		    c->opts->cancel_fd))) {
			c->cancelled = true;
			c->out->cancel_signal = sig;
			break;
		}
		e = sg_smoke_probe(&r, url, SG_RUN__HEALTH_TIMEOUT_MS, &mine);
		*ok = e == 0 && r.healthy;
		if (*ok && (e = sg_run__local_owner(c, ok, owner,
		    sizeof(owner), err)) < 0) {
			sg_smoke_result_release(&r);
			free(shown);
			return e;
		}
		if (!*ok && e == 0 && *owner) {
			char *s = sg_xasprintf("%s; but %s", r.summary, owner);

			free(r.summary);
			r.summary = s;
		}
		probe_add(c, attempt, t, e == 0 ? r.http_status : 0, *ok,
		    e == 0 ? r.summary : mine.message);
		said = c->probes[c->nprobes - 1].summary;
		sg_buf_printf(log, "-- health%s %s (try %u of %u): %s: %s\n",
		    attempt ? "" : " (rollback)", shown, t,
		    SG_RUN__HEALTH_TRIES, *ok ? "ok" : "failed", said);
		snprintf(why, why_size, "health check %.200s failed %u "
		    "time%s: %.200s", shown, t, t == 1 ? "" : "s", said);
		sg_smoke_result_release(&r);
		sg_error_release(&mine);
	}
	if (*ok)
		why[0] = '\0';
	free(shown);
	return 0;
}

static json_t *
commands_json(const struct sg_stage_result *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->ncommands; i++) {
		const struct sg_run_command *cmd = &r->commands[i];
		const struct sg_proc_result *pr = &cmd->result;

		json_array_append_new(a, json_pack("{s:s, s:i, s:b, s:i, "
		    "s:i, s:b, s:I}", "command", cmd->command, "attempt",
		    (int)cmd->attempt, "ok", sg_proc_result_ok(pr),
		    "exit_code", pr->exit_code, "signal", pr->signal,
		    "timed_out",
		    pr->timed_out, "wall_ms", (json_int_t)(pr->wall_us / 1000)));
	}
	return a;
}

static json_t *
probes_json(const struct sg_run__ctx *c)
{
	json_t *a = json_array();

	for (size_t i = 0; i < c->nprobes; i++) {
		const struct sg_run__probe *p = &c->probes[i];

		json_array_append_new(a, json_pack("{s:i, s:i, s:i, s:b, s:s}",
		    "attempt", (int)p->attempt, "try", (int)p->try,
		    "http_status", p->http_status, "ok", p->ok, "summary",
		    p->summary));
	}
	return a;
}

int
sg_run__deploy_document(struct sg_run__ctx *c, struct sg_error *err)
{
	const struct sg_stage_result *r = &c->out->stages[SG_STAGE_DEPLOY];
	const char *health = c->cfg->stages[SG_STAGE_DEPLOY].health_url;
	char *url = health ? sg_url_mask(health) : NULL;
	char ts[SG_UTC_ISO_SIZE];
	json_t *doc;

	if (sg_utc_iso(ts, sg_utc_report_now()) < 0) {
		free(url);
		return sg_error_set(err, SG_EIO, "the clock is out of range");
	}
	doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:s, "
	    "s:o, s:o}", "schema", "specgate/deploy/v1", "feature_id",
	    c->out->feature_id, "run_id", c->out->run_id, "mode",
	    sg_mode_name(c->cfg->mode), "timestamp", ts, "attempts",
	    (int)r->attempts, "commands", commands_json(r), "health_url",
	    url ? json_string(url) : json_null(), "health", probes_json(c),
	    "target", sg_run__local_enabled(c) ? "local" :
	    sg_run__kube_enabled(c) ? "kubernetes" : "commands",
	    "local", sg_run__local_json(c), "kubernetes",
	    sg_run__kube_json(c));
	free(url);
	/* A promotion names its environment and the run it promotes. */
	if (doc && c->opts->promote) {
		json_object_set_new(doc, "environment",
		    json_string(c->opts->promote->env->name));
		json_object_set_new(doc, "promotes",
		    json_string(c->opts->promote->run_id));
		json_object_set_new(doc, "artifacts_of",
		    json_string(c->opts->promote->source));
	}
	/* A continuation's deploy names the approved run it deploys. */
	if (doc && c->opts->approvals)
		json_object_set_new(doc, "continues",
		    json_string(c->opts->approvals->run_id));
	return sg_run__write_json(c, SG_STAGE_DEPLOY, DEPLOY_JSON, doc, err);
}

int
sg_run__deploy_check(struct sg_run__ctx *c, unsigned attempt,
    struct sg_buf *log, bool *ok, char *why, size_t why_size,
    struct sg_error *err)
{
	int error;

	*ok = true;
	if (sg_run__kube_enabled(c)) {
		/* no cluster: nothing runs here for the health URL to probe */
		sg_buf_printf(log, "-- health: not probed (the kubernetes "
		    "target applies nothing)\n");
		return sg_run__kube_render(c, log, ok, why, why_size, err);
	}
	if (sg_run__local_enabled(c) &&
	    ((error = sg_run__local_deploy(c, attempt, log, ok, why,
		why_size, err)) < 0 || !*ok))
		return error;
	if ((error = sg_run__deploy_health(c, attempt, log, ok, why,
		 why_size, err)) < 0)
		return error;
	if (!*ok)
		sg_run__local_stop(c, log);
	return 0;
}

int
sg_run__deploy_restore(struct sg_run__ctx *c, struct sg_buf *log,
    struct sg_error *err)
{
	char why[300];
	bool ok;
	int error;

	if (!sg_run__local_enabled(c) || !c->local)
		return 0;
	why[0] = '\0';
	if ((error = sg_run__local_rollback(c, log, &ok, why, sizeof(why),
		 err)) < 0)
		return error;
	c->restored = ok ? 1 : -1;
	if (ok)
		snprintf(c->restore_why, sizeof(c->restore_why), "%s",
		    sg_run__local_restored(c));
	else
		snprintf(c->restore_why, sizeof(c->restore_why), "%s", why);
	return 0;
}

void
sg_run__deploy_release(struct sg_run__ctx *c)
{
	sg_run__local_release(c);
	sg_run__kube_release(c);
	for (size_t i = 0; i < c->nprobes; i++)
		free(c->probes[i].summary);
	free(c->probes);
	c->probes = NULL;
	c->nprobes = 0;
}
