/* SPDX-License-Identifier: MIT */
/*
 * httpd.h - the HTTP front end of `specgate serve`: libmicrohttpd on one
 * side, struct sg_service (specgate/service.h) on the other.  The only
 * code that includes <microhttpd.h>.
 */
#ifndef SG_HTTPD_H
#define SG_HTTPD_H

#include <stdbool.h>
#include <stddef.h>

#include "specgate/service.h"

struct httpd_options {
	const char *listen;   /* "HOST:PORT", "[V6]:PORT"; port 0: any */
	unsigned connections; /* at most this many open at once */
	unsigned timeout_s;   /* idle connections are closed after this */
	size_t request_max;   /* bytes of a request's line, headers, body */
	unsigned header_timeout_ms; /* a request's line and headers, at most */
	unsigned per_client;  /* connections per client address; 0: any */
	unsigned reserve;     /* slots kept free by closing waiting ones */
	bool access_log;      /* one line per request on stderr */
};

/*
 * Serve svc until SIGTERM or SIGINT, then stop accepting, let the
 * requests in flight finish (at most 10 s) and return 0.  Prints
 * "listening on http://HOST:PORT/" on stdout once the socket is bound.
 * The caller must have blocked SIGTERM and SIGINT in every thread (this
 * waits for them with sigwait()).  Returns -1 after printing why when the
 * socket cannot be set up.
 */
int httpd_run(struct sg_service *svc, const struct httpd_options *opts);

#endif /* SG_HTTPD_H */
