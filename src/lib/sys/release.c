/* SPDX-License-Identifier: MIT */
/*
 * release.c - supervisor, limits, listeners and copies for the deploy
 * stage's `local` target (sys/release.h).
 *
 * The supervisor runs in a forked copy of the calling process that never
 * returns to it: every string it needs (the command, paths, environment)
 * is prepared by the caller before the fork, and after it only system
 * calls and snprintf() into stack buffers are made (no malloc: a fork
 * only copies the calling thread, so a lock another thread held would
 * stay held).  It waits with sigtimedwait() on blocked signals instead of
 * handlers, so SIGTERM (stop), SIGCHLD (the service ended) and a one
 * second tick are one loop.  It is a child subreaper, so the service's
 * own children are reaped by it rather than left to PID 1, which on some
 * machines never reaps.
 *
 * Control groups: v2 needs the unified hierarchy to offer both cpu and
 * memory to a new group; v1 needs the cpu and memory hierarchies mounted
 * (often cpu,cpuacct together).  The new group sits under the group this
 * process is in, so whatever limits the machine put on the caller still
 * hold.  Writing the limits is checked (a group without them is removed
 * again): a deploy.json that says "cgroup1" means the kernel took them.
 */
#include "sys/release.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "sys/fs.h"

#define CPU_PERIOD_US 100000
/*
 * How much longer than the supervisor's own grace sg_supervise_stop()
 * waits for it: it needs the grace to stop its service, then a moment to
 * write its state and remove its control groups, which a SIGKILL in that
 * moment would leave behind.
 */
#define SUP_MARGIN_MS 2000

const char *
sg_limit_mech_name(enum sg_limit_mech m)
{
	switch (m) {
	case SG_LIMIT_CGROUP2:
		return "cgroup2";
	case SG_LIMIT_CGROUP1:
		return "cgroup1";
	case SG_LIMIT_RLIMIT:
		return "rlimit";
	default:
		return "none";
	}
}

/* ---- small file helpers ---- */

static int
write_text(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	do
		n = write(fd, text, len);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len) {
		int e = n < 0 ? errno : EIO;

		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

/* Read a small file (at most size - 1 bytes) into buf; -1 on failure. */
static ssize_t
read_small(const char *path, char *buf, size_t size)
{
	ssize_t n, got = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	while ((size_t)got < size - 1) {
		n = read(fd, buf + got, size - 1 - (size_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	return got;
}

int
sg_cgroup_read_u64(uint64_t *out, const char *dir, const char *file)
{
	char path[4096];
	char buf[64];
	char *end;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    (int)sizeof(path) || read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	if (!strncmp(buf, "max", 3)) {
		*out = UINT64_MAX;
		return 0;
	}
	errno = 0;
	*out = strtoull(buf, &end, 10);
	return errno || end == buf ? -1 : 0;
}

int
sg_cgroup_read_key(uint64_t *out, const char *dir, const char *file,
    const char *key)
{
	char path[4096];
	char buf[2048];
	size_t klen = strlen(key);
	char *line, *end;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    (int)sizeof(path) || read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	for (line = buf; line && *line; line = strchr(line, '\n') ?
	    strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, key, klen) || line[klen] != ' ')
			continue;
		errno = 0;
		*out = strtoull(line + klen + 1, &end, 10);
		return errno || end == line + klen + 1 ? -1 : 0;
	}
	return -1;
}

/* ---- control groups ---- */

/* Whether the comma-separated list has the word w. */
static bool
has_word(const char *list, const char *w, char sep)
{
	size_t wl = strlen(w);

	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, sep);
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == wl && !memcmp(p, w, wl))
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

/*
 * The mount point of the v1 hierarchy with controller `ctl` (or of the v2
 * hierarchy, ctl NULL) from /proc/self/mountinfo.
 */
static bool
mount_of(char *out, size_t size, const char *ctl)
{
	char line[4096];
	bool found = false;
	FILE *f;

	if (!(f = fopen("/proc/self/mountinfo", "re")))
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *fields[12];
		char *sep = strstr(line, " - ");
		char *save = NULL, *tok;
		int n = 0;

		if (!sep)
			continue;
		*sep = '\0';
		for (tok = strtok_r(line, " ", &save); tok && n < 12;
		    tok = strtok_r(NULL, " ", &save))
			fields[n++] = tok;
		if (n < 5)
			continue;
		save = NULL;
		{
			char *fstype = strtok_r(sep + 3, " ", &save);
			char *source = strtok_r(NULL, " ", &save);
			char *opts = strtok_r(NULL, " \n", &save);

			(void)source;
			if (!fstype || !opts)
				continue;
			if (ctl ? strcmp(fstype, "cgroup") ||
				!has_word(opts, ctl, ',') :
				  strcmp(fstype, "cgroup2"))
				continue;
		}
		found = snprintf(out, size, "%s", fields[4]) < (int)size;
	}
	fclose(f);
	return found;
}

