/* SPDX-License-Identifier: MIT */
/*
 * iconv.c - one conversion to UTF-8 with iconv(3).
 *
 * iconv converts into a window of the output buffer; E2BIG means the
 * window is full, so the buffer grows (within its cap) and the loop goes
 * on from where iconv stopped.  EILSEQ and EINVAL stop at the bad input
 * byte, whose offset the caller turns into a line and column.  The
 * descriptor is opened and closed per call: a file names its encoding, and
 * a table of open descriptors would be state shared by the workers.
 */
#include "sys/iconv.h"

#include <errno.h>
#include <iconv.h>

int
sg_iconv_to_utf8(struct sg_buf *out, const char *from, const char *data,
    size_t len, size_t *bad)
{
	iconv_t cd;
	char *in = (char *)(uintptr_t)data;
	size_t left = len;
	int error = 0;

	*bad = 0;
	cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return SG_ENOTFOUND;
	while (left) {
		size_t want = left < 4096 ? 4096 : left;
		size_t room;
		char *o;
		size_t r;

		/* 16 bytes hold any character: E2BIG then means progress */
		if (out->max - out->len < 16) {
			error = SG_ETOOBIG;
			break;
		}
		if (want > out->max - out->len)
			want = out->max - out->len;
		if ((error = sg_buf_grow(out, want)) < 0)
			break;
		room = out->cap - out->len - 1;
		if (room > out->max - out->len)
			room = out->max - out->len;
		o = out->ptr + out->len;
		r = iconv(cd, &in, &left, &o, &room);
		out->len = (size_t)(o - out->ptr);
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		/* EILSEQ: not in `from`; EINVAL: cut short at the end */
		*bad = (size_t)(in - data);
		error = SG_EINVAL;
		break;
	}
	if (out->ptr)
		out->ptr[out->len] = '\0';
	iconv_close(cd);
	return error;
}
