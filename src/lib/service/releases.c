/* SPDX-License-Identifier: MIT */
/*
 * releases.c - the /metrics families of the releases the deploy stage's
 * `local` target made (run/local.c, docs/deploy.md "Watching after
 * deploy"): whether each is up, its CPU time, its memory against its
 * limit, and its restarts.
 *
 * What is sampled: the release `current` points at, and any other whose
 * supervisor still runs (a release stopped normally has no supervisor and
 * no figures left to read).  Each is read from what the deploy left in
 * .specgate/releases/: R.json (the deploy's record: the supervisor's pid
 * and start time, the limit mechanism and control groups, the port, the
 * health URL, the environment) and R.state.json (the supervisor's own
 * view, sys/release.h: the service's current pid, which is also its
 * process group, its state and the restarts so far).
 *
 * Figures come from the release's control group where it has one (v2:
 * memory.current, memory.max, cpu.stat usage_usec; v1: the memory
 * group's memory.usage_in_bytes and memory.limit_in_bytes, cpuacct.usage
 * when cpuacct is mounted with cpu), else from /proc of the service's
 * process group (utime + stime of its live members and of the children
 * they reaped; their resident memory), with the memory limit the deploy
 * recorded (RLIMIT_AS under setrlimit, against which resident memory is
 * a lower bound).  Nothing is kept between scrapes but the health
 * verdicts: a scrape reads a few small files per release.
 *
 * Up is the deploy's own definition of healthy (deploy.c): the
 * supervisor is alive and says "running", the health URL answers with
 * the seed's healthy document (sg_smoke_probe()), and the socket that
 * listens on the release's port belongs to the release's process group,
 * so that another process answering on the port is not taken for it.
 * The probe is an HTTP request that may take up to PROBE_TIMEOUT_MS: its
 * verdict is cached per release and renewed at most once per
 * svc->release_probe_ms (serve.release_probe), whatever the scrape rate;
 * the time of the attempt is taken before it runs, so two scrapes at once
 * do not both probe.  A release without a health URL is up while its
 * supervisor says running.
 *
 * Rejected: a sampler thread in the service (a thread per service that
 * outlives requests, for figures that cost a few reads at scrape time),
 * and reading deploy.json from the bundles (the record in
 * .specgate/releases/ is what the deploy keeps up to date across
 * rollbacks and restarts; a bundle is a run's history).
 */
#include "service/service_int.h"

#include <inttypes.h>

#include "sys/dir.h"
#include "sys/fs.h"
#include "sys/release.h"

#define RELEASES ".specgate/releases"
#define RECORD_MAX (64u << 10) /* as run/local.c reads it */
#define RELEASES_MAX 32	       /* releases sampled per scrape */
#define PROBE_TIMEOUT_MS 2000

struct rel {
	char *id;
	char *environment; /* "" when none */
	bool current;
	bool up;
	bool running;
	unsigned restarts;
	bool have_cpu, have_mem, have_limit;
	double cpu_s;
	uint64_t mem, limit;
};

static const char *
str_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* A small JSON document, or NULL. */
static json_t *
read_json(const char *path)
{
	struct sg_error e = SG_ERROR_INIT;
	struct sg_buf b;
	json_t *doc = NULL;

	sg_buf_init(&b, 0);
	if (sg_fs_read_file(&b, path, RECORD_MAX, &e) == 0)
		doc = json_loadb(b.ptr, b.len, 0, NULL);
	sg_buf_release(&b);
	sg_error_release(&e);
	if (doc && !json_is_object(doc)) {
		json_decref(doc);
		doc = NULL;
	}
	return doc;
}

/* CPU and memory from the release's control group(s), where it has one. */
static void
sample_cgroup(struct rel *r, const json_t *rec)
{
	const char *mech = str_of(rec, "mechanism");
	const json_t *dirs = json_object_get(rec, "cgroups");
	const char *cpu = json_string_value(json_array_get(dirs, 0));
	const char *mem = json_string_value(json_array_get(dirs, 1));
	uint64_t v;

	if (!strcmp(mech, "cgroup2") && cpu) {
		if (sg_cgroup_read_key(&v, cpu, "cpu.stat", "usage_usec") == 0) {
			r->cpu_s = (double)v / 1e6;
			r->have_cpu = true;
		}
		r->have_mem = sg_cgroup_read_u64(&r->mem, cpu,
		    "memory.current") == 0;
		r->have_limit = sg_cgroup_read_u64(&r->limit, cpu,
		    "memory.max") == 0 && r->limit != UINT64_MAX;
	} else if (!strcmp(mech, "cgroup1") && cpu && mem) {
		if (sg_cgroup_read_u64(&v, cpu, "cpuacct.usage") == 0) {
			r->cpu_s = (double)v / 1e9;
			r->have_cpu = true;
		}
		r->have_mem = sg_cgroup_read_u64(&r->mem, mem,
		    "memory.usage_in_bytes") == 0;
		r->have_limit = sg_cgroup_read_u64(&r->limit, mem,
		    "memory.limit_in_bytes") == 0;
	}
}

