/* SPDX-License-Identifier: MIT */
/*
 * canon.c - canonical JSON as securesystemslib and in-toto v0.9 define it
 * (securesystemslib.formats.encode_canonical), from a jansson tree:
 *
 *	object	'{' members sorted by key, bytewise, ',' between, no space '}'
 *	array	'[' elements in order, ',' between ']'
 *	string	'"' the bytes as they are, only '"' and '\' escaped by '\' '"'
 *	integer	decimal, '-' when negative
 *	true, false, null
 *	real	refused: canonical JSON has no floating point
 *
 * Bytewise sorting of UTF-8 keys is the same order as Python's sort of the
 * decoded strings (by code point), which is what securesystemslib does.
 * Strings may hold NUL bytes (jansson keeps a length); they are written as
 * they are, like every other control character.  The output is not always
 * valid JSON (a newline inside a string stays raw): that is the format.
 *
 * Recursion depth is bounded by jansson's own parse depth (2048) for parsed
 * input; trees built in code are ours.  Rejected: json_dumps() with
 * JSON_SORT_KEYS|JSON_COMPACT, which escapes control characters and
 * non-ASCII as \uXXXX and so gives different bytes from securesystemslib.
 */
#include "sign/sign_int.h"

#include <inttypes.h>

static int canon_value(struct sg_buf *out, const json_t *json,
    struct sg_error *err);

static int
canon_string(struct sg_buf *out, const char *s, size_t n)
{
	int error;

	if ((error = sg_buf_putc(out, '"')) < 0)
		return error;
	for (size_t i = 0; i < n; i++) {
		if ((s[i] == '"' || s[i] == '\\') &&
		    (error = sg_buf_putc(out, '\\')) < 0)
			return error;
		if ((error = sg_buf_putc(out, (unsigned char)s[i])) < 0)
			return error;
	}
	return sg_buf_putc(out, '"');
}

struct member {
	const char *key;
	size_t len;
	json_t *value;
};

static int
member_cmp(const void *a, const void *b)
{
	const struct member *x = a;
	const struct member *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);

	if (c)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

static int
canon_object(struct sg_buf *out, const json_t *json, struct sg_error *err)
{
	struct member *m;
	size_t n = json_object_size(json);
	size_t i = 0;
	const char *key;
	size_t klen;
	json_t *value;
	int error;

	m = sg_xcalloc(n ? n : 1, sizeof(*m));
	json_object_keylen_foreach((json_t *)json, key, klen, value) {
		m[i].key = key;
		m[i].len = klen;
		m[i].value = value;
		i++;
	}
	qsort(m, n, sizeof(*m), member_cmp);
	if ((error = sg_buf_putc(out, '{')) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (i && (error = sg_buf_putc(out, ',')) < 0)
			goto out;
		if ((error = canon_string(out, m[i].key, m[i].len)) < 0 ||
		    (error = sg_buf_putc(out, ':')) < 0 ||
		    (error = canon_value(out, m[i].value, err)) < 0)
			goto out;
	}
	error = sg_buf_putc(out, '}');
out:
	free(m);
	return error;
}

static int
canon_value(struct sg_buf *out, const json_t *json, struct sg_error *err)
{
	int error = 0;

	switch (json_typeof(json)) {
	case JSON_OBJECT:
		return canon_object(out, json, err);
	case JSON_ARRAY:
		if ((error = sg_buf_putc(out, '[')) < 0)
			return error;
		for (size_t i = 0; i < json_array_size(json); i++) {
			if (i && (error = sg_buf_putc(out, ',')) < 0)
				return error;
			error = canon_value(out, json_array_get(json, i), err);
			if (error < 0)
				return error;
		}
		return sg_buf_putc(out, ']');
	case JSON_STRING:
		return canon_string(out, json_string_value(json),
		    json_string_length(json));
	case JSON_INTEGER:
		return sg_buf_printf(out, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json));
	case JSON_TRUE:
		return sg_buf_puts(out, "true");
	case JSON_FALSE:
		return sg_buf_puts(out, "false");
	case JSON_NULL:
		return sg_buf_puts(out, "null");
	case JSON_REAL:
		return sg_error_set(err, SG_EINVAL,
		    "canonical JSON has no real numbers (%g)",
		    json_real_value(json));
	}
	SG_BUG("unknown jansson type");
}

int
sg_canon__json(struct sg_buf *out, const json_t *json, struct sg_error *err)
{
	size_t start = out->len;
	int error;

	error = canon_value(out, json, err);
	if (error == SG_ETOOBIG)
		sg_error_set(err, error, "canonical JSON longer than %zu bytes",
		    out->max);
	if (error < 0)
		sg_buf_truncate(out, start);
	return error;
}

int
sg_canon_json_str(char **out, size_t *len_out, const json_t *json,
    size_t max, struct sg_error *err)
{
	struct sg_buf b;
	int error;

	*out = NULL;
	if (len_out)
		*len_out = 0;
	sg_buf_init(&b, max);
	if ((error = sg_canon__json(&b, json, err)) < 0)
		goto out;
	*out = sg_buf_detach(&b, len_out);
out:
	sg_buf_release(&b);
	return error;
}
