/* SPDX-License-Identifier: MIT */
/*
 * local.c - the deploy stage's built-in `local` target (run_int.h,
 * docs/deploy.md).
 *
 * A deploy of run R, after the stage's own commands succeeded:
 *
 *   1. .specgate/releases/R/ gets a copy of every artifact of the build
 *      stage, each copy hashed again and compared with the digest the
 *      build recorded (in compliance, the bytes the approvers saw): a
 *      file that changed since is refused, nothing is started.
 *   2. The port (stages.deploy.port, else the health URL's) must be free
 *      or held by the previous release only: a foreign listener fails the
 *      attempt before anything is stopped, so the running release keeps
 *      serving.
 *   3. The previous release (the target of the `current` link) is
 *      stopped through its supervisor, and its control group removed.
 *   4. Limits: the largest cpu and memory any scenario declares, clamped
 *      into the mode's ranges (the mode's maxima when none declares);
 *      cgroup v2, else v1, else setrlimit (RLIMIT_AS only: setrlimit has
 *      no CPU share), or setrlimit when stages.deploy.limits says so.
 *   5. A supervisor (sys/release.h) starts `start` in R/ in a process
 *      group of its own, with SPECGATE_RELEASE_ID, SPECGATE_RELEASE_DIR
 *      and SPECGATE_PORT in its environment, restarts it after a crash up
 *      to `restarts` times, and outlives the run.
 *   6. `current` is switched to R atomically (a new link renamed over it).
 *
 * The health check (deploy.c) then asks whether the socket that answers
 * on the port belongs to R's process group (sg_run__local_owner()): a 200
 * from another process is not R's health.  A failed attempt stops R; a
 * failed last attempt restores the previous release (restarted under a
 * new supervisor with its recorded command and limits, `current` switched
 * back, and health-checked like a deploy).  What happened goes into
 * deploy.json's "local" object (sg_run__local_json()).
 *
 * Each release's record is .specgate/releases/R.json: what is needed to
 * stop it (the supervisor's pid and start time, the service's process
 * group) and to start it again.  The supervisor's own view (running,
 * restarting, failed; restarts so far) is R.state.json, and the
 * service's output R.log.
 */
#include "run/run_int.h"

#include <ctype.h>
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "hash/digest.h"
#include "run/run_deploy.h"
#include "specgate/approval.h"
#include "specgate/evidence.h"
#include "specgate/store.h"
#include "specgate/validate.h"
#include "sys/dir.h"
#include "sys/fs.h"
#include "sys/release.h"
#include "sys/spawn.h"
#include "util/util.h"

#define RELEASES ".specgate/releases"
#define DEFAULT_RESTARTS 3
#define RESTART_DELAY_MS 1000
#define GRACE_MS 5000
#define START_TIMEOUT_MS 10000
#define PORT_WAIT_MS 5000
#define LISTEN_WAIT_MS 30000
#define RECORD_MAX (64u << 10)
#define KEEP_RELEASES 5 /* older releases than current and previous */

struct sg_run__local {
	char *releases;	/* absolute */
	char *id;	/* the release: the run id */
	char *dir;
	char *previous; /* its id, or NULL */
	bool previous_stopped;
	bool previous_killed;
	unsigned port;
	double cpu;
	uint64_t memory_mb;
	struct sg_cgroup cg;
	enum sg_limit_mech mech;
	char mech_why[512];
	pid_t sup, pid;
	uint64_t sup_start;
	const char *running; /* id or previous: the one started last */
	pid_t rel_sup, rel_pid; /* this run's release, as started */
	bool started;
	json_t *artifacts;
	json_t *rollback; /* NULL until one ran */
	char restored[200]; /* what the rollback did, for its checkpoint */
};

bool
sg_run__local_enabled(const struct sg_run__ctx *c)
{
	const char *t = c->cfg->stages[SG_STAGE_DEPLOY].target;

	return t && !strcmp(t, "local");
}

/* The port of an http(s) URL: explicit, else 80 or 443; 0 when none. */
static unsigned
url_port(const char *url)
{
	const char *p, *host, *end, *colon;
	unsigned port;

	if (!url || !(p = strstr(url, "://")))
		return 0;
	port = !strncmp(url, "https", 5) ? 443 : 80;
	host = p + 3;
	end = host + strcspn(host, "/?#");
	for (const char *at = host; at < end; at++)
		if (*at == '@')
			host = at + 1;
	if (*host == '[') {
		const char *rb = memchr(host, ']', (size_t)(end - host));

		colon = rb && rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = memchr(host, ':', (size_t)(end - host));
	}
	if (colon) {
		port = 0;
		for (p = colon + 1; p < end && isdigit((unsigned char)*p); p++)
			port = port * 10 + (unsigned)(*p - '0');
		if (p != end || port > 65535)
			port = 0;
	}
	return port;
}

unsigned
sg_run__deploy_port(const struct sg_run__ctx *c)
{
	const struct sg_stage_config *sc = &c->cfg->stages[SG_STAGE_DEPLOY];

	return sc->port ? sc->port : url_port(sc->health_url);
}

