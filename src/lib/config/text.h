/* SPDX-License-Identifier: MIT */
/*
 * text.h - small text checks shared by the configuration readers: UTF-8
 * validation, and a safe rendering of user text for messages (input may
 * hold terminal escape sequences that must not reach a terminal raw).
 */
#ifndef SG_CONFIG_TEXT_H
#define SG_CONFIG_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The offset of the first byte of `s` that does not start a valid UTF-8
 * sequence (overlong forms, surrogates and values past U+10FFFF are
 * invalid), or len when all len bytes are valid.
 */
size_t sg_text_utf8_invalid(const char *s, size_t len);

/*
 * Copy up to `len` bytes of `s` into dst (size n, n >= 8) for a message:
 * control characters become '?', and text longer than 60 bytes is cut
 * with "...".  Returns dst.
 */
char *sg_text_clip(char *dst, size_t n, const char *s, size_t len);

/* The 1-based column of byte `off` in a line starting at `line`. */
unsigned sg_text_column(const char *line, size_t off);

#endif /* SG_CONFIG_TEXT_H */