/*
 * What the cgroup did not give: from /proc of the service's process
 * group; the limit is the one the deploy recorded.
 */
static void
sample_proc(struct rel *r, const json_t *rec, pid_t pgid)
{
	uint64_t ticks, rss;
	json_t *mb = json_object_get(rec, "memory_mb");

	if ((!r->have_cpu || !r->have_mem) &&
	    sg_sys_pgroup_usage(&ticks, &rss, pgid) == 0) {
		if (!r->have_cpu) {
			r->cpu_s = (double)ticks /
			    (double)sg_sys_clock_ticks();
			r->have_cpu = true;
		}
		if (!r->have_mem) {
			r->mem = rss;
			r->have_mem = true;
		}
	}
	if (!r->have_limit && json_is_integer(mb) &&
	    json_integer_value(mb) > 0) {
		r->limit = (uint64_t)json_integer_value(mb) << 20;
		r->have_limit = true;
	}
}

/* The health URL's verdict and the port's owner, now. */
static bool
probe(const json_t *rec, pid_t pgid)
{
	struct sg_error e = SG_ERROR_INIT;
	struct sg_smoke_result res;
	struct sg_listener *ls = NULL;
	const char *url = json_string_value(json_object_get(rec,
	    "health_url"));
	json_t *port = json_object_get(rec, "port");
	bool ok, any = false;
	size_t n = 0;

	if (!url)
		return true;
	ok = sg_smoke_probe(&res, url, PROBE_TIMEOUT_MS, &e) == 0 &&
	    res.healthy;
	sg_smoke_result_release(&res);
	sg_error_release(&e);
	if (ok && json_integer_value(port) > 0 &&
	    json_integer_value(port) <= 65535) {
		ok = sg_sys_port_listeners(&ls, &n, &any,
		    (unsigned)json_integer_value(port), &e) == 0 && n > 0;
		for (size_t i = 0; i < n; i++)
			ok = ok && ls[i].pgid == pgid;
		free(ls);
		sg_error_release(&e);
	}
	return ok;
}

/*
 * The cached verdict of release id (whose process group is pgid: a
 * restart makes a new group, and a new verdict), renewed when older than
 * svc->release_probe_ms.
 */
static bool
healthy(struct sg_service *svc, const char *id, const json_t *rec,
    pid_t pgid)
{
	uint64_t now = sg_clock_ms();
	json_t *c;
	bool due, ok = false;

	sg_mutex_lock(&svc->lock);
	if (!svc->release_health)
		svc->release_health = json_object();
	c = json_object_get(svc->release_health, id);
	due = !c || json_integer_value(json_object_get(c, "pgid")) != pgid ||
	    now - (uint64_t)json_integer_value(json_object_get(c, "at")) >=
	    svc->release_probe_ms;
	if (due) {
		/* claimed now: a scrape meanwhile keeps the old verdict */
		json_object_set_new(svc->release_health, id,
		    json_pack("{s:I, s:I, s:b}", "at", (json_int_t)now, "pgid",
		    (json_int_t)pgid, "ok", c ? json_is_true(json_object_get(c,
		    "ok")) : 0));
	} else {
		ok = json_is_true(json_object_get(c, "ok"));
	}
	sg_mutex_unlock(&svc->lock);
	if (!due)
		return ok;
	ok = probe(rec, pgid);
	sg_mutex_lock(&svc->lock);
	c = json_object_get(svc->release_health, id);
	if (c)
		json_object_set_new(c, "ok", json_boolean(ok));
	sg_mutex_unlock(&svc->lock);
	return ok;
}

/* Sample release id; false when it is not to be exported. */
static bool
sample(struct rel *r, struct sg_service *svc, const char *dir,
    const char *id, bool current)
{
	char *path = sg_xasprintf("%s/%s.json", dir, id);
	json_t *rec = read_json(path);
	struct sg_release_state st;
	bool sup_alive;

	free(path);
	memset(r, 0, sizeof(*r));
	if (!rec)
		return false;
	sup_alive = sg_sys_pid_is((pid_t)json_integer_value(
	    json_object_get(rec, "supervisor_pid")),
	    (uint64_t)json_integer_value(json_object_get(rec,
	    "supervisor_start")));
	if (!current && !sup_alive) {
		json_decref(rec);
		return false;
	}
	r->id = sg_xstrdup(id);
	r->environment = sg_xstrdup(str_of(rec, "environment"));
	r->current = current;
	path = sg_xasprintf("%s/%s.state.json", dir, id);
	if (sg_release_state_read(&st, path) == 0) {
		r->restarts = st.restarts;
		r->running = sup_alive && !strcmp(st.state, "running") &&
		    sg_sys_pid_is(st.pid, 0);
	}
	free(path);
	if (r->running) {
		sample_cgroup(r, rec);
		sample_proc(r, rec, st.pid);
		r->up = healthy(svc, id, rec, st.pid);
	}
	json_decref(rec);
	return true;
}

