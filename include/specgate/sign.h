/* SPDX-License-Identifier: MIT */
/*
 * sign.h - keys, detached signatures, canonical JSON and key ids: what an
 * auditor checks offline with openssl(1) (docs/signing.md).
 *
 *   keys	ECDSA P-256 (default) or Ed25519.  Private keys are PKCS#8 PEM,
 *		encrypted (PBES2: scrypt and AES-256-CBC) unless made without a
 *		passphrase; public keys are SPKI PEM.
 *   key id	SHA-256 (hex) of the canonical JSON of the securesystemslib
 *		public key object {"keytype","scheme","keyval":{"public"}}.
 *   FILE.sig	base64 of the signature over FILE's bytes: DER ECDSA-SHA256
 *		(the `cosign sign-blob` format), or Ed25519's raw 64 bytes.
 *   canonical JSON  securesystemslib's/in-toto's: keys sorted bytewise, no
 *		whitespace, only '"' and '\' escaped, integers only.
 *
 * Everything that signs goes through a struct sg_signer, a function table
 * (specgate/sys/signer.h), so that bundles and in-toto links sign the same
 * way with a key file today and with a KMS or an HSM later.
 *
 * Ownership: every `**out` constructor hands over what it makes (free
 * functions named per type accept NULL); strings passed in are borrowed.
 * Passphrases are (pointer, length) buffers owned by the caller, who wipes
 * them; the library wipes every copy of key material it makes before
 * freeing it.  A struct sg_key is immutable once made and may be used from
 * several threads; a struct sg_signer may not.
 */
#ifndef SPECGATE_SIGN_H
#define SPECGATE_SIGN_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "specgate/error.h"

/* keytype and scheme: "ecdsa", "ecdsa-sha2-nistp256"; "ed25519" twice */
enum sg_key_type {
	SG_KEY_ECDSA_P256 = 0,
	SG_KEY_ED25519 = 1,
};

#define SG_KEYID_HEX_LEN 64	       /* hex digits of a key id, no NUL */
#define SG_KEY_FILE_MAX (64u << 10)    /* a PEM key file larger is refused */
#define SG_SIG_FILE_MAX (16u << 10)    /* a .sig file larger is refused */
#define SG_SIGN_BLOB_MAX (1ull << 30) /* sign/verify read files up to this */

struct sg_key;

/*
 * The type named by "ecdsa-p256" or "ed25519" in *out; SG_EINVAL for any
 * other name.
 */
int sg_key_type_parse(enum sg_key_type *out, const char *name,
    struct sg_error *err);

/* "ecdsa-p256" or "ed25519". */
const char *sg_key_type_name(enum sg_key_type type);

/* Make a new private key of `type` (OUT: freed with sg_key_free()). */
int sg_key_generate(struct sg_key **out, enum sg_key_type type,
    struct sg_error *err);

/* Free key, wiping its private part.  key may be NULL. */
void sg_key_free(struct sg_key *key);

enum sg_key_type sg_key_get_type(const struct sg_key *key);

/* true when key holds a private key (and so can sign). */
bool sg_key_is_private(const struct sg_key *key);

/*
 * Options for writing and loading private keys.  `passphrase` is `passlen`
 * bytes (not NUL-terminated) borrowed for the call; NULL writes an
 * unencrypted key (throwaway keys) or loads only unencrypted ones.
 */
struct sg_key_options {
	unsigned version;
	const char *passphrase;
	size_t passlen;
	bool replace; /* write: replace an existing file */
	bool strict;  /* load: refuse a key file others may access */
};

#define SG_KEY_OPTIONS_VERSION 1
#define SG_KEY_OPTIONS_INIT {SG_KEY_OPTIONS_VERSION, NULL, 0, false, false}

/*
 * Write the private key as PKCS#8 PEM to `path`, mode 0600 from the moment
 * the file exists, published atomically; encrypted when opts has a
 * passphrase (an empty one is SG_EINVAL).  An existing file is SG_EINVAL
 * unless opts->replace.  SG_EIO for I/O and OpenSSL failures.
 */
int sg_key_write_private(const struct sg_key *key, const char *path,
    const struct sg_key_options *opts, struct sg_error *err);

