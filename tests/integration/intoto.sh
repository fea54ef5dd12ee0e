# tests/integration/intoto.sh - helpers of the t06NN signing tests, sourced
# after lib.sh and bundle.sh.  Everything here checks with tools nobody in
# this project wrote: openssl(1), jq, base64, Debian's python3 and its
# securesystemslib and in-toto packages.

PY=/usr/bin/python3
export SPECGATE_KEY_PASSWORD='correct horse battery staple'

# signed_project [MODE] [TYPE]: a project with a key at signing.key.
signed_project() {
	project "${1:-sandbox}" &&
	sg keygen -q --type "${2:-ecdsa-p256}" >/dev/null 2>&1
}

# latest: the path of the newest bundle.
latest() {
	local d
	d=$(ls -d reports/*/latest) && readlink -f "$d"
}

# sskey PUB [ed25519]: PUB in securesystemslib's JSON form (what
# in-toto-verify --key-types ecdsa|ed25519 reads), made by Python.
sskey() {
	$PY - "$@" <<-\PY
	import json, subprocess, sys
	path = sys.argv[1]
	if len(sys.argv) > 2:
	    der = subprocess.run(["openssl", "pkey", "-pubin", "-in", path,
	        "-outform", "DER"], capture_output=True, check=True).stdout
	    key = {"keytype": "ed25519", "scheme": "ed25519",
	        "keyval": {"public": der[-32:].hex()}}
	else:
	    key = {"keytype": "ecdsa", "scheme": "ecdsa-sha2-nistp256",
	        "keyval": {"public": open(path).read()}}
	print(json.dumps(key))
	PY
}

# intoto_verify DIR LAYOUT KEYJSON TYPE: in-toto-verify on a copy of the
# bundle DIR (it writes bundle.link where it runs) with LAYOUT in it.
intoto_verify() {
	rm -rf iv && cp -a "$1" iv && cp "$2" iv/root.layout &&
	(cd iv && in-toto-verify --layout root.layout --layout-keys "$3" \
	    --key-types "$4" --link-dir links)
}

# dsse_verify ENVELOPE PUB: check a DSSE envelope's first signature with
# openssl over the pre-authentication encoding built here.
dsse_verify() {
	local type len
	type=$(jq -r .payloadType "$1") &&
	jq -r .payload "$1" | base64 -d >payload &&
	len=$(stat -c %s payload) &&
	{ printf 'DSSEv1 %d %s %d ' "${#type}" "$type" "$len"; cat payload; } >pae &&
	jq -r '.signatures[0].sig' "$1" | base64 -d >pae.sig &&
	openssl dgst -sha256 -verify "$2" -signature pae.sig pae
}
