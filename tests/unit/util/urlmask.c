/* SPDX-License-Identifier: MIT */
/* Unit tests for src/lib/util/urlmask.c: credentials out of URLs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/util.h"

static void
same(const char *in, const char *want)
{
	char *got = sg_url_mask(in);

	assert_string_equal(got, want);
	free(got);
}

static void
userinfo(void **state)
{
	(void)state;
	same("http://user:s3cret@127.0.0.1:8080/healthz",
	    "http://user:[REDACTED]@127.0.0.1:8080/healthz");
	same("postgres://app:pw@db/prod", "postgres://app:[REDACTED]@db/prod");
	same("https://ghp_abcdef@github.com/o/r.git",
	    "https://[REDACTED]@github.com/o/r.git");
	same("ssh://git@github.com/o/r.git", "ssh://git@github.com/o/r.git");
	same("git+ssh://git:pw@h/r", "git+ssh://git:[REDACTED]@h/r");
	/* An @ in the path is not a userinfo. */
	same("https://h/a@b", "https://h/a@b");
	same("sqlite:.specgate/state.db", "sqlite:.specgate/state.db");
}

static void
query(void **state)
{
	(void)state;
	same("http://h/x?token=abc&page=2", "http://h/x?token=[REDACTED]&page=2");
	same("http://h/?access_token=a;sig=b&X-Amz-Signature=c&key=d",
	    "http://h/?access_token=[REDACTED];sig=[REDACTED]&"
	    "X-Amz-Signature=[REDACTED]&key=[REDACTED]");
	same("http://h/?password=&q=1", "http://h/?password=&q=1");
	same("http://h/cb#access_token=t&state=1",
	    "http://h/cb#access_token=[REDACTED]&state=1");
	same("http://u:p@h/?code=x#frag", "http://u:[REDACTED]@h/?code=[REDACTED]#frag");
}

static void
text(void **state)
{
	const char *in = "$ curl -sf \"http://user:s3cret@127.0.0.1:9/healthz?"
	    "token=abc\" && echo ok; see https://x.test/?apikey=z.";
	char *got;
	size_t n;

	(void)state;
	got = sg_text_mask_urls(in, strlen(in), &n);
	assert_string_equal(got, "$ curl -sf \"http://user:[REDACTED]@"
	    "127.0.0.1:9/healthz?token=[REDACTED]\" && echo ok; see "
	    "https://x.test/?apikey=[REDACTED]");
	assert_int_equal(n, strlen(got));
	free(got);
	got = sg_text_mask_urls("no url :// here", 15, NULL);
	assert_string_equal(got, "no url :// here");
	free(got);
	got = sg_text_mask_urls("", 0, &n);
	assert_string_equal(got, "");
	assert_int_equal(n, 0);
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(userinfo),
		cmocka_unit_test(query),
		cmocka_unit_test(text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