/* This process's group in the v1 hierarchy of ctl (NULL: v2). */
static bool
own_group(char *out, size_t size, const char *ctl)
{
	char line[4096];
	bool found = false;
	FILE *f;

	if (!(f = fopen("/proc/self/cgroup", "re")))
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2)
			continue;
		*c2 = '\0';
		line[strcspn(line, ":")] = '\0';
		c2[1 + strcspn(c2 + 1, "\n")] = '\0';
		if (ctl ? !has_word(c1 + 1, ctl, ',') :
			  strcmp(line, "0") || c1[1] != '\0')
			continue;
		found = snprintf(out, size, "%s", strcmp(c2 + 1, "/") ?
		    c2 + 1 : "") < (int)size;
	}
	fclose(f);
	return found;
}

static char *
group_dir(const char *ctl, const char *name)
{
	char mnt[1024], grp[2048];

	if (!mount_of(mnt, sizeof(mnt), ctl) ||
	    !own_group(grp, sizeof(grp), ctl))
		return NULL;
	return sg_xasprintf("%s%s/%s", mnt, grp, name);
}

static int
set_file(const char *dir, const char *file, const char *value)
{
	char path[4096];

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    (int)sizeof(path))
		return -1;
	return write_text(path, value);
}

void
sg_cgroup_release(struct sg_cgroup *cg)
{
	for (int i = 0; i < 2; i++)
		free(cg->dirs[i]);
	for (int i = 0; i < 3; i++)
		free(cg->procs[i]);
	memset(cg, 0, sizeof(*cg));
}

void
sg_cgroup_remove(struct sg_cgroup *cg)
{
	for (int i = 0; i < 2; i++)
		if (cg->dirs[i])
			(void)rmdir(cg->dirs[i]);
	sg_cgroup_release(cg);
}

static bool
try_v2(struct sg_cgroup *out, const char *name, double cpu, uint64_t mem,
    char *why, size_t why_size)
{
	char quota[64], bytes[32], ctl[256];
	char *dir = group_dir(NULL, name);
	char *parent;

	if (!dir) {
		snprintf(why, why_size, "no cgroup2 hierarchy");
		return false;
	}
	parent = sg_xstrndup(dir, (size_t)(strrchr(dir, '/') - dir));
	{
		char p[4096];

		snprintf(p, sizeof(p), "%s/cgroup.controllers", parent);
		if (read_small(p, ctl, sizeof(ctl)) < 0 ||
		    (ctl[strcspn(ctl, "\n")] = '\0', 0) ||
		    !has_word(ctl, "cpu", ' ') ||
		    !has_word(ctl, "memory", ' ')) {
			snprintf(why, why_size, "cgroup2 offers no cpu and "
			    "memory controllers here");
			goto no;
		}
	}
	(void)set_file(parent, "cgroup.subtree_control", "+cpu +memory");
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		snprintf(why, why_size, "cgroup2: cannot make %.200s: %s",
		    dir, strerror(errno));
		goto no;
	}
	snprintf(quota, sizeof(quota), "%ld %d",
	    (long)(cpu * CPU_PERIOD_US + 0.5), CPU_PERIOD_US);
	snprintf(bytes, sizeof(bytes), "%" PRIu64, mem);
	if (set_file(dir, "cpu.max", quota) < 0 ||
	    set_file(dir, "memory.max", bytes) < 0) {
		snprintf(why, why_size, "cgroup2: cannot set limits in "
		    "%.200s: %s", dir, strerror(errno));
		(void)rmdir(dir);
		goto no;
	}
	(void)set_file(dir, "memory.swap.max", "0");
	free(parent);
	out->mech = SG_LIMIT_CGROUP2;
	out->dirs[0] = dir;
	out->procs[0] = sg_xasprintf("%s/cgroup.procs", dir);
	return true;
