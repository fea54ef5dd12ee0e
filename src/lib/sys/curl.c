/* SPDX-License-Identifier: MIT */
/*
 * curl.c - a health probe's GET over libcurl (sys/curl.h).
 *
 * Why libcurl and not a hand-written client (specgate had one until
 * libcurl took its place): https.  A deployed service's health endpoint is
 * often behind TLS, and a TLS client is not something to write by hand.
 * The behaviour of the old client is kept where it mattered: no proxy (a probe of 127.0.0.1 must
 * not go through $http_proxy), no redirect (a health endpoint that
 * redirects is answering something else), the userinfo of the URL as
 * Basic authentication, one deadline, capped sizes.  libcurl's global
 * initialisation is not thread-safe, so it runs once under
 * pthread_once().
 */
#include "sys/curl.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sys/dl.h"

/* libcurl, opened on the first probe (sys/dl.h). */
#define CURL_SYMS(X) X(curl_easy_cleanup) X(curl_easy_getinfo) X(curl_easy_init) X(curl_easy_perform) X(curl_easy_setopt) X(curl_easy_strerror) X(curl_free) X(curl_global_init) X(curl_url) X(curl_url_cleanup) X(curl_url_get) X(curl_url_set)
SG_DL_TABLE(curl, SG_SONAME_CURL, CURL_SYMS)
#define curl_easy_cleanup (sg_dl_curl_fn.curl_easy_cleanup)
#undef curl_easy_getinfo /* curl's type-checking macros, GCC only */
#undef curl_easy_setopt
#define curl_easy_getinfo (sg_dl_curl_fn.curl_easy_getinfo)
#define curl_easy_init (sg_dl_curl_fn.curl_easy_init)
#define curl_easy_perform (sg_dl_curl_fn.curl_easy_perform)
#define curl_easy_setopt (sg_dl_curl_fn.curl_easy_setopt)
#define curl_easy_strerror (sg_dl_curl_fn.curl_easy_strerror)
#define curl_free (sg_dl_curl_fn.curl_free)
#define curl_global_init (sg_dl_curl_fn.curl_global_init)
#define curl_url (sg_dl_curl_fn.curl_url)
#define curl_url_cleanup (sg_dl_curl_fn.curl_url_cleanup)
#define curl_url_get (sg_dl_curl_fn.curl_url_get)
#define curl_url_set (sg_dl_curl_fn.curl_url_set)

void
sg_http_response_release(struct sg_http_response *r)
{
	if (!r)
		return;
	free(r->content_type);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static void
global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct sink {
	struct sg_buf body;
	size_t header_len; /* status lines and headers seen, all responses */
	bool too_big;
	bool headers_too_big;
};

/*
 * libcurl's own cap is 100 KiB per header line, and past it the error is
 * "Out of memory"; a health probe has no use for more than the hand-written
 * client allowed, SG_HTTP_HEADER_MAX in all.
 */
static size_t
on_header(char *p, size_t size, size_t n, void *payload)
{
	struct sink *s = payload;
	size_t len = size * n;

	(void)p;
	if (len > SG_HTTP_HEADER_MAX - s->header_len) {
		s->headers_too_big = true;
		return 0; /* libcurl stops with CURLE_WRITE_ERROR */
	}
	s->header_len += len;
	return len;
}

static size_t
on_body(char *p, size_t size, size_t n, void *payload)
{
	struct sink *s = payload;
	size_t len = size * n;

	if (s->body.len + len > SG_HTTP_BODY_MAX) {
		s->too_big = true;
		return 0; /* libcurl stops with CURLE_WRITE_ERROR */
	}
	sg_buf_put(&s->body, p, len);
	return len;
}

/*
 * "cannot connect to HOST:PORT: Connection refused", as the hand-written
 * client said it (people and scripts grep for it).
 */
static int
connect_error(CURL *h, const char *url, struct sg_error *err)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL;
	long os = 0;
	int error;

	curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os);
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
	    CURLUE_OK)
		error = sg_error_set(err, SG_EIO, "cannot connect to %s:%s: %s",
		    host, port, os ? strerror((int)os) : "no route");
	else
		error = sg_error_set(err, SG_EIO, "cannot connect: %s",
		    os ? strerror((int)os) : "no route");
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return error;
}

int
sg_curl_get(struct sg_http_response *out, const char *url,
    unsigned timeout_ms, struct sg_error *err)
{
	char msg[CURL_ERROR_SIZE];
	const char *ca = getenv("SSL_CERT_FILE");
	struct sink s;
	const char *ct = NULL;
	CURLcode rc;
	long status = 0;
	CURL *h;
	int error = 0;

	memset(out, 0, sizeof(*out));
	if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
		return sg_error_set(err, SG_EINVAL, "'%s' is not an http:// "
		    "or https:// URL", url);
	if ((error = sg_dl_load(&sg_dl_curl, err)) < 0)
		return error;
	pthread_once(&once, global_init);
	if (global_rc != CURLE_OK || !(h = curl_easy_init()))
		return sg_error_set(err, SG_EIO, "cannot initialise libcurl");
	sg_buf_init(&s.body, 0);
	s.too_big = false;
	s.headers_too_big = false;
	s.header_len = 0;
	msg[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "specgate");
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE, (long)SG_HTTP_BODY_MAX);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, msg);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &s);
	if (ca && *ca)
		curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	rc = curl_easy_perform(h);
	/*
	 * A single header line past libcurl's own 100 KiB buffer never
	 * reaches on_header(): libcurl gives up with CURLE_OUT_OF_MEMORY
	 * before any body byte.  That line is past our cap too.
	 */
	if (s.headers_too_big ||
	    (rc == CURLE_OUT_OF_MEMORY && s.body.len == 0)) {
		error = sg_error_set(err, SG_ETOOBIG, "the response's headers "
		    "are over %u bytes", SG_HTTP_HEADER_MAX);
		goto out;
	}
	if (s.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		error = sg_error_set(err, SG_ETOOBIG, "the response is over "
		    "%u bytes", SG_HTTP_BODY_MAX);
		goto out;
	}
	if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL) {
		error = sg_error_set(err, SG_EINVAL, "'%s' is not a valid "
		    "URL: %s", url, *msg ? msg : curl_easy_strerror(rc));
		goto out;
	}
	if (rc == CURLE_COULDNT_CONNECT) {
		error = connect_error(h, url, err);
		goto out;
	}
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		error = sg_error_set(err, SG_EIO, "no answer within %u ms",
		    timeout_ms);
		goto out;
	}
	if (rc != CURLE_OK) {
		error = sg_error_set(err, SG_EIO, "%s",
		    *msg ? msg : curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
	out->status = (int)status;
	out->content_type = ct ? sg_xstrdup(ct) : NULL;
	out->body = sg_buf_detach(&s.body, &out->len);
out:
	sg_buf_release(&s.body);
	curl_easy_cleanup(h);
	return error;
}
