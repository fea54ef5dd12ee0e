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

# complete_project [MEMORY]: a signed compliance project with the whole
# compliance profile (bundle.sh's compliance_profile: a validate command
# that writes the coverage, JUnit and SARIF inputs, every gate passing; a
# build stage with a declared artifact, build/app; a deploy stage), one
# approval required by alice.pub (not the signing key).
# policy.compliance.memory's upper limit is MEMORY (MB, default 4096).
# $CP_BUILD and $CP_DEPLOY, when set, are YAML flow mappings of more keys of
# those stages (`run` included, which then replaces the default); build
# always declares build/app.  The project is a git repository with one
# commit.
complete_project() {
	local build=${CP_BUILD:-'{run: ["mkdir -p build && cp src/app.c build/app"]}'}
	local deploy=${CP_DEPLOY:-'{run: ["echo deployed >deployed"]}'}
	signed_project compliance &&
	sg keygen -q --out alice >/dev/null 2>&1 &&
	cat >>specgate.yaml <<-EOF &&
	policy: {compliance: {memory: [64, ${1:-4096}]}}
	retry: {retries: 0, interval: 1ms}
	EOF
	PROFILE_APPROVALS="{required: 1, keys: [alice.pub]}" \
	PROFILE_BUILD="{artifacts: [build/app], ${build#\{}" \
	PROFILE_DEPLOY=$deploy compliance_profile &&
	printf '%s\n' reports .specgate build coverage.info deployed >.gitignore &&
	git add -A >/dev/null && git -c user.name=t -c user.email=t@t commit -qm init
}
