/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/proc/redact.c: secrets masked whole, at every
 * split of the input into two reads and byte by byte, the longest secret
 * winning, short values ignored, names that mark a secret.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "specgate/proc.h"
#include "util/util.h"

static void
collect(const char *data, size_t len, void *payload)
{
	sg_buf_put(payload, data, len);
}

/* Feed `in` as the pieces given by the cut points, then flush. */
static char *
feed_cut(const struct sg_redact *r, const char *in, const size_t *cuts,
    size_t ncuts)
{
	struct sg_redact_stream s = SG_REDACT_STREAM_INIT;
	struct sg_buf out;
	size_t at = 0;

	sg_buf_init(&out, 0);
	for (size_t i = 0; i <= ncuts; i++) {
		size_t end = i < ncuts ? cuts[i] : strlen(in);

		sg_redact_feed(r, &s, in + at, end - at, collect, &out);
		at = end;
	}
	sg_redact_flush(r, &s, collect, &out);
	return sg_buf_detach(&out, NULL);
}

static struct sg_redact *
two_secrets(void)
{
	struct sg_redact *r = sg_redact_new();

	sg_redact_add(r, "hunter2-pass");
	sg_redact_add(r, "hunter2-password-long");
	sg_redact_add(r, "abc"); /* too short: ignored */
	sg_redact_add(r, "hunter2-pass"); /* twice: once */
	return r;
}

static void
redact_whole(void **state)
{
	struct sg_redact *r = two_secrets();
	char *out;

	(void)state;
	assert_int_equal(sg_redact_count(r), 2);
	out = feed_cut(r, "pw=hunter2-pass abc\nlong=hunter2-password-long!",
	    NULL, 0);
	assert_string_equal(out,
	    "pw=[REDACTED] abc\nlong=[REDACTED]!");
	free(out);
	sg_redact_free(r);
}

static void
redact_every_split(void **state)
{
	const char *in = "a hunter2-pass b hunter2-password-long c hunter2-pa";
	const char *want =
	    "a [REDACTED] b [REDACTED] c hunter2-pa";
	struct sg_redact *r = two_secrets();
	size_t cut;
	char *out;

	(void)state;
	for (cut = 0; cut <= strlen(in); cut++) {
		out = feed_cut(r, in, &cut, 1);
		assert_string_equal(out, want);
		free(out);
	}
	sg_redact_free(r);
}

static void
redact_byte_by_byte(void **state)
{
	const char *in = "xhunter2-passhunter2-password-longy";
	size_t cuts[64];
	struct sg_redact *r = two_secrets();
	char *out;

	(void)state;
	for (size_t i = 0; i < strlen(in); i++)
		cuts[i] = i + 1;
	out = feed_cut(r, in, cuts, strlen(in));
	assert_string_equal(out, "x[REDACTED][REDACTED]y");
	free(out);
	sg_redact_free(r);
}

static void
redact_nothing_without_secrets(void **state)
{
	struct sg_redact *r = sg_redact_new();
	char *out;

	(void)state;
	out = feed_cut(r, "nothing to hide", NULL, 0);
	assert_string_equal(out, "nothing to hide");
	free(out);
	sg_redact_free(r);
}

static void
redact_names(void **state)
{
	(void)state;
	assert_true(sg_redact_name_is_secret("GITHUB_TOKEN"));
	assert_true(sg_redact_name_is_secret("db_password"));
	assert_true(sg_redact_name_is_secret("AWS_SECRET_ACCESS_KEY"));
	assert_true(sg_redact_name_is_secret("SSH_KEY"));
	assert_true(sg_redact_name_is_secret("MonkeyBusiness"));
	assert_false(sg_redact_name_is_secret("PATH"));
	assert_false(sg_redact_name_is_secret("HOME"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(redact_whole),
		cmocka_unit_test(redact_every_split),
		cmocka_unit_test(redact_byte_by_byte),
		cmocka_unit_test(redact_nothing_without_secrets),
		cmocka_unit_test(redact_names),
	};

	return cmocka_run_group_tests_name("proc/redact", tests, NULL, NULL);
}
