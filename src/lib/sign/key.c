/* SPDX-License-Identifier: MIT */
/*
 * key.c - making, writing, loading and naming keys.
 *
 * Data flow: a key is an EVP_PKEY inside a struct sg_key.  Writing encodes
 * it to PEM in an OpenSSL secure-memory BIO (cleared when freed) and hands
 * the bytes to sys/fs.c, which creates the file 0600 from the start and
 * publishes it with link(2), so that an existing key is never clobbered by
 * accident and a crash leaves no half-written key.  Loading reads the file
 * into a capped buffer that is wiped before it is freed, then decodes it.
 *
 * Encryption: PKCS#8 EncryptedPrivateKeyInfo, PBES2 with scrypt (N=2^14,
 * r=8, p=1: 16 MiB, tens of milliseconds) and AES-256-CBC.  OpenSSL's
 * default PBES2 uses PBKDF2 with 2048 iterations, which is cheap to brute
 * force; scrypt is memory-hard and openssl(1) and Python's cryptography
 * read it (docs/decisions.md).
 *
 * Why the encrypted PEM is decoded by hand (PEM_read_bio_PKCS8 then
 * PKCS8_decrypt) rather than with PEM_read_bio_PrivateKey(): the generic
 * decoder of OpenSSL 3 reports a wrong passphrase as "unsupported", which
 * cannot be told apart from a real lack of support; decrypting ourselves
 * leaves one step that fails, and one message to give.
 */
#include "specgate/sign.h"

#include <limits.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "hash/digest.h"
#include "sign/sign_int.h"
#include "sys/fs.h"

#define SCRYPT_N (1u << 14)
#define SCRYPT_R 8u
#define SCRYPT_P 1u

static const char *const type_names[] = {
	[SG_KEY_ECDSA_P256] = "ecdsa-p256",
	[SG_KEY_ED25519] = "ed25519",
};

int
sg_key_type_parse(enum sg_key_type *out, const char *name,
    struct sg_error *err)
{
	for (size_t i = 0; i < SG_ARRAY_SIZE(type_names); i++) {
		if (!strcmp(name, type_names[i])) {
			*out = (enum sg_key_type)i;
			return 0;
		}
	}
	return sg_error_set(err, SG_EINVAL,
	    "unknown key type '%s' (ecdsa-p256 or ed25519)", name);
}

const char *
sg_key_type_name(enum sg_key_type type)
{
	return type_names[type];
}

int
sg_sign__key_wrap(struct sg_key **out, void *p, bool private,
    const char *name, struct sg_error *err)
{
	EVP_PKEY *pkey = p;
	char group[64];
	struct sg_key *key;
	const char *tname;

	*out = NULL;
	if (EVP_PKEY_is_a(pkey, "ED25519")) {
		key = sg_xcalloc(1, sizeof(*key));
		key->type = SG_KEY_ED25519;
	} else if (EVP_PKEY_is_a(pkey, "EC") &&
	    EVP_PKEY_get_group_name(pkey, group, sizeof(group), NULL) &&
	    (!strcmp(group, "prime256v1") || !strcmp(group, "P-256"))) {
		key = sg_xcalloc(1, sizeof(*key));
		key->type = SG_KEY_ECDSA_P256;
	} else {
		tname = EVP_PKEY_get0_type_name(pkey);
		if (EVP_PKEY_is_a(pkey, "EC") &&
		    EVP_PKEY_get_group_name(pkey, group, sizeof(group), NULL))
			tname = group;
		sg_error_set(err, SG_EINVAL,
		    "unsupported key in '%s' (%s): only ECDSA P-256 and "
		    "Ed25519 are supported", name, tname ? tname : "unknown");
		ERR_clear_error();
		EVP_PKEY_free(pkey);
		return SG_EINVAL;
	}
	key->pkey = pkey;
	key->private = private;
	*out = key;
	return 0;
}

int
sg_key_generate(struct sg_key **out, enum sg_key_type type,
    struct sg_error *err)
{
	EVP_PKEY *pkey;

