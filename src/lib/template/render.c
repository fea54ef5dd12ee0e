/* SPDX-License-Identifier: MIT */
/*
 * render.c - a parsed template + a JSON context -> text.
 *
 * The renderer walks the tree once per section item.  Three pieces of
 * state follow it down:
 *
 *  - the context stack (json_t pointers, borrowed from the caller's data);
 *  - the line state: the indentation that a standalone partial, parent or
 *    block adds at the start of each source line, and the indentation a
 *    re-indented block strips there (inheritance: "block indentation is
 *    removed at the site of definition and added at the site of
 *    expansion");
 *  - the arguments in force: a list of parent tags, newest first.  A block
 *    takes its content from the oldest parent tag in the list that passes
 *    one of that name (the outermost template wins), else its default; the
 *    argument's content is rendered with the list as it was where that
 *    parent tag stood, so a parent tag inside an argument does not see
 *    the arguments aimed at the template around it.  A partial is a parent
 *    with no arguments: the list passes through unchanged.
 *
 * Partials are loaded through the caller's loader once per name per
 * render and parsed then; the caps (output bytes, nesting, steps,
 * partials) turn runaway templates into SG_ETOOBIG instead of unbounded
 * memory, stack or time.
 */
#include "template/template_int.h"

#include <string.h>

struct frame {
	const struct tnode *parent;    /* a TN_PARENT: its arguments */
	const struct frame *next;      /* the list where that tag stood */
	const struct sg_template *tpl; /* the template it stands in */
};

struct loaded {
	char *name;
	size_t len;
	struct sg_template *tpl; /* NULL: the loader has no such partial */
};

struct render {
	struct sg_buf out;
	const struct sg_template_options *opts;
	unsigned max_depth;
	uint64_t max_steps;
	json_t **stack;
	size_t nstack;
	unsigned depth;
	uint64_t steps;
	struct loaded *loaded;
	size_t nloaded;
	struct sg_error *err;
};

struct line_state {
	const char *indent; /* added where a source line starts */
	size_t indent_len;
	const char *strip; /* removed from the start of each source line */
	size_t strip_len;
	bool midline; /* inline block: its first line continues the output's */
	const struct frame *frames;
	const struct sg_template *tpl; /* whose nodes these are, for errors */
};

static int render_list(struct render *r, struct line_state *st,
		       const struct tnode *n);

static int
emit(struct render *r, const char *s, size_t n)
{
	if (sg_buf_put(&r->out, s, n) < 0)
		return sg_error_set(r->err, SG_ETOOBIG,
				    "rendered text is larger than %zu bytes",
				    r->out.max);
	return 0;
}

/* {{ }}: & " < > as entities (mustache's set; ' stays). */
static int
emit_escaped(struct render *r, const char *s, size_t n)
{
	if (sg_buf_xml_escapen(&r->out, s, n, 0) < 0)
		return sg_error_set(r->err, SG_ETOOBIG,
				    "rendered text is larger than %zu bytes",
				    r->out.max);
	return 0;
}

/* The length of the common prefix of a and b. */
static size_t
common(const char *a, size_t na, const char *b, size_t nb)
{
	size_t k = 0;

	while (k < na && k < nb && a[k] == b[k])
		k++;
	return k;
}

/*
 * Resolve a (dotted) name against the context stack, as the spec's
 * interpolation module says: the first part up the stack, the rest inside
 * what it found.  NULL when any part is missing.
 */
static json_t *
lookup(const struct render *r, const char *name, size_t len)
{
	const char *dot;
	size_t seg;
	json_t *v = NULL;

	if (len == 1 && name[0] == '.')
		return r->stack[r->nstack - 1];
	dot = memchr(name, '.', len);
	seg = dot ? (size_t)(dot - name) : len;
	if (!seg)
		return NULL;
	for (size_t i = r->nstack; i-- > 0;)
		if (json_is_object(r->stack[i]) &&
		    (v = json_object_getn(r->stack[i], name, seg)))
			break;
	while (v && dot) {
		len -= seg + 1;
		name = dot + 1;
		dot = memchr(name, '.', len);
		seg = dot ? (size_t)(dot - name) : len;
		if (!seg || !json_is_object(v))
			return NULL;
		v = json_object_getn(v, name, seg);
	}
	return v;
}

/*
 * JavaScript's truthiness ("!!data" in the spec), over JSON: false, null,
 * 0, "" and [] are false; a missing name too.
 */
static bool
truthy(const json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT:
		return true;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	case JSON_TRUE:
		return true;
	default:
		return false;
	}
}

/* The shortest %g form that reads back as the same double (1.21,
 * not 1.2099...). */
static void
format_real(char *buf, size_t size, double d)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