/* x within the range [lo, hi] */
static double
clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

void
sg_run__deploy_limits(const struct sg_run__ctx *c,
    struct sg_run__limits *lim)
{
	const struct sg_mode_policy *pol = &c->cfg->policy[c->cfg->mode];
	const struct sg_validation *v = c->out->validation;
	double cpu_hi = 0, mem_hi = 0, cpu_lo = 0, mem_lo = 0;
	bool any = false;

	for (size_t i = 0; v && i < v->nfiles; i++) {
		for (size_t j = 0; j < v->files[i].nscenarios; j++) {
			const struct sg_validated_scenario *sc =
			    &v->files[i].scenarios[j];
			double mem = (double)sc->resources.memory_mb;

			if (!sc->resources_valid)
				continue;
			if (!any || sc->resources.cpu < cpu_lo)
				cpu_lo = sc->resources.cpu;
			if (!any || mem < mem_lo)
				mem_lo = mem;
			if (sc->resources.cpu > cpu_hi)
				cpu_hi = sc->resources.cpu;
			if (mem > mem_hi)
				mem_hi = mem;
			any = true;
		}
	}
	if (!any) {
		cpu_lo = pol->cpu.min;
		mem_lo = pol->memory.min;
		cpu_hi = pol->cpu.max;
		mem_hi = pol->memory.max;
	}
	lim->declared = any;
	lim->cpu = clamp(cpu_hi, pol->cpu.min, pol->cpu.max);
	lim->cpu_request = clamp(cpu_lo, pol->cpu.min, lim->cpu);
	mem_hi = clamp(mem_hi, pol->memory.min, pol->memory.max);
	mem_lo = clamp(mem_lo, pol->memory.min, mem_hi);
	if (lim->cpu <= 0)
		lim->cpu = 0.01;
	if (lim->cpu_request <= 0)
		lim->cpu_request = 0.01;
	lim->memory_mb = mem_hi < 1 ? 1 : (uint64_t)mem_hi;
	lim->memory_request_mb = mem_lo < 1 ? 1 : (uint64_t)mem_lo;
}

static int approved_artifacts(struct sg_run__ctx *c, const char *src_run,
    const char *src_manifest, struct sg_run_artifact **out, size_t *n,
    char *why, size_t why_size, struct sg_error *err);

/* ---- the release's record ---- */

static char *
rel_path(const struct sg_run__local *l, const char *id, const char *suffix)
{
	return sg_xasprintf("%s/%s%s", l->releases, id, suffix);
}

static int
record_write(const struct sg_run__ctx *c, const char *id,
    const char *command, pid_t sup, uint64_t sup_start, pid_t pid,
    const struct sg_cgroup *cg, double cpu, uint64_t mem_mb,
    struct sg_error *err)
{
	const struct sg_run__local *l = c->local;
	char *path = rel_path(l, id, ".json");
	json_t *dirs = json_array();
	char *text;
	json_t *doc;
	int error;

	for (int i = 0; i < 2; i++)
		if (cg->dirs[i])
			json_array_append_new(dirs, json_string(cg->dirs[i]));
	/*
	 * port, health_url and environment are what `specgate serve` needs
	 * to probe the release the way this deploy did (service/releases.c);
	 * the URL may carry a password, so the record is the owner's only.
	 */
	doc = json_pack("{s:s, s:s, s:i, s:I, s:i, s:s, s:o, s:f, s:I, s:i, "
	    "s:s?, s:s?}", "release", id, "command", command,
	    "supervisor_pid", (int)sup, "supervisor_start",
	    (json_int_t)sup_start, "pid", (int)pid, "mechanism",
	    sg_limit_mech_name(cg->mech), "cgroups", dirs, "cpu", cpu,
	    "memory_mb", (json_int_t)mem_mb, "port", (int)l->port,
	    "health_url", c->cfg->stages[SG_STAGE_DEPLOY].health_url,
	    "environment", c->opts->promote ? c->opts->promote->env->name :
	    NULL);
	text = doc ? json_dumps(doc, JSON_SORT_KEYS | JSON_INDENT(2)) : NULL;
	error = text ? sg_fs_write_atomic(path, text, strlen(text), 0600,
	    err) : sg_error_set(err, SG_EIO, "cannot render '%s'", path);
	free(text);
	json_decref(doc);
	free(path);
	return error;
}

/* A release's record, or NULL (none, unreadable: nothing to stop). */
static json_t *
record_read(const struct sg_run__local *l, const char *id)
{
	char *path = rel_path(l, id, ".json");
	struct sg_error e = SG_ERROR_INIT;
	struct sg_buf b;
	json_t *doc = NULL;

	sg_buf_init(&b, 0);
	if (sg_fs_read_file(&b, path, RECORD_MAX, &e) == 0)
		doc = json_loadb(b.ptr, b.len, 0, NULL);
	sg_buf_release(&b);
	sg_error_release(&e);
	free(path);
	if (doc && !json_is_object(doc)) {
		json_decref(doc);
		doc = NULL;
	}
	return doc;
}

