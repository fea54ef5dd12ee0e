/* SPDX-License-Identifier: MIT */
/*
 * fuzz_mustache.c - libFuzzer entry point for the Mustache engine
 * (src/lib/template): the input is a template, rendered against fixed data
 * (objects, lists, escapable text, names that dynamic partials resolve)
 * with fixed partials, among them "self", the input itself, so recursion
 * and inheritance through the input are reached.  Caps are small so that
 * each input stays fast; hitting one is a clean SG_ETOOBIG.
 *
 * Invariants: a failure returns no text and says why (a parse error with
 * its line:column); a success stays under the output cap; rendering the
 * same tree twice gives the same bytes (no state kept between renders).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "specgate/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const partials[] = {
	"p", "<{{.}}|{{name}}>\n",
	"list", "{{#items}}\n  - {{name}}{{^last}},{{/last}}\n{{/items}}\n",
	"layout", "[{{$a}}A{{/a}}|{{$b}}\n  B\n{{/b}}]\n",
	"mid", "{{<layout}}{{$a}}m{{/a}}{{/layout}}",
	"loop", "{{>loop}}",
	"bad", "{{#x}}",
	NULL,
};

struct input {
	const uint8_t *data;
	size_t size;
};

static int
loader(void *arg, const char *name, struct sg_template_source *out,
    struct sg_error *err)
{
	const struct input *in = arg;
	const char *text = NULL;
	size_t len = 0;

	(void)err;
	if (!strcmp(name, "self")) {
		text = (const char *)in->data;
		len = in->size;
	}
	for (size_t i = 0; !text && partials[i]; i += 2)
		if (!strcmp(partials[i], name)) {
			text = partials[i + 1];
			len = strlen(text);
		}
	if (!text)
		return SG_ENOTFOUND;
	out->text = malloc(len + 1);
	if (!out->text)
		abort();
	memcpy(out->text, text, len);
	out->text[len] = '\0';
	out->len = len;
	return 0;
}

static json_t *
fixed_data(void)
{
	static const char doc[] =
	    "{\"name\": \"a & b < c > \\\"d\\\"\", \"n\": 42, \"r\": 1.5,"
	    " \"t\": true, \"f\": false, \"z\": null, \"e\": \"\","
	    " \"kind\": \"p\", \"me\": \"self\", \"items\": [{\"name\": \"x\"},"
	    " {\"name\": \"y\", \"last\": true}], \"nested\": {\"a\": {\"b\":"
	    " {\"c\": \"deep\"}}, \"kind\": \"list\"}, \"list\": [1, [2, 3],"
	    " \"s\", {\"k\": \"v\"}]}";

	return json_loads(doc, 0, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *ctx;
	struct input in = {data, size};
	struct sg_template_options opts = SG_TEMPLATE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_template *t = NULL;
	char *out = NULL;
	char *again = NULL;
	size_t len = 0;
	size_t len2 = 0;
	int rc;

	if (!ctx && !(ctx = fixed_data()))
		abort();
	opts.loader = loader;
	opts.loader_arg = &in;
	opts.max_output = 1 << 20;
	opts.max_depth = 64;
	opts.max_steps = 200000;
	if (sg_template_parse(&t, "fuzz", (const char *)data, size, &err) < 0) {
		if (!t && err.code == SG_EINVAL && err.line && err.column &&
		    err.file && err.message[0])
			goto out;
		abort();
	}
	rc = sg_template_render(t, ctx, &opts, &out, &len, &err);
	if (rc < 0) {
		if (out || rc != err.code || !err.message[0])
			abort();
		goto out;
	}
	if (!out || len > opts.max_output)
		abort();
	sg_error_release(&err);
	if (sg_template_render(t, ctx, &opts, &again, &len2, &err) < 0 ||
	    len2 != len || memcmp(out, again, len))
		abort();
out:
	free(out);
	free(again);
	sg_template_free(t);
	sg_error_release(&err);
	return 0;
}
