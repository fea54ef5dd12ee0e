/* SPDX-License-Identifier: MIT */
/*
 * error.h - how libspecgate reports failure.
 *
 * A function that can fail returns int: 0 on success, a negative SG_E* code
 * on failure.  The details (a message, and the file:line:column of the input
 * that caused it when there is one) go into a caller-supplied struct sg_error,
 * filled in where the failure is detected and never overwritten on the way
 * up.  Codes are few on purpose: they exist for the failures a caller branches
 * on, and each maps to one exit status of the command line (see
 * docs/error-handling.md).
 *
 * Rejected: a thread-local "last error" (libgit2) because the HTTP service is
 * multi-threaded and explicit flow is easier to follow and to test.
 */
#ifndef SPECGATE_ERROR_H
#define SPECGATE_ERROR_H

#include <stddef.h>

#if defined(__GNUC__)
#define SG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SG_PRINTF(f, a)
#endif

enum sg_error_code {
	SG_OK = 0,
	SG_EINVAL = -1,	  /* bad input: usage, config, spec (exit 2) */
	SG_ENOTFOUND = -2, /* a named thing does not exist (exit 2) */
	SG_ETOOBIG = -3,   /* a documented size cap was exceeded (exit 2) */
	SG_EIO = -4,	   /* the system failed us: I/O, store (exit 5) */
	SG_EGATE = -5,	   /* a gate or a stage failed (exit 1) */
	SG_EVERIFY = -6,   /* verification failed (exit 4) */
	SG_EWAIT = -7,	   /* waiting for an approval (exit 3) */
	SG_ECANCELED = -8, /* a run stopped by SIGINT/SIGTERM (exit 130) */
};

/*
 * The detail of one failure.  Initialise with SG_ERROR_INIT or
 * sg_error_init(); release with sg_error_release(), which frees the copied
 * file name.  A struct that already holds an error is not overwritten by a
 * later sg_error_set(): the first, most precise, failure wins.
 */
struct sg_error {
	int code;	   /* SG_E*, or 0 when no error was set */
	char *file;	   /* owned copy of the input's path, or NULL */
	unsigned line;	   /* 1-based, 0 when unknown */
	unsigned column;   /* 1-based, 0 when unknown */
	char message[512]; /* lower case, no full stop, subject quoted */
};

#define SG_ERROR_INIT {0, NULL, 0, 0, {0}}

void sg_error_init(struct sg_error *err);

/* Free what err owns and reset it to SG_ERROR_INIT.  err may be NULL. */
void sg_error_release(struct sg_error *err);

/*
 * Record a failure with no input position.  Returns code, so that a caller
 * can write `return sg_error_set(err, SG_EIO, "...")`.  err may be NULL, in
 * which case only the code is returned.
 */
int sg_error_set(struct sg_error *err, int code, const char *fmt, ...)
    SG_PRINTF(3, 4);

/* Record a failure at file:line:column of an input (line/column 0: unknown). */
int sg_error_set_at(struct sg_error *err, int code, const char *file,
    unsigned line, unsigned column, const char *fmt, ...) SG_PRINTF(6, 7);

/* Like sg_error_set(), with strerror(errnum) appended after ": ". */
int sg_error_set_errno(struct sg_error *err, int code, int errnum,
    const char *fmt, ...) SG_PRINTF(4, 5);

/* A short name for a code ("invalid input", "I/O error"...), never NULL. */
const char *sg_error_name(int code);

#endif /* SPECGATE_ERROR_H */