/*
 * Write the public part of key as SPKI PEM to `path` (mode 0644 less the
 * umask), refusing an existing file unless `replace`.  Errors as above.
 */
int sg_key_write_public(const struct sg_key *key, const char *path,
    bool replace, struct sg_error *err);

/*
 * Load the PEM private key at `path` (PKCS#8, encrypted or not, or a
 * traditional "EC PRIVATE KEY") into *out (OUT: freed with sg_key_free()).
 *
 * The file's mode is checked first: when group or others have any access
 * to it, opts->strict (compliance) makes it SG_EINVAL with a message naming
 * the mode and `chmod 600`; otherwise the same text is put in *warning
 * (OUT: owned by the caller, free(); NULL when there is nothing to say).
 * warning may be NULL when opts->strict.
 *
 * Errors, all naming the path: SG_ENOTFOUND; SG_EINVAL for "wrong
 * passphrase for 'path'", an encrypted key and no passphrase, a file that
 * is not a PEM private key (OpenSSL's reason appended), a key that is
 * neither P-256 nor Ed25519; SG_ETOOBIG past SG_KEY_FILE_MAX; SG_EIO.
 */
int sg_key_load_private(struct sg_key **out, char **warning, const char *path,
    const struct sg_key_options *opts, struct sg_error *err);

/*
 * Check a private key file without its passphrase (`specgate doctor`,
 * /healthz): the mode rule as sg_key_load_private() with opts->strict,
 * then the contents.  An encrypted PKCS#8 PEM must parse as an
 * EncryptedPrivateKeyInfo (*encrypted true, *out NULL: nothing can be
 * known of the key without decrypting it); an unencrypted key is loaded
 * (*out, the private key: sg_key_free()).  Errors as
 * sg_key_load_private(); never "no passphrase".
 */
int sg_key_inspect(struct sg_key **out, bool *encrypted, const char *path,
    bool strict, struct sg_error *err);

/*
 * Where `specgate keygen` puts the public half of the private key file
 * `keyf`: PREFIX.pub for PREFIX.key, else keyf with ".pub" appended.
 * malloc'd (free()).
 */
char *sg_key_public_path(const char *keyf);

/*
 * Load the SPKI PEM public key at `path` into *out (OUT: sg_key_free()).
 * Errors as sg_key_load_private(), without the mode and passphrase ones.
 */
int sg_key_load_public(struct sg_key **out, const char *path,
    struct sg_error *err);

/* Parse an SPKI PEM public key from `len` bytes at `pem`; as above. */
int sg_key_parse_public(struct sg_key **out, const char *pem, size_t len,
    const char *name, struct sg_error *err);

/*
 * The public key as SPKI PEM, with the final newline, in *out (OUT: the
 * caller frees it with free()).  SG_EIO on an OpenSSL failure.
 */
int sg_key_public_pem(char **out, const struct sg_key *key,
    struct sg_error *err);

/*
 * The securesystemslib public key object of key in *out (OUT: a new
 * reference, json_decref()):
 *	{"keytype": "ecdsa", "scheme": "ecdsa-sha2-nistp256",
 *	 "keyval": {"public": "<SPKI PEM>"}}
 *	{"keytype": "ed25519", "scheme": "ed25519",
 *	 "keyval": {"public": "<64 hex digits of the raw key>"}}
 */
int sg_key_public_json(json_t **out, const struct sg_key *key,
    struct sg_error *err);

/*
 * The key id: SHA-256 over the canonical JSON of sg_key_public_json(), as
 * 64 lower-case hex digits and a NUL in out (OUT: SG_KEYID_HEX_LEN + 1
 * bytes).  SG_EIO on an OpenSSL failure.
 */
int sg_key_id(char *out, const struct sg_key *key, struct sg_error *err);

/*
 * The canonical JSON form of `json`, NUL-terminated, in *out (OUT: free())
 * and its length in *len_out (may be NULL).  Strings are written as their
 * bytes (jansson holds UTF-8), with only '"' and '\\' escaped.  SG_EINVAL
 * for a real number (canonical JSON has integers only); SG_ETOOBIG past
 * `max` bytes (0: no cap).
 */
