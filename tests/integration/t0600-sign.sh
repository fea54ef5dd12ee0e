#!/usr/bin/env bash
# t0600-sign: keygen, key id, sign and verify-blob against the real openssl
# binary (both directions), the key id against an independent Python
# computation of the securesystemslib formula, and the failure cases: a
# wrong passphrase, a truncated or garbled signature, another key, a file
# changed after signing, a key file others may read.
. "$(dirname "$0")/lib.sh"

export SPECGATE_KEY_PASSWORD='correct horse battery staple'

# keyid PUB [ed25519]: the securesystemslib key id, computed in Python
keyid() {
	python3 - "$@" <<'PY'
import hashlib, subprocess, sys
def canon(o):
    if isinstance(o, dict):
        return "{" + ",".join(canon(k) + ":" + canon(o[k]) for k in sorted(o)) + "}"
    if isinstance(o, str):
        return '"' + o.replace("\\", "\\\\").replace('"', '\\"') + '"'
    raise TypeError(o)
path = sys.argv[1]
if len(sys.argv) > 2:
    der = subprocess.run(["openssl", "pkey", "-pubin", "-in", path,
        "-outform", "DER"], capture_output=True, check=True).stdout
    key = {"keytype": "ed25519", "scheme": "ed25519",
        "keyval": {"public": der[-32:].hex()}}
else:
    key = {"keytype": "ecdsa", "scheme": "ecdsa-sha2-nistp256",
        "keyval": {"public": open(path).read()}}
print(hashlib.sha256(canon(key).encode("utf-8")).hexdigest())
PY
}

test_expect_success 'keygen writes an encrypted PKCS#8 key 0600 and prints its id' '
	sg keygen >id 2>err &&
	test -f .specgate/keys/specgate.key && test -f .specgate/keys/specgate.pub &&
	test "$(stat -c %a .specgate/keys/specgate.key)" = 600 &&
	head -n1 .specgate/keys/specgate.key | grep -qx -- "-----BEGIN ENCRYPTED PRIVATE KEY-----" &&
	openssl pkey -in .specgate/keys/specgate.key -passin env:SPECGATE_KEY_PASSWORD -noout &&
	openssl pkey -in .specgate/keys/specgate.key -passin env:SPECGATE_KEY_PASSWORD -text -noout | grep -q "prime256v1\|P-256" &&
	grep -Eqx "[0-9a-f]{64}" id
'

test_expect_success 'the key id is the securesystemslib formula (python check)' '
	sg keygen --out k >id 2>/dev/null &&
	sg key id k.pub >id2 && cmp id id2 &&
	test "$(keyid k.pub)" = "$(cat id)" &&
	sg keygen --type ed25519 --out e >eid 2>/dev/null &&
	test "$(keyid e.pub ed25519)" = "$(cat eid)" &&
	test "$(sg key id e.pub)" = "$(cat eid)"
'

test_expect_success 'the documented key-id vectors (docs/signing.md)' '
	v=$DATA/sign &&
	test "$(sg key id "$v/p256.pub")" = 87ef27516578c3af029bf3ca174bdba2acd92655a9aa96fc381b9ffe6c13395c &&
	test "$(keyid "$v/p256.pub")" = 87ef27516578c3af029bf3ca174bdba2acd92655a9aa96fc381b9ffe6c13395c &&
	test "$(sg key id "$v/ed25519.pub")" = 16612a45ab47c7419c855c07117f65aeb340bbded7cd37851244796787360ca3 &&
	test "$(keyid "$v/ed25519.pub" ed25519)" = 16612a45ab47c7419c855c07117f65aeb340bbded7cd37851244796787360ca3
'

test_expect_success 'keygen refuses to overwrite unless --force' '
	sg keygen --out k --no-password 2>/dev/null &&
	cp k.key k.before &&
	expect_exit 2 sg keygen --out k --no-password 2>err &&
	expect_grep "already exists" err && cmp k.key k.before &&
	sg keygen --out k --no-password --force 2>/dev/null &&
	! cmp -s k.key k.before