no:
	free(parent);
	free(dir);
	return false;
}

static bool
try_v1(struct sg_cgroup *out, const char *name, double cpu, uint64_t mem,
    char *why, size_t why_size)
{
	char quota[32], period[32], bytes[32];
	char *cdir = group_dir("cpu", name);
	char *mdir = group_dir("memory", name);
	size_t w;

	w = strlen(why);
	if (!cdir || !mdir) {
		snprintf(why + w, why_size - w, "%sno cgroup v1 cpu and memory "
		    "hierarchies", w ? "; " : "");
		goto no;
	}
	if ((mkdir(cdir, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(mdir, 0755) < 0 && errno != EEXIST)) {
		snprintf(why + w, why_size - w, "%scgroup1: cannot make a "
		    "group: %s", w ? "; " : "", strerror(errno));
		(void)rmdir(cdir);
		goto no;
	}
	snprintf(period, sizeof(period), "%d", CPU_PERIOD_US);
	snprintf(quota, sizeof(quota), "%ld",
	    (long)(cpu * CPU_PERIOD_US + 0.5));
	snprintf(bytes, sizeof(bytes), "%" PRIu64, mem);
	if (set_file(cdir, "cpu.cfs_period_us", period) < 0 ||
	    set_file(cdir, "cpu.cfs_quota_us", quota) < 0 ||
	    set_file(mdir, "memory.limit_in_bytes", bytes) < 0) {
		snprintf(why + w, why_size - w, "%scgroup1: cannot set "
		    "limits: %s", w ? "; " : "", strerror(errno));
		(void)rmdir(cdir);
		(void)rmdir(mdir);
		goto no;
	}
	/* no swapping past the limit, where swap accounting exists */
	(void)set_file(mdir, "memory.memsw.limit_in_bytes", bytes);
	out->mech = SG_LIMIT_CGROUP1;
	out->dirs[0] = cdir;
	out->dirs[1] = mdir;
	out->procs[0] = sg_xasprintf("%s/cgroup.procs", cdir);
	out->procs[1] = sg_xasprintf("%s/cgroup.procs", mdir);
	return true;
no:
	free(cdir);
	free(mdir);
	return false;
}

int
sg_cgroup_make(struct sg_cgroup *out, const char *name, double cpu,
    uint64_t memory_bytes, char *why, size_t why_size, struct sg_error *err)
{
	(void)err;
	memset(out, 0, sizeof(*out));
	why[0] = '\0';
	if (try_v2(out, name, cpu, memory_bytes, why, why_size) ||
	    try_v1(out, name, cpu, memory_bytes, why, why_size))
		why[0] = '\0';
	return 0;
}

/* ---- /proc ---- */

/* Fields of /proc/PID/stat after the command: state, pgrp, starttime. */
static bool
stat_of(pid_t pid, char *state, pid_t *pgrp, uint64_t *start,
    char *comm, size_t comm_size)
{
	char path[64], buf[1024];
	char *p, *open, *save = NULL;
	int i = 3;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0 ||
	    !(p = strrchr(buf, ')')) || !(open = strchr(buf, '(')))
		return false;
	if (comm)
		snprintf(comm, comm_size, "%.*s", (int)(p - open - 1),
		    open + 1);
	for (char *t = strtok_r(p + 1, " ", &save); t;
	    t = strtok_r(NULL, " ", &save), i++) {
		if (i == 3 && state)
			*state = t[0];
		else if (i == 5 && pgrp)
			*pgrp = (pid_t)strtol(t, NULL, 10);
		else if (i == 22) {
			if (start)
				*start = strtoull(t, NULL, 10);
			return true;
		}
	}
	return false;
}

bool
sg_sys_pid_is(pid_t pid, uint64_t start)
{
	uint64_t s = 0;
	char st = 0;

	if (pid <= 0 || !stat_of(pid, &st, NULL, &s, NULL, 0))
		return false;
	return st != 'Z' && st != 'X' && (!start || s == start);
}

