/* SPDX-License-Identifier: MIT */
/*
 * ossl.c - the one place where OpenSSL's thread-local error queue becomes a
 * struct sg_error (HACKING.md, System interfaces).  The first reason is
 * kept (it is the root cause; later entries are the layers that passed it
 * up), written as OpenSSL's reason string alone ("bad decrypt") rather
 * than the full "error:1C800064:Provider routines::bad decrypt" soup, and
 * the rest of the queue is cleared so that no stale entry misleads the
 * next caller.
 */
#include "sign/sign_int.h"

#include <stdarg.h>
#include <stdio.h>

#include <openssl/err.h>

int
sg_sign__ossl_fail(struct sg_error *err, int code, const char *fmt, ...)
{
	unsigned long e;
	const char *reason;
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	e = ERR_peek_error();
	reason = e ? ERR_reason_error_string(e) : NULL;
	if (e && !reason)
		reason = "unknown reason";
	if (reason)
		sg_error_set(err, code, "%s: %s", what, reason);
	else
		sg_error_set(err, code, "%s", what);
	ERR_clear_error();
	return code;
}
