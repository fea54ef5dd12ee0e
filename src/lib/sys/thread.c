/* SPDX-License-Identifier: MIT */
/*
 * thread.c - sg_thread_run_all over pthreads.
 */
#include "sys/thread.h"

#include <pthread.h>
#include <unistd.h>

#include "util/util.h"

unsigned
sg_sys_ncpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1;
}

struct start {
	void (*fn)(void *);
	void *arg;
};

static void *
trampoline(void *p)
{
	struct start *s = p;

	s->fn(s->arg);
	return NULL;
}

void
sg_thread_run_all(void (*fn)(void *), void *const *args, size_t n)
{
	pthread_t *tids;
	struct start *starts;
	bool *started;

	if (!n)
		return;
	tids = sg_xcalloc(n, sizeof(*tids));
	starts = sg_xcalloc(n, sizeof(*starts));
	started = sg_xcalloc(n, sizeof(*started));
	for (size_t i = 1; i < n; i++) {
		starts[i].fn = fn;
		starts[i].arg = args[i];
		started[i] = !pthread_create(&tids[i], NULL, trampoline,
		    &starts[i]);
	}
	fn(args[0]);
	for (size_t i = 1; i < n; i++)
		if (started[i])
			pthread_join(tids[i], NULL);
	free(started);
	free(starts);
	free(tids);
}