static int
interpolate(struct render *r, const struct tnode *n)
{
	json_t *v = lookup(r, n->str, n->len);
	char buf[64];
	char *dump;
	int error;

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		return n->escape ? emit_escaped(r, json_string_value(v),
						json_string_length(v))
				 : emit(r, json_string_value(v),
					json_string_length(v));
	case JSON_INTEGER:
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		return emit(r, buf, strlen(buf));
	case JSON_REAL:
		format_real(buf, sizeof(buf), json_real_value(v));
		return emit(r, buf, strlen(buf));
	case JSON_TRUE:
		return emit(r, "true", 4);
	case JSON_FALSE:
		return emit(r, "false", 5);
	case JSON_NULL:
		return 0;
	default:
		/* an object or array: its compact JSON, for debugging */
		dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!dump)
			return 0;
		error = n->escape ? emit_escaped(r, dump, strlen(dump))
				  : emit(r, dump, strlen(dump));
		free(dump);
		return error;
	}
}

static int
enter(struct render *r)
{
	if (r->depth >= r->max_depth)
		return sg_error_set(
		    r->err, SG_ETOOBIG,
		    "templates nested more than %u deep (sections, partials, "
		    "parents and blocks): is a partial recursive?",
		    r->max_depth);
	r->depth++;
	return 0;
}

static int
section(struct render *r, struct line_state *st, const struct tnode *n)
{
	json_t *v = lookup(r, n->str, n->len);
	int error = 0;

	if (n->kind == TN_INVERTED)
		return truthy(v) ? 0 : render_list(r, st, n->child);
	if (!truthy(v))
		return 0;
	if ((error = enter(r)) < 0)
		return error;
	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v) && !error; i++) {
			if (++r->steps > r->max_steps)
				break;
			r->stack[r->nstack++] = json_array_get(v, i);
			error = render_list(r, st, n->child);
			r->nstack--;
		}
	} else {
		r->stack[r->nstack++] = v;
		error = render_list(r, st, n->child);
		r->nstack--;
	}
	r->depth--;
	return error;
}

/*
 * The template called name, loaded and parsed on first use; *out NULL
 * when the loader has none.
 */
static int
load(struct render *r, const struct line_state *st, const struct tnode *n,
    const char *name, size_t len, const struct sg_template **out)
{
	struct sg_error lerr = SG_ERROR_INIT;
	struct sg_template_source src = {NULL, 0, NULL};
	struct loaded *l;
	int error = 0;

	*out = NULL;
	for (size_t i = 0; i < r->nloaded; i++)
		if (r->loaded[i].len == len &&
		    !memcmp(r->loaded[i].name, name, len)) {
			*out = r->loaded[i].tpl;
			return 0;
		}
	if (r->nloaded == SG_TEMPLATE_MAX_PARTIALS)
		return sg_error_set(r->err, SG_ETOOBIG,
				    "more than %u partials in one rendering",
				    SG_TEMPLATE_MAX_PARTIALS);
	if (!(r->nloaded & (r->nloaded - 1)))
		r->loaded =
		    sg_xreallocarray(r->loaded, r->nloaded ? r->nloaded * 2 : 1,
				     sizeof(*r->loaded));
	l = &r->loaded[r->nloaded++];
	l->name = sg_xstrndup(name, len);
	l->len = len;
	l->tpl = NULL;
	if (r->opts->loader)
		error =
		    r->opts->loader(r->opts->loader_arg, l->name, &src, &lerr);
	else
		error = SG_ENOTFOUND;
	if (error == SG_ENOTFOUND) {
		error = 0;
	} else if (error < 0) {
		/* the loader's own position, else the tag's */
		if (lerr.file)
			sg_error_set_at(r->err, error, lerr.file, lerr.line,
			    lerr.column, "%s", lerr.message);
		else
			sg_error_set_at(r->err, error, st->tpl->where, n->line,
			    n->column, "%s", lerr.message);
	} else {
		error =
		    sg_template_parse(&l->tpl, src.where ? src.where : l->name,
				      src.text, src.len, r->err);
		*out = l->tpl;
	}
	free(src.text);
	free(src.where);
	sg_error_release(&lerr);
	return error;
}

/* The name of a partial or parent: its own, or what *name resolves to. */
static bool
target_name(const struct render *r, const struct tnode *n, const char **name,
	    size_t *len)
{
	json_t *v;

	if (!n->dynamic) {
		*name = n->str;
		*len = n->len;
		return true;
	}
	v = lookup(r, n->str, n->len);
	if (!json_is_string(v) || !json_string_length(v))
		return false;
	*name = json_string_value(v);
	*len = json_string_length(v);
	return !memchr(*name, '\0', *len);
}

/*
 * The indentation of a standalone tag's content: the one in force plus
 * the tag's own, less what the surrounding block strips.
 */
static char *
indent_for(const struct line_state *st, const char *own, size_t own_len,
	   size_t *len)
{
	size_t k = common(own, own_len, st->strip, st->strip_len);
	char *s;

	*len = st->indent_len + own_len - k;
	s = sg_xmalloc(*len + 1);
	if (st->indent_len)
		memcpy(s, st->indent, st->indent_len);
	memcpy(s + st->indent_len, own + k, own_len - k);
	s[*len] = '\0';
	return s;
}

