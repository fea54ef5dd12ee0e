/* SPDX-License-Identifier: MIT */
/*
 * http.h - what one health-probe GET brings back (sys/curl.h fetches it),
 * and the caps on it.  A type header only: the response's fields and how
 * to release them, shared by the probe (sys/curl.c) and its judges
 * (service/smoke.c).
 */
#ifndef SG_SYS_HTTP_H
#define SG_SYS_HTTP_H

#include <stddef.h>

#define SG_HTTP_HEADER_MAX (16u << 10) /* status lines and headers */
#define SG_HTTP_BODY_MAX (1u << 20)    /* a bigger body is SG_ETOOBIG */

struct sg_http_response {
	int status;	     /* 200, 503... */
	char *content_type;  /* owned, or NULL */
	char *body;	     /* owned, NUL-terminated */
	size_t len;
};

/* Free what r holds (not r).  r may be NULL. */
void sg_http_response_release(struct sg_http_response *r);

#endif /* SG_SYS_HTTP_H */