pid_t
sg_sys_pgid_of(pid_t pid)
{
	pid_t g = -1;

	return stat_of(pid, NULL, &g, NULL, NULL, 0) ? g : -1;
}

long
sg_sys_clock_ticks(void)
{
	long t = sysconf(_SC_CLK_TCK);

	return t > 0 ? t : 100;
}

/*
 * One process's pgrp, utime + stime + cutime + cstime and rss (pages):
 * fields 5, 14 to 17 and 24 of /proc/PID/stat; false when it is gone or
 * a zombie.
 */
static bool
usage_of(pid_t pid, pid_t *pgrp, uint64_t *ticks, uint64_t *pages)
{
	char path[64], buf[1024];
	char *p, *save = NULL;
	int i = 3;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0 ||
	    !(p = strrchr(buf, ')')))
		return false;
	*ticks = 0;
	for (char *t = strtok_r(p + 1, " ", &save); t;
	    t = strtok_r(NULL, " ", &save), i++) {
		if (i == 3 && (t[0] == 'Z' || t[0] == 'X'))
			return false;
		if (i == 5)
			*pgrp = (pid_t)strtol(t, NULL, 10);
		else if (i >= 14 && i <= 17)
			*ticks += strtoull(t, NULL, 10);
		else if (i == 24) {
			*pages = strtoull(t, NULL, 10);
			return true;
		}
	}
	return false;
}

int
sg_sys_pgroup_usage(uint64_t *cpu_ticks, uint64_t *rss, pid_t pgid)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t ticks, pages;
	struct dirent *e;
	bool any = false;
	pid_t pid, g;
	DIR *d;

	*cpu_ticks = *rss = 0;
	if (pgid <= 0 || !(d = opendir("/proc")))
		return -1;
	while ((e = readdir(d))) {
		pid = (pid_t)strtol(e->d_name, NULL, 10);
		if (pid <= 0 || !usage_of(pid, &g, &ticks, &pages) ||
		    g != pgid)
			continue;
		*cpu_ticks += ticks;
		*rss += pages * (uint64_t)(page > 0 ? page : 4096);
		any = true;
	}
	closedir(d);
	if (!any) {
		errno = ESRCH;
		return -1;
	}
	return 0;
}

/* The inodes of the sockets listening on port in one /proc/net file. */
static void
listening_inodes(const char *file, unsigned port, unsigned long **inodes,
    size_t *n)
{
	char line[512];
	FILE *f;

	if (!(f = fopen(file, "re")))
		return;
	while (fgets(line, sizeof(line), f)) {
		char local[128], remote[128], st[8];
		unsigned long inode;
		unsigned p;
		char *colon;

		/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
		if (sscanf(line, " %*s %127s %127s %7s %*s %*s %*s %*s %*s %lu",
		    local, remote, st, &inode) != 4 || strcmp(st, "0A"))
			continue;
		if (!(colon = strrchr(local, ':')) ||
		    sscanf(colon + 1, "%x", &p) != 1 || p != port)
			continue;
		*inodes = sg_xreallocarray(*inodes, *n + 1, sizeof(**inodes));
		(*inodes)[(*n)++] = inode;
	}
	fclose(f);
}

static bool
holds(pid_t pid, const unsigned long *inodes, size_t ni)
{
	char path[64], link[64], want[64];
	struct dirent *e;
	bool found = false;
	ssize_t l;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if (!(d = opendir(path)))
		return false;
	while (!found && (e = readdir(d))) {
		char fp[384];

		if (e->d_name[0] == '.')
			continue;
		snprintf(fp, sizeof(fp), "%s/%s", path, e->d_name);
		if ((l = readlink(fp, link, sizeof(link) - 1)) <= 0)
			continue;
		link[l] = '\0';
		for (size_t i = 0; i < ni && !found; i++) {
			snprintf(want, sizeof(want), "socket:[%lu]",
			    inodes[i]);
			found = !strcmp(link, want);
		}
	}
	closedir(d);
	return found;
}

