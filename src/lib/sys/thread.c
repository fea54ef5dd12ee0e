/* SPDX-License-Identifier: MIT */
/*
 * thread.c - fork/join over pthreads (thread.h).
 *
 * The CPU count comes from sched_getaffinity() rather than
 * sysconf(_SC_NPROCESSORS_ONLN): a process confined by taskset, a cgroup
 * cpuset or a container sees the CPUs it may use, not the machine's.
 */
#include "sys/thread.h"

#include <pthread.h>
#include <sched.h>

#define MAX_WORKERS 64

struct worker {
	pthread_t tid;
	unsigned id;
	bool started;
	sg_thread_fn fn;
	void *payload;
};

static void *
trampoline(void *arg)
{
	struct worker *w = arg;

	w->fn(w->id, w->payload);
	return NULL;
}

void
sg_thread_run(unsigned n, sg_thread_fn fn, void *payload)
{
	struct worker w[MAX_WORKERS];

	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	for (unsigned i = 1; i < n; i++) {
		w[i].id = i;
		w[i].fn = fn;
		w[i].payload = payload;
		w[i].started =
		    pthread_create(&w[i].tid, NULL, trampoline, &w[i]) == 0;
	}
	fn(0, payload);
	for (unsigned i = 1; i < n; i++) {
		if (w[i].started)
			pthread_join(w[i].tid, NULL);
		else
			fn(i, payload);
	}
}

unsigned
sg_thread_ncpus(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 1;
	n = CPU_COUNT(&set);
	return n > 0 ? (unsigned)n : 1;
}
