/* SPDX-License-Identifier: MIT */
/*
 * release.h - the system calls of the deploy stage's `local` target
 * (run/local.c holds the policy): a supervisor process that outlives the
 * run, resource limits (cgroup v2, cgroup v1, setrlimit), copying a file
 * into a release, the processes that hold a listening TCP port, and
 * whether a recorded process is still the one that was recorded.
 *
 * The supervisor is a double fork of the calling process, not an exec of
 * a `specgate supervise` command: the library cannot know where its
 * front end's binary is, and a fork needs none.  The grandchild calls
 * setsid() (so no terminal signal and no process-group kill of the run
 * reaches it), closes every descriptor but its log (no lock of the run
 * is kept alive by it), and from then on only makes system calls on
 * memory prepared before the fork.  docs/decisions.md says why.
 */
#ifndef SG_SYS_RELEASE_H
#define SG_SYS_RELEASE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/util.h"

/* Where limits can be applied, best first. */
enum sg_limit_mech {
	SG_LIMIT_NONE = 0,
	SG_LIMIT_CGROUP2,
	SG_LIMIT_CGROUP1,
	SG_LIMIT_RLIMIT,
};

const char *sg_limit_mech_name(enum sg_limit_mech m);

/*
 * A control group made for one release: the files a process writes its
 * pid to (cgroup.procs, one per v1 hierarchy), and the directories.
 */
struct sg_cgroup {
	enum sg_limit_mech mech;
	char *dirs[3];	/* v2: dirs[0]; v1: cpu, memory; NULL-terminated */
	char *procs[3]; /* NULL-terminated */
};

/*
 * Make the control group `name` (under this process's own group of the
 * hierarchies that have the cpu and memory controllers) with a CPU quota
 * of `cpu` cores and `memory_bytes` of memory.  v2 when the unified
 * hierarchy has both controllers and is writable, else v1 when the cpu
 * and memory hierarchies are mounted and writable.  *out->mech is
 * SG_LIMIT_NONE (and 0 is returned, why says why) when neither can be
 * used: the caller falls back to setrlimit.  SG_EIO only when a group
 * was made but its limits could not be written (it is removed again).
 */
int sg_cgroup_make(struct sg_cgroup *out, const char *name, double cpu,
    uint64_t memory_bytes, char *why, size_t why_size, struct sg_error *err);

/* Remove the group's directories (they must be empty); free out. */
void sg_cgroup_remove(struct sg_cgroup *cg);
void sg_cgroup_release(struct sg_cgroup *cg);

/*
 * Read one cgroup figure into *out: the memory limit and usage, the
 * CPU time, the OOM kills (v1: memory.failcnt), from the group's
 * directory `dir` (v1 or v2 names by mech).  -1 when not there.
 */
int sg_cgroup_read_u64(uint64_t *out, const char *dir, const char *file);

/*
 * A "key value" line of a cgroup file (cpu.stat's usage_usec) into *out;
 * -1 when the file or the key is not there.
 */
int sg_cgroup_read_key(uint64_t *out, const char *dir, const char *file,
    const char *key);

/*
 * What the live members of process group pgid use, from /proc/PID/stat:
 * *cpu_ticks (OUT) their user and system time with that of the children
 * they waited for, in clock ticks (sg_sys_clock_ticks() a second);
 * *rss (OUT) their resident memory in bytes.  -1 with errno ESRCH when
 * the group has no live member.
 */
int sg_sys_pgroup_usage(uint64_t *cpu_ticks, uint64_t *rss, pid_t pgid);

/* Clock ticks a second (sysconf(_SC_CLK_TCK)). */
long sg_sys_clock_ticks(void);

/* What the supervisor runs. */
struct sg_supervise {
	const char *command;	  /* /bin/sh -c command */
	const char *cwd;	  /* the release directory */
	char *const *envp;
	const char *log_path;	  /* output and the supervisor's lines */
	const char *state_path;	  /* its state, JSON, rewritten atomically */
	unsigned restarts;	  /* restarts after a crash, at most */
	unsigned restart_delay_ms;
	unsigned grace_ms;	  /* SIGTERM, then SIGKILL after this */
	char *const *cgroup_procs; /* join these, NULL-terminated, or NULL */
	char *const *cgroup_dirs;  /* removed when the supervisor exits */
	uint64_t rlimit_as;	  /* RLIMIT_AS in bytes; 0: none */
	uint64_t rlimit_cpu_s;	  /* RLIMIT_CPU in seconds; 0: none */
};

/*
 * The supervisor's state file (state_path) as it writes it: its pid, the
 * service's pid (and process group; a restart makes a new one), its
 * state ("running", "restarting", "stopped", "failed") and the restarts
 * so far.  run/local.c and the service's /metrics read it through this.
 */
struct sg_release_state {
	pid_t supervisor_pid;
	pid_t pid;
	char state[16];
	unsigned restarts;
	unsigned restart_limit;
};

/*
 * Read the state file at path into *out; -1 with errno when it cannot be
 * read (ENOENT) or is not such a document (EINVAL).
 */
int sg_release_state_read(struct sg_release_state *out, const char *path);

/*
 * Start the supervisor and, under it, the service in a process group of
 * its own.  Returns 0 with *sup_pid, *svc_pid (also the service's process
 * group) and the supervisor's start time (*sup_start, in clock ticks
 * since boot, for sg_sys_pid_is()) once the service's exec succeeded;
 * SG_EIO when the supervisor could not be made or the service could not
 * be started (the message says why), within timeout_ms.
 */
int sg_supervise_start(pid_t *sup_pid, uint64_t *sup_start, pid_t *svc_pid,
    const struct sg_supervise *s, unsigned timeout_ms, struct sg_error *err);

/*
 * Stop a supervisor (SIGTERM: it stops its service, SIGTERM then SIGKILL
 * after grace_ms to its group, and exits) and wait for it for grace_ms
 * and a margin; then, if it is still there, SIGKILL it and the service's
 * group.  A supervisor that is gone already (or is no longer the process
 * that was recorded: start time) is fine.  *killed (OUT) says whether
 * SIGKILL was needed, by this call or by the supervisor (its last state,
 * at state_path, says so; NULL: not asked).
 */
void sg_supervise_stop(pid_t sup_pid, uint64_t sup_start, pid_t svc_pgid,
    unsigned grace_ms, const char *state_path, bool *killed);

/*
 * Whether pid is a live process (not a zombie) started at `start` ticks
 * after boot (0: any start time).
 */
bool sg_sys_pid_is(pid_t pid, uint64_t start);

/* The process group of pid, or -1. */
pid_t sg_sys_pgid_of(pid_t pid);

/* One process holding a listening socket. */
struct sg_listener {
	pid_t pid;
	pid_t pgid;
	char comm[32];
};

/*
 * The processes holding a TCP socket that listens on `port` (IPv4 or
 * IPv6, /proc/net/tcp{,6} against /proc/PID/fd).  *any (OUT) says
 * whether such a socket exists at all (a socket whose holder this
 * process may not see still counts).  *out has *n entries, free()d by
 * the caller.
 */
int sg_sys_port_listeners(struct sg_listener **out, size_t *n, bool *any,
    unsigned port, struct sg_error *err);

/* Copy the regular file src to dst (new, mode), fsynced. */
int sg_sys_copy_file(const char *src, const char *dst, unsigned mode,
    struct sg_error *err);

#endif /* SG_SYS_RELEASE_H */
