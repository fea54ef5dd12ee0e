/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/sign/key.c and sign.c: generate, write and load
 * keys of both types (encrypted and not), the wrong passphrase, the mode
 * check in both modes, key ids stable across a write and a load, sign and
 * verify with every failure the verifier names, base64 both ways, and a
 * signer behind a custom function table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

#include "../../harness/tmpdir.h"
#include "sign/sign_int.h"
#include "specgate/sys/signer.h"

static char *dir;

static int
setup(void **state)
{
	(void)state;
	dir = sg_test_tmpdir();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sg_test_rmtree(dir);
	free(dir);
	return 0;
}

static char *
path_of(const char *name)
{
	return sg_xasprintf("%s/%s", dir, name);
}

static void
round_trip(enum sg_key_type type, const char *pass)
{
	struct sg_key_options opts = SG_KEY_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_key *key;
	struct sg_key *back;
	struct sg_key *pub;
	char *keyf = path_of(pass ? "enc.key" : "plain.key");
	char *pubf = path_of("k.pub");
	char id1[SG_KEYID_HEX_LEN + 1];
	char id2[SG_KEYID_HEX_LEN + 1];
	char id3[SG_KEYID_HEX_LEN + 1];
	char *warning = NULL;
	struct stat st;

	opts.passphrase = pass;
	opts.passlen = pass ? strlen(pass) : 0;
	opts.replace = true;
	opts.strict = true;
	assert_int_equal(sg_key_generate(&key, type, &err), 0);
	assert_true(sg_key_is_private(key));
	assert_int_equal(sg_key_get_type(key), type);
	assert_int_equal(sg_key_write_private(key, keyf, &opts, &err), 0);
	assert_int_equal(stat(keyf, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(sg_key_write_public(key, pubf, true, &err), 0);
	assert_int_equal(sg_key_load_private(&back, &warning, keyf, &opts,
			     &err),
	    0);
	assert_null(warning);
	assert_int_equal(sg_key_load_public(&pub, pubf, &err), 0);
	assert_false(sg_key_is_private(pub));
	assert_int_equal(sg_key_id(id1, key, &err), 0);
	assert_int_equal(sg_key_id(id2, back, &err), 0);
	assert_int_equal(sg_key_id(id3, pub, &err), 0);
	assert_string_equal(id1, id2);
	assert_string_equal(id1, id3);
	assert_int_equal(strlen(id1), SG_KEYID_HEX_LEN);
	sg_key_free(key);
	sg_key_free(back);
	sg_key_free(pub);
	free(keyf);
	free(pubf);
}

static void
keys_round_trip(void **state)
{
	(void)state;
	round_trip(SG_KEY_ECDSA_P256, "pass phrase");
	round_trip(SG_KEY_ECDSA_P256, NULL);
	round_trip(SG_KEY_ED25519, "pass phrase");
	round_trip(SG_KEY_ED25519, NULL);
}

static void
write_key(const char *name, const char *pass)
{
	struct sg_key_options opts = SG_KEY_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_key *key;
	char *keyf = path_of(name);

	opts.passphrase = pass;
	opts.passlen = pass ? strlen(pass) : 0;
	opts.replace = true;
	assert_int_equal(sg_key_generate(&key, SG_KEY_ECDSA_P256, &err), 0);
	assert_int_equal(sg_key_write_private(key, keyf, &opts, &err), 0);
	sg_key_free(key);
	free(keyf);
}

static void
wrong_passphrase_is_named(void **state)
{
	struct sg_key_options opts = SG_KEY_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_key *key;
	char *keyf = path_of("w.key");
	char *want = sg_xasprintf("wrong passphrase for '%s'", keyf);

	(void)state;
	write_key("w.key", "right");
	/* many tries: a wrong key passes the CBC padding check 1 in 256 */
	for (int i = 0; i < 20; i++) {
		char wrong[16];

		snprintf(wrong, sizeof(wrong), "wrong%d", i);
		opts.passphrase = wrong;
		opts.passlen = strlen(wrong);
		assert_int_equal(sg_key_load_private(&key, NULL, keyf, &opts,
				     &err),
		    SG_EINVAL);
		assert_null(key);
		assert_string_equal(err.message, want);
		sg_error_release(&err);
	}
	opts.passphrase = NULL;
	assert_int_equal(sg_key_load_private(&key, NULL, keyf, &opts, &err),
	    SG_EINVAL);
	assert_non_null(strstr(err.message, "no passphrase"));
	sg_error_release(&err);
	free(want);
	free(keyf);
}

static void
existing_key_is_not_replaced(void **state)
{
	struct sg_key_options opts = SG_KEY_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_key *key;
	char *keyf = path_of("x.key");

	(void)state;
	write_key("x.key", NULL);
	assert_int_equal(sg_key_generate(&key, SG_KEY_ED25519, &err), 0);
	assert_int_equal(sg_key_write_private(key, keyf, &opts, &err),
	    SG_EINVAL);
	assert_non_null(strstr(err.message, "already exists"));
	sg_error_release(&err);
	opts.passphrase = "";
	opts.replace = true;
	assert_int_equal(sg_key_write_private(key, keyf, &opts, &err),
	    SG_EINVAL);
	sg_error_release(&err);
	sg_key_free(key);
	free(keyf);
}

static void
mode_check_strict_and_lax(void **state)
{
	struct sg_key_options opts = SG_KEY_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_key *key;
	char *keyf = path_of("m.key");
	char *warning;

	(void)state;
	write_key("m.key", NULL);
	assert_int_equal(chmod(keyf, 0644), 0);
	opts.strict = true;
	assert_int_equal(sg_key_load_private(&key, &warning, keyf, &opts,
			     &err),
	    SG_EINVAL);
	assert_non_null(strstr(err.message, "0644"));
	assert_non_null(strstr(err.message, "chmod 600"));
	assert_null(warning);
	sg_error_release(&err);
	opts.strict = false;
	assert_int_equal(sg_key_load_private(&key, &warning, keyf, &opts,
			     &err),
	    0);
	assert_non_null(warning);
	assert_non_null(strstr(warning, "chmod 600"));
	free(warning);
	sg_key_free(key);
	free(keyf);
}

static struct sg_signer *
new_signer(enum sg_key_type type)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_key *key;
	struct sg_signer *s;

	assert_int_equal(sg_key_generate(&key, type, &err), 0);
	assert_int_equal(sg_signer_from_key(&s, key, &err), 0);
	return s;
}

static void
verify_fails(const struct sg_key *key, const char *data, const char *sig,
    const char *what)
{
	struct sg_error err = SG_ERROR_INIT;

	assert_int_equal(sg_verify_blob(key, data, strlen(data), sig,
			     strlen(sig), "f", "f.sig", &err),
	    SG_EVERIFY);
	if (!strstr(err.message, what))
		fail_msg("'%s' not in '%s'", what, err.message);
	sg_error_release(&err);
}

static void
sign_and_verify(enum sg_key_type type)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_signer *s = new_signer(type);
	struct sg_signer *other = new_signer(type);
	const struct sg_key *pub = sg_signer_public_key(s);
	char *sig;
	char *osig;
	char *cut;

	assert_int_equal(sg_sign_blob(&sig, s, "data", 4, &err), 0);
	assert_int_equal(sg_verify_blob(pub, "data", 4, sig, strlen(sig), "f",
			     "f.sig", &err),
	    0);
	verify_fails(pub, "dat4", sig, "bad signature");
	assert_int_equal(sg_sign_blob(&osig, other, "data", 4, &err), 0);
	verify_fails(pub, "data", osig, "bad signature");
	cut = sg_xstrndup(sig, strlen(sig) - 8);
	verify_fails(pub, "data", cut, type == SG_KEY_ED25519 ?
	    "not an Ed25519 signature" : "not a DER ECDSA signature");
	cut[3] = '*';
	verify_fails(pub, "data", cut, "not base64");
	verify_fails(pub, "data", "", "not base64");
	free(cut);
	free(sig);
	free(osig);
	sg_signer_free(s);
	sg_signer_free(other);
}

