/* SPDX-License-Identifier: MIT */
/*
 * fuzz_http.c - libFuzzer entry point for the response parser of the
 * smoke client (src/lib/sys/http.c: status line, headers, Content-Length,
 * chunked bodies) and its URL parser.  The file is included to reach the
 * static functions (HACKING.md, Tests).  Checks an invariant as well as memory
 * safety: an accepted response has a status of three digits and a body no
 * longer than what was received.
 */
#include "../../src/lib/sys/http.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_http_response resp;
	struct sg_buf b;
	struct url u;
	char *s;

	if (size > SG_HTTP_HEADER_MAX + 4096)
		return 0;
	memset(&resp, 0, sizeof(resp));
	sg_buf_init(&b, 0);
	sg_buf_put(&b, data, size);
	if (parse_response(&resp, &b, NULL) == 0) {
		if (resp.status < 100 || resp.status > 999 || resp.len > size)
			abort();
	}
	sg_http_response_release(&resp);
	s = sg_xstrndup((const char *)data, size < 512 ? size : 512);
	parse_url(&u, s, NULL);
	free(s);
	sg_buf_release(&b);
	return 0;
}
