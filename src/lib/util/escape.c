/* SPDX-License-Identifier: MIT */
/*
 * escape.c - text into a sg_buf as JSON strings and as XML/HTML character
 * data, and the UTF-8 check both lean on.
 *
 * These were near-copies in the front end (the summaries' JSON), spec
 * (NDJSON messages), policy (JUnit and checkstyle XML), report (SVG),
 * service (the HTML pages), template (mustache's {{ }}) and intoto (link
 * streams).  Each copy differed a little in what it escaped, and the
 * outputs are compared byte for byte by tests and by people diffing
 * evidence, so the differences are flags here rather than smoothed away.
 *
 * Input is bytes.  Where the output must be valid whatever the input
 * (file names, command output), the CLEAN flags replace a byte that is not
 * part of valid UTF-8 (RFC 3629) by U+FFFD; without them the bytes pass
 * through as they are, which suits text a parser has already checked.
 *
 * Each function returns the first error of sg_buf_put() (SG_ETOOBIG past
 * the buffer's cap); what was appended up to there stays.
 */
#include "util/util.h"

#include <string.h>

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

size_t
sg_utf8_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

int
sg_buf_put_utf8(struct sg_buf *b, const char *s, size_t n)
{
	size_t i = 0;
	size_t k;
	int error = 0;

	while (i < n && !error) {
		k = sg_utf8_len(s + i, n - i);
		if (k) {
			error = sg_buf_put(b, s + i, k);
			i += k;
		} else {
			error = sg_buf_puts(b, replacement);
			i++;
		}
	}
	return error;
}

/* The two-character escape JSON has for c, or 0. */
static char
json_short(unsigned char c, unsigned flags)
{
	switch (c) {
	case '"':
		return '"';
	case '\\':
		return '\\';
	case '\n':
		return 'n';
	}
	if (flags & SG_JSON_HEX_CONTROLS)
		return 0;
	switch (c) {
	case '\b':
		return 'b';
	case '\f':
		return 'f';
	case '\r':
		return 'r';
	case '\t':
		return 't';
	}
	return 0;
}

/* How many bytes at s (left of them) go out as they are. */
static size_t
json_plain(const unsigned char *s, size_t left, unsigned flags)
{
	size_t i = 0;
	size_t k;

	while (i < left) {
		if (s[i] < 0x20 || s[i] == '"' || s[i] == '\\' ||
		    (s[i] == 0x7f && (flags & SG_JSON_HEX_CONTROLS)))
			break;
		if (s[i] < 0x80 || !(flags & SG_JSON_CLEAN)) {
			i++;
			continue;
		}
		k = sg_utf8_len((const char *)s + i, left - i);
		if (!k)
			break;
		i += k;
	}
	return i;
}

int
sg_buf_json_string(struct sg_buf *b, const char *str, unsigned flags)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t left;
	size_t n;
	char esc[6];
	int error;

	if (!str)
		return sg_buf_puts(b, "null");
	left = strlen(str);
	if ((error = sg_buf_putc(b, '"')) < 0)
		return error;
	while (left && !error) {
		n = json_plain(s, left, flags);
		if (n) {
			error = sg_buf_put(b, s, n);
		} else if (*s >= 0x80) {
			/* only SG_JSON_CLEAN stops at a byte past ASCII */
			error = sg_buf_puts(b, "\\ufffd");
			n = 1;
		} else if (json_short(*s, flags)) {
			esc[0] = '\\';
			esc[1] = json_short(*s, flags);
			error = sg_buf_put(b, esc, 2);
			n = 1;
		} else {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[*s >> 4];
			esc[5] = hex[*s & 15];
			error = sg_buf_put(b, esc, 6);
			n = 1;
		}
		s += n;
		left -= n;
	}
	return error < 0 ? error : sg_buf_putc(b, '"');
}

/* The entity or character reference for c under flags, or NULL. */
static const char *
xml_entity(unsigned char c, unsigned flags)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return (flags & SG_XML_APOS) ? "&#39;" : NULL;
	case '\r':
		return (flags & SG_XML_CLEAN) ? "&#13;" : NULL;
	case '\n':
		return (flags & SG_XML_ATTR) ? "&#10;" : NULL;
	case '\t':
		return (flags & SG_XML_ATTR) ? "&#9;" : NULL;
	}
	return NULL;
}

/* Whether XML 1.0 forbids the byte c (a control other than TAB, LF, CR). */
static bool
is_xml_forbidden(unsigned char c)
{
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

int
sg_buf_xml_escapen(struct sg_buf *b, const char *s, size_t n,
    unsigned flags)
{
	const char *ent;
	size_t k;
	int error = 0;

	for (size_t i = 0; i < n && !error; i += k) {
		k = (flags & SG_XML_CLEAN) ? sg_utf8_len(s + i, n - i) : 1;
		ent = xml_entity((unsigned char)s[i], flags);
		if ((flags & SG_XML_CLEAN) &&
		    (!k || is_xml_forbidden((unsigned char)s[i]))) {
			error = sg_buf_puts(b, replacement);
			k = 1;
		} else if (ent) {
			error = sg_buf_puts(b, ent);
		} else {
			error = sg_buf_put(b, s + i, k);
		}
	}
	return error;
}

int
sg_buf_xml_escape(struct sg_buf *b, const char *s, unsigned flags)
{
	return s ? sg_buf_xml_escapen(b, s, strlen(s), flags) : 0;
}
