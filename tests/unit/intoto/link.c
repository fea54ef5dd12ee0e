/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/intoto/: the in-toto 1.x key id against vectors
 * computed with securesystemslib 0.26 (keys._get_keyid), links signed and
 * checked (a changed product, another key, a garbled signature), the
 * byproducts' cap and UTF-8 repair, the DSSE PAE bytes, provenance signed
 * and checked, the layout's shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "specgate/intoto.h"
#include "specgate/sys/signer.h"
#include "util/util.h"

static const char p256[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEkwjCoyNWJ5oLbhLzeaaA3CSpYJ+V\n"
    "oy7tj3dTzvB0M1xuGX0boDRR3D5MRTDbyjB91HzyjQKa7XA8kk/IpFlSLQ==\n"
    "-----END PUBLIC KEY-----\n";
static const char ed[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEACINQSu8HCcacCc9NXov8bLNCZ8cUzj/ZGzy/GDdjdlM=\n"
    "-----END PUBLIC KEY-----\n";

static const char sha_a[] =
    "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";
static const char sha_b[] =
    "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d";

static void
keyid_vectors(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_key *k;
	char id[SG_KEYID_HEX_LEN + 1];

	(void)state;
	assert_int_equal(sg_key_parse_public(&k, p256, strlen(p256), "p256",
	    &err), 0);
	assert_int_equal(sg_intoto_keyid(id, k, &err), 0);
	assert_string_equal(id,
	    "72c983a4b2ab9c593397d297f46fd84ab2f39539cc462dfd0de7b1b64f5b194c");
	sg_key_free(k);
	assert_int_equal(sg_key_parse_public(&k, ed, strlen(ed), "ed", &err),
	    0);
	assert_int_equal(sg_intoto_keyid(id, k, &err), 0);
	assert_string_equal(id,
	    "ef4af5683a4cfc8f34fade7c8c410a557636cf4121cd6045509f8b865b7a26fa");
	sg_key_free(k);
}

static struct sg_signer *
new_signer(enum sg_key_type type)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_signer *s;
	struct sg_key *k;

	assert_int_equal(sg_key_generate(&k, type, &err), 0);
	assert_int_equal(sg_signer_from_key(&s, k, &err), 0);
	return s;
}

static void
signed_link(struct sg_signer *s, char **text, char **name)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_intoto_link *l;
	const char *argv[] = {"make", "all"};
	size_t len;

	sg_intoto_link_new(&l, "build");
	assert_int_equal(sg_intoto_link_material(l, "src/a.c", sha_a, &err),
	    0);
	assert_int_equal(sg_intoto_link_product(l, "build/app", sha_b, &err),
	    0);
	sg_intoto_link_command(l, argv, 2);
	sg_intoto_link_byproducts(l, 0, "ok\n", 3, NULL, 0);
	sg_intoto_link_env(l, "mode", "sandbox");
	assert_int_equal(sg_intoto_link_sign(text, &len, name, l, s, &err),
	    0);
	assert_int_equal(len, strlen(*text));
	sg_intoto_link_free(l);
}

static void
links_sign_and_check(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	enum sg_key_type types[] = {SG_KEY_ECDSA_P256, SG_KEY_ED25519};

	(void)state;
	for (size_t t = 0; t < 2; t++) {
		struct sg_signer *s = new_signer(types[t]);
		struct sg_signer *other = new_signer(types[t]);
		const struct sg_key *pub = sg_signer_public_key(s);
		char id[SG_KEYID_HEX_LEN + 1];
		char *name;
		char *text;
		size_t off;
		json_t *sobj;

		signed_link(s, &text, &name);
		assert_int_equal(sg_intoto_keyid(id, pub, &err), 0);
		assert_true(!strncmp(name, "build.", 6));
		assert_true(!strncmp(name + 6, id, 8));
		assert_string_equal(name + 14, ".link");
		assert_int_equal(sg_intoto_verify_metadata(&sobj, text,
		    strlen(text), pub, name, &err), 0);
		assert_string_equal(json_string_value(json_object_get(
		    json_object_get(json_object_get(sobj, "products"),
			"build/app"), "sha256")), sha_b);
		json_decref(sobj);
		/* another key */
		assert_int_equal(sg_intoto_verify_metadata(NULL, text,
		    strlen(text), sg_signer_public_key(other), name, &err),
		    SG_EVERIFY);
		assert_non_null(strstr(err.message, "no signature by key"));
		sg_error_release(&err);
		/* a changed product */
		off = (size_t)(strstr(text, sha_b) - text);
		text[off] = '4';
		assert_int_equal(sg_intoto_verify_metadata(NULL, text,
		    strlen(text), pub, name, &err), SG_EVERIFY);
		sg_error_release(&err);
		text[off] = '3';
		/* a garbled signature */
		off = (size_t)(strstr(text, "\"sig\": \"") - text);
		text[off + 8] = 'z';
		assert_int_equal(sg_intoto_verify_metadata(NULL, text,
		    strlen(text), pub, name, &err), SG_EVERIFY);
		assert_non_null(strstr(err.message, "not hex"));
		sg_error_release(&err);
		free(text);
		free(name);
		sg_signer_free(s);
		sg_signer_free(other);
	}
}