'

test_expect_success '--no-password writes an unencrypted PKCS#8 key' '
	sg keygen --out t --no-password 2>/dev/null &&
	head -n1 t.key | grep -qx -- "-----BEGIN PRIVATE KEY-----" &&
	openssl pkey -in t.key -noout
'

test_expect_success 'keygen with no passphrase and no terminal exits 2' '
	unset SPECGATE_KEY_PASSWORD &&
	expect_exit 2 setsid -w "$SPECGATE" keygen --out n </dev/null 2>err &&
	expect_grep "SPECGATE_KEY_PASSWORD" err && test ! -e n.key
'

test_expect_success 'on a terminal the passphrase is asked twice and never echoed' '
	env -u SPECGATE_KEY_PASSWORD python3 "$SG_TEST_ROOT/integration/pty-keygen.py" \
		"$SPECGATE" >tty.out &&
	expect_grep "New passphrase:" tty.out && expect_grep "Repeat it:" tty.out &&
	! grep -q "pty secret" tty.out &&
	openssl pkey -in tty.key -passin "pass:pty secret" -noout
'

test_expect_success 'an ECDSA .sig verifies with openssl dgst' '
	sg keygen --out k 2>/dev/null >/dev/null && printf "some bytes\n" >f &&
	sg sign f --key k.key 2>/dev/null && test -s f.sig &&
	base64 -d f.sig >sig.der &&
	openssl dgst -sha256 -verify k.pub -signature sig.der f &&
	sg verify-blob f --sig f.sig --key k.pub >out && expect_grep "verified OK" out
'

test_expect_success 'an Ed25519 .sig verifies with openssl pkeyutl -rawin' '
	sg keygen --type ed25519 --out e 2>/dev/null >/dev/null && printf "x\0y" >f &&
	sg sign f --key e.key --out f.sig 2>/dev/null && base64 -d f.sig >sig.bin &&
	test "$(wc -c <sig.bin)" -eq 64 &&
	openssl pkeyutl -verify -pubin -inkey e.pub -rawin -in f -sigfile sig.bin &&
	sg verify-blob f --sig f.sig --key e.pub
'

test_expect_success 'signatures made by openssl verify with verify-blob' '
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out o.key &&
	openssl pkey -in o.key -pubout -out o.pub && echo data >f &&
	openssl dgst -sha256 -sign o.key -out sig.der f && base64 -w0 sig.der >f.sig &&
	sg verify-blob f --sig f.sig --key o.pub &&
	openssl genpkey -algorithm ED25519 -out oe.key &&
	openssl pkey -in oe.key -pubout -out oe.pub &&
	openssl pkeyutl -sign -inkey oe.key -rawin -in f -out sig.bin &&
	base64 sig.bin >f.sig && sg verify-blob f --sig f.sig --key oe.pub
'

test_expect_success 'a key written by openssl signs with specgate sign' '
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-aes-256-cbc -pass env:SPECGATE_KEY_PASSWORD -out o.key &&
	chmod 600 o.key && openssl pkey -in o.key -passin env:SPECGATE_KEY_PASSWORD -pubout -out o.pub &&
	echo data >f && sg sign f --key o.key 2>/dev/null &&
	openssl dgst -sha256 -verify o.pub -signature <(base64 -d f.sig) f
'

test_expect_success 'a traditional encrypted EC key from openssl: right and wrong passphrase' '
	openssl ecparam -name prime256v1 -genkey -noout |
		openssl ec -aes256 -passout env:SPECGATE_KEY_PASSWORD -out t.key &&
	chmod 600 t.key && grep -q "Proc-Type: 4,ENCRYPTED" t.key &&
	openssl ec -in t.key -passin env:SPECGATE_KEY_PASSWORD -pubout -out t.pub &&
	echo data >f && sg sign f --key t.key 2>/dev/null &&
	sg verify-blob f --sig f.sig --key t.pub &&
	SPECGATE_KEY_PASSWORD=nope expect_exit 2 sg sign f --key t.key 2>err &&
	expect_grep "wrong passphrase for .t.key." err