static int
rec_int(const json_t *rec, const char *key)
{
	return (int)json_integer_value(json_object_get(rec, key));
}

/* Stop the release a record describes; remove its control groups. */
static void
record_stop(const struct sg_run__local *l, const char *id,
    const json_t *rec, pid_t pid, bool *killed)
{
	char *state = rel_path(l, id, ".state.json");
	struct sg_cgroup cg;
	json_t *d;
	size_t i;

	memset(&cg, 0, sizeof(cg));
	sg_supervise_stop(rec_int(rec, "supervisor_pid"),
	    (uint64_t)json_integer_value(json_object_get(rec,
	    "supervisor_start")), pid, GRACE_MS, state, killed);
	free(state);
	json_array_foreach(json_object_get(rec, "cgroups"), i, d)
		if (i < 2 && json_is_string(d))
			cg.dirs[i] = sg_xstrdup(json_string_value(d));
	sg_cgroup_remove(&cg);
}

/* ---- the port ---- */

/*
 * Whether every listener on the port is in group pgid (0: there must be
 * none); why says who else holds it.
 */
static int
port_check(bool *ok, unsigned port, pid_t pgid, bool require, char *why,
    size_t why_size, struct sg_error *err)
{
	struct sg_listener *ls = NULL;
	size_t n = 0;
	bool any;
	int error;

	*ok = true;
	if (!port)
		return 0;
	if ((error = sg_sys_port_listeners(&ls, &n, &any, port, err)) < 0)
		return error;
	for (size_t i = 0; i < n && *ok; i++) {
		if (pgid > 0 && ls[i].pgid == pgid)
			continue;
		*ok = false;
		snprintf(why, why_size, "port %u is held by pid %d (%s)%s",
		    port, (int)ls[i].pid, ls[i].comm, pgid > 0 ?
		    ", not by the release's process group" : "");
	}
	if (*ok && any && !n) {
		*ok = false;
		snprintf(why, why_size, "port %u is held by a process this "
		    "user cannot see", port);
	}
	if (*ok && require && !n) {
		*ok = false;
		snprintf(why, why_size, "nothing listens on port %u", port);
	}
	free(ls);
	return 0;
}

/*
 * The service's pid now, and the supervisor's state ("running",
 * "restarting", "failed"): a restart after a crash makes a new process
 * group, which the supervisor's state file names.
 */
static pid_t
current_pid(const struct sg_run__local *l, const char *id, pid_t fallback,
    char *state, size_t state_size)
{
	char *path = rel_path(l, id, ".state.json");
	struct sg_release_state rs;
	pid_t pid = fallback;

	if (sg_release_state_read(&rs, path) == 0) {
		pid = rs.pid;
		snprintf(state, state_size, "%s", rs.state);
	} else {
		snprintf(state, state_size, "unknown");
	}
	free(path);
	return pid;
}

int
sg_run__local_owner(struct sg_run__ctx *c, bool *ok, char *why,
    size_t why_size, struct sg_error *err)
{
	struct sg_run__local *l = c->local;
	char state[32];

	*ok = true;
	if (!l || !l->started || !l->port)
		return 0;
	return port_check(ok, l->port, current_pid(l, l->running, l->pid,
	    state, sizeof(state)), true, why, why_size, err);
}

/*
 * Wait (up to LISTEN_WAIT_MS) until the release listens on its port, so
 * that a slow start is not taken for a failed probe; stop waiting when its
 * supervisor gave up.  The probes decide either way.
 */
static void
wait_listening(const struct sg_run__local *l, struct sg_buf *log)
{
	char why[256], state[32];
	uint64_t t0 = sg_proc_now_ms();
	bool ok = false;
	pid_t pid;

	if (!l->port)
		return;
	while (sg_proc_now_ms() - t0 < LISTEN_WAIT_MS) {
		pid = current_pid(l, l->running, l->pid, state,
		    sizeof(state));
		if (!strcmp(state, "failed"))
			break;
		if (port_check(&ok, l->port, pid, true, why, sizeof(why),
			NULL) == 0 && ok)
			break;
		(void)sg_proc_sleep(100, -1);
	}
	sg_buf_printf(log, "-- release %s: %s on port %u after %.1f s\n",
	    l->running, ok ? "listening" : "not listening", l->port,
	    (double)(sg_proc_now_ms() - t0) / 1000.0);
}

/* ---- the release directory ---- */

static int
make_parents(const char *path, struct sg_error *err)
{
	char *dir = sg_xstrdup(path);
	char *slash = strrchr(dir, '/');
	int error = 0;

	if (slash && slash != dir) {
		*slash = '\0';
		error = sg_dir_make_all(dir, 0755, err);
	}
	free(dir);
	return error;
}

/*
 * A resumed compliance run did not build: the artifacts to deploy are the
 * approved run's, from the artifacts.json of its bundle, whose digest its
 * manifest lists, whose digest the approvals pinned (and resume checked).
 * Each link of that chain is checked again here, so that a bundle edited
 * since the approval is refused.  A promotion (`specgate promote`) did
 * not build either: the same chain from the promoted run's bundle, whose
 * manifest digest sg_promote_check() took.  *out gets *n build
 * artifacts; *why says what is wrong when *n is 0 and there should have
 * been some.
 */
