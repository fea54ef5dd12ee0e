/* SPDX-License-Identifier: MIT */
/*
 * encoding.c - the `# encoding:` header of a .feature file.
 *
 * Cucumber reads a feature file as UTF-8 unless one of its first lines
 * names another encoding: its Java parser (io.cucumber.gherkin's
 * EncodingParser) and cucumber-ruby look at the lines from the top for as
 * long as each is blank or a comment (`^\s*#|^\s*$`), and the first that
 * matches `^\s*#\s*encoding\s*:\s*([0-9a-zA-Z-]+)`, case-insensitively,
 * names the encoding of the whole file (a leading UTF-8 BOM is dropped
 * first).  Old fixtures of Cucumber's own repositories use it for
 * ISO-8859-1.  We do the same, converting with iconv(3) (sys/iconv.c) into
 * UTF-8 before the parser sees the text; the parser still checks UTF-8, so
 * an unconverted file fails exactly as before.
 *
 * Lines and columns survive the conversion: the header must name an
 * encoding in which '\n' is the newline (every ASCII-compatible one), which
 * is checked by counting newlines on both sides, and columns are counted in
 * characters, which a conversion keeps.  The feature id is the caller's
 * business: it hashes the file's own bytes, never these.
 */
#include "spec/gherkin_int.h"

#include <string.h>
#include <strings.h>

#include "sys/iconv.h"

/* Java's \s: space, \t, \n, \v, \f, \r. */
static bool
is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * Match the header in line [p, end): on success, the name's offset in the
 * line and its length.
 */
static bool
match_header(const char *p, const char *end, size_t *name_off,
    size_t *name_len)
{
	const char *q = p;
	const char *name;

	while (q < end && is_space(*q))
		q++;
	if (q == end || *q++ != '#')
		return false;
	while (q < end && is_space(*q))
		q++;
	if ((size_t)(end - q) < 8 || strncasecmp(q, "encoding", 8))
		return false;
	q += 8;
	while (q < end && is_space(*q))
		q++;
	if (q == end || *q++ != ':')
		return false;
	while (q < end && is_space(*q))
		q++;
	name = q;
	while (q < end && (*q == '-' || (*q >= '0' && *q <= '9') ||
			      (*q >= 'a' && *q <= 'z') ||
			      (*q >= 'A' && *q <= 'Z')))
		q++;
	if (q == name)
		return false;
	*name_off = (size_t)(name - p);
	*name_len = (size_t)(q - name);
	return true;
}

/* A line of blanks only, or whose first non-blank is '#'. */
static bool
comment_or_blank(const char *p, const char *end)
{
	while (p < end && is_space(*p))
		p++;
	return p == end || *p == '#';
}

/*
 * Find the header: *line (1-based) and the name's place, or false.  Java
 * splits lines at '\n' and at '\r' alike, so both end a line here; the
 * line number counts '\n' only, as the parser does.
 */
static bool
find_header(const char *data, size_t n, unsigned *line, size_t *name_at,
    size_t *name_len)
{
	const char *p = data;
	const char *end = data + n;
	unsigned lineno = 1;

	while (p < end) {
		const char *eol = p;
		size_t off;

		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		if (!comment_or_blank(p, eol))
			return false;
		if (match_header(p, eol, &off, name_len)) {
			*line = lineno;
			*name_at = (size_t)(p - data) + off;
			return true;
		}
		if (eol < end && *eol == '\n')
			lineno++;
		p = eol + 1;
	}
	return false;
}

static size_t
count_newlines(const char *p, size_t n)
{
	size_t k = 0;
	const char *end = p + n;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		k++;
		p++;
	}
	return k;
}

/* Line and column (in characters) of the end of the UTF-8 text t[0..n). */
static void
end_position(const char *t, size_t n, unsigned *line, unsigned *col)
{
	const char *last = t;

	*line = 1;
	for (const char *p = t; p < t + n; p++)
		if (*p == '\n') {
			(*line)++;
			last = p + 1;
		}
	*col = 1 + (unsigned)sg_gherkin__count_cp(last,
	    (size_t)(t + n - last));
}

int
sg_gherkin_decode(const char **text, size_t *len, char **owned,
    const char *uri, const char *data, size_t n, size_t max,
    struct sg_error *err)
{
	struct sg_buf out;
	char name[64];
	size_t bom = 0;
	size_t name_at;
	size_t name_len;
	size_t bad;
	unsigned line;
	unsigned col;
	int error;

	*text = data;
	*len = n;
	*owned = NULL;
	if (n >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		bom = 3;
	if (!find_header(data + bom, n - bom, &line, &name_at, &name_len))
		return 0;
	name_at += bom;
	if (name_len >= sizeof(name))
		name_len = sizeof(name) - 1; /* iconv will not know it */
	memcpy(name, data + name_at, name_len);
	name[name_len] = '\0';
	if (!strcasecmp(name, "UTF-8") || !strcasecmp(name, "UTF8"))
		return 0;
	/* the header line is ASCII up to the name: bytes are columns */
	col = 1;
	for (const char *p = data + name_at; p > data + bom && p[-1] != '\n';
	    p--)
		col++;
	sg_buf_init(&out, max);
	error = sg_iconv_to_utf8(&out, name, data + bom, n - bom, &bad);
	if (error == SG_ENOTFOUND) {
		error = sg_error_set_at(err, SG_EINVAL, uri, line, col,
		    "unknown encoding '%s' in the '# encoding:' header (iconv "
		    "does not know it)", name);
		goto out;
	}
	if (error == SG_ETOOBIG) {
		error = sg_error_set(err, SG_ETOOBIG,
		    "'%s' is larger than %zu bytes once converted from %s to "
		    "UTF-8", uri, max, name);
		goto out;
	}
	if (error == SG_EINVAL) {
		end_position(out.ptr ? out.ptr : "", out.len, &line, &col);
		error = sg_error_set_at(err, SG_EINVAL, uri, line, col,
		    "bytes that are not %s, the encoding its '# encoding:' "
		    "header names (byte %zu of the file)", name, bom + bad + 1);
		goto out;
	}
	if (count_newlines(data + bom, n - bom) != count_newlines(out.ptr,
	    out.len)) {
		error = sg_error_set_at(err, SG_EINVAL, uri, line, col,
		    "the encoding '%s' of the '# encoding:' header does not keep "
		    "the file's lines: name an ASCII-compatible encoding", name);
		goto out;
	}
	*len = out.len;
	*text = *owned = sg_buf_detach(&out, NULL);
out:
	sg_buf_release(&out);
	return error;
}