'

test_expect_success 'a wrong passphrase is named as such (exit 2)' '
	sg keygen --out k 2>/dev/null >/dev/null && echo a >f &&
	SPECGATE_KEY_PASSWORD=nope expect_exit 2 sg sign f --key k.key 2>err &&
	expect_grep "wrong passphrase for .k.key." err &&
	! grep -q "error:[0-9A-F]\{8\}" err && test ! -e f.sig
'

test_expect_success 'a changed file fails with exit 4' '
	sg keygen --out k --no-password 2>/dev/null >/dev/null && echo a >f &&
	sg sign f --key k.key 2>/dev/null && echo b >>f &&
	expect_exit 4 sg verify-blob f --sig f.sig --key k.pub 2>err &&
	expect_grep "bad signature" err
'

test_expect_success 'a signature by another key fails with exit 4' '
	sg keygen --out k --no-password 2>/dev/null >/dev/null &&
	sg keygen --out o --no-password 2>/dev/null >/dev/null && echo a >f &&
	sg sign f --key o.key 2>/dev/null &&
	expect_exit 4 sg verify-blob f --sig f.sig --key k.pub 2>err &&
	expect_grep "bad signature" err &&
	sg keygen --type ed25519 --out e --no-password 2>/dev/null >/dev/null &&
	expect_exit 4 sg verify-blob f --sig f.sig --key e.pub 2>err
'

test_expect_success 'truncated and garbled signatures fail with exit 4' '
	sg keygen --out k --no-password 2>/dev/null >/dev/null && echo a >f &&
	sg sign f --key k.key 2>/dev/null &&
	head -c 40 f.sig >t.sig &&
	expect_exit 4 sg verify-blob f --sig t.sig --key k.pub 2>err &&
	expect_grep "t.sig" err &&
	base64 -d f.sig | head -c 50 | base64 -w0 >t2.sig &&
	expect_exit 4 sg verify-blob f --sig t2.sig --key k.pub 2>err &&
	expect_grep "not a DER ECDSA signature" err &&
	sed "s/^..../!!!!/" f.sig >g.sig &&
	expect_exit 4 sg verify-blob f --sig g.sig --key k.pub 2>err &&
	expect_grep "not base64" err &&
	: >empty.sig && expect_exit 4 sg verify-blob f --sig empty.sig --key k.pub 2>/dev/null
'

test_expect_success 'a key file with mode 0644: exit 2 in compliance, a warning in sandbox' '
	sg keygen --out k 2>/dev/null >/dev/null && echo a >f && chmod 644 k.key &&
	expect_exit 2 sg --mode compliance sign f --key k.key 2>err &&
	expect_grep "0644" err && expect_grep "chmod 600" err && test ! -e f.sig &&
	sg --mode sandbox sign f --key k.key 2>err &&
	expect_grep "warning:.*chmod 600" err &&
	openssl dgst -sha256 -verify k.pub -signature <(base64 -d f.sig) f
'

test_expect_success 'sign takes the key from SPECGATE_SIGNING_KEY, else the default' '
	sg keygen --out k --no-password 2>/dev/null >/dev/null && echo a >f &&
	SPECGATE_SIGNING_KEY=k.key sg sign f 2>/dev/null &&
	sg verify-blob f --sig f.sig --key k.pub &&
	expect_exit 2 sg sign f 2>err && expect_grep "specgate.key. does not exist" err
'

test_expect_success 'usage errors and missing files exit 2' '
	expect_exit 2 sg verify-blob f 2>/dev/null &&
	expect_exit 2 sg key 2>/dev/null &&
	expect_exit 2 sg keygen --type rsa 2>err && expect_grep "unknown key type" err &&
	echo x >f && expect_exit 2 sg key id f 2>err && expect_grep "not a PEM public key" err &&
	expect_exit 2 sg verify-blob f --sig nope --key f 2>/dev/null
'

test_done
