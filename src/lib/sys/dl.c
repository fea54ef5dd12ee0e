/* SPDX-License-Identifier: MIT */
/*
 * dl.c - open a shared library on first use and fill its table of
 * pointers (sys/dl.h).
 *
 * RTLD_NOW: every symbol is resolved at the open, so a library that lacks
 * one fails here, named, rather than at a call in the middle of a run.
 * RTLD_LOCAL: its symbols stay out of the global namespace.  A handle is
 * never closed: the pointers live as long as the process, as they did
 * when the library was linked.  dlsym()'s void * is stored into the
 * pointer's bytes with memcpy, as POSIX allows for function pointers.
 */
#include "sys/dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void
load(struct sg_dl *lib)
{
	const char *why;
	void *h, *p;
	size_t i;

	if (!(h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL))) {
		why = dlerror();
		snprintf(lib->message, sizeof(lib->message), "%s",
		    why ? why : lib->soname);
		lib->state = -1;
		return;
	}
	for (i = 0; lib->names[i]; i++) {
		(void)dlerror();
		p = dlsym(h, lib->names[i]);
		if (!p) {
			snprintf(lib->message, sizeof(lib->message),
			    "%s: no symbol '%s'", lib->soname, lib->names[i]);
			lib->state = -1;
			return;
		}
		memcpy((char *)lib->table + i * sizeof(void *), &p,
		    sizeof(p));
	}
	__atomic_store_n(&lib->state, 1, __ATOMIC_RELEASE);
}

int
sg_dl_load(struct sg_dl *lib, struct sg_error *err)
{
	int state;

	if (__atomic_load_n(&lib->state, __ATOMIC_ACQUIRE) == 1)
		return 0;
	pthread_mutex_lock(&lock);
	if (!lib->state)
		load(lib);
	state = lib->state;
	pthread_mutex_unlock(&lock);
	if (state < 0)
		return sg_error_set(err, SG_EIO, "cannot load %s (%s): "
		    "install its package (tools/install-deps)", lib->soname,
		    lib->message);
	return 0;
}
