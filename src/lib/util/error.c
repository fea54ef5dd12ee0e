/* SPDX-License-Identifier: MIT */
/*
 * error.c - filling in struct sg_error.
 *
 * The first error recorded wins: callers propagate codes unchanged and never
 * mask a precise message with a vaguer one (HACKING.md, Errors), so set
 * functions leave an already-set error alone and only return the code.
 */
#include "specgate/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

void
sg_error_init(struct sg_error *err)
{
	memset(err, 0, sizeof(*err));
}

void
sg_error_release(struct sg_error *err)
{
	if (!err)
		return;
	free(err->file);
	sg_error_init(err);
}

static void
vset(struct sg_error *err, int code, const char *file, unsigned line,
    unsigned column, const char *fmt, va_list ap) SG_PRINTF(6, 0);

static void
vset(struct sg_error *err, int code, const char *file, unsigned line,
    unsigned column, const char *fmt, va_list ap)
{
	err->code = code;
	err->file = file ? sg_xstrdup(file) : NULL;
	err->line = line;
	err->column = column;
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
}

int
sg_error_set(struct sg_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code)
		return code;
	va_start(ap, fmt);
	vset(err, code, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return code;
}

int
sg_error_set_at(struct sg_error *err, int code, const char *file,
    unsigned line, unsigned column, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code)
		return code;
	va_start(ap, fmt);
	vset(err, code, file, line, column, fmt, ap);
	va_end(ap);
	return code;
}

int
sg_error_set_errno(struct sg_error *err, int code, int errnum,
    const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (!err || err->code)
		return code;
	va_start(ap, fmt);
	vset(err, code, NULL, 0, 0, fmt, ap);
	va_end(ap);
	n = strlen(err->message);
	snprintf(err->message + n, sizeof(err->message) - n, ": %s",
	    strerror(errnum));
	return code;
}

const char *
sg_error_name(int code)
{
	switch (code) {
	case SG_OK:
		return "success";
	case SG_EINVAL:
		return "invalid input";
	case SG_ENOTFOUND:
		return "not found";
	case SG_ETOOBIG:
		return "too large";
	case SG_EIO:
		return "system error";
	case SG_EGATE:
		return "gate failed";
	case SG_EVERIFY:
		return "verification failed";
	case SG_EWAIT:
		return "awaiting approval";
	case SG_ECANCELED:
		return "cancelled";
	}
	return "unknown error";
}