static void
signatures_both_types(void **state)
{
	(void)state;
	sign_and_verify(SG_KEY_ECDSA_P256);
	sign_and_verify(SG_KEY_ED25519);
}

static void
base64_both_ways(void **state)
{
	static const char *const v[][2] = {
		{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
		{"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
		{"foobar", "Zm9vYmFy"},
	};
	struct sg_error err = SG_ERROR_INIT;
	unsigned char *raw;
	size_t len;
	char *s;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		sg_base64_encode(&s, v[i][0], strlen(v[i][0]));
		assert_string_equal(s, v[i][1]);
		free(s);
		if (!*v[i][1])
			continue;
		assert_int_equal(sg_base64_decode(&raw, &len, v[i][1],
				     strlen(v[i][1]), &err),
		    0);
		assert_int_equal(len, strlen(v[i][0]));
		assert_memory_equal(raw, v[i][0], len);
		free(raw);
	}
	assert_int_equal(sg_base64_decode(&raw, &len, "Zm9", 3, &err),
	    SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(sg_base64_decode(&raw, &len, "Zh==", 4, &err),
	    SG_EINVAL); /* non-zero padding bits */
	sg_error_release(&err);
	assert_int_equal(sg_base64_decode(&raw, &len, "Z=9v", 4, &err),
	    SG_EINVAL);
	sg_error_release(&err);
}

/* A custom signer: delegates to a file signer, counts its calls. */
static int calls;

static int
counting_sign(void *ctx, unsigned char **sig, size_t *siglen, const void *p,
    size_t n, struct sg_error *err)
{
	calls++;
	return sg_signer_sign(sig, siglen, ctx, p, n, err);
}

static int
counting_public_key(void *ctx, struct sg_key **out, struct sg_error *err)
{
	char *pem;
	int error;

	if ((error = sg_key_public_pem(&pem, sg_signer_public_key(ctx),
		 err)) < 0)
		return error;
	error = sg_key_parse_public(out, pem, strlen(pem), "inner", err);
	free(pem);
	return error;
}

static void
counting_free(void *ctx)
{
	sg_signer_free(ctx);
}

static void
custom_signer_table(void **state)
{
	struct sg_signer_ops ops = {
		.version = SG_SIGNER_OPS_VERSION,
		.name = "counting",
		.sign = counting_sign,
		.public_key = counting_public_key,
		.free = counting_free,
	};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_signer *inner = new_signer(SG_KEY_ECDSA_P256);
	struct sg_signer *s;
	char *sig;

	(void)state;
	assert_int_equal(sg_signer_new(&s, &ops, inner, &err), 0);
	assert_string_equal(sg_signer_keyid(s), sg_signer_keyid(inner));
	assert_int_equal(sg_sign_blob(&sig, s, "x", 1, &err), 0);
	assert_int_equal(calls, 1);
	assert_int_equal(sg_verify_blob(sg_signer_public_key(s), "x", 1, sig,
			     strlen(sig), "x", "x.sig", &err),
	    0);
	free(sig);
	sg_signer_free(s);
	ops.version = 99;
	inner = new_signer(SG_KEY_ED25519);
	assert_int_equal(sg_signer_new(&s, &ops, inner, &err), SG_EINVAL);
	assert_null(s);
	sg_error_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_round_trip),
		cmocka_unit_test(wrong_passphrase_is_named),
		cmocka_unit_test(existing_key_is_not_replaced),
		cmocka_unit_test(mode_check_strict_and_lax),
		cmocka_unit_test(signatures_both_types),
		cmocka_unit_test(base64_both_ways),
		cmocka_unit_test(custom_signer_table),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
