/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/sbom/: purl encoding and declared purls, and
 * sg_sbom_build() as the run's build stage calls it (run properties,
 * determinism, errors).  What the documents mean to outside tools is
 * checked by tests/integration/t0700-sbom.sh (ajv, jq, dpkg), which also
 * runs this program with SG_SBOM_DUMP=FILE to validate the run's
 * document.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "../../harness/tmpdir.h"
#include "sbom/sbom_int.h"

static void
purls_are_percent_encoded(void **state)
{
	struct sg_sbom__set set;

	(void)state;
	sg_sbom__set_init(&set);
	assert_string_equal(sg_sbom__purl(&set, "deb", "debian", "libc6",
	    "1:2.36-9+deb12u1", "arch=amd64"),
	    "pkg:deb/debian/libc6@1%3A2.36-9%2Bdeb12u1?arch=amd64");
	assert_string_equal(sg_sbom__purl(&set, "npm", "@babel", "core",
	    "7.0.0", NULL), "pkg:npm/%40babel/core@7.0.0");
	assert_string_equal(sg_sbom__purl(&set, "golang", "github.com/a/b",
	    "c", "v1.0.0", NULL), "pkg:golang/github.com/a/b/c@v1.0.0");
	assert_string_equal(sg_sbom__purl(&set, "pypi", NULL, "a b~c",
	    "1.0", NULL), "pkg:pypi/a%20b~c@1.0");
	sg_sbom__set_release(&set);
}

static void
declared_purls_are_decoded(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_sbom__set set;
	struct sg_sbom__comp *c;
	static const char *const bad[] = {"zlib", "pkg:", "pkg:generic/zlib",
	    "pkg:generic/zlib@", "pkg:/zlib@1", "pkg:gen eric/zlib@1",
	    "pkg:generic/z%zzlib@1", "pkg:generic/%00@1", "pkg:generic/@1"};

	(void)state;
	sg_sbom__set_init(&set);
	assert_int_equal(sg_sbom__add_declared(&set,
	    "pkg:npm/%40scope/name@1.0.0-rc%2B1?x=y#sub", &err), 0);
	c = set.comps.items[0];
	assert_string_equal(c->group, "@scope");
	assert_string_equal(c->name, "name");
	assert_string_equal(c->version, "1.0.0-rc+1");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sg_sbom__add_declared(&set, bad[i], &err),
		    SG_EINVAL);
		sg_error_release(&err);
	}
	sg_sbom__set_release(&set);
}

static char *
build(const char *root, const char *run_id, struct sg_error *err, int *rc)
{
	static const char *const comps[] = {"pkg:generic/vendored@1.0"};
	struct sg_sbom_options o = SG_SBOM_OPTIONS_INIT;
	struct sg_sbom *sb = NULL;
	char *json = NULL;

	o.root = root;
	o.project = "unit";
	o.project_version = "1.2.3";
	o.components = comps;
	o.ncomponents = 1;
	o.mode = "compliance";
	o.feature_id = "0123456789ab";
	o.run_id = run_id;
	o.dpkg_admindir = "/nonexistent";
	*rc = sg_sbom_build(&sb, &o, err);
	if (sb)
		json = sg_xstrdup(sb->json);
	sg_sbom_free(sb);
	return json;
}

static void
build_carries_the_run(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	char *dir = sg_test_tmpdir(), *path, *a, *b;
	json_t *doc, *props;
	FILE *f;
	int rc;

	(void)state;
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	path = sg_xasprintf("%s/requirements.txt", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("requests==2.31.0\nflask\n", f);
	fclose(f);
	a = build(dir, "20250101000000", &err, &rc);
	assert_int_equal(rc, 0);
	b = build(dir, "20250101000000", &err, &rc);
	assert_string_equal(a, b);
	doc = json_loads(a, 0, NULL);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(doc, "metadata"), "timestamp")),
	    "2023-11-14T22:13:20Z");
	props = json_object_get(json_object_get(doc, "metadata"),
	    "properties");
	assert_int_equal(json_array_size(props), 3);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(props, 0), "value")), "compliance");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(props, 1), "value")), "0123456789ab");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(props, 2), "value")), "20250101000000");
	assert_int_equal(json_array_size(json_object_get(doc, "components")),
	    2);
	json_decref(doc);
	free(b);
	/* t0700 validates this document with ajv: it has the run's fields */
	if (getenv("SG_SBOM_DUMP")) {
		f = fopen(getenv("SG_SBOM_DUMP"), "w");
		assert_non_null(f);
		fputs(a, f);
		assert_int_equal(fclose(f), 0);
	}
	/* another run id: another document, another serial number */
	b = build(dir, "20250101000001", &err, &rc);
	assert_int_equal(rc, 0);
	assert_string_not_equal(a, b);
	assert_memory_not_equal(strstr(a, "urn:uuid:"), strstr(b, "urn:uuid:"),
	    45);
	free(a);
	free(b);
	free(path);
	sg_test_rmtree(dir);
	free(dir);
	unsetenv("SOURCE_DATE_EPOCH");
}

static void
build_errors(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	char *dir = sg_test_tmpdir(), *path, *json;
	FILE *f;
	int rc;

	(void)state;
	json = build("/nonexistent/dir", NULL, &err, &rc);
	assert_int_equal(rc, SG_ENOTFOUND);
	assert_null(json);
	sg_error_release(&err);
	path = sg_xasprintf("%s/Cargo.lock", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("[[package]]\nname = \"a\nversion = \"1\"\n", f);
	fclose(f);
	json = build(dir, NULL, &err, &rc);
	assert_int_equal(rc, SG_EINVAL);
	assert_null(json);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 8);
	sg_error_release(&err);
	free(path);
	sg_test_rmtree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(purls_are_percent_encoded),
		cmocka_unit_test(declared_purls_are_decoded),
		cmocka_unit_test(build_carries_the_run),
		cmocka_unit_test(build_errors),
	};

	return cmocka_run_group_tests_name("sbom/sbom", tests, NULL, NULL);
}