	*out = NULL;
	if (type == SG_KEY_ED25519)
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	else
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (!pkey)
		return sg_sign__ossl_fail(err, SG_EIO, "cannot make a %s key",
		    type_names[type]);
	return sg_sign__key_wrap(out, pkey, true, "new key", err);
}

void
sg_key_free(struct sg_key *key)
{
	if (!key)
		return;
	/* EVP_PKEY_free() clears the private scalar (BN_clear_free) */
	EVP_PKEY_free(key->pkey);
	free(key);
}

enum sg_key_type
sg_key_get_type(const struct sg_key *key)
{
	return key->type;
}

bool
sg_key_is_private(const struct sg_key *key)
{
	return key->private;
}

/* Encode the private key as (encrypted) PKCS#8 PEM into bio. */
static int
encode_private(BIO *bio, const struct sg_key *key,
    const struct sg_key_options *opts, struct sg_error *err)
{
	PKCS8_PRIV_KEY_INFO *p8inf = NULL;
	X509_ALGOR *pbe = NULL;
	X509_SIG *p8 = NULL;
	int error = 0;

	if (!opts->passphrase) {
		if (!PEM_write_bio_PKCS8PrivateKey(bio, key->pkey, NULL, NULL,
			0, NULL, NULL))
			error = sg_sign__ossl_fail(err, SG_EIO,
			    "cannot encode the private key");
		goto out;
	}
	if (!(p8inf = EVP_PKEY2PKCS8(key->pkey)) ||
	    !(pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), NULL, 0, NULL,
		  SCRYPT_N, SCRYPT_R, SCRYPT_P))) {
		error = sg_sign__ossl_fail(err, SG_EIO,
		    "cannot encrypt the private key");
		goto out;
	}
	p8 = PKCS8_set0_pbe(opts->passphrase, (int)opts->passlen, p8inf, pbe);
	if (!p8) {
		error = sg_sign__ossl_fail(err, SG_EIO,
		    "cannot encrypt the private key");
		goto out;
	}
	pbe = NULL; /* p8 owns it now */
	if (!PEM_write_bio_PKCS8(bio, p8))
		error = sg_sign__ossl_fail(err, SG_EIO,
		    "cannot encode the private key");
out:
	X509_SIG_free(p8);
	X509_ALGOR_free(pbe);
	PKCS8_PRIV_KEY_INFO_free(p8inf);
	return error;
}

int
sg_key_write_private(const struct sg_key *key, const char *path,
    const struct sg_key_options *opts, struct sg_error *err)
{
	BIO *bio;
	char *data;
	long len;
	int error;

	if (!key->private)
		return sg_error_set(err, SG_EINVAL,
		    "cannot write '%s': the key has no private part", path);
	if (opts->passphrase && (!opts->passlen || opts->passlen > INT_MAX))
		return sg_error_set(err, SG_EINVAL,
		    "cannot write '%s': the passphrase is empty or too long",
		    path);
	/* secure memory: the BIO's buffer is cleared when it is freed */
	if (!(bio = BIO_new(BIO_s_secmem())))
		return sg_sign__ossl_fail(err, SG_EIO, "cannot write '%s'",
		    path);
	if ((error = encode_private(bio, key, opts, err)) < 0)
		goto out;
	len = BIO_get_mem_data(bio, &data);
	error = sg_fs_write_new(path, data, (size_t)len, 0600, opts->replace,
	    err);
out:
	BIO_free(bio);
	return error;
}

int
sg_key_public_pem(char **out, const struct sg_key *key, struct sg_error *err)
{
	BIO *bio;
	char *data;
	long len;
	int error = 0;

	*out = NULL;
	if (!(bio = BIO_new(BIO_s_mem())))
		return sg_sign__ossl_fail(err, SG_EIO,
		    "cannot encode the public key");
	if (!PEM_write_bio_PUBKEY(bio, key->pkey)) {
		error = sg_sign__ossl_fail(err, SG_EIO,
		    "cannot encode the public key");
		goto out;
	}
	len = BIO_get_mem_data(bio, &data);
	*out = sg_xstrndup(data, (size_t)len);
out:
	BIO_free(bio);
	return error;
}

int
sg_key_write_public(const struct sg_key *key, const char *path, bool replace,
    struct sg_error *err)
{
	char *pem;
	int error;