static int
approved_artifacts(struct sg_run__ctx *c, const char *src_run,
    const char *src_manifest, struct sg_run_artifact **out, size_t *n,
    char *why, size_t why_size, struct sg_error *err)
{
	struct sg_manifest m;
	struct sg_run *run = NULL;
	struct sg_buf doc;
	char *bundle = NULL, *text = NULL, *path = NULL;
	const char *want = NULL;
	char sha[65];
	json_t *j = NULL, *a;
	size_t i;
	int error;

	*out = NULL;
	*n = 0;
	memset(&m, 0, sizeof(m));
	sg_buf_init(&doc, 0);
	if ((error = sg_approval_find_run(&run, c->st, src_run, err)) < 0)
		goto out;
	if (!run->bundle) {
		snprintf(why, why_size, "run %s has no bundle",
		    src_run);
		goto out;
	}
	bundle = run->bundle[0] == '/' ? sg_xstrdup(run->bundle) :
	    sg_xasprintf("%s/%s", c->cfg->root, run->bundle);
	if ((error = sg_evidence_read_manifest(&text, bundle, err)) < 0 ||
	    (error = sg_sha256_hex(sha, text, strlen(text), err)) < 0)
		goto out;
	if (strcmp(sha, src_manifest)) {
		snprintf(why, why_size, "the bundle %s changed since "
		    "it was checked (manifest sha256 %s, checked %s)", bundle,
		    sha, src_manifest);
		goto out;
	}
	if ((error = sg_manifest_parse(&m, text, strlen(text), err)) < 0)
		goto out;
	for (i = 0; i < m.nfiles; i++)
		if (!strcmp(m.files[i].path, "artifacts.json"))
			want = m.files[i].sha256;
	path = sg_xasprintf("%s/artifacts.json", bundle);
	if (!want || (error = sg_fs_read_file(&doc, path, RECORD_MAX * 16,
	    err)) < 0 || (error = sg_sha256_hex(sha, doc.ptr, doc.len,
	    err)) < 0 || strcmp(sha, want)) {
		if (!error)
			snprintf(why, why_size, "%s is %s", path, want ?
			    "not the one its manifest lists" :
			    "not in the bundle deployed from");
		goto out;
	}
	j = json_loadb(doc.ptr, doc.len, 0, NULL);
	json_array_foreach(json_object_get(j, "artifacts"), i, a) {
		const char *st = json_string_value(json_object_get(a, "stage"));
		const char *p = json_string_value(json_object_get(a, "path"));
		const char *h = json_string_value(json_object_get(a, "sha256"));
		const char *t = json_string_value(json_object_get(a, "type"));
		struct sg_run_artifact *r;

		if (!st || strcmp(st, "build") || !p || !h || strlen(h) != 64)
			continue;
		*out = sg_xreallocarray(*out, *n + 1, sizeof(**out));
		r = &(*out)[(*n)++];
		r->path = sg_xstrdup(p);
		r->is_link = t && !strcmp(t, "symlink");
		r->size = (uint64_t)json_integer_value(json_object_get(a,
		    "size"));
		memcpy(r->sha256, h, 65);
	}
out:
	json_decref(j);
	sg_manifest_release(&m);
	sg_buf_release(&doc);
	free(path);
	free(text);
	free(bundle);
	sg_run_free(run);
	return error;
}

int
sg_run__promote_artifacts(struct sg_run__ctx *c, bool *ok, char *why,
    size_t why_size, struct sg_error *err)
{
	const struct sg_promotion *p = c->opts->promote;
	struct sg_run_artifact *arts = NULL;
	unsigned char bin[32];
	size_t n = 0;
	char hex[65];
	int error;

	*ok = false;
	why[0] = '\0';
	if ((error = approved_artifacts(c, p->source,
		 p->source_manifest_sha256, &arts, &n, why, why_size, err)) < 0)
		return error;
	/* a run that declared no artifacts: nothing to compare */
	*ok = n > 0 || !why[0] || strstr(why, "not in the bundle deployed");
	if (!n && *ok)
		why[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char *path = sg_xasprintf("%s/%s", c->cfg->root, arts[i].path);
		struct sg_error mine = SG_ERROR_INIT;

		if (*ok && (arts[i].is_link || sg_sha256_path(bin, path,
		    UINT64_MAX, &mine) < 0)) {
			*ok = false;
			snprintf(why, why_size, "artifact '%s' of run %s: %s",
			    arts[i].path, p->source, arts[i].is_link ?
			    "a symbolic link" : mine.message);
		} else if (*ok) {
			sg_hex_lower(hex, bin, sizeof(bin));
			if (strcmp(hex, arts[i].sha256)) {
				*ok = false;
				snprintf(why, why_size, "artifact '%s' changed "
				    "since run %s built it: sha256 %s, "
				    "recorded %s", arts[i].path, p->source,
				    hex, arts[i].sha256);
			}
		}
		sg_error_release(&mine);
		free(path);
		free(arts[i].path);
	}
	free(arts);
	return 0;
}

