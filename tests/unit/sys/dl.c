/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/sys/dl.c: a library opened on first use fills its
 * table (checked against the address the dynamic linker gives), and a
 * library or symbol that is missing is an SG_EIO naming it, every time it
 * is asked, with nothing filled.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <string.h>
#include <unistd.h>

#include "../../harness/unit.h"

#include "sys/dl.h"

#define LIBC_SYMS(X) X(strlen) X(getpid)
SG_DL_TABLE(libc, "libc.so.6", LIBC_SYMS)

#define MISSING_SYMS(X) X(strlen)
SG_DL_TABLE(missing, "libspecgate-no-such-library.so.9", MISSING_SYMS)

/* declared for its type only: no library defines it */
extern size_t no_such_symbol_here(const char *s);
#define NOSYM_SYMS(X) X(strlen) X(no_such_symbol_here)
SG_DL_TABLE(nosym, "libc.so.6", NOSYM_SYMS)

SG_TEST(a_library_fills_its_table_once)
{
	struct sg_error err = SG_ERROR_INIT;
	void *h = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);

	(void)state;
	assert_non_null(h);
	assert_int_equal(sg_dl_load(&sg_dl_libc, &err), 0);
	assert_true((void *)sg_dl_libc_fn.strlen == dlsym(h, "strlen"));
	assert_int_equal(sg_dl_libc_fn.strlen("four"), 4);
	assert_int_equal(sg_dl_libc_fn.getpid(), getpid());
	assert_int_equal(sg_dl_load(&sg_dl_libc, &err), 0);
	dlclose(h);
}

SG_TEST(a_missing_library_is_named_every_time)
{
	struct sg_error err = SG_ERROR_INIT;

	(void)state;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(sg_dl_load(&sg_dl_missing, &err), SG_EIO);
		assert_non_null(strstr(err.message,
		    "cannot load libspecgate-no-such-library.so.9"));
		sg_error_release(&err);
	}
	assert_null(sg_dl_missing_fn.strlen);
}

SG_TEST(a_missing_symbol_is_named)
{
	struct sg_error err = SG_ERROR_INIT;

	(void)state;
	assert_int_equal(sg_dl_load(&sg_dl_nosym, &err), SG_EIO);
	assert_non_null(strstr(err.message,
	    "libc.so.6: no symbol 'no_such_symbol_here'"));
	sg_error_release(&err);
}

SG_TEST_MAIN("sys/dl")