	if ((error = sg_key_public_pem(&pem, key, err)) < 0)
		return error;
	error = sg_fs_write_new(path, pem, strlen(pem), 0644, replace, err);
	free(pem);
	return error;
}

/* pem_password_cb: hand OpenSSL the caller's passphrase, or refuse. */
static int
pass_cb(char *buf, int size, int rwflag, void *u)
{
	const struct sg_key_options *opts = u;

	if (!opts || !opts->passphrase || opts->passlen > (size_t)size)
		return -1;
	memcpy(buf, opts->passphrase, opts->passlen);
	return (int)opts->passlen;
}

/*
 * Decrypting a key failed: say "wrong passphrase" when the queue shows the
 * decryption produced garbage (a bad CBC padding, 255 times in 256, or,
 * when the padding happened to look right, an ASN.1 structure that does
 * not decode); otherwise give OpenSSL's first reason (an unsupported
 * cipher, scrypt's memory limit...).  Empties the queue.
 */
static int
decrypt_fail(const char *path, struct sg_error *err)
{
	unsigned long e;
	unsigned long first = 0;
	bool bad = false;
	const char *reason;

	while ((e = ERR_get_error())) {
		if (!first)
			first = e;
		if ((ERR_GET_LIB(e) == ERR_LIB_EVP &&
			ERR_GET_REASON(e) == EVP_R_BAD_DECRYPT) ||
		    (ERR_GET_LIB(e) == ERR_LIB_PEM &&
			ERR_GET_REASON(e) == PEM_R_BAD_DECRYPT) ||
		    ERR_GET_LIB(e) == ERR_LIB_ASN1 ||
		    (ERR_GET_LIB(e) == ERR_LIB_PKCS12 &&
			ERR_GET_REASON(e) == PKCS12_R_PKCS12_CIPHERFINAL_ERROR))
			bad = true;
	}
	if (bad || !first)
		return sg_error_set(err, SG_EINVAL, "wrong passphrase for '%s'",
		    path);
	reason = ERR_reason_error_string(first);
	return sg_error_set(err, SG_EINVAL, "cannot decrypt '%s': %s", path,
	    reason ? reason : "unknown reason");
}

static int
decode_encrypted(EVP_PKEY **out, BIO *bio, const char *path,
    const struct sg_key_options *opts, struct sg_error *err)
{
	X509_SIG *p8 = NULL;
	PKCS8_PRIV_KEY_INFO *p8inf = NULL;
	int error = 0;

	if (!opts->passphrase) {
		error = sg_error_set(err, SG_EINVAL,
		    "'%s' is encrypted and no passphrase was given "
		    "(SPECGATE_KEY_PASSWORD)", path);
		goto out;
	}
	if (!(p8 = PEM_read_bio_PKCS8(bio, NULL, NULL, NULL))) {
		error = sg_sign__ossl_fail(err, SG_EINVAL,
		    "'%s' is not a valid encrypted private key", path);
		goto out;
	}
	p8inf = PKCS8_decrypt(p8, opts->passphrase, (int)opts->passlen);
	if (!p8inf) {
		error = decrypt_fail(path, err);
		goto out;
	}
	if (!(*out = EVP_PKCS82PKEY(p8inf)))
		error = sg_sign__ossl_fail(err, SG_EINVAL,
		    "'%s' does not hold a usable private key", path);
out:
	PKCS8_PRIV_KEY_INFO_free(p8inf);
	X509_SIG_free(p8);
	return error;
}