int
sg_sys_port_listeners(struct sg_listener **out, size_t *n, bool *any,
    unsigned port, struct sg_error *err)
{
	unsigned long *inodes = NULL;
	struct dirent *e;
	size_t ni = 0;
	DIR *d;

	*out = NULL;
	*n = 0;
	listening_inodes("/proc/net/tcp", port, &inodes, &ni);
	listening_inodes("/proc/net/tcp6", port, &inodes, &ni);
	*any = ni > 0;
	if (!ni)
		return 0;
	if (!(d = opendir("/proc"))) {
		free(inodes);
		return sg_error_set_errno(err, SG_EIO, errno,
		    "cannot list /proc");
	}
	while ((e = readdir(d))) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		struct sg_listener *l;

		if (*end || pid <= 0 || !holds((pid_t)pid, inodes, ni))
			continue;
		*out = sg_xreallocarray(*out, *n + 1, sizeof(**out));
		l = &(*out)[(*n)++];
		memset(l, 0, sizeof(*l));
		l->pid = (pid_t)pid;
		l->pgid = -1;
		(void)stat_of(l->pid, NULL, &l->pgid, NULL, l->comm,
		    sizeof(l->comm));
	}
	closedir(d);
	free(inodes);
	return 0;
}

/* ---- copying ---- */

int
sg_sys_copy_file(const char *src, const char *dst, unsigned mode,
    struct sg_error *err)
{
	char buf[65536];
	ssize_t r, w;
	int in, out = -1;
	int error = 0;

	if ((in = open(src, O_RDONLY | O_CLOEXEC)) < 0)
		return sg_error_set_errno(err, SG_EIO, errno,
		    "cannot read '%s'", src);
	if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) < 0) {
		error = sg_error_set_errno(err, SG_EIO, errno,
		    "cannot create '%s'", dst);
		goto out;
	}
	for (;;) {
		if ((r = read(in, buf, sizeof(buf))) < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		for (ssize_t o = 0; o < r; o += w) {
			if ((w = write(out, buf + o, (size_t)(r - o))) < 0 &&
			    errno == EINTR) {
				w = 0;
				continue;
			}
			if (w < 0) {
				r = -1;
				break;
			}
		}
		if (r < 0)
			break;
	}
	if (r < 0 || fchmod(out, mode & 07777) < 0 || fsync(out) < 0) {
		error = sg_error_set_errno(err, SG_EIO, errno,
		    "cannot copy '%s' to '%s'", src, dst);
		goto out;
	}
out:
	if (out >= 0 && close(out) < 0 && !error)
		error = sg_error_set_errno(err, SG_EIO, errno,
		    "cannot write '%s'", dst);
	if (error && out >= 0)
		(void)unlink(dst);
	close(in);
	return error;
}

int
sg_release_state_read(struct sg_release_state *out, const char *path)
{
	char buf[1024];
	json_t *doc, *v;
	int e = EINVAL;

	memset(out, 0, sizeof(*out));
	if (read_small(path, buf, sizeof(buf)) < 0)
		return -1;
	doc = json_loads(buf, 0, NULL);
	v = json_object_get(doc, "state");
	if (json_is_string(v) &&
	    json_is_integer(json_object_get(doc, "supervisor_pid")) &&
	    json_is_integer(json_object_get(doc, "pid"))) {
		snprintf(out->state, sizeof(out->state), "%s",
		    json_string_value(v));
		out->supervisor_pid = (pid_t)json_integer_value(
		    json_object_get(doc, "supervisor_pid"));
		out->pid = (pid_t)json_integer_value(json_object_get(doc,
		    "pid"));
		out->restarts = (unsigned)json_integer_value(
		    json_object_get(doc, "restarts"));
		out->restart_limit = (unsigned)json_integer_value(
		    json_object_get(doc, "restart_limit"));
		e = 0;
	}
	json_decref(doc);
	if (e) {
		errno = e;
		return -1;
	}
	return 0;
}

/* ---- the supervisor ---- */

struct sup {
	const struct sg_supervise *s;
	int log;
	pid_t svc;
	unsigned restarts;
	char last[64];
	char state_tmp[4096];
};

static void SG_PRINTF(2, 3)
sup_log(struct sup *u, const char *fmt, ...)
{
	char line[512];
	struct tm tm;
	time_t t = time(NULL);
	va_list ap;
	int n;

	gmtime_r(&t, &tm);
	n = (int)strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ "
	    "specgate-supervisor: ", &tm);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(u->log, line, (size_t)n);
}