/*
 * Copy the build's artifacts into l->dir, each copy checked against the
 * digest the build recorded (a resumed compliance run: the approved
 * run's, approved_artifacts()).  *ok false (why) when one differs.
 */
static int
copy_artifacts(struct sg_run__ctx *c, struct sg_buf *log, bool *ok,
    char *why, size_t why_size, struct sg_error *err)
{
	const struct sg_stage_result *b = &c->out->stages[SG_STAGE_BUILD];
	struct sg_run__local *l = c->local;
	struct sg_run_artifact *arts = b->artifacts, *mine = NULL;
	size_t narts = b->nartifacts, nmine = 0;
	unsigned char bin[32];
	char hex[65];
	int error = 0;

	*ok = false;
	why[0] = '\0';
	if (!narts && (c->opts->approvals || c->opts->promote)) {
		const char *src = c->opts->approvals ?
		    c->opts->approvals->run_id : c->opts->promote->source;

		if ((error = approved_artifacts(c, src, c->opts->approvals ?
		    c->opts->approvals->manifest_sha256 :
		    c->opts->promote->source_manifest_sha256, &mine, &nmine,
		    why, why_size, err)) < 0)
			return error;
		arts = mine;
		narts = nmine;
		if (nmine)
			sg_buf_printf(log, "-- the artifacts %s in run %s\n",
			    c->opts->approvals ? "approved" : "built", src);
	}
	if (!narts) {
		if (!why[0])
			snprintf(why, why_size, "the local target deploys the "
			    "build stage's artifacts, and this run recorded "
			    "none (stages.build.artifacts)");
		goto done;
	}
	for (size_t i = 0; i < narts; i++) {
		const struct sg_run_artifact *a = &arts[i];
		char *src = sg_xasprintf("%s/%s", c->cfg->root, a->path);
		char *dst = sg_xasprintf("%s/%s", l->dir, a->path);
		unsigned mode = 0644;

		if (a->is_link || strstr(a->path, "..")) {
			snprintf(why, why_size, "artifact '%s' is a symbolic "
			    "link or leaves the project", a->path);
			error = 1;
		} else if ((error = make_parents(dst, err)) < 0 ||
		    (error = sg_fs_perm(&mode, src, err)) < 0 ||
		    (error = sg_sys_copy_file(src, dst, mode, err)) < 0 ||
		    (error = sg_sha256_path(bin, dst, UINT64_MAX, err)) < 0) {
			/* error set */
		} else {
			sg_hex_lower(hex, bin, sizeof(bin));
			if (strcmp(hex, a->sha256)) {
				snprintf(why, why_size, "artifact '%s' changed "
				    "since the build: sha256 %s, recorded %s",
				    a->path, hex, a->sha256);
				error = 1;
			} else {
				json_array_append_new(l->artifacts,
				    json_pack("{s:s, s:s, s:I}", "path",
				    a->path, "sha256", hex, "size",
				    (json_int_t)a->size));
				sg_buf_printf(log, "-- release %s: %s "
				    "(sha256 %s, as built)\n", l->id, a->path,
				    hex);
			}
		}
		free(src);
		free(dst);
		if (error)
			goto done;
	}
	*ok = true;
done:
	for (size_t i = 0; i < nmine; i++)
		free(mine[i].path);
	free(mine);
	return error < 0 ? error : 0;
}

/* ---- starting ---- */

static char **
release_env(struct sg_run__ctx *c, const char *id, const char *dir,
    unsigned port)
{
	const struct sg_stage_config *sc = &c->cfg->stages[SG_STAGE_DEPLOY];
	size_t n = 0, cap = c->nenv + sc->nenv + 4;
	char **env = sg_xcalloc(cap + 1, sizeof(*env));

	for (size_t i = 0; i < c->nenv; i++)
		if (strncmp(c->env[i], "SPECGATE_RELEASE_", 17) &&
		    strncmp(c->env[i], "SPECGATE_PORT=", 14))
			env[n++] = sg_xstrdup(c->env[i]);
	for (size_t i = 0; i < sc->nenv; i++)
		env[n++] = sg_xasprintf("%s=%s", sc->env[i].key,
		    sc->env[i].value);
	env[n++] = sg_xasprintf("SPECGATE_RELEASE_ID=%s", id);
	env[n++] = sg_xasprintf("SPECGATE_RELEASE_DIR=%s", dir);
	env[n++] = sg_xasprintf("SPECGATE_PORT=%u", port);
	env[n] = NULL;
	return env;
}

static void
env_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

/*
 * Limits and a supervisor for release id (in dir) running command.
 * Fills l->cg, l->mech, l->sup, l->pid.
 */
