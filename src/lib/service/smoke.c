/* SPDX-License-Identifier: MIT */
/*
 * smoke.c - one health probe for `specgate smoke` (and the deploy stage's
 * health check): GET the URL and judge the answer the way /healthz
 * defines healthy - HTTP 200, "status": "healthy" and
 * "metrics": {"health_up": 1} - so that a proxy answering 200 with an
 * error page, or a service saying "unhealthy" with a 200 (the bug of the
 * system specgate replaces), is not taken for healthy.  The GET is
 * libcurl's (sys/curl.h): http or https, the URL's userinfo as Basic
 * authentication.
 */
#include "specgate/service.h"

#include <jansson.h>

#include "sys/curl.h"
#include "util/util.h"

void
sg_smoke_result_release(struct sg_smoke_result *r)
{
	if (!r)
		return;
	free(r->summary);
	memset(r, 0, sizeof(*r));
}

int
sg_smoke_probe(struct sg_smoke_result *out, const char *url,
    unsigned timeout_ms, struct sg_error *err)
{
	struct sg_http_response resp;
	json_t *doc = NULL, *errors, *up;
	const char *status = NULL;
	struct sg_buf why;
	json_int_t health_up = -1;
	size_t i;
	json_t *e;
	int error;

	memset(out, 0, sizeof(*out));
	sg_buf_init(&why, 4096);
	if ((error = sg_curl_get(&resp, url, timeout_ms, err)) < 0)
		goto out;
	out->http_status = resp.status;
	doc = json_loadb(resp.body, resp.len, 0, NULL);
	if (json_is_object(doc)) {
		status = json_string_value(json_object_get(doc, "status"));
		up = json_object_get(json_object_get(doc, "metrics"),
		    "health_up");
		if (json_is_integer(up))
			health_up = json_integer_value(up);
	}
	out->healthy = resp.status == 200 && status &&
	    !strcmp(status, "healthy") && health_up == 1;
	sg_buf_printf(&why, "HTTP %d, %s, health_up %s", resp.status,
	    status ? status : (doc ? "no status" : "not JSON"),
	    health_up < 0 ? "missing" : (health_up == 1 ? "1" : "0"));
	errors = json_object_get(doc, "errors");
	json_array_foreach(errors, i, e)
		if (json_is_string(e))
			sg_buf_printf(&why, "%s %s", i ? ";" : ":",
			    json_string_value(e));
	out->summary = sg_buf_detach(&why, NULL);
out:
	json_decref(doc);
	sg_http_response_release(&resp);
	sg_buf_release(&why);
	return error;
}
