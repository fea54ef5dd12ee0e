#!/usr/bin/env bash
# t0630-verify: `specgate verify BUNDLE` passes a real bundle and names
# each failure with exit 4: a truncated or garbled signature, a signature
# by another key, a swapped link, a forged link, an expired layout, a
# manifest edited after signing, a changed artifact, another signer than
# --key pins, an unsigned bundle in compliance.  Tampering goes through the
# file system and openssl, as an attacker's would.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/intoto.sh"

PUB=.specgate/keys/specgate.pub

ready() {
	signed_project "${1:-sandbox}" && sg run -q && B=$(latest)
}

test_expect_success 'a real bundle verifies, pinned or not' '
	ready && sg verify "$B" --key $PUB >out && expect_grep ": ok" out &&
	sg verify "$B" >out && expect_grep "no --key" out
'

test_expect_success 'verify works outside the project (no store: a note)' '
	ready && cp -a "$B" ../copy-$$ && cp $PUB ../pub-$$ &&
	(cd .. && sg verify copy-$$ --key pub-$$ >out-$$) ; rc=$? ;
	grep -q "audit trail was not checked" ../out-$$ ; g=$? ;
	rm -rf ../copy-$$ ../pub-$$ ../out-$$ ; test $rc = 0 && test $g = 0
'

test_expect_success 'a truncated signature: exit 4, named' '
	ready && truncate -s 20 "$B/spec-validation-report.json.sig" &&
	expect_exit 4 sg verify "$B" --key $PUB >out &&
	expect_grep "spec-validation-report.json.sig.*truncated\|spec-validation-report.json.*garbled" out
'

test_expect_success 'a garbled signature: exit 4, named' '
	ready && printf "!!notbase64!!" >"$B/manifest.json.sig" &&
	expect_exit 4 sg verify "$B" --key $PUB >out &&
	expect_grep "manifest.json.sig.*not base64" out
'

test_expect_success 'a signature by another key: exit 4, named' '
	ready && sg keygen -q --out other --no-password >/dev/null 2>&1 &&
	openssl dgst -sha256 -sign other.key -out s.der "$B/manifest.json" &&
	base64 -w0 s.der >"$B/manifest.json.sig" &&
	expect_exit 4 sg verify "$B" --key $PUB >out &&
	expect_grep "manifest.json.sig.*does not match.*another key" out
'

test_expect_success 'a manifest edited after signing: exit 4, its signature and seal' '
	ready && sed -i "s/\"sandbox\"/\"compliance\"/" "$B/manifest.json" &&
	expect_exit 4 sg verify "$B" --key $PUB >out &&
	expect_grep "manifest.json.sig.*does not match" out &&
	expect_grep "manifest.json: error: was modified" out
'

test_expect_success 'a changed artifact: exit 4, the manifest and the link say so' '
	ready && printf x >>"$B/logs/preflight.log" &&
	expect_exit 4 sg verify "$B" --key $PUB >out &&
	expect_grep "logs/preflight.log.*modified" out
'

test_expect_success 'a swapped link (from another run): exit 4, named' '
	ready && sg run -q && B2=$(latest) &&
	cp "$B"/links/preflight.*.link "$B2"/links/ &&
	expect_exit 4 sg verify "$B2" --key $PUB >out &&
	expect_grep "links/preflight\..*\.link.*run .*swapped" out &&
	expect_grep "product .spec-validation-report.json. has SHA-256" out
'

test_expect_success 'a link re-signed by another key: exit 4' '
	ready && sg keygen -q --out other --no-password >/dev/null 2>&1 &&
	l=$(ls "$B"/links/build.*.link) &&
	jq ".signatures[0].sig = \"3006020101020101\"" "$l" >x && mv x "$l" &&
	expect_exit 4 sg verify "$B" --key $PUB >out &&
	expect_grep "links/build\..*does not match\|links/build\..*garbled\|links/build\..*not a DER" out
'

test_expect_success 'a missing link: exit 4, the stage named' '
	ready && rm "$B"/links/deploy.*.link &&
	expect_exit 4 sg verify "$B" --key $PUB >out &&
	expect_grep "no valid link for stage deploy" out
'

test_expect_success 'an expired layout: exit 4' '
	ready && sg layout -q --expires 1s --out short.layout && sleep 2 &&
	expect_exit 4 sg verify "$B" --key $PUB --layout short.layout >out &&
	expect_grep "expired" out &&
	sg layout -q --out long.layout && sg verify "$B" --key $PUB --layout long.layout
'

test_expect_success 'another signer than --key pins: exit 4' '
	ready && sg keygen -q --out other --no-password >/dev/null 2>&1 &&
	expect_exit 4 sg verify "$B" --key other.pub >out &&
	expect_grep "not by the expected key" out
'

test_expect_success 'the provenance changed: exit 4' '
	ready && jq ".payload = (.payload | @base64d | sub(\"sandbox\"; \"compliance\") | @base64)" \
	    "$B/provenance.intoto.json" >x && mv x "$B/provenance.intoto.json" &&
	expect_exit 4 sg verify "$B" --key $PUB >out &&
	expect_grep "provenance.intoto.json" out
'

test_expect_success 'an unsigned bundle: a note, but exit 4 with --key' '
	project && sg run -q 2>/dev/null && B=$(latest) &&
	sg verify "$B" >out && expect_grep "not signed" out &&
	sg keygen -q --out k --no-password >/dev/null 2>&1 &&
	expect_exit 4 sg verify "$B" --key k.pub >out &&
	expect_grep "not signed" out
'

test_expect_success 'the audit trail edited: exit 4 (store reachable)' '
	ready && sqlite3 .specgate/state.db "DROP TRIGGER IF EXISTS audit_records_no_update;
	    UPDATE audit_records SET status = '\''warning'\'' WHERE seq = 1" &&
	expect_exit 4 sg verify "$B" --key $PUB >out &&
	expect_grep "audit trail: error: .*record 1\|checkpoints.log.*audit record 1" out
'

test_done