static void
sup_state(struct sup *u, const char *state)
{
	char doc[512];
	int n, fd;

	n = snprintf(doc, sizeof(doc), "{\"supervisor_pid\": %d, \"pid\": "
	    "%d, \"state\": \"%s\", \"restarts\": %u, \"restart_limit\": %u, "
	    "\"last_exit\": \"%s\"}\n", (int)getpid(), (int)u->svc, state,
	    u->restarts, u->s->restarts, u->last);
	if ((fd = open(u->state_tmp, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0644)) < 0)
		return;
	(void)!write(fd, doc, (size_t)n);
	(void)fsync(fd);
	close(fd);
	(void)rename(u->state_tmp, u->s->state_path);
}

/* Fork the service; -1 with errno (the exec's, from the child). */
static pid_t
sup_spawn(struct sup *u)
{
	const struct sg_supervise *s = u->s;
	char *const argv[] = {"sh", "-c", (char *)s->command, NULL};
	sigset_t none;
	int ep[2];
	int e = 0;
	ssize_t r;
	pid_t pid;

	if (pipe2(ep, O_CLOEXEC) < 0)
		return -1;
	if ((pid = fork()) < 0) {
		e = errno;
		close(ep[0]);
		close(ep[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		char num[32];
		struct rlimit rl;
		int nul;

		close(ep[0]);
		(void)setpgid(0, 0);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		snprintf(num, sizeof(num), "%d", (int)getpid());
		for (size_t i = 0; s->cgroup_procs && s->cgroup_procs[i]; i++)
			if (write_text(s->cgroup_procs[i], num) < 0)
				goto fail;
		if (s->rlimit_as) {
			rl.rlim_cur = rl.rlim_max = s->rlimit_as;
			if (setrlimit(RLIMIT_AS, &rl) < 0)
				goto fail;
		}
		if (s->rlimit_cpu_s) {
			rl.rlim_cur = s->rlimit_cpu_s;
			rl.rlim_max = s->rlimit_cpu_s + 1;
			if (setrlimit(RLIMIT_CPU, &rl) < 0)
				goto fail;
		}
		if (chdir(s->cwd) < 0 ||
		    (nul = open("/dev/null", O_RDONLY)) < 0 ||
		    dup2(nul, 0) < 0 || dup2(u->log, 1) < 0 ||
		    dup2(u->log, 2) < 0)
			goto fail;
		execve("/bin/sh", argv, s->envp);
fail:
		e = errno;
		(void)!write(ep[1], &e, sizeof(e));
		_exit(127);
	}
	close(ep[1]);
	do
		r = read(ep[0], &e, sizeof(e));
	while (r < 0 && errno == EINTR);
	close(ep[0]);
	if (r == (ssize_t)sizeof(e)) {
		(void)waitpid(pid, NULL, 0);
		errno = e;
		return -1;
	}
	return pid;
}

/* Wait for a signal of set for up to ms; the signal, or 0. */
static int
sup_wait(const sigset_t *set, unsigned ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000};
	int sig;

	sig = sigtimedwait(set, NULL, &ts);
	return sig < 0 ? 0 : sig;
}

/* Reap children; true when the service was among them (u->last). */
static bool
sup_reap(struct sup *u)
{
	bool svc = false;
	int st;
	pid_t p;

	while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
		if (p != u->svc)
			continue;
		svc = true;
		if (WIFSIGNALED(st))
			snprintf(u->last, sizeof(u->last), "signal %d",
			    WTERMSIG(st));
		else
			snprintf(u->last, sizeof(u->last), "exit %d",
			    WEXITSTATUS(st));
	}
	return svc;
}

/*
 * SIGTERM to the service's group, SIGKILL to what is left after the
 * grace; true when something was left (u->last says so, for the state).
 */