static int
decode_private(EVP_PKEY **out, const struct sg_buf *b, const char *path,
    const struct sg_key_options *opts, struct sg_error *err)
{
	BIO *bio;
	bool traditional;
	int error = 0;

	*out = NULL;
	if (!(bio = BIO_new_mem_buf(b->ptr, (int)b->len)))
		return sg_sign__ossl_fail(err, SG_EIO, "cannot read '%s'",
		    path);
	if (strstr(b->ptr, "-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
		error = decode_encrypted(out, bio, path, opts, err);
		goto out;
	}
	/* traditional PEM ("EC PRIVATE KEY"), encrypted with Proc-Type */
	traditional = strstr(b->ptr, "Proc-Type: 4,ENCRYPTED") != NULL;
	if (traditional && !opts->passphrase) {
		error = sg_error_set(err, SG_EINVAL,
		    "'%s' is encrypted and no passphrase was given "
		    "(SPECGATE_KEY_PASSWORD)", path);
		goto out;
	}
	*out = PEM_read_bio_PrivateKey_ex(bio, NULL, pass_cb, (void *)opts,
	    NULL, NULL);
	if (!*out && traditional)
		error = decrypt_fail(path, err);
	else if (!*out)
		error = sg_sign__ossl_fail(err, SG_EINVAL,
		    "'%s' is not a PEM private key", path);
out:
	BIO_free(bio);
	return error;
}

/* The file-mode rule: group and others have no business with a key. */
static int
check_mode(char **warning, const char *path, bool strict,
    struct sg_error *err)
{
	unsigned perm;
	int error;

	if ((error = sg_fs_perm(&perm, path, err)) < 0)
		return error;
	if (!(perm & 077))
		return 0;
	if (strict)
		return sg_error_set(err, SG_EINVAL,
		    "private key '%s' has mode %04o: group or others may "
		    "access it; run chmod 600 '%s'", path, perm, path);
	if (warning)
		*warning = sg_xasprintf("private key '%s' has mode %04o: "
					"group or others may access it; run "
					"chmod 600 '%s'",
		    path, perm, path);
	return 0;
}

int
sg_key_load_private(struct sg_key **out, char **warning, const char *path,
    const struct sg_key_options *opts, struct sg_error *err)
{
	struct sg_buf b;
	EVP_PKEY *pkey = NULL;
	int error;

	*out = NULL;
	if (warning)
		*warning = NULL;
	sg_buf_init(&b, SG_KEY_FILE_MAX);
	if ((error = check_mode(warning, path, opts->strict, err)) < 0 ||
	    (error = sg_fs_read_file(&b, path, SG_KEY_FILE_MAX, err)) < 0)
		goto out;
	if ((error = decode_private(&pkey, &b, path, opts, err)) < 0)
		goto out;
	error = sg_sign__key_wrap(out, pkey, true, path, err);
out:
	if (error < 0 && warning) {
		free(*warning);
		*warning = NULL;
	}
	sg_memzero(b.ptr, b.cap);
	sg_buf_release(&b);
	return error;
}

int
sg_key_parse_public(struct sg_key **out, const char *pem, size_t len,
    const char *name, struct sg_error *err)
{
	BIO *bio;
	EVP_PKEY *pkey;
	int error;

	*out = NULL;
	if (len > SG_KEY_FILE_MAX)
		return sg_error_set(err, SG_ETOOBIG,
		    "'%s' is larger than %u bytes", name, SG_KEY_FILE_MAX);
	if (!(bio = BIO_new_mem_buf(pem, (int)len)))
		return sg_sign__ossl_fail(err, SG_EIO, "cannot read '%s'",
		    name);
	pkey = PEM_read_bio_PUBKEY_ex(bio, NULL, pass_cb, NULL, NULL, NULL);
	BIO_free(bio);
	if (!pkey)
		return sg_sign__ossl_fail(err, SG_EINVAL,
		    "'%s' is not a PEM public key", name);
	error = sg_sign__key_wrap(out, pkey, false, name, err);
	return error;
}

int
sg_key_load_public(struct sg_key **out, const char *path,
    struct sg_error *err)
{
	struct sg_buf b;
	int error;

	*out = NULL;
	sg_buf_init(&b, SG_KEY_FILE_MAX);
	if ((error = sg_fs_read_file(&b, path, SG_KEY_FILE_MAX, err)) < 0)
		goto out;
	error = sg_key_parse_public(out, b.ptr, b.len, path, err);
out:
	sg_buf_release(&b);
	return error;
}

int
sg_key_public_json(json_t **out, const struct sg_key *key,
    struct sg_error *err)
{
	unsigned char raw[32];
	size_t rawlen = sizeof(raw);
	char hex[2 * sizeof(raw) + 1];
	char *pem = NULL;
	int error = 0;

	*out = NULL;
	if (key->type == SG_KEY_ED25519) {
		if (!EVP_PKEY_get_raw_public_key(key->pkey, raw, &rawlen) ||
		    rawlen != sizeof(raw))
			return sg_sign__ossl_fail(err, SG_EIO,
			    "cannot read the Ed25519 public key");
		sg_hex_lower(hex, raw, rawlen);
		*out = json_pack("{s:s, s:s, s:{s:s}}", "keytype", "ed25519",
		    "scheme", "ed25519", "keyval", "public", hex);
	} else {
		if ((error = sg_key_public_pem(&pem, key, err)) < 0)
			return error;
		*out = json_pack("{s:s, s:s, s:{s:s}}", "keytype", "ecdsa",
		    "scheme", "ecdsa-sha2-nistp256", "keyval", "public", pem);
		free(pem);
	}
	if (!*out)
		SG_BUG("json_pack of a key object");
	return 0;
}

int
sg_key_id(char *out, const struct sg_key *key, struct sg_error *err)
{
	json_t *meta = NULL;
	struct sg_buf b;
	int error;

	out[0] = '\0';
	sg_buf_init(&b, 0);
	if ((error = sg_key_public_json(&meta, key, err)) < 0 ||
	    (error = sg_canon__json(&b, meta, err)) < 0)
		goto out;
	error = sg_sha256_hex(out, b.ptr, b.len, err);
out:
	sg_buf_release(&b);
	json_decref(meta);
	return error;
}

int
sg_key_file_is_encrypted(bool *out, const char *path, struct sg_error *err)
{
	struct sg_buf b;
	int error;

	*out = false;
	sg_buf_init(&b, SG_KEY_FILE_MAX);
	if ((error = sg_fs_read_file(&b, path, SG_KEY_FILE_MAX, err)) < 0)
		goto out;
	*out = strstr(b.ptr, "-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
	    strstr(b.ptr, "Proc-Type: 4,ENCRYPTED");
out:
	sg_memzero(b.ptr, b.cap);
	sg_buf_release(&b);
	return error;
}

int
sg_key_inspect(struct sg_key **out, bool *encrypted, const char *path,
    bool strict, struct sg_error *err)
{
	struct sg_key_options ko = SG_KEY_OPTIONS_INIT;
	struct sg_buf b;
	X509_SIG *p8 = NULL;
	BIO *bio = NULL;
	char *warning = NULL;
	int error;

	*out = NULL;
	*encrypted = false;
	sg_buf_init(&b, SG_KEY_FILE_MAX);
	if ((error = check_mode(&warning, path, strict, err)) < 0 ||
	    (error = sg_fs_read_file(&b, path, SG_KEY_FILE_MAX, err)) < 0)
		goto out;
	if (strstr(b.ptr, "-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
		*encrypted = true;
		if (!(bio = BIO_new_mem_buf(b.ptr, (int)b.len))) {
			error = sg_sign__ossl_fail(err, SG_EIO,
			    "cannot read '%s'", path);
			goto out;
		}
		if (!(p8 = PEM_read_bio_PKCS8(bio, NULL, NULL, NULL)))
			error = sg_sign__ossl_fail(err, SG_EINVAL,
			    "'%s' is not a valid encrypted private key", path);
		goto out;
	}
	if (strstr(b.ptr, "Proc-Type: 4,ENCRYPTED")) {
		/* A traditional encrypted PEM: its body is opaque. */
		*encrypted = true;
		goto out;
	}
	ko.strict = strict;
	error = sg_key_load_private(out, NULL, path, &ko, err);
out:
	X509_SIG_free(p8);
	BIO_free(bio);
	free(warning);
	sg_memzero(b.ptr, b.cap);
	sg_buf_release(&b);
	return error;
}

char *
sg_key_public_path(const char *keyf)
{
	size_t n = strlen(keyf);

	if (n > 4 && !strcmp(keyf + n - 4, ".key"))
		return sg_xasprintf("%.*s.pub", (int)(n - 4), keyf);
	return sg_xasprintf("%s.pub", keyf);
}
