/* SPDX-License-Identifier: MIT */
/*
 * urlmask.c - the one place that takes credentials out of URLs
 * (sg_url_mask(), sg_text_mask_urls(); util/util.h).
 *
 * Every log line, document, message, API answer and metric that can hold
 * a URL written by a user (a health URL, a command line, a store URL, a
 * git remote) goes through here, so the rule is the same everywhere:
 *
 *	userinfo	`user:pass@` becomes `user:[REDACTED]@`; a userinfo
 *			with no password becomes `[REDACTED]@` (a token used
 *			as the user name: `https://ghp_x@host`), except for
 *			schemes naming ssh, where `git@` is a user name
 *	query, fragment	the value of every parameter whose name says
 *			secret (contains token, key, pass, pwd, secret, sig,
 *			auth, credential or session, any case, or is `code`)
 *			becomes `[REDACTED]`: `?token=abc&page=2` becomes
 *			`?token=[REDACTED]&page=2`
 *
 * In free text a URL is `scheme://` (a letter, then letters, digits, `+`,
 * `-`, `.`) up to the first blank, control byte, quote, `<`, `>` or
 * backtick.  Masking is a pure function of the bytes: the same text is
 * always masked the same way, which the layout relies on (a link's
 * command and the layout's expected command are masked alike).  The mark
 * is the log redactor's, SG_REDACT_MASK in specgate/proc.h.
 *
 * sg_secret_name() is the one rule for variable names whose values are
 * secrets (the redactor's and `specgate config`'s).
 */
#include "util/util.h"

#include <ctype.h>
#include <strings.h>

#define MASK "[REDACTED]"

static bool
is_scheme_char(int ch)
{
	return isalnum(ch) || ch == '+' || ch == '-' || ch == '.';
}

static bool
ends_url(int ch)
{
	return ch <= ' ' || ch == 0x7f || ch == '"' || ch == '\'' ||
	    ch == '<' || ch == '>' || ch == '`';
}

static bool
contains_ci(const char *s, size_t n, const char *word)
{
	size_t wl = strlen(word);

	for (size_t i = 0; i + wl <= n; i++)
		if (!strncasecmp(s + i, word, wl))
			return true;
	return false;
}

/* Whether a query parameter's name says its value is a secret. */
static bool
secret_param(const char *name, size_t n)
{
	static const char *const words[] = {"token", "key", "pass", "pwd",
	    "secret", "sig", "auth", "credential", "session"};

	if (n == 4 && !strncasecmp(name, "code", 4))
		return true;
	for (size_t i = 0; i < SG_ARRAY_SIZE(words); i++)
		if (contains_ci(name, n, words[i]))
			return true;
	return false;
}

/* Parameters name=value separated by & or ;, masked into out. */
static void
mask_params(struct sg_buf *out, const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t end = i;
		size_t eq;

		while (end < n && p[end] != '&' && p[end] != ';')
			end++;
		for (eq = i; eq < end && p[eq] != '='; eq++)
			;
		if (eq < end && secret_param(p + i, eq - i) && eq + 1 < end) {
			sg_buf_put(out, p + i, eq + 1 - i);
			sg_buf_puts(out, MASK);
		} else {
			sg_buf_put(out, p + i, end - i);
		}
		if (end < n)
			sg_buf_putc(out, p[end]);
		i = end + 1;
	}
}

/* One URL, u[0..n) starting with its scheme, masked into out. */
static void
mask_one(struct sg_buf *out, const char *u, size_t n)
{
	const char *sep = NULL;
	size_t slen;
	size_t auth;
	size_t aend;
	size_t at = (size_t)-1;
	size_t i;

	for (i = 0; i + 2 < n; i++) {
		if (u[i] == ':' && u[i + 1] == '/' && u[i + 2] == '/') {
			sep = u + i;
			break;
		}
		if (!is_scheme_char((unsigned char)u[i]))
			break;
	}
	if (!sep) {
		sg_buf_put(out, u, n);
		return;
	}
	slen = (size_t)(sep - u);
	auth = slen + 3;
	for (aend = auth; aend < n && u[aend] != '/' && u[aend] != '?' &&
	     u[aend] != '#'; aend++)
		if (u[aend] == '@')
			at = aend;
	sg_buf_put(out, u, auth);
	if (at != (size_t)-1) {
		const char *colon = memchr(u + auth, ':', at - auth);

		if (colon) {
			sg_buf_put(out, u + auth, (size_t)(colon - u) + 1 - auth);
			sg_buf_puts(out, MASK);
		} else if (contains_ci(u, slen, "ssh")) {
			sg_buf_put(out, u + auth, at - auth);
		} else {
			sg_buf_puts(out, MASK);
		}
		auth = at;
	}
	sg_buf_put(out, u + auth, aend - auth);
	i = aend;
	while (i < n && u[i] != '?' && u[i] != '#')
		i++;
	sg_buf_put(out, u + aend, i - aend);
	while (i < n) {
		size_t end = i + 1;

		/* u[i] is '?' or '#': the query, then the fragment. */
		while (end < n && (u[i] == '#' || u[end] != '#'))
			end++;
		sg_buf_putc(out, u[i]);
		mask_params(out, u + i + 1, end - i - 1);
		i = end;
	}
}

char *
sg_text_mask_urls(const char *text, size_t len, size_t *outlen)
{
	struct sg_buf out;
	size_t done = 0;
	size_t i = 0;

	sg_buf_init(&out, 0);
	while (i + 3 <= len) {
		size_t s;
		size_t e;

		if (text[i] != ':' || text[i + 1] != '/' || text[i + 2] != '/') {
			i++;
			continue;
		}
		for (s = i; s > done && is_scheme_char((unsigned char)text[s - 1]);
		     s--)
			;
		while (s < i && !isalpha((unsigned char)text[s]))
			s++;
		if (s == i) {
			i += 3;
			continue;
		}
		for (e = i + 3; e < len && !ends_url((unsigned char)text[e]); e++)
			;
		sg_buf_put(&out, text + done, s - done);
		mask_one(&out, text + s, e - s);
		done = i = e;
	}
	sg_buf_put(&out, text + done, len - done);
	return sg_buf_detach(&out, outlen);
}

char *
sg_url_mask(const char *url)
{
	return sg_text_mask_urls(url, strlen(url), NULL);
}

bool
sg_secret_name(const char *name)
{
	static const char *const words[] = {"TOKEN", "PASSWORD", "SECRET",
	    "KEY"};

	for (size_t i = 0; i < SG_ARRAY_SIZE(words); i++)
		if (contains_ci(name, strlen(name), words[i]))
			return true;
	return false;
}
