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
#include <string.h>

#include "../../harness/tmpdir.h"
#include "sbom/sbom_int.h"

/*
 * purl-spec's rules, type by type (types/<type>-definition.json and
 * docs/standard/characters-and-encoding.md): what to lowercase, pypi's
 * name normalisation, the colon never encoded, everything but
 * A-Z a-z 0-9 . - _ ~ : percent-encoded (upper-case hex), qualifiers
 * sorted with lowercase keys and no empty values.
 */
static const struct purl_case {
	const char *type, *ns, *name, *version;
	const char *q[4]; /* key, value, key, value */
	size_t nq;
	const char *want;
} purl_cases[] = {
	/* npm: scope and name lowercased, '@' of the scope encoded */
	{"npm", NULL, "JSONStream", "1.3.5", {0}, 0,
	    "pkg:npm/jsonstream@1.3.5"},
	{"npm", "@Babel", "Core", "7.0.0", {0}, 0,
	    "pkg:npm/%40babel/core@7.0.0"},
	{"npm", "@scope", "b", "2.0.0-beta.1+build.5", {0}, 0,
	    "pkg:npm/%40scope/b@2.0.0-beta.1%2Bbuild.5"},
	{"npm", NULL, "\xc3\xbcn\xc3\xaf", "1.0.0", {0}, 0,
	    "pkg:npm/%C3%BCn%C3%AF@1.0.0"},
	/* pypi: lowercase, runs of - _ . become one - */
	{"pypi", NULL, "Flask_Login", "0.6.3", {0}, 0,
	    "pkg:pypi/flask-login@0.6.3"},
	{"pypi", NULL, "zope.interface", "6.0", {0}, 0,
	    "pkg:pypi/zope-interface@6.0"},
	{"pypi", NULL, "a__b-._c", "1!2.0+local", {0}, 0,
	    "pkg:pypi/a-b-c@1%212.0%2Blocal"},
	{"pypi", NULL, "a b~c", "1.0", {0}, 0, "pkg:pypi/a%20b~c@1.0"},
	/* golang: namespace and name lowercased; version as written */
	{"golang", "github.com/Azure", "go-autorest",
	    "v14.2.0+incompatible", {0}, 0,
	    "pkg:golang/github.com/azure/go-autorest@v14.2.0%2Bincompatible"},
	{"golang", "gopkg.in", "yaml.v3", "v3.0.1", {0}, 0,
	    "pkg:golang/gopkg.in/yaml.v3@v3.0.1"},
	/* cargo: case-sensitive name */
	{"cargo", NULL, "Inflector", "0.11.4", {0}, 0,
	    "pkg:cargo/Inflector@0.11.4"},
	{"cargo", NULL, "odd\\name", "1.0.0+m\xc3\xa9ta", {0}, 0,
	    "pkg:cargo/odd%5Cname@1.0.0%2Bm%C3%A9ta"},
	/* deb: vendor and name lowercased, epoch colon kept, '+' encoded */
	{"deb", "debian", "libc6", "1:2.36-9+deb12u1", {"arch", "amd64"}, 1,
	    "pkg:deb/debian/libc6@1:2.36-9%2Bdeb12u1?arch=amd64"},
	{"deb", "Debian", "LibFoo", "1.0", {"distro", "debian-12", "Arch",
	    "all"}, 2, "pkg:deb/debian/libfoo@1.0?arch=all&distro=debian-12"},
	{"deb", "debian", "x", "1", {"arch", "", "distro", "a b"}, 2,
	    "pkg:deb/debian/x@1?distro=a%20b"},
	/* generic: as written; separators inside parts encoded */
	{"generic", NULL, "Zlib", "1.3.1", {0}, 0, "pkg:generic/Zlib@1.3.1"},
	{"generic", "a/b", "n@m?x#y", "v/1", {0}, 0,
	    "pkg:generic/a/b/n%40m%3Fx%23y@v%2F1"},
};

static void
purls_follow_the_spec_per_type(void **state)
{
	struct sg_sbom__set set;

	(void)state;
	sg_sbom__set_init(&set);
	for (size_t i = 0; i < sizeof(purl_cases) / sizeof(*purl_cases);
	     i++) {
		const struct purl_case *c = &purl_cases[i];
		const char *got = sg_sbom__purl(&set, c->type, c->ns, c->name,
		    c->version, c->nq ? c->q : NULL, c->nq);

		if (strcmp(got, c->want))
			fail_msg("case %zu: got %s, want %s", i, got, c->want);
	}
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
		cmocka_unit_test(purls_follow_the_spec_per_type),
		cmocka_unit_test(declared_purls_are_decoded),
		cmocka_unit_test(build_carries_the_run),
		cmocka_unit_test(build_errors),
	};

	return cmocka_run_group_tests_name("sbom/sbom", tests, NULL, NULL);
}
