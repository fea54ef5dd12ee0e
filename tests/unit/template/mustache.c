/* SPDX-License-Identifier: MIT */
/*
 * The official Mustache specification's tests (the JSON files in
 * tests/data/mustache/, MIT) through src/lib/template: every test of the
 * required modules and of the optional inheritance and dynamic-names
 * modules, each its own TAP line named "file: test name".  A test's partials
 * come from its `partials` object through the engine's loader, as the CLI's
 * come from files.  Lambdas are not part of the data (the engine has none).
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

static const char *const files[] = {
    "comments.json",       "delimiters.json",   "interpolation.json",
    "inverted.json",       "partials.json",     "sections.json",
    "~dynamic-names.json", "~inheritance.json",
};

/* The loader: the test's `partials` object. */
static int
from_object(void *arg, const char *name, struct sg_template_source *out,
	    struct sg_error *err)
{
	json_t *text = json_object_get(arg, name);

	(void)err;
	if (!json_is_string(text))
		return SG_ENOTFOUND;
	out->len = json_string_length(text);
	out->text = malloc(out->len + 1);
	assert_non_null(out->text);
	memcpy(out->text, json_string_value(text), out->len + 1);
	return 0;
}

static void
run_spec_test(void **state)
{
	json_t *test = *state;
	const char *tpl = json_string_value(json_object_get(test, "template"));
	const char *want = json_string_value(json_object_get(test, "expected"));
	struct sg_template_options opts = SG_TEMPLATE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_template *t = NULL;
	char *out = NULL;
	size_t len = 0;

	assert_non_null(tpl);
	assert_non_null(want);
	opts.loader = from_object;
	opts.loader_arg = json_object_get(test, "partials");
	if (sg_template_parse(&t, "template", tpl, strlen(tpl), &err) < 0)
		fail_msg("parse: %s:%u:%u: %s", err.file, err.line, err.column,
			 err.message);
	if (sg_template_render(t, json_object_get(test, "data"), &opts, &out,
			       &len, &err) < 0)
		fail_msg("render: %s", err.message);
	if (len != strlen(want) || memcmp(out, want, len)) {
		print_error("template: %s\nexpected: [%s]\nrendered: [%s]\n",
			    tpl, want, out);
		fail();
	}
	free(out);
	sg_template_free(t);
	sg_error_release(&err);
}

int
main(void)
{
	const char *root = getenv("SG_TEST_ROOT");
	struct CMUnitTest *tests = NULL;
	json_t *docs[sizeof(files) / sizeof(files[0])];
	size_t n = 0;
	size_t cap = 0;
	int rc;

	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char path[1024];
		json_error_t jerr;
		json_t *list;
		size_t i;
		json_t *test;

		snprintf(path, sizeof(path), "%s/data/mustache/%s",
			 root ? root : "tests", files[f]);
		docs[f] = json_load_file(path, 0, &jerr);
		if (!docs[f]) {
			fprintf(stderr, "%s:%d:%d: %s\n", path, jerr.line,
				jerr.column, jerr.text);
			return 1;
		}
		list = json_object_get(docs[f], "tests");
		if (!json_array_size(list)) {
			fprintf(stderr, "%s: no tests\n", path);
			return 1;
		}
		json_array_foreach(list, i, test)
		{
			const char *name =
			    json_string_value(json_object_get(test, "name"));
			char *full;
			size_t sz;

			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				tests = realloc(tests, cap * sizeof(*tests));
				if (!tests)
					return 1;
			}
			sz = strlen(files[f]) + strlen(name ? name : "?") + 3;
			full = malloc(sz);
			if (!full)
				return 1;
			snprintf(full, sz, "%s: %s", files[f],
				 name ? name : "?");
			memset(&tests[n], 0, sizeof(tests[n]));
			tests[n].name = full;
			tests[n].test_func = run_spec_test;
			tests[n].initial_state = test;
			n++;
		}
	}
	rc = _cmocka_run_group_tests("mustache-spec", tests, n, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		free((char *)tests[i].name);
	free(tests);
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++)
		json_decref(docs[f]);
	return rc;
}
