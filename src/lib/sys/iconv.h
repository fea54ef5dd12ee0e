/* SPDX-License-Identifier: MIT */
/*
 * iconv.h - character set conversion to UTF-8 with glibc's iconv(3): the
 * `# encoding:` header of a .feature file (spec/encoding.c).  The only
 * iconv calls of the library; the caller turns a failure into a located
 * message, so these functions report where, not why.
 */
#ifndef SG_SYS_ICONV_H
#define SG_SYS_ICONV_H

#include <stddef.h>

#include "util/util.h"

/*
 * Convert len bytes at data from the encoding named `from` (any name
 * iconv_open(3) knows: ISO-8859-1, latin1, CP1252, ...) to UTF-8, appended
 * to out, whose cap bounds the result.  Returns 0; SG_ENOTFOUND when iconv
 * does not know `from` (or cannot convert it to UTF-8); SG_EINVAL with *bad
 * set to the offset in data of the first byte sequence that is not valid in
 * `from` (or is cut short by the end of the data), out holding the text
 * converted before it; SG_ETOOBIG when out's cap is reached.
 */
int sg_iconv_to_utf8(struct sg_buf *out, const char *from, const char *data,
    size_t len, size_t *bad);

#endif /* SG_SYS_ICONV_H */
