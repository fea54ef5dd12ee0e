/* SPDX-License-Identifier: MIT */
/*
 * dl.h - a shared library loaded the first time a command needs it.
 *
 * specgate links at start-up only the libraries every command uses
 * (libyaml, jansson, libcrypto, SQLite).  libxml2 (JUnit and Cobertura),
 * libcurl (health probes), libgit2 (feature branches), libpq (the
 * PostgreSQL store) and libmicrohttpd (serve) pull in some forty more
 * shared objects between them, whose mapping and relocation made every
 * command, `specgate --version` included, pay for all of them.  Each is
 * now opened with dlopen() by the one file that uses it, on first use.
 *
 * How a file uses one: after including the library's own header, it
 * lists the symbols it calls in an X-macro and declares the table,
 *
 *	#define CURL_SYMS(X) X(curl_easy_init) X(curl_easy_cleanup)
 *	SG_DL_TABLE(curl, SG_SONAME_CURL, CURL_SYMS)
 *	#define curl_easy_init (sg_dl_curl_fn.curl_easy_init)
 *	#define curl_easy_cleanup (sg_dl_curl_fn.curl_easy_cleanup)
 *
 * so that its calls read as before; the pointers have the types of the
 * header's declarations (__typeof__), so the compiler checks every call
 * as it did.  A data symbol (libxml2's xmlFree) gets (*sg_dl_NAME_fn.sym).
 * Before the first call, an entry point of the file calls
 * sg_dl_load(&sg_dl_NAME, err): the library is opened once per process
 * (under a lock), every symbol looked up, and a library or symbol that
 * is missing is an SG_EIO naming it, before anything is done.
 *
 * The sonames come from the build (the Makefile reads them from the
 * libraries it compiled against), so a libgit2 of another ABI is refused
 * by name rather than called with the wrong structures.
 */
#ifndef SG_SYS_DL_H
#define SG_SYS_DL_H

#include <stddef.h>

#include "util/util.h"

struct sg_dl {
	const char *soname;	  /* "libcurl.so.4" */
	const char *const *names; /* the symbols, NULL-terminated */
	void *table;		  /* as many pointers, in the same order */
	int state;		  /* 0 not tried, 1 loaded, -1 failed */
	char message[512];	  /* why it failed */
};

/* Open lib once (every later call returns the first outcome). */
int sg_dl_load(struct sg_dl *lib, struct sg_error *err);

#define SG_DL_MEMBER_(sym) __typeof__(sym) *sym;
#define SG_DL_NAME_(sym) #sym,

/*
 * The table of library NAME: a struct sg_dl called sg_dl_NAME and the
 * pointers, sg_dl_NAME_fn.<symbol>.  SYMS(X) calls X(symbol) for each.
 */
#define SG_DL_TABLE(name, soname_, SYMS)                                  \
	static struct {                                                   \
		SYMS(SG_DL_MEMBER_)                                       \
	} sg_dl_##name##_fn;                                              \
	static const char *const sg_dl_##name##_names[] = {              \
	    SYMS(SG_DL_NAME_) NULL};                                      \
	_Static_assert(sizeof(sg_dl_##name##_fn) ==                       \
	    (sizeof(sg_dl_##name##_names) / sizeof(char *) - 1) *         \
	    sizeof(void *), "a table of pointers only");                  \
	static struct sg_dl sg_dl_##name = {soname_, sg_dl_##name##_names, \
	    &sg_dl_##name##_fn, 0, ""};

#endif /* SG_SYS_DL_H */