static bool
sup_stop_service(struct sup *u, const sigset_t *set)
{
	uint64_t end;
	struct timespec now;
	bool left;

	if (u->svc <= 0)
		return false;
	(void)kill(-u->svc, SIGTERM);
	clock_gettime(CLOCK_MONOTONIC, &now);
	end = (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000 +
	    u->s->grace_ms;
	for (;;) {
		if (sup_reap(u) || kill(u->svc, 0) < 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((uint64_t)now.tv_sec * 1000 +
		    (uint64_t)now.tv_nsec / 1000000 >= end)
			break;
		(void)sup_wait(set, 100);
	}
	left = kill(-u->svc, 0) == 0;
	(void)kill(-u->svc, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	if (left) {
		sup_log(u, "pid %d still running %u ms after SIGTERM: SIGKILL "
		    "to its group", (int)u->svc, u->s->grace_ms);
		snprintf(u->last, sizeof(u->last), "SIGKILL after a %u ms "
		    "grace", u->s->grace_ms);
	}
	return left;
}

/* The end: the service's groups are empty now, remove them. */
static void __attribute__((noreturn))
sup_exit(const struct sup *u, int code)
{
	for (size_t i = 0; u->s->cgroup_dirs && u->s->cgroup_dirs[i]; i++)
		(void)rmdir(u->s->cgroup_dirs[i]);
	_exit(code);
}

static void __attribute__((noreturn))
sup_main(const struct sg_supervise *s, int log, int hs)
{
	struct sup u;
	sigset_t set;
	char msg[64];
	int n, sig;

	memset(&u, 0, sizeof(u));
	u.s = s;
	snprintf(u.state_tmp, sizeof(u.state_tmp), "%s.tmp", s->state_path);
	/* keep the log and the handshake pipe on 3 and 4, close the rest */
	if ((log = fcntl(log, F_DUPFD_CLOEXEC, 10)) < 0 ||
	    (hs = fcntl(hs, F_DUPFD_CLOEXEC, 10)) < 0 || dup2(log, 3) < 0 ||
	    dup2(hs, 4) < 0)
		_exit(1);
	(void)close_range(5, ~0U, 0);
	u.log = 3;
	hs = 4;
	(void)fcntl(3, F_SETFD, FD_CLOEXEC);
	(void)fcntl(4, F_SETFD, FD_CLOEXEC);
	n = open("/dev/null", O_RDWR);
	if (n >= 0) {
		dup2(n, 0);
		dup2(n, 1);
		dup2(n, 2);
		if (n > 2)
			close(n);
	}
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	/* ps shows "specgate run" (the copied argv); comm tells them apart */
	(void)prctl(PR_SET_NAME, "sg-supervisor", 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_SETMASK, &set, NULL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	if ((u.svc = sup_spawn(&u)) < 0) {
		n = snprintf(msg, sizeof(msg), "E %d\n", errno);
		(void)!write(hs, msg, (size_t)n);
		sup_log(&u, "cannot start '%s': %s", s->command,
		    strerror(errno));
		_exit(1);
	}
	sup_log(&u, "started pid %d: %s", (int)u.svc, s->command);
	sup_state(&u, "running");
	n = snprintf(msg, sizeof(msg), "%d %d\n", (int)getpid(), (int)u.svc);
	(void)!write(hs, msg, (size_t)n);
	close(hs);
	for (;;) {
		sig = sup_wait(&set, 1000);
		if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
			sup_log(&u, "stopping pid %d (signal %d)", (int)u.svc,
			    sig);
			(void)sup_stop_service(&u, &set);
			sup_state(&u, "stopped");
			sup_exit(&u, 0);
		}
		if (!sup_reap(&u))
			continue;
		(void)kill(-u.svc, SIGKILL); /* what it left behind */
		if (u.restarts >= s->restarts) {
			sup_log(&u, "pid %d ended (%s); restart limit %u "
			    "reached, giving up", (int)u.svc, u.last,
			    s->restarts);
			sup_state(&u, "failed");
			sup_exit(&u, 1);
		}
		u.restarts++;
		sup_log(&u, "pid %d ended (%s); restart %u of %u in %u ms",
		    (int)u.svc, u.last, u.restarts, s->restarts,
		    s->restart_delay_ms);
		sup_state(&u, "restarting");
		sig = sup_wait(&set, s->restart_delay_ms);
		if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
			sup_state(&u, "stopped");
			sup_exit(&u, 0);
		}
		while ((u.svc = sup_spawn(&u)) < 0) {
			snprintf(u.last, sizeof(u.last), "start failed: %d",
			    errno);
			if (u.restarts >= s->restarts) {
				sup_state(&u, "failed");
				sup_exit(&u, 1);
			}
			u.restarts++;
			sig = sup_wait(&set, s->restart_delay_ms);
			if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
				sup_state(&u, "stopped");
				sup_exit(&u, 0);
			}
		}
		sup_log(&u, "started pid %d", (int)u.svc);
		sup_state(&u, "running");
	}
}

int
sg_supervise_start(pid_t *sup_pid, uint64_t *sup_start, pid_t *svc_pid,
    const struct sg_supervise *s, unsigned timeout_ms, struct sg_error *err)
{
	char buf[64];
	size_t got = 0;
	struct pollfd pfd;
	int hs[2], log;
	pid_t mid;
	int sup = 0, svc = 0, e = 0;
	ssize_t r;

	*sup_pid = *svc_pid = 0;
	*sup_start = 0;
	if ((log = open(s->log_path, O_WRONLY | O_CREAT | O_APPEND |
	    O_CLOEXEC, 0644)) < 0)
		return sg_error_set_errno(err, SG_EIO, errno,
		    "cannot open '%s'", s->log_path);
	if (pipe2(hs, O_CLOEXEC) < 0) {
		close(log);
		return sg_error_set_errno(err, SG_EIO, errno,
		    "cannot make a pipe");
	}
	if ((mid = fork()) < 0) {
		e = errno;
		close(log);
		close(hs[0]);
		close(hs[1]);
		return sg_error_set_errno(err, SG_EIO, e, "cannot fork");
	}
	if (mid == 0) {
		close(hs[0]);
		if (setsid() < 0)
			_exit(1);
		if (fork() != 0)
			_exit(0);
		sup_main(s, log, hs[1]);
	}
	close(hs[1]);
	close(log);
	(void)waitpid(mid, NULL, 0);
	pfd.fd = hs[0];
	pfd.events = POLLIN;
	while (got < sizeof(buf) - 1 && !memchr(buf, '\n', got)) {
		if (poll(&pfd, 1, (int)timeout_ms) <= 0)
			break;
		if ((r = read(hs[0], buf + got, sizeof(buf) - 1 - got)) < 0 &&
		    errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(hs[0]);
	buf[got] = '\0';
	if (sscanf(buf, "E %d", &e) == 1)
		return sg_error_set_errno(err, SG_EIO, e,
		    "cannot start '%s' in '%s'", s->command, s->cwd);
	if (sscanf(buf, "%d %d", &sup, &svc) != 2 || sup <= 0 || svc <= 0)
		return sg_error_set(err, SG_EIO, "the supervisor of '%s' did "
		    "not report within %u ms", s->command, timeout_ms);
	*sup_pid = (pid_t)sup;
	*svc_pid = (pid_t)svc;
	(void)stat_of(*sup_pid, NULL, NULL, sup_start, NULL, 0);
	return 0;
}

/*
 * Whether a stopped supervisor's last state says it had to SIGKILL its
 * service (sup_stop_service()): the state file is small and its own.
 */
static bool
state_says_killed(const char *path)
{
	char buf[1024];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return strstr(buf, "\"last_exit\": \"SIGKILL ") != NULL;
}

void
sg_supervise_stop(pid_t sup_pid, uint64_t sup_start, pid_t svc_pgid,
    unsigned grace_ms, const char *state_path, bool *killed)
{
	struct timespec ts = {0, 50 * 1000000};
	unsigned wait_ms = grace_ms + SUP_MARGIN_MS;

	*killed = false;
	if (sg_sys_pid_is(sup_pid, sup_start)) {
		(void)kill(sup_pid, SIGTERM);
		for (unsigned w = 0; w < wait_ms &&
		    sg_sys_pid_is(sup_pid, sup_start); w += 50)
			nanosleep(&ts, NULL);
		if (sg_sys_pid_is(sup_pid, sup_start)) {
			(void)kill(sup_pid, SIGKILL);
			*killed = true;
		} else if (state_path) {
			*killed = state_says_killed(state_path);
		}
	}
	/* a supervisor killed with -9 leaves its service running */
	if (svc_pgid > 0 && kill(-svc_pgid, 0) == 0) {
		(void)kill(-svc_pgid, SIGTERM);
		for (unsigned w = 0; w < grace_ms && kill(-svc_pgid, 0) == 0;
		    w += 50)
			nanosleep(&ts, NULL);
		if (kill(-svc_pgid, SIGKILL) == 0)
			*killed = true;
	}
}