static int
start_release(struct sg_run__ctx *c, const char *id, const char *command,
    double cpu, uint64_t mem_mb, struct sg_buf *log, struct sg_error *err)
{
	const struct sg_stage_config *sc = &c->cfg->stages[SG_STAGE_DEPLOY];
	struct sg_run__local *l = c->local;
	struct sg_supervise sv;
	char *dir = rel_path(l, id, "");
	char *logp = rel_path(l, id, ".log");
	char *state = rel_path(l, id, ".state.json");
	char name[200];
	char **env;
	size_t k = 0;
	int error;

	for (const char *p = c->cfg->project; p && *p && k < 80; p++)
		name[k++] = isalnum((unsigned char)*p) || *p == '-' ? *p : '_';
	snprintf(name + k, sizeof(name) - k, "%sspecgate-%s", k ? "." : "",
	    id);
	memset(&sv, 0, sizeof(sv));
	sg_cgroup_release(&l->cg);
	l->mech_why[0] = '\0';
	if (!sc->limits || strcmp(sc->limits, "rlimit"))
		(void)sg_cgroup_make(&l->cg, name, cpu, mem_mb << 20,
		    l->mech_why, sizeof(l->mech_why), err);
	else
		snprintf(l->mech_why, sizeof(l->mech_why),
		    "stages.deploy.limits is rlimit");
	l->mech = l->cg.mech;
	if (l->mech == SG_LIMIT_NONE) {
		l->mech = l->cg.mech = SG_LIMIT_RLIMIT;
		sv.rlimit_as = mem_mb << 20;
	}
	sg_buf_printf(log, "-- release %s: limits cpu %.2f, memory %" PRIu64
	    " MB by %s%s%s\n", id, cpu, mem_mb, sg_limit_mech_name(l->mech),
	    *l->mech_why ? " (" : "", *l->mech_why ? l->mech_why : "");
	if (*l->mech_why)
		sg_buf_put(log, ")\n", 2);
	env = release_env(c, id, dir, l->port);
	sv.command = command;
	sv.cwd = dir;
	sv.envp = env;
	sv.log_path = logp;
	sv.state_path = state;
	sv.restarts = sc->has_restarts ? sc->restarts : DEFAULT_RESTARTS;
	sv.restart_delay_ms = RESTART_DELAY_MS;
	sv.grace_ms = GRACE_MS;
	sv.cgroup_procs = l->cg.mech == SG_LIMIT_RLIMIT ? NULL : l->cg.procs;
	sv.cgroup_dirs = l->cg.mech == SG_LIMIT_RLIMIT ? NULL : l->cg.dirs;
	error = sg_supervise_start(&l->sup, &l->sup_start, &l->pid, &sv,
	    START_TIMEOUT_MS, err);
	if (!error) {
		l->started = true;
		l->running = id == l->id ? l->id : l->previous;
		if (id == l->id) {
			l->rel_sup = l->sup;
			l->rel_pid = l->pid;
		}
		sg_buf_printf(log, "-- release %s: supervisor pid %d, service "
		    "pid %d (its own process group), output in %s\n", id,
		    (int)l->sup, (int)l->pid, logp);
		error = record_write(c, id, command, l->sup, l->sup_start,
		    l->pid, &l->cg, cpu, mem_mb, err);
	} else {
		sg_cgroup_remove(&l->cg);
	}
	env_free(env);
	free(dir);
	free(logp);
	free(state);
	return error;
}

/* Point `current` at id, atomically; NULL removes it. */
static int
switch_current(const struct sg_run__local *l, const char *id,
    struct sg_error *err)
{
	struct sg_dir d = SG_DIR_INIT;
	int error;

	if ((error = sg_dir_open(&d, NULL, l->releases, 0, err)) < 0)
		return error;
	if (!id) {
		error = sg_dir_unlink(&d, "current", err);
	} else if (!(error = sg_dir_unlink(&d, "current.tmp", err)) &&
	    !(error = sg_dir_symlink(&d, "current.tmp", id, err)) &&
	    !(error = sg_dir_rename(&d, "current.tmp", &d, "current", 0,
		err)))
		error = sg_dir_sync(&d, err);
	sg_dir_close(&d);
	return error;
}

/* Wait until nothing listens on the port. */
static int
port_free(bool *ok, unsigned port, char *why, size_t why_size,
    struct sg_error *err)
{
	int error;

	for (unsigned w = 0;; w += 100) {
		if ((error = port_check(ok, port, 0, false, why, why_size, err)) < 0 ||
		    *ok || w >= PORT_WAIT_MS)
			return error;
		(void)sg_proc_sleep(100, -1);
	}
}

static void prune(const struct sg_run__local *l, const struct sg_dir *d,
    struct sg_buf *log);

int
sg_run__local_deploy(struct sg_run__ctx *c, unsigned attempt,
    struct sg_buf *log, bool *ok, char *why, size_t why_size,
    struct sg_error *err)
{
	const struct sg_stage_config *sc = &c->cfg->stages[SG_STAGE_DEPLOY];
	struct sg_run__local *l = c->local;
	struct sg_run__limits lim;
	struct sg_dir d = SG_DIR_INIT;
	json_t *prev = NULL;
	char *cur = NULL;
	char state[32];
	pid_t prev_pid;
	int error;