static void
bad_artifacts_are_refused(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_intoto_link *l;
	size_t n;

	(void)state;
	sg_intoto_link_new(&l, "x");
	assert_int_equal(sg_intoto_link_product(l, "a", "ABC", &err),
	    SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(sg_intoto_link_material(l, "", sha_a, &err),
	    SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(sg_intoto_link_material(l, "a", sha_a, &err), 0);
	assert_int_equal(sg_intoto_link_material(l, "a", sha_b, &err), 0);
	assert_string_equal(sg_intoto_link_materials(l, &n)[0].sha256, sha_b);
	assert_int_equal(n, 1);
	sg_intoto_link_free(l);
}

static void
byproducts_are_capped_and_utf8(void **state)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_signer *s = new_signer(SG_KEY_ED25519);
	struct sg_intoto_link *l;
	char *big = sg_xmalloc(SG_INTOTO_STREAM_MAX * 2);
	char *text;
	size_t len;
	json_t *doc;
	const char *out;
	const char *errs;

	(void)state;
	memset(big, 'x', SG_INTOTO_STREAM_MAX * 2);
	sg_intoto_link_new(&l, "s");
	sg_intoto_link_byproducts(l, 3, big, SG_INTOTO_STREAM_MAX * 2,
	    "a\xff" "b\xc3", 4);
	assert_int_equal(sg_intoto_link_sign(&text, &len, NULL, l, s, &err),
	    0);
	doc = json_loads(text, 0, NULL);
	assert_non_null(doc);
	out = json_string_value(json_object_get(json_object_get(
	    json_object_get(doc, "signed"), "byproducts"), "stdout"));
	errs = json_string_value(json_object_get(json_object_get(
	    json_object_get(doc, "signed"), "byproducts"), "stderr"));
	assert_int_equal(strlen(out), SG_INTOTO_STREAM_MAX);
	assert_string_equal(errs, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    json_object_get(doc, "signed"), "byproducts"), "return-value")), 3);
	json_decref(doc);
	free(text);
	free(big);
	sg_intoto_link_free(l);
	sg_signer_free(s);
}

static void
pae_bytes(void **state)
{
	char *p;
	size_t n;

	(void)state;
	sg_intoto_pae(&p, &n, SG_INTOTO_DSSE_TYPE, "hello", 5);
	assert_int_equal(n, strlen("DSSEv1 28 application/vnd.in-toto+json 5 "
				   "hello"));
	assert_memory_equal(p,
	    "DSSEv1 28 application/vnd.in-toto+json 5 hello", n);
	free(p);
}

static void
provenance_sign_and_check(void **state)
{
	struct sg_intoto_provenance p;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_signer *s = new_signer(SG_KEY_ECDSA_P256);
	struct sg_intoto_artifact subj[] = {{"build/app", sha_b}};
	struct sg_intoto_artifact deps[] = {{"features/a.feature", sha_a}};
	json_t *st;
	char *text;
	char *q;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.version = SG_INTOTO_PROVENANCE_VERSION;
	p.subjects = subj;
	p.nsubjects = 1;
	p.deps = deps;
	p.ndeps = 1;
	p.project = "t";
	p.project_version = "1";
	p.feature_id = "005cc0262265";
	p.run_id = "20250924140440";
	p.mode = "sandbox";
	p.started = 1758722680;
	p.finished = 1758722690;
	assert_int_equal(sg_intoto_provenance(&text, &p, s, &err), 0);
	assert_int_equal(sg_intoto_verify_dsse(&st, text, strlen(text),
	    sg_signer_public_key(s), "prov", &err), 0);
	assert_string_equal(json_string_value(json_object_get(st,
	    "predicateType")), SG_INTOTO_SLSA);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(json_object_get(st, "subject"), 0), "name")),
	    "build/app");
	json_decref(st);
	/* a changed payload */
	q = strstr(text, "\"payload\": \"");
	q[14] = q[14] == 'A' ? 'B' : 'A';
	assert_int_equal(sg_intoto_verify_dsse(NULL, text, strlen(text),
	    sg_signer_public_key(s), "prov", &err), SG_EVERIFY);
	sg_error_release(&err);
	free(text);
	sg_signer_free(s);
}

static void
layout_shape(void **state)
{
	struct sg_intoto_layout_options o = SG_INTOTO_LAYOUT_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_signer *s = new_signer(SG_KEY_ECDSA_P256);
	const char *features[] = {"features"};
	const char *arts[] = {"build/app"};
	json_t *sobj;
	json_t *steps;
	char *text;

	(void)state;
	o.expires = 4102444800; /* 2100-01-01 */
	o.features = features;
	o.nfeatures = 1;
	o.artifacts = arts;
	o.nartifacts = 1;
	assert_int_equal(sg_intoto_layout(&text, &o, s, &err), 0);
	assert_int_equal(sg_intoto_verify_metadata(&sobj, text, strlen(text),
	    sg_signer_public_key(s), "root.layout", &err), 0);
	assert_string_equal(json_string_value(json_object_get(sobj,
	    "expires")), "2100-01-01T00:00:00Z");
	steps = json_object_get(sobj, "steps");
	assert_int_equal(json_array_size(steps), 6);
	/* audit: five MATCHes, then DISALLOW * */
	assert_int_equal(json_array_size(json_object_get(json_array_get(steps,
	    5), "expected_materials")), 6);
	assert_non_null(strstr(text, "\"build/app\""));
	assert_non_null(strstr(text, "\"features/*\""));
	json_decref(sobj);
	free(text);
	sg_signer_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keyid_vectors),
		cmocka_unit_test(links_sign_and_check),
		cmocka_unit_test(bad_artifacts_are_refused),
		cmocka_unit_test(byproducts_are_capped_and_utf8),
		cmocka_unit_test(pae_bytes),
		cmocka_unit_test(provenance_sign_and_check),
		cmocka_unit_test(layout_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