int sg_canon_json_str(char **out, size_t *len_out, const json_t *json,
    size_t max, struct sg_error *err);

/*
 * A signer: something that signs bytes with one key.  Made from a key here,
 * or from any struct sg_signer_ops (specgate/sys/signer.h).
 */
struct sg_signer;

/*
 * A signer over key, which must be private (else SG_EINVAL).  The signer
 * takes ownership of key: sg_signer_free() frees it, also when this fails.
 */
int sg_signer_from_key(struct sg_signer **out, struct sg_key *key,
    struct sg_error *err);

/* Free signer and what it owns.  signer may be NULL. */
void sg_signer_free(struct sg_signer *signer);

/* The signer's key id (borrowed: lives as long as the signer). */
const char *sg_signer_keyid(const struct sg_signer *signer);

/*
 * Sign n bytes at p: the raw signature (DER ECDSA-SHA256, or Ed25519's 64
 * bytes) in *sig (OUT: free()) and its length in *siglen.  SG_EIO when the
 * signer fails.
 */
int sg_signer_sign(unsigned char **sig, size_t *siglen,
    struct sg_signer *signer, const void *p, size_t n, struct sg_error *err);

/*
 * Sign n bytes at p as a detached signature file body: the base64 of the
 * signature, no newline (cosign's format), NUL-terminated in *out (OUT:
 * free()).
 */
int sg_sign_blob(char **out, struct sg_signer *signer, const void *p,
    size_t n, struct sg_error *err);

/*
 * Check `siglen` bytes of base64 at `sig` (the body of a .sig file;
 * whitespace and line breaks are ignored) against n bytes at p and the public
 * part of key.  `name` and `signame` name the data and the signature in
 * messages.  SG_EVERIFY, with a message saying which, when the base64 is
 * bad, the signature is malformed or truncated, or it does not match (the
 * data changed, or another key made it); SG_EIO on an OpenSSL failure.
 */
int sg_verify_blob(const struct sg_key *key, const void *p, size_t n,
    const char *sig, size_t siglen, const char *name, const char *signame,
    struct sg_error *err);

/*
 * Sign the file at `path` (up to SG_SIGN_BLOB_MAX bytes) and write the
 * detached signature (sg_sign_blob()) to `sigpath`, atomically, mode 0644
 * less the umask, replacing what was there.  Errors: those of reading
 * (SG_ENOTFOUND, SG_EINVAL, SG_ETOOBIG, SG_EIO, naming the file), of
 * signing, and SG_EIO for the write.
 */
int sg_sign_file(struct sg_signer *signer, const char *path,
    const char *sigpath, struct sg_error *err);

/*
 * Verify the file at `path` against the detached signature at `sigpath`
 * with the public part of key: sg_verify_blob() over the two files.  A
 * missing or unreadable file is the reading error (SG_ENOTFOUND...), a
 * signature file over SG_SIG_FILE_MAX bytes is SG_EVERIFY.
 */
int sg_verify_file(const struct sg_key *key, const char *path,
    const char *sigpath, struct sg_error *err);

/*
 * *out = true when the file at `path` holds an encrypted PEM private key
 * (so that a front end knows to ask for a passphrase).  Reading errors as
 * sg_key_load_private().
 */
int sg_key_file_is_encrypted(bool *out, const char *path,
    struct sg_error *err);

/* Wipe n bytes at p (a passphrase, say) and free(p).  p may be NULL. */
void sg_secret_free(void *p, size_t n);

/*
 * Base64 (RFC 4648, with padding, no line breaks) of n bytes at p, in *out
 * (OUT: free()).
 */
void sg_base64_encode(char **out, const void *p, size_t n);

/*
 * Decode strict base64 (padding required, no whitespace inside) of len
 * bytes at s into *out (OUT: free()) and *outlen.  SG_EINVAL, saying at
 * which offset, for anything else.
 */
int sg_base64_decode(unsigned char **out, size_t *outlen, const char *s,
    size_t len, struct sg_error *err);

#endif /* SPECGATE_SIGN_H */