	*ok = false;
	if (!l) {
		l = c->local = sg_xcalloc(1, sizeof(*l));
		l->releases = sg_xasprintf("%s/%s", c->cfg->root, RELEASES);
		l->id = sg_xstrdup(c->out->run_id);
		l->dir = sg_xasprintf("%s/%s", l->releases, l->id);
		l->port = sg_run__deploy_port(c);
		sg_run__deploy_limits(c, &lim);
		l->cpu = lim.cpu;
		l->memory_mb = lim.memory_mb;
	}
	json_decref(l->artifacts);
	l->artifacts = json_array();
	sg_buf_printf(log, "== deploy: local release %s (attempt %u) ==\n",
	    l->id, attempt);
	if ((error = sg_dir_make_all(l->releases, 0755, err)) < 0 ||
	    (error = sg_dir_open(&d, NULL, l->releases, 0, err)) < 0 ||
	    (error = sg_dir_remove_tree(&d, l->id, err)) < 0 ||
	    (error = sg_dir_make(NULL, &d, l->id, 0755, err)) < 0)
		goto out;
	if ((error = copy_artifacts(c, log, ok, why, why_size, err)) < 0 ||
	    !*ok)
		goto out;
	/* the previous release: what `current` points at */
	error = sg_dir_readlink(&cur, &d, "current", err);
	if (error == SG_ENOTFOUND) {
		sg_error_release(err);
		error = 0;
	} else if (error < 0) {
		goto out;
	}
	free(l->previous);
	l->previous = cur && strcmp(cur, l->id) ? sg_xstrdup(cur) : NULL;
	prev = l->previous ? record_read(l, l->previous) : NULL;
	prev_pid = prev ? current_pid(l, l->previous, rec_int(prev, "pid"),
	    state, sizeof(state)) : 0;
	if ((error = port_check(ok, l->port, prev_pid, false, why, why_size,
		 err)) < 0 || !*ok) {
		if (!error)
			sg_buf_printf(log, "-- %s: nothing stopped, nothing "
			    "started\n", why);
		goto out;
	}
	if (prev) {
		record_stop(l, l->previous, prev, prev_pid, &l->previous_killed);
		l->previous_stopped = true;
		sg_buf_printf(log, "-- previous release %s stopped%s\n",
		    l->previous, l->previous_killed ? " (SIGKILL)" : "");
	}
	if ((error = port_free(ok, l->port, why, why_size, err)) < 0 || !*ok)
		goto out;
	if ((error = start_release(c, l->id, sc->start, l->cpu, l->memory_mb,
		 log, err)) < 0) {
		if (error == SG_EIO && !l->started) {
			snprintf(why, why_size, "%s", err->message);
			sg_error_release(err);
			error = 0;
			*ok = false;
		}
		goto out;
	}
	if ((error = switch_current(l, l->id, err)) < 0)
		goto out;
	sg_buf_printf(log, "-- current -> %s\n", l->id);
	prune(l, &d, log);
	wait_listening(l, log);
	*ok = true;
out:
	json_decref(prev);
	free(cur);
	sg_dir_close(&d);
	return error;
}

/*
 * Keep the KEEP_RELEASES newest releases (ids are run ids: they sort by
 * time) and whatever `current` and the previous release are; remove the
 * others' directories and files, unless their supervisor still runs.
 * Best effort: a release that cannot be removed is left for next time.
 */
static void
prune(const struct sg_run__local *l, const struct sg_dir *d,
    struct sg_buf *log)
{
	struct sg_error e = SG_ERROR_INIT;
	struct sg_dirent *ents = NULL;
	size_t n = 0, kept = 0;

	if (sg_dir_list(&ents, &n, d, NULL, &e) < 0)
		goto out;
	for (size_t i = n; i-- > 0;) {
		const char *id = ents[i].name;
		const char *sfx[] = {".json", ".state.json", ".log"};
		json_t *rec;
		bool alive;

		if (ents[i].type != SG_FS_DIR || !strcmp(id, l->id) ||
		    (l->previous && !strcmp(id, l->previous)))
			continue;
		if (++kept <= KEEP_RELEASES)
			continue;
		rec = record_read(l, id);
		alive = rec && sg_sys_pid_is(rec_int(rec, "supervisor_pid"),
		    (uint64_t)json_integer_value(json_object_get(rec,
		    "supervisor_start")));
		json_decref(rec);
		if (alive || sg_dir_remove_tree(d, id, &e) < 0) {
			sg_error_release(&e);
			continue;
		}
		for (size_t k = 0; k < 3; k++) {
			char *f = sg_xasprintf("%s%s", id, sfx[k]);

			(void)sg_dir_unlink(d, f, &e);
			sg_error_release(&e);
			free(f);
		}
		sg_buf_printf(log, "-- old release %s removed\n", id);
	}
out:
	sg_error_release(&e);
	sg_dirent_free(ents, n);
}

/* Stop this run's release (a failed attempt, before a retry or rollback). */
void
sg_run__local_stop(struct sg_run__ctx *c, struct sg_buf *log)
{
	struct sg_run__local *l = c->local;
	bool killed = false;

	if (!l || !l->started)
		return;
	char *state = rel_path(l, l->id, ".state.json");

	sg_supervise_stop(l->sup, l->sup_start, l->pid, GRACE_MS, state,
	    &killed);
	free(state);
	sg_cgroup_remove(&l->cg);
	l->started = false;
	sg_buf_printf(log, "-- release %s stopped%s\n", l->id,
	    killed ? " (SIGKILL)" : "");
}

