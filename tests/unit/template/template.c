/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/template beyond the spec's own suite
 * (mustache.c): the choices the spec leaves open (truthiness of "" and 0,
 * numbers, arrays and objects interpolated), where errors point
 * (line:column in characters, the partial's own name), the caps (output,
 * nesting, steps, partials), the loader (called once per name, its errors
 * kept), inheritance's scoping of arguments and block re-indentation, and
 * indentation of standalone partials at any depth.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "specgate/template.h"

struct partials {
	const char *const *pairs; /* name, text, ..., NULL */
	int calls;
	int fail; /* return SG_EIO for the partial "broken" */
};

static int
from_pairs(void *arg, const char *name, struct sg_template_source *out,
    struct sg_error *err)
{
	struct partials *p = arg;

	p->calls++;
	if (p->fail && !strcmp(name, "broken"))
		return sg_error_set(err, SG_EIO, "cannot read 'broken'");
	for (size_t i = 0; p->pairs && p->pairs[i]; i += 2)
		if (!strcmp(p->pairs[i], name)) {
			out->len = strlen(p->pairs[i + 1]);
			out->text = strdup(p->pairs[i + 1]);
			out->where = malloc(strlen(name) + 10);
			snprintf(out->where, strlen(name) + 10, "%s.mustache",
			    name);
			return 0;
		}
	return SG_ENOTFOUND;
}

/* Render tpl with the JSON text data; returns the error code. */
static int
try_render(const char *tpl, const char *data, struct partials *p,
    struct sg_template_options *o, char **out, struct sg_error *err)
{
	struct sg_template_options opts = SG_TEMPLATE_OPTIONS_INIT;
	struct sg_template *t = NULL;
	json_error_t jerr;
	json_t *d = json_loads(data, JSON_DECODE_ANY, &jerr);
	size_t len;
	int error;

	assert_non_null(d);
	if (o)
		opts = *o;
	opts.loader = from_pairs;
	opts.loader_arg = p;
	*out = NULL;
	error = sg_template_parse(&t, "t.mustache", tpl, strlen(tpl), err);
	if (!error)
		error = sg_template_render(t, d, &opts, out, &len, err);
	sg_template_free(t);
	json_decref(d);
	return error;
}

static void
expect(const char *tpl, const char *data, const char *const *pairs,
    const char *want)
{
	struct sg_error err = SG_ERROR_INIT;
	struct partials p = {pairs, 0, 0};
	char *out;

	if (try_render(tpl, data, &p, NULL, &out, &err) < 0)
		fail_msg("%s: %s", tpl, err.message);
	assert_string_equal(out, want);
	free(out);
	sg_error_release(&err);
}

static void
expect_error(const char *tpl, const char *data, const char *const *pairs,
    int code, const char *file, unsigned line, unsigned column,
    const char *msg)
{
	struct sg_error err = SG_ERROR_INIT;
	struct partials p = {pairs, 0, 1};
	char *out;

	assert_int_equal(try_render(tpl, data, &p, NULL, &out, &err), code);
	assert_null(out);
	if (file)
		assert_string_equal(err.file, file);
	assert_int_equal(err.line, line);
	assert_int_equal(err.column, column);
	if (!strstr(err.message, msg))
		fail_msg("'%s' not in '%s'", msg, err.message);
	sg_error_release(&err);
}

static void
truthiness_is_javascripts(void **state)
{
	(void)state;
	expect("{{#s}}S{{/s}}{{#z}}Z{{/z}}{{#f}}F{{/f}}{{#o}}O{{/o}}"
	       "{{#e}}E{{/e}}{{#n}}N{{/n}}{{#t}}T{{/t}}{{#x}}X{{/x}}",
	    "{\"s\":\"\",\"z\":0,\"f\":0.0,\"o\":{},\"e\":[],\"n\":null,"
	    "\"t\":\"0\",\"x\":-1}",
	    NULL, "OTX");
	expect("{{^s}}s{{/s}}{{^z}}z{{/z}}{{^missing}}m{{/missing}}",
	    "{\"s\":\"\",\"z\":0}", NULL, "szm");
}

static void
values_as_text(void **state)
{
	(void)state;
	expect("{{a}}|{{b}}|{{c}}|{{d}}|{{e}}|{{f}}|{{g}}",
	    "{\"a\":0.1,\"b\":1e21,\"c\":-9007199254740993,\"d\":true,"
	    "\"e\":false,\"f\":2.0,\"g\":null}",
	    NULL, "0.1|1e+21|-9007199254740993|true|false|2|");
	/* arrays and objects: compact JSON, escaped like any text */
	expect("{{a}} {{{o}}}", "{\"a\":[1,\"<\"],\"o\":{\"k\":1}}", NULL,
	    "[1,&quot;&lt;&quot;] {\"k\":1}");
	/* only & \" < > are escaped; NUL bytes pass */
	expect("{{s}}", "{\"s\":\"'&`=\"}", NULL, "'&amp;`=");
}

