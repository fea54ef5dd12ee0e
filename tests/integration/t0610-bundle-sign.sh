#!/usr/bin/env bash
# t0610-bundle-sign: a run with a key signs every JSON document of its
# bundle and the manifest (checked with openssl), writes provenance in a
# DSSE envelope (its signature checked with openssl over the PAE built in
# the shell); the modes: sandbox without a key warns and marks the bundle
# unsigned, compliance without a usable key (missing, wrong passphrase,
# lax permissions) fails before any work, exit 2.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/intoto.sh"

PUB=.specgate/keys/specgate.pub

test_expect_success 'every JSON document and the manifest have a .sig that openssl accepts' '
	signed_project && sg run -q && b=$(latest) &&
	n=0 &&
	for f in $(cd "$b" && ls *.json); do
		test -f "$b/$f.sig" &&
		base64 -d "$b/$f.sig" >s.der &&
		openssl dgst -sha256 -verify $PUB -signature s.der "$b/$f" >/dev/null &&
		n=$((n + 1)) || return 1
	done &&
	test $n -ge 3 &&
	jq -e ".signing.signed == true" "$b/manifest.json" &&
	test "$(jq -r .signing.keyid "$b/manifest.json")" = "$(sg key id $PUB)"
'

test_expect_success 'the manifest lists the .sig files, not manifest.json.sig or the audit link' '
	signed_project && sg run -q && b=$(latest) &&
	jq -e "[.files[].path] | index(\"spec-validation-report.json.sig\")" "$b/manifest.json" &&
	jq -e "[.files[].path] | index(\"links/preflight.$(sg key id $PUB | cut -c1-8).link\") == null" "$b/manifest.json" >/dev/null &&
	jq -e "[.files[].path] | index(\"manifest.json.sig\") == null" "$b/manifest.json" &&
	jq -e "[.files[].path | select(startswith(\"links/audit.\"))] == []" "$b/manifest.json" &&
	test -f "$b"/manifest.json.sig && ls "$b"/links/audit.*.link
'

test_expect_success 'the files the manifest lists match it (sha256sum), the rest are after it' '
	signed_project && sg run -q && b=$(latest) &&
	(cd "$b" && jq -r ".files[] | \"\(.sha256)  \(.path)\"" manifest.json |
	    sha256sum --quiet --strict -c -) &&
	test "$(cd "$b" && find . -type f | sed "s|^\./||" | sort |
	    grep -vx -e manifest.json -e manifest.json.sig -e "links/audit\..*\.link")" = \
	    "$(jq -r ".files[].path" "$b/manifest.json" | sort)"
'

test_expect_success 'provenance: a DSSE envelope whose signature openssl checks over the PAE' '
	signed_project && sg run -q && b=$(latest) &&
	test "$(jq -r .payloadType "$b/provenance.intoto.json")" = application/vnd.in-toto+json &&
	dsse_verify "$b/provenance.intoto.json" $PUB &&
	jq -e "._type == \"https://in-toto.io/Statement/v1\" and
	    .predicateType == \"https://slsa.dev/provenance/v1\"" payload &&
	sub=$(jq -r ".subject[] | select(.name == \"spec-validation-report.json\") | .digest.sha256" payload) &&
	test "$sub" = "$(sha256sum "$b/spec-validation-report.json" | cut -c1-64)" &&
	dep=$(jq -r ".predicate.buildDefinition.resolvedDependencies[0].digest.sha256" payload) &&
	test "$dep" = "$(sha256sum features/ping.feature | cut -c1-64)"
'

test_expect_success 'a changed payload fails the DSSE check (openssl)' '
	signed_project && sg run -q && b=$(latest) &&
	jq ".payload = (.payload | @base64d | sub(\"sandbox\"; \"compliance\") | @base64)" \
	    "$b/provenance.intoto.json" >bad.json &&
	! dsse_verify bad.json $PUB
'

test_expect_success 'sandbox without a key: a warning, an unsigned bundle marked so' '
	project && sg run >out 2>err &&
	expect_grep "will not be signed" err &&
	b=$(latest) && jq -e ".signing.signed == false" "$b/manifest.json" &&
	jq -e ".signing.reason | test(\"no signing key\")" "$b/manifest.json" &&
	! ls "$b"/*.sig 2>/dev/null && test ! -d "$b/links" && bundle_ok "$b"
'

test_expect_success 'compliance without a key: exit 2 before any run' '
	project compliance && compliance_profile && rm .specgate/keys/specgate.* &&
	expect_exit 2 sg run 2>err &&
	expect_grep "compliance profile: signing.key: .* does not exist" err &&
	test ! -e reports && test ! -e .specgate/state.db
'

test_expect_success 'compliance with a wrong passphrase: exit 2, said plainly' '
	signed_project compliance && compliance_profile &&
	SPECGATE_KEY_PASSWORD=wrong expect_exit 2 sg run 2>err &&
	expect_grep "wrong passphrase" err && test ! -e reports
'

test_expect_success 'compliance with a key file others may read: exit 2, chmod 600' '
	signed_project compliance && compliance_profile &&
	chmod 644 .specgate/keys/specgate.key &&
	expect_exit 2 sg run 2>err &&
	expect_grep "chmod 600" err && test ! -e reports
'

test_expect_success 'sandbox with a key file others may read: a warning, signed' '
	signed_project && chmod 640 .specgate/keys/specgate.key &&
	sg run >out 2>err && expect_grep "chmod 600" err &&
	jq -e ".signing.signed == true" "$(latest)/manifest.json"
'

test_expect_success 'compliance with a key: a signed bundle, mode in every link' '
	signed_project compliance && compliance_profile && sg run -q --to build &&
	b=$(latest) &&
	for l in "$b"/links/*.link; do
		jq -e ".signed.environment.mode == \"compliance\"" "$l" >/dev/null || return 1
	done &&
	test "$(ls "$b"/links | wc -l)" = 6
'

test_expect_success 'an Ed25519 key signs the bundle too (openssl pkeyutl)' '
	signed_project sandbox ed25519 && sg run -q && b=$(latest) &&
	base64 -d "$b/manifest.json.sig" >s.raw &&
	openssl pkeyutl -verify -pubin -inkey $PUB -rawin -in "$b/manifest.json" \
	    -sigfile s.raw
'

test_done