int
sg_run__local_rollback(struct sg_run__ctx *c, struct sg_buf *log, bool *ok,
    char *why, size_t why_size, struct sg_error *err)
{
	struct sg_run__local *l = c->local;
	json_t *rec = NULL;
	const char *status;
	int error = 0;

	*ok = true;
	if (!l)
		return 0;
	sg_buf_printf(log, "== deploy: restoring the previous release ==\n");
	sg_run__local_stop(c, log);
	if (!l->previous || !l->previous_stopped) {
		/* nothing was replaced: what ran before still runs */
		if (!l->previous && (error = switch_current(l, NULL, err)) < 0)
			return error;
		status = l->previous ? "untouched" : "none";
		sg_buf_printf(log, "-- %s\n", l->previous ?
		    "the previous release was never stopped" :
		    "no previous release: nothing to restore");
		l->rollback = json_pack("{s:s, s:o}", "status", status, "to",
		    l->previous ? json_string(l->previous) : json_null());
		snprintf(l->restored, sizeof(l->restored), "%s",
		    l->previous ? "the previous release kept running" :
		    "no previous release to restore");
		return 0;
	}
	*ok = false;
	if (!(rec = record_read(l, l->previous))) {
		snprintf(why, why_size, "the record of release %s is missing",
		    l->previous);
		goto done;
	}
	if ((error = port_free(ok, l->port, why, why_size, err)) < 0)
		goto out;
	if (*ok) {
		l->started = false;
		error = start_release(c, l->previous,
		    json_string_value(json_object_get(rec, "command")),
		    json_real_value(json_object_get(rec, "cpu")),
		    (uint64_t)json_integer_value(json_object_get(rec,
		    "memory_mb")), log, err);
		if (error == SG_EIO && !l->started) {
			snprintf(why, why_size, "%s", err->message);
			sg_error_release(err);
			error = 0;
			*ok = false;
		}
		if (error < 0)
			goto out;
	}
	if (*ok && (error = switch_current(l, l->previous, err)) < 0)
		goto out;
	if (*ok) {
		sg_buf_printf(log, "-- current -> %s\n", l->previous);
		wait_listening(l, log);
		if ((error = sg_run__deploy_health(c, 0, log, ok, why,
			 why_size, err)) < 0)
			goto out;
	}
done:
	l->rollback = json_pack("{s:s, s:s, s:i, s:s?}", "status",
	    *ok ? "restored" : "failed", "to", l->previous, "pid",
	    l->started ? (int)l->pid : 0, "why", *ok ? NULL : why);
	snprintf(l->restored, sizeof(l->restored), "release %s restored "
	    "and healthy", l->previous);
	sg_buf_printf(log, "-- rollback to %s: %s%s%s\n", l->previous,
	    *ok ? "restored and healthy" : "FAILED", *ok ? "" : ": ",
	    *ok ? "" : why);
out:
	json_decref(rec);
	return error;
}

const char *
sg_run__local_restored(const struct sg_run__ctx *c)
{
	return c->local ? c->local->restored : "";
}

json_t *
sg_run__local_json(const struct sg_run__ctx *c)
{
	const struct sg_run__local *l = c->local;
	json_t *lim;

	if (!l)
		return json_null();
	lim = json_pack("{s:f, s:I, s:s?, s:o}", "cpu", l->cpu, "memory_mb",
	    (json_int_t)l->memory_mb, "why", *l->mech_why ? l->mech_why :
	    NULL, "cgroups", json_array());
	for (int i = 0; i < 2; i++)
		if (l->cg.dirs[i])
			json_array_append_new(json_object_get(lim, "cgroups"),
			    json_string(l->cg.dirs[i]));
	if (l->mech == SG_LIMIT_RLIMIT)
		json_object_set_new(lim, "enforced", json_pack("[s]",
		    "memory (RLIMIT_AS); cpu is not enforced by setrlimit"));
	return json_pack("{s:s, s:s, s:s?, s:b, s:s, s:o, s:i, s:i, s:i, "
	    "s:O, s:O?}", "release", l->id, "directory", l->dir, "previous",
	    l->previous, "previous_stopped", l->previous_stopped, "mechanism",
	    sg_limit_mech_name(l->mech), "limits", lim, "port", (int)l->port,
	    "supervisor_pid", (int)l->rel_sup, "pid", (int)l->rel_pid,
	    "artifacts",
	    l->artifacts ? l->artifacts : json_array(), "rollback",
	    l->rollback);
}

void
sg_run__local_release(struct sg_run__ctx *c)
{
	struct sg_run__local *l = c->local;

	if (!l)
		return;
	free(l->releases);
	free(l->id);
	free(l->dir);
	free(l->previous);
	sg_cgroup_release(&l->cg);
	json_decref(l->artifacts);
	json_decref(l->rollback);
	free(l);
	c->local = NULL;
}