static void
errors_point_at_the_tag(void **state)
{
	(void)state;
	expect_error("ab\n  {{x", "{}", NULL, SG_EINVAL, "t.mustache", 2, 3,
	    "unclosed tag: no '}}' after '{{'");
	expect_error("{{=<% %>=}}\n<%#a%>\n<%/b%>", "{}", NULL, SG_EINVAL,
	    "t.mustache", 3, 1,
	    "end tag 'b' does not match section 'a' opened at 2:1");
	expect_error("x\n\xc3\xa9\xc3\xa9{{#a}}{{^b}}{{/b}}", "{}", NULL,
	    SG_EINVAL, "t.mustache", 2, 3, "section 'a' is not closed");
	expect_error("{{/a}}", "{}", NULL, SG_EINVAL, "t.mustache", 1, 1,
	    "end tag 'a' closes no section");
	expect_error("a {{}}", "{}", NULL, SG_EINVAL, "t.mustache", 1, 3,
	    "empty tag name");
	expect_error("{{a b}}", "{}", NULL, SG_EINVAL, "t.mustache", 1, 1,
	    "invalid tag name 'a b'");
	expect_error("{{=<%>=}}", "{}", NULL, SG_EINVAL, "t.mustache", 1, 1,
	    "invalid set-delimiter tag");
	expect_error("{{{a}}", "{}", NULL, SG_EINVAL, "t.mustache", 1, 1,
	    "no '}}}' after '{{'");
	/* in a partial: the partial's own name and position */
	expect_error("x\n{{>p}}", "{}",
	    (const char *const[]){"p", "ok\n {{#s}}", NULL}, SG_EINVAL,
	    "p.mustache", 2, 2, "section 's' is not closed");
	/* the loader's error, at the tag that asked */
	expect_error("\n {{>broken}}", "{}", NULL, SG_EIO, "t.mustache", 2, 2,
	    "cannot read 'broken'");
}

static void
caps_stop_runaway_templates(void **state)
{
	struct sg_template_options o = SG_TEMPLATE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	/* p0 includes p1 four times, ... p11 includes p12: 4^12 visits */
	static const char *const pairs[] = {"self", "{{>self}}", "p0",
	    "{{>p1}}{{>p1}}{{>p1}}{{>p1}}", "p1", "{{>p2}}{{>p2}}{{>p2}}{{>p2}}",
	    "p2", "{{>p3}}{{>p3}}{{>p3}}{{>p3}}", "p3",
	    "{{>p4}}{{>p4}}{{>p4}}{{>p4}}", "p4", "{{>p5}}{{>p5}}{{>p5}}{{>p5}}",
	    "p5", "{{>p6}}{{>p6}}{{>p6}}{{>p6}}", "p6",
	    "{{>p7}}{{>p7}}{{>p7}}{{>p7}}", "p7", "{{>p8}}{{>p8}}{{>p8}}{{>p8}}",
	    "p8", "{{>p9}}{{>p9}}{{>p9}}{{>p9}}", "p9",
	    "{{>pa}}{{>pa}}{{>pa}}{{>pa}}", "pa", "{{>pb}}{{>pb}}{{>pb}}{{>pb}}",
	    "pb", "{{>pc}}{{>pc}}{{>pc}}{{>pc}}", "pc", "", NULL};
	struct partials p = {pairs, 0, 0};
	char *out;
	char deep[3000];
	size_t k = 0;

	(void)state;
	/* recursion */
	assert_int_equal(try_render("{{>self}}", "{}", &p, NULL, &out, &err),
	    SG_ETOOBIG);
	assert_non_null(strstr(err.message, "nested more than 256 deep"));
	sg_error_release(&err);
	/* exponential work with no output */
	o.max_steps = 100000;
	assert_int_equal(try_render("{{>p0}}", "{}", &p, &o, &out, &err),
	    SG_ETOOBIG);
	assert_non_null(strstr(err.message, "more than 100000 steps"));
	sg_error_release(&err);
	/* output */
	o.max_steps = 0;
	o.max_output = 10;
	assert_int_equal(try_render("{{#l}}{{.}}{{/l}}", "{\"l\":[1,2,3,4,"
							 "5,6,7,8,9,10,11]}",
			     &p, &o, &out, &err),
	    SG_ETOOBIG);
	assert_non_null(strstr(err.message, "larger than 10 bytes"));
	assert_null(out);
	sg_error_release(&err);
	/* parse-time nesting */
	for (int i = 0; i < 257; i++)
		k += (size_t)snprintf(deep + k, sizeof(deep) - k, "{{#a}}");
	assert_int_equal(try_render(deep, "{}", &p, NULL, &out, &err),
	    SG_EINVAL);
	assert_int_equal(err.column, 256 * 6 + 1);
	assert_non_null(strstr(err.message, "nested more than 256 deep"));
	sg_error_release(&err);
}

