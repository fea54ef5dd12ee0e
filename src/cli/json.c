/* SPDX-License-Identifier: MIT */
/*
 * json.c - the little JSON the front end writes itself (`id --json`, and
 * the summaries of `run`, `runs`, `audit` and `archive`): strings and
 * nullable strings.  Documents the library renders (reports, manifests)
 * are printed as they are.
 *
 * Strings are bytes, not necessarily UTF-8 (file names): valid UTF-8
 * passes through, control characters are \u-escaped, and a byte that is
 * not part of valid UTF-8 becomes U+FFFD, so the output is always JSON
 * (sg_buf_json_string() with both flags).
 */
#include "cli.h"

#include "util/util.h"

void
cli_json_string(FILE *f, const char *str)
{
	struct sg_buf b;

	sg_buf_init(&b, 0);
	sg_buf_json_string(&b, str, SG_JSON_CLEAN | SG_JSON_HEX_CONTROLS);
	fwrite(b.ptr, 1, b.len, f);
	sg_buf_release(&b);
}

void
cli_json_field(FILE *f, bool first, const char *key, const char *value)
{
	fprintf(f, "%s\"%s\": ", first ? "" : ", ", key);
	cli_json_string(f, value);
}
