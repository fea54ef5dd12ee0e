/* SPDX-License-Identifier: MIT */
/*
 * dotenv.c - a line-at-a-time reader for .env files.
 *
 * The grammar is the common subset of docker compose, python-dotenv and a
 * POSIX shell's `.`: what all three read the same way is accepted, the
 * rest is an error with its line and column rather than a guess.  In
 * particular a value is never expanded: `$HOME` stays `$HOME`, because a
 * config layer that read other variables would make the precedence rules
 * depend on evaluation order.
 */
#include "config/dotenv.h"

#include "config/text.h"
#include "util/util.h"

struct reader {
	struct sg_arena *arena;
	const char *name;
	const char *line; /* start of the current line */
	size_t len;	  /* its length without the line end */
	unsigned lineno;
	struct sg_error *err;
};

static int fail(struct reader *r, size_t off, const char *fmt, ...)
    SG_PRINTF(3, 4);

static int
fail(struct reader *r, size_t off, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sg_error_set_at(r->err, SG_EINVAL, r->name, r->lineno,
	    sg_text_column(r->line, off), "%s", msg);
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool
is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

/* After a closing quote: only blanks and an optional # comment. */
static int
check_tail(struct reader *r, size_t i)
{
	while (i < r->len && is_blank(r->line[i]))
		i++;
	if (i < r->len && r->line[i] != '#')
		return fail(r, i, "unexpected text after the closing quote");
	return 0;
}

static int
single_quoted(struct reader *r, size_t i, struct sg_buf *val)
{
	size_t start = ++i;

	while (i < r->len && r->line[i] != '\'')
		i++;
	if (i == r->len)
		return fail(r, start - 1, "unterminated single quote");
	sg_buf_put(val, r->line + start, i - start);
	return check_tail(r, i + 1);
}

static int
double_quoted(struct reader *r, size_t i, struct sg_buf *val)
{
	size_t open = i++;
	char c;

	for (; i < r->len && r->line[i] != '"'; i++) {
		c = r->line[i];
		if (c != '\\' || i + 1 == r->len) {
			sg_buf_putc(val, c);
			continue;
		}
		switch (r->line[++i]) {
		case 'n':
			sg_buf_putc(val, '\n');
			break;
		case 't':
			sg_buf_putc(val, '\t');
			break;
		case 'r':
			sg_buf_putc(val, '\r');
			break;
		case '\\':
		case '"':
		case '$':
		case '`':
			sg_buf_putc(val, r->line[i]);
			break;
		default:
			/* as a shell does: the backslash stays */
			sg_buf_putc(val, '\\');
			sg_buf_putc(val, r->line[i]);
			break;
		}
	}
	if (i == r->len)
		return fail(r, open, "unterminated double quote");
	return check_tail(r, i + 1);
}

/* An unquoted value ends at the line end or at a blank followed by '#'. */
static void
unquoted(struct reader *r, size_t i, struct sg_buf *val)
{
	size_t start = i;
	size_t end;

	while (i < r->len && !(r->line[i] == '#' && i > start &&
				 is_blank(r->line[i - 1])))
		i++;
	end = i;
	while (end > start && is_blank(r->line[end - 1]))
		end--;
	sg_buf_put(val, r->line + start, end - start);
}

static int
parse_line(struct reader *r, struct sg_vec *vars)
{
	struct sg_dotenv_var *v;
	struct sg_buf val;
	size_t i = 0;
	size_t key;
	int error = 0;

	while (i < r->len && is_blank(r->line[i]))
		i++;
	if (i == r->len || r->line[i] == '#')
		return 0;
	if (r->len - i > 7 && !memcmp(r->line + i, "export", 6) &&
	    is_blank(r->line[i + 6])) {
		i += 7;
		while (i < r->len && is_blank(r->line[i]))
			i++;
	}
	key = i;
	if (i == r->len || !is_name_start(r->line[i]))
		return fail(r, i, "expected a variable name (letters, digits "
				  "and _, not starting with a digit)");
	while (i < r->len && is_name_char(r->line[i]))
		i++;
	v = sg_arena_alloc(r->arena, sizeof(*v));
	v->key = sg_arena_strndup(r->arena, r->line + key, i - key);
	while (i < r->len && is_blank(r->line[i]))
		i++;
	if (i == r->len || r->line[i] != '=')
		return fail(r, i, "expected '=' after '%s'", v->key);
	i++;
	while (i < r->len && is_blank(r->line[i]))
		i++;
	v->line = r->lineno;
	v->column = sg_text_column(r->line, i);
	sg_buf_init(&val, 0);
	if (i < r->len && r->line[i] == '\'')
		error = single_quoted(r, i, &val);
	else if (i < r->len && r->line[i] == '"')
		error = double_quoted(r, i, &val);
	else
		unquoted(r, i, &val);
	if (!error) {
		v->value = sg_arena_strndup(r->arena, val.ptr, val.len);
		sg_vec_push(vars, v);
	}
	sg_buf_release(&val);
	return error;
}

int
sg_dotenv_parse(struct sg_dotenv_var **out, size_t *n,
    struct sg_arena *arena, const char *name, const char *buf, size_t len,
    struct sg_error *err)
{
	struct reader r = {arena, name, buf, 0, 0, err};
	struct sg_vec vars = SG_VEC_INIT;
	const char *end = buf + len;
	const char *nl;
	size_t bad;
	int error = 0;

	*out = NULL;
	*n = 0;
	while (r.line < end) {
		r.lineno++;
		nl = memchr(r.line, '\n', (size_t)(end - r.line));
		r.len = (size_t)((nl ? nl : end) - r.line);
		if (r.len && r.line[r.len - 1] == '\r')
			r.len--;
		bad = sg_text_utf8_invalid(r.line, r.len);
		if (bad < r.len) {
			error = fail(&r, bad, "invalid UTF-8");
			goto out;
		}
		if (memchr(r.line, '\0', r.len)) {
			bad = (size_t)((const char *)memchr(r.line, '\0',
					   r.len) - r.line);
			error = fail(&r, bad, "a NUL byte in a .env file");
			goto out;
		}
		if ((error = parse_line(&r, &vars)) < 0)
			goto out;
		r.line = nl ? nl + 1 : end;
	}
	*out = sg_arena_calloc(arena, vars.len ? vars.len : 1, sizeof(**out));
	for (size_t i = 0; i < vars.len; i++)
		(*out)[i] = *(struct sg_dotenv_var *)vars.items[i];
	*n = vars.len;
out:
	sg_vec_release(&vars);
	return error;
}

const struct sg_dotenv_var *
sg_dotenv_find(const struct sg_dotenv_var *vars, size_t n, const char *key)
{
	for (size_t i = n; i > 0; i--)
		if (!strcmp(vars[i - 1].key, key))
			return &vars[i - 1];
	return NULL;
}
