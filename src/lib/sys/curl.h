/* SPDX-License-Identifier: MIT */
/*
 * curl.h - one GET with libcurl, for `specgate smoke` and the deploy
 * stage's health check: http and https (certificates verified against the
 * system's store, or SSL_CERT_FILE when it is set, as OpenSSL's tools
 * do), the userinfo of the URL sent as Basic authentication, no proxy, no
 * redirect, one deadline for the whole exchange, and the response's
 * headers and body capped at SG_HTTP_HEADER_MAX and SG_HTTP_BODY_MAX.  The only file of specgate that includes
 * <curl/curl.h> (tools/layers).
 */
#ifndef SG_SYS_CURL_H
#define SG_SYS_CURL_H

#include "sys/http.h"
#include "util/util.h"

/*
 * GET url ("http://" or "https://", user:password@ allowed) within
 * timeout_ms.  *out (OUT) holds the status, content type and body;
 * release it either way (sg_http_response_release()).  SG_EINVAL for a URL that is malformed or of another scheme;
 * SG_EIO for no answer (the message says why: refused, timeout, a
 * certificate that does not verify); SG_ETOOBIG for a body past
 * SG_HTTP_BODY_MAX or headers (status lines included) past
 * SG_HTTP_HEADER_MAX.
 */
int sg_curl_get(struct sg_http_response *out, const char *url,
    unsigned timeout_ms, struct sg_error *err);

#endif /* SG_SYS_CURL_H */
