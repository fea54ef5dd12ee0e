/* SPDX-License-Identifier: MIT */
/*
 * redact.c - masking secret values in a command's output (specgate/proc.h).
 *
 * A plain scan, position by position, for the secrets of the run (a handful
 * of environment values): at each position the longest secret that matches
 * wins and is replaced with SG_REDACT_MASK.  Streaming is what makes it
 * subtle: a secret may be split across two reads ("...my-to" then
 * "ken-value..."), so when the bytes at a position are the start of a
 * secret that the buffer ends in the middle of, everything from there is
 * held back and scanned again with the next read.  At most the longest
 * secret's length minus one is held.  Aho-Corasick would be linear in the
 * number of secrets as well; with a few short secrets and output in 64 KiB
 * reads the plain scan costs less than the write(2) of the log.
 */
#include "specgate/proc.h"

#include <string.h>
#include <strings.h>

#include "util/util.h"

struct sg_redact {
	char **values;
	size_t *lens;
	size_t n;
};

struct sg_redact *
sg_redact_new(void)
{
	return sg_xcalloc(1, sizeof(struct sg_redact));
}

void
sg_redact_free(struct sg_redact *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		sg_memzero(r->values[i], r->lens[i]);
		free(r->values[i]);
	}
	free(r->values);
	free(r->lens);
	free(r);
}

void
sg_redact_add(struct sg_redact *r, const char *value)
{
	size_t len = strlen(value);

	if (len < SG_REDACT_MIN)
		return;
	for (size_t i = 0; i < r->n; i++)
		if (r->lens[i] == len && !memcmp(r->values[i], value, len))
			return;
	r->values = sg_xreallocarray(r->values, r->n + 1,
	    sizeof(*r->values));
	r->lens = sg_xreallocarray(r->lens, r->n + 1, sizeof(*r->lens));
	r->values[r->n] = sg_xstrdup(value);
	r->lens[r->n] = len;
	r->n++;
}

size_t
sg_redact_count(const struct sg_redact *r)
{
	return r ? r->n : 0;
}

bool
sg_redact_name_is_secret(const char *name)
{
	return sg_secret_name(name);
}

/*
 * At data[i..len): the length of the longest secret matching there, 0 for
 * none, or (size_t)-1 when a secret might match but the data ends first
 * (and more may come: !final).
 */
static size_t
match_at(const struct sg_redact *r, const char *data, size_t len, bool final)
{
	size_t best = 0;

	for (size_t k = 0; k < r->n; k++) {
		size_t sl = r->lens[k];

		if (sl <= len) {
			if (sl > best && !memcmp(data, r->values[k], sl))
				best = sl;
		} else if (!final && !memcmp(data, r->values[k], len)) {
			return (size_t)-1;
		}
	}
	return best;
}

/* Scan data; returns how many bytes were decided (the rest is held). */
static size_t
scan(const struct sg_redact *r, const char *data, size_t len, bool final,
    sg_redact_emit_cb emit, void *payload)
{
	size_t start = 0;
	size_t i = 0;
	size_t m;

	while (i < len) {
		m = match_at(r, data + i, len - i, final);
		if (m == (size_t)-1)
			break;
		if (!m) {
			i++;
			continue;
		}
		if (i > start)
			emit(data + start, i - start, payload);
		emit(SG_REDACT_MASK, sizeof(SG_REDACT_MASK) - 1, payload);
		i += m;
		start = i;
	}
	if (i > start)
		emit(data + start, i - start, payload);
	return i;
}

void
sg_redact_feed(const struct sg_redact *r, struct sg_redact_stream *s,
    const char *data, size_t len, sg_redact_emit_cb emit, void *payload)
{
	char *all;
	size_t n;
	size_t done;

	if (!r || !r->n) {
		if (len)
			emit(data, len, payload);
		return;
	}
	if (!s->nheld) {
		done = scan(r, data, len, false, emit, payload);
		all = NULL;
		n = len;
	} else {
		n = s->nheld + len;
		all = sg_xmalloc(n);
		memcpy(all, s->held, s->nheld);
		memcpy(all + s->nheld, data, len);
		data = all;
		done = scan(r, data, n, false, emit, payload);
	}
	/* What is held is shorter than the longest secret. */
	s->held = sg_xrealloc(s->held, n - done + 1);
	memmove(s->held, data + done, n - done);
	s->nheld = n - done;
	if (all) {
		sg_memzero(all, n);
		free(all);
	}
}

void
sg_redact_flush(const struct sg_redact *r, struct sg_redact_stream *s,
    sg_redact_emit_cb emit, void *payload)
{
	if (s->nheld && r)
		scan(r, s->held, s->nheld, true, emit, payload);
	else if (s->nheld)
		emit(s->held, s->nheld, payload);
	sg_redact_stream_release(s);
}

void
sg_redact_stream_release(struct sg_redact_stream *s)
{
	if (s->held) {
		sg_memzero(s->held, s->nheld);
		free(s->held);
	}
	s->held = NULL;
	s->nheld = 0;
}

static void
put_buf(const char *data, size_t len, void *payload)
{
	sg_buf_put(payload, data, len);
}

char *
sg_redact_text(const struct sg_redact *r, const char *text, size_t len,
    size_t *outlen)
{
	struct sg_buf out;

	sg_buf_init(&out, 0);
	if (r && r->n)
		scan(r, text, len, true, put_buf, &out);
	else
		sg_buf_put(&out, text, len);
	return sg_buf_detach(&out, outlen);
}
