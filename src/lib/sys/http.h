/* SPDX-License-Identifier: MIT */
/*
 * http.h - a minimal HTTP/1.1 client: one GET over one plain TCP
 * connection, for `specgate smoke` and health checks.
 *
 * Plain http:// only (no TLS, no proxies, no redirects): it is meant for a
 * service's health endpoint on the loopback or a private network, the way
 * a container's health probe is.  Everything has a bound: one deadline for
 * the whole exchange (connect, send, receive), a cap on the response
 * headers and body, and "Connection: close" so that the body ends at the
 * end of the stream unless Content-Length or chunked says otherwise.
 */
#ifndef SG_SYS_HTTP_H
#define SG_SYS_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

#define SG_HTTP_HEADER_MAX (16u << 10) /* status line and headers */
#define SG_HTTP_BODY_MAX (1u << 20)    /* a bigger body is SG_ETOOBIG */

struct sg_http_response {
	int status;	     /* 200, 503... */
	char *content_type;  /* owned, or NULL */
	char *body;	     /* owned, NUL-terminated */
	size_t len;
};

/* Free what r holds (not r).  r may be NULL. */
void sg_http_response_release(struct sg_http_response *r);

/*
 * GET `url` ("http://host[:port][/path[?query]]"; host a name, an IPv4
 * address or [IPv6]) within timeout_ms.  *out (OUT) holds the response on
 * success; release it either way.
 *
 * Errors: SG_EINVAL for a URL that is not plain http or is malformed;
 * SG_EIO for a name that does not resolve, a refused connection, a
 * timeout, a connection closed early or a malformed response (the message
 * says which); SG_ETOOBIG past the caps above.
 */
int sg_http_get(struct sg_http_response *out, const char *url,
    unsigned timeout_ms, struct sg_error *err);

#endif /* SG_SYS_HTTP_H */
