/* SPDX-License-Identifier: MIT */
/*
 * text.c - UTF-8 validation (after the table in RFC 3629, section 4) and
 * message-safe clipping of user text.
 */
#include "config/text.h"

#include "util/util.h"

/* Length of the valid sequence at s (at most len bytes), or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80;
	unsigned char hi = 0xbf;
	size_t need;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 2;
	else if (c >= 0xe0 && c <= 0xef)
		need = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0; /* overlong */
	else if (c == 0xed)
		hi = 0x9f; /* surrogates */
	else if (c == 0xf0)
		lo = 0x90; /* overlong */
	else if (c == 0xf4)
		hi = 0x8f; /* past U+10FFFF */
	if (len < need || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < need; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return need;
}

size_t
sg_text_utf8_invalid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	size_t k;

	while (i < len) {
		k = utf8_seq(p + i, len - i);
		if (!k)
			return i;
		i += k;
	}
	return len;
}

char *
sg_text_clip(char *dst, size_t n, const char *s, size_t len)
{
	size_t max = n - 4 < 60 ? n - 4 : 60;
	size_t j;

	/* dst[j] mirrors s[j] byte for byte, so cut positions match */
	for (j = 0; j < len && j < max; j++) {
		unsigned char c = (unsigned char)s[j];

		dst[j] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (j < len) {
		/* do not leave half a UTF-8 sequence before the "..." */
		while (j > 0 && ((unsigned char)s[j] & 0xc0) == 0x80)
			j--;
		memcpy(dst + j, "...", 3);
		j += 3;
	}
	dst[j] = '\0';
	return dst;
}

unsigned
sg_text_column(const char *line, size_t off)
{
	unsigned col = 1;

	for (size_t i = 0; i < off; i++)
		if (((unsigned char)line[i] & 0xc0) != 0x80)
			col++;
	return col;
}