/* {{>name}} and {{<name}}...{{/name}}. */
static int
include(struct render *r, const struct line_state *st, const struct tnode *n)
{
	const struct sg_template *t;
	struct line_state in = {"", 0, NULL, 0, false, st->frames, NULL};
	struct frame f = {n, st->frames, st->tpl};
	char *ind = NULL;
	const char *name;
	size_t len;
	int error;

	if (!target_name(r, n, &name, &len))
		return 0;
	if ((error = load(r, st, n, name, len, &t)) < 0 || !t)
		return error;
	in.tpl = t;
	if ((error = enter(r)) < 0)
		return error;
	if (n->standalone) {
		ind = indent_for(st, n->indent, n->indent_len, &in.indent_len);
		in.indent = ind;
	}
	if (n->kind == TN_PARENT)
		in.frames = &f;
	error = render_list(r, &in, t->root);
	free(ind);
	r->depth--;
	return error;
}

/* {{$name}}...{{/name}} outside a parent tag: a place an argument fills. */
static int
block(struct render *r, const struct line_state *st, const struct tnode *n)
{
	const struct tnode *x = n;
	struct line_state in = *st;
	char *ind = NULL;
	int error;

	for (const struct frame *f = st->frames; f; f = f->next)
		for (const struct tnode *a = f->parent->child; a; a = a->next)
			if (a->kind == TN_BLOCK && a->len == n->len &&
			    !memcmp(a->str, n->str, n->len)) {
				x = a; /* keep looking: the oldest wins */
				in.frames = f->next;
				in.tpl = f->tpl;
				break;
			}
	if ((error = enter(r)) < 0)
		return error;
	in.strip = x->standalone ? x->intrinsic : NULL;
	in.strip_len = in.strip ? x->intrinsic_len : 0;
	if (n->standalone) {
		ind = n->intrinsic
			  ? indent_for(st, n->intrinsic, n->intrinsic_len,
				       &in.indent_len)
			  : indent_for(st, n->indent, n->indent_len,
				       &in.indent_len);
		in.indent = ind;
		in.midline = false;
	} else {
		in.midline = true;
	}
	error = render_list(r, &in, x->child);
	free(ind);
	r->depth--;
	return error;
}

static int
render_list(struct render *r, struct line_state *st, const struct tnode *n)
{
	int error = 0;

	for (; n && !error; n = n->next) {
		const char *s = n->str;
		size_t len = n->len;

		if (++r->steps > r->max_steps)
			return sg_error_set(
			    r->err, SG_ETOOBIG,
			    "rendering takes more than %llu steps",
			    (unsigned long long)r->max_steps);
		if (n->bol) {
			if (n->kind == TN_TEXT && st->strip_len) {
				size_t k =
				    common(s, len, st->strip, st->strip_len);

				s += k;
				len -= k;
			}
			/* no indentation on an empty line */
			if (st->indent_len && !st->midline &&
			    !(n->kind == TN_TEXT && len &&
			      (s[0] == '\n' ||
			       (s[0] == '\r' && len > 1 && s[1] == '\n'))))
				error = emit(r, st->indent, st->indent_len);
			if (error)
				break;
		}
		st->midline = false;
		switch (n->kind) {
		case TN_TEXT:
			error = emit(r, s, len);
			break;
		case TN_VAR:
			error = interpolate(r, n);
			break;
		case TN_SECTION:
		case TN_INVERTED:
			error = section(r, st, n);
			break;
		case TN_PARTIAL:
		case TN_PARENT:
			error = include(r, st, n);
			break;
		case TN_BLOCK:
			error = block(r, st, n);
			break;
		}
	}
	if (!error && r->steps > r->max_steps)
		error = sg_error_set(r->err, SG_ETOOBIG,
				     "rendering takes more than %llu steps",
				     (unsigned long long)r->max_steps);
	return error;
}

int
sg_template_render(const struct sg_template *t, json_t *data,
		   const struct sg_template_options *opts, char **out,
		   size_t *len_out, struct sg_error *err)
{
	static const struct sg_template_options defaults =
	    SG_TEMPLATE_OPTIONS_INIT;
	struct render r;
	struct line_state st = {"", 0, NULL, 0, false, NULL, t};
	int error;

	*out = NULL;
	if (len_out)
		*len_out = 0;
	if (!opts)
		opts = &defaults;
	memset(&r, 0, sizeof(r));
	r.opts = opts;
	r.err = err;
	r.max_depth = opts->max_depth ? opts->max_depth : SG_TEMPLATE_MAX_DEPTH;
	r.max_steps = opts->max_steps ? opts->max_steps : SG_TEMPLATE_MAX_STEPS;
	sg_buf_init(&r.out, opts->max_output ? opts->max_output
					     : SG_TEMPLATE_MAX_OUTPUT);
	r.stack =
	    sg_xreallocarray(NULL, (size_t)r.max_depth + 2, sizeof(*r.stack));
	r.stack[r.nstack++] = data ? data : json_null();
	error = render_list(&r, &st, t->root);
	if (!error)
		*out = sg_buf_detach(&r.out, len_out);
	sg_buf_release(&r.out);
	for (size_t i = 0; i < r.nloaded; i++) {
		free(r.loaded[i].name);
		sg_template_free(r.loaded[i].tpl);
	}
	free(r.loaded);
	free(r.stack);
	return error;
}