static void
partials_load_once_per_render(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct partials p = {(const char *const[]){"p", "<{{.}}>", NULL}, 0,
	    0};
	char *out;

	(void)state;
	assert_int_equal(try_render("{{#l}}{{>p}}{{>q}}{{/l}}", "{\"l\":[1,2,3]}",
			     &p, NULL, &out, &err),
	    0);
	assert_string_equal(out, "<1><2><3>");
	assert_int_equal(p.calls, 2); /* p once, the missing q once */
	free(out);
}

static void
standalone_partials_nest_their_indentation(void **state)
{
	static const char *const pairs[] = {"outer", "o1\n  {{>inner}}\no2\n",
	    "inner", "i1\n\ni2\n", NULL};

	(void)state;
	/* empty lines get no indentation (no trailing blanks) */
	expect("{{#x}}\n  {{>outer}}\n{{/x}}\n", "{\"x\":1}", pairs,
	    "  o1\n    i1\n\n    i2\n  o2\n");
	/* an inline partial is not indented, nor are its nested ones */
	expect("> {{>outer}}", "{}", pairs, "> o1\n  i1\n\n  i2\no2\n");
	/* CRLF lines */
	expect(" {{>p}}\r\n", "{}", (const char *const[]){"p", "a\r\nb", NULL},
	    " a\r\n b");
}

static void
arguments_are_scoped_to_their_parent_tag(void **state)
{
	static const char *const pairs[] = {"layout",
	    "<h1>{{$title}}Site{{/title}}</h1>{{$body}}{{/body}}", "card",
	    "<h2>{{$title}}Untitled{{/title}}</h2>", NULL};

	(void)state;
	/* the title passed to layout does not reach the card in the body */
	expect("{{<layout}}{{$title}}Page{{/title}}{{$body}}{{<card}}"
	       "{{$title}}Card{{/title}}{{/card}}{{/body}}{{/layout}}",
	    "{}", pairs, "<h1>Page</h1><h2>Card</h2>");
	/* a partial passes the arguments through, like an empty parent */
	expect("{{<layout}}{{$body}}{{>card}}{{/body}}{{/layout}}", "{}", pairs,
	    "<h1>Site</h1><h2>Untitled</h2>");
	/* dynamic parents, closed by the same dynamic name */
	expect("{{<*which}}{{$title}}T{{/title}}{{/*which}}",
	    "{\"which\":\"card\"}", pairs, "<h2>T</h2>");
	/*
	 * a block inside an argument sees the arguments in force where the
	 * parent tag stood, not that argument: it cannot expand itself
	 */
	expect("{{<p}}{{$a}}[{{$a}}-{{/a}}]{{/a}}{{/p}}", "{}",
	    (const char *const[]){"p", "{{$a}}{{/a}}", NULL}, "[-]");
}

static void
blocks_are_reindented(void **state)
{
	static const char *const pairs[] = {"page",
	    "<ul>\n    {{$items}}\n    <li>none</li>\n    {{/items}}\n</ul>\n",
	    NULL};

	(void)state;
	/* the argument's own indentation is replaced by the site's */
	expect("{{<page}}\n{{$items}}\n{{#l}}\n<li>{{.}}</li>\n{{/l}}\n"
	       "{{/items}}\n{{/page}}\n",
	    "{\"l\":[1,2]}", pairs, "<ul>\n    <li>1</li>\n    <li>2</li>\n</ul>\n");
	expect("{{<page}}\n  {{$items}}\n      <li>a</li>\n        <li>b</li>\n"
	       "  {{/items}}\n{{/page}}\n",
	    "{}", pairs, "<ul>\n    <li>a</li>\n      <li>b</li>\n</ul>\n");
	expect("{{<page}}{{/page}}", "{}", pairs,
	    "<ul>\n    <li>none</li>\n</ul>\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(truthiness_is_javascripts),
		cmocka_unit_test(values_as_text),
		cmocka_unit_test(errors_point_at_the_tag),
		cmocka_unit_test(caps_stop_runaway_templates),
		cmocka_unit_test(partials_load_once_per_render),
		cmocka_unit_test(standalone_partials_nest_their_indentation),
		cmocka_unit_test(arguments_are_scoped_to_their_parent_tag),
		cmocka_unit_test(blocks_are_reindented),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
