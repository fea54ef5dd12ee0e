/* SPDX-License-Identifier: MIT */
/*
 * text.c - UTF-8 validation (sg_utf8_len(), util/escape.c) and
 * message-safe clipping of user text.
 */
#include "config/text.h"

#include "util/util.h"

size_t
sg_text_utf8_invalid(const char *s, size_t len)
{
	size_t i = 0;
	size_t k;

	while (i < len) {
		k = sg_utf8_len(s + i, len - i);
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