/* The releases to export: `current` first, then the others by id. */
static size_t
collect(struct rel *out, size_t max, struct sg_service *svc)
{
	struct sg_error e = SG_ERROR_INIT;
	struct sg_dir d = SG_DIR_INIT;
	struct sg_dirent *ents = NULL;
	char *dir = sg_xasprintf("%s/%s", svc->root, RELEASES);
	char *cur = NULL;
	size_t n = 0, nents = 0;

	if (sg_dir_open(&d, NULL, dir, 0, &e) < 0)
		goto out;
	if (sg_dir_readlink(&cur, &d, "current", &e) < 0)
		sg_error_release(&e);
	if (cur && !strchr(cur, '/') && sample(&out[n], svc, dir, cur, true))
		n++;
	if (sg_dir_list(&ents, &nents, &d, NULL, &e) < 0)
		goto out;
	for (size_t i = 0; i < nents && n < max; i++) {
		const char *id = ents[i].name;

		if (ents[i].type != SG_FS_DIR || (cur && !strcmp(id, cur)))
			continue;
		if (sample(&out[n], svc, dir, id, false))
			n++;
	}
out:
	sg_dirent_free(ents, nents);
	sg_dir_close(&d);
	sg_error_release(&e);
	free(cur);
	free(dir);
	return n;
}

static void
labels(struct sg_buf *b, const char *name, const struct rel *r)
{
	sg_buf_printf(b, "%s{release=\"", name);
	sg_service__put_label(b, r->id);
	sg_buf_puts(b, "\",environment=\"");
	sg_service__put_label(b, r->environment);
	sg_buf_puts(b, "\"} ");
}

/* Drop the verdicts of releases no longer exported (pruned, stopped). */
static void
forget_others(struct sg_service *svc, const struct rel *rs, size_t n)
{
	const char *key;
	json_t *v, *tmp;
	bool keep;

	sg_mutex_lock(&svc->lock);
	json_object_foreach_safe(svc->release_health, tmp, key, v) {
		keep = false;
		for (size_t i = 0; i < n && !keep; i++)
			keep = rs[i].running && !strcmp(rs[i].id, key);
		if (!keep)
			json_object_del(svc->release_health, key);
	}
	sg_mutex_unlock(&svc->lock);
}

void
sg_service__put_releases(struct sg_buf *b, struct sg_service *svc)
{
	struct rel rs[RELEASES_MAX];
	size_t n;

	n = collect(rs, RELEASES_MAX, svc);
	forget_others(svc, rs, n);

	sg_service__family(b, "specgate_release_up", "gauge",
	    "1 when a release deployed by the local target runs under its "
	    "supervisor, its health URL answers healthy and its port is its "
	    "own (probed at most once per serve.release_probe), else 0.");
	for (size_t i = 0; i < n; i++) {
		labels(b, "specgate_release_up", &rs[i]);
		sg_buf_printf(b, "%d\n", rs[i].up ? 1 : 0);
	}
	sg_service__family(b, "specgate_release_current", "gauge",
	    "1 for the release the current link points at, 0 for another "
	    "whose supervisor still runs.");
	for (size_t i = 0; i < n; i++) {
		labels(b, "specgate_release_current", &rs[i]);
		sg_buf_printf(b, "%d\n", rs[i].current ? 1 : 0);
	}
	sg_service__family(b, "specgate_release_restarts_total", "counter",
	    "Restarts of the release's service by its supervisor after a "
	    "crash.");
	for (size_t i = 0; i < n; i++) {
		labels(b, "specgate_release_restarts_total", &rs[i]);
		sg_buf_printf(b, "%u\n", rs[i].restarts);
	}
	sg_service__family(b, "specgate_release_cpu_seconds_total", "counter",
	    "CPU time of the running release, in seconds: its control "
	    "group's, else its process group's (/proc).");
	for (size_t i = 0; i < n; i++)
		if (rs[i].have_cpu) {
			labels(b, "specgate_release_cpu_seconds_total", &rs[i]);
			sg_buf_printf(b, "%.6f\n", rs[i].cpu_s);
		}
	sg_service__family(b, "specgate_release_memory_bytes", "gauge",
	    "Memory of the running release in bytes: its control group's "
	    "usage, else its process group's resident memory (/proc).");
	for (size_t i = 0; i < n; i++)
		if (rs[i].have_mem) {
			labels(b, "specgate_release_memory_bytes", &rs[i]);
			sg_buf_printf(b, "%" PRIu64 "\n", rs[i].mem);
		}
	sg_service__family(b, "specgate_release_memory_limit_bytes", "gauge",
	    "The running release's memory limit in bytes: its control "
	    "group's, else the one its deploy set (RLIMIT_AS).");
	for (size_t i = 0; i < n; i++)
		if (rs[i].have_limit) {
			labels(b, "specgate_release_memory_limit_bytes", &rs[i]);
			sg_buf_printf(b, "%" PRIu64 "\n", rs[i].limit);
		}
	for (size_t i = 0; i < n; i++) {
		free(rs[i].id);
		free(rs[i].environment);
	}
}
