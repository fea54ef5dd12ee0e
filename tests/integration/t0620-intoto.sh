#!/usr/bin/env bash
# t0620-intoto: the links of a real run and the layout of `specgate layout`
# pass Debian's in-toto-verify (in-toto 1.3), and fail it after any
# artifact or link is changed, a link is swapped for another run's, or the
# layout has expired; for P-256 and Ed25519 keys.  Key ids are checked
# against the installed securesystemslib.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/intoto.sh"

PUB=.specgate/keys/specgate.pub

# ready [TYPE]: a signed run, its layout, the key as in-toto reads it.
ready() {
	signed_project sandbox "${1:-ecdsa-p256}" && sg run -q &&
	sg layout -q --out root.layout &&
	if [ "${1:-}" = ed25519 ]; then
		sskey $PUB ed25519 >key.json && T=ed25519
	else
		sskey $PUB >key.json && T=ecdsa
	fi && B=$(latest) && K=$PWD/key.json
}

test_expect_success 'in-toto-verify accepts a real bundle (P-256)' '
	ready && intoto_verify "$B" root.layout "$K" $T >out 2>&1 ||
	{ cat out; false; }
'

test_expect_success 'in-toto-verify accepts a real bundle (Ed25519)' '
	ready ed25519 && intoto_verify "$B" root.layout "$K" $T >out 2>&1 ||
	{ cat out; false; }
'

test_expect_success 'in-toto-verify fails after any artifact of the bundle changes' '
	ready &&
	for f in $(cd "$B" && find . -type f ! -path "./links/*" | sed "s|^\./||"); do
		rm -rf t && cp -a "$B" t && printf x >>"t/$f" &&
		if intoto_verify t root.layout "$K" $T >out 2>&1; then
			echo "passed with $f changed"; return 1
		fi
	done
'

test_expect_success 'in-toto-verify fails after any link changes' '
	ready &&
	for l in $(cd "$B" && ls links); do
		rm -rf t && cp -a "$B" t &&
		jq ".signed.environment.run_id = \"19700101000000\"" "t/links/$l" >x &&
		mv x "t/links/$l" &&
		if intoto_verify t root.layout "$K" $T >out 2>&1; then
			echo "passed with $l changed"; return 1
		fi
		expect_grep "ThresholdVerificationError\|signature" out || return 1
	done
'

test_expect_success 'in-toto-verify fails with a link of another run swapped in' '
	ready && sg run -q &&
	B2=$(latest) && test "$B" != "$B2" &&
	rm -rf t && cp -a "$B2" t && cp "$B"/links/preflight.*.link t/links/ &&
	! intoto_verify t root.layout "$K" $T >out 2>&1 &&
	expect_grep "DISALLOW\|Queue" out
'

test_expect_success 'in-toto-verify fails with an expired layout' '
	ready && sg layout -q --expires 1s --out short.layout &&
	sleep 2 &&
	! intoto_verify "$B" short.layout "$K" $T >out 2>&1 &&
	expect_grep "expired" out
'

test_expect_success 'in-toto-verify fails with a layout signed by another key' '
	ready && sg keygen -q --out other --no-password >/dev/null 2>&1 &&
	sg layout -q --key other.key --out other.layout &&
	! intoto_verify "$B" other.layout "$K" $T >out 2>&1
'

test_expect_success 'key ids: ours equal securesystemslib 0.26 (in-toto 1.x), both key types' '
	sg keygen -q --out p --no-password >/dev/null 2>&1 &&
	sg keygen -q --type ed25519 --out e --no-password >/dev/null 2>&1 &&
	sskey p.pub >p.json && sskey e.pub ed25519 >e.json &&
	for k in p e; do
		want=$($PY -c "
import sys
from securesystemslib import interface
t = \"ecdsa\" if sys.argv[1] == \"p\" else \"ed25519\"
print(interface.import_publickeys_from_file([sys.argv[2]], [t]).popitem()[0])
" $k $k.json) &&
		printf "%s\n" "$want" | grep -Eqx "[0-9a-f]{64}" &&
		sg layout -q --key $k.key --out $k.layout &&
		test "$(jq -r ".signatures[0].keyid" $k.layout)" = "$want" &&
		test "$(jq -r ".signed.keys | keys[0]" $k.layout)" = "$want" || return 1
	done
'

test_expect_success 'key ids: `key id` is the newer securesystemslib form (no keyid_hash_algorithms)' '
	sg keygen -q --out p --no-password >/dev/null 2>&1 && sskey p.pub >p.json &&
	want=$($PY -c "
import hashlib, json, sys
from securesystemslib.formats import encode_canonical
k = json.load(open(sys.argv[1]))
print(hashlib.sha256(encode_canonical(k).encode()).hexdigest())
" p.json) &&
	test "$(sg key id p.pub)" = "$want"
'

test_expect_success 'in-toto-verify accepts a run whose stages ran commands, retried and rolled back, and refuses it once a stage log is edited' '
	signed_project sandbox && cat >>specgate.yaml <<-\EOF &&
	retry: {retries: 1, interval: 0s}
	stages:
	  validate: {run: ["echo checking; echo warn >&2", "test -f tried || { touch tried; false; }"]}
	  build: {run: ["mkdir -p dist && echo app >dist/app"], artifacts: ["dist/app"]}
	  deploy: {run: ["false"], rollback: ["echo rolled back"]}
	EOF
	expect_exit 1 sg run -q && sg layout -q --out root.layout &&
	sskey $PUB >key.json && B=$(latest) &&
	test -f "$B/logs/deploy-rollback.log" &&
	jq -e ".signed.environment.status == \"rolled_back\"" "$(ls "$B"/links/deploy.*.link)" &&
	jq -e ".signed.products[\"dist/app\"].sha256 == \"$(sha256sum dist/app | cut -c1-64)\"" \
	    "$(ls "$B"/links/build.*.link)" >/dev/null &&
	{ intoto_verify "$B" root.layout "$PWD/key.json" ecdsa >out 2>&1 ||
	{ cat out; false; }; } &&
	echo forged >>"$B/logs/validate.log" &&
	! intoto_verify "$B" root.layout "$PWD/key.json" ecdsa >out 2>&1 &&
	expect_exit 4 sg verify "$B" --key $PUB
'

test_expect_success 'a run with commands: in-toto-verify passes with no command warning' '
	signed_project sandbox && cat >>specgate.yaml <<-\EOF &&
	stages:
	  validate: {run: ["true", "echo checked"]}
	  build:
	    run: ["mkdir -p build && printf app >build/app", "echo https://u:pw-LAYOUT-1@example.test/x?token=t"]
	    artifacts: [build/app]
	  deploy: {run: ["echo deployed >deployed"]}
	EOF
	sg run -q && sg layout -q --out root.layout && sskey $PUB >key.json &&
	jq -e ".signed.steps[] | select(.name == \"build\") | .expected_command[2] == \"mkdir -p build && printf app >build/app\"" root.layout &&
	! grep -q pw-LAYOUT-1 root.layout &&
	intoto_verify "$(latest)" root.layout "$PWD/key.json" ecdsa >out 2>&1 ||
	{ cat out; false; } &&
	! grep -i "differs from expected command\|warning" out
'

test_expect_success 'provenance subjects are the declared artifacts, as sha256sum says' '
	signed_project sandbox && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build:
	    run: ["mkdir -p build && head -c 5000 /dev/urandom >build/app && cp build/app build/lib.so"]
	    artifacts: [build/app, build/lib.so]
	EOF
	sg run -q && B=$(latest) &&
	dsse_verify $B/provenance.intoto.json $PUB &&
	jq -r .payload $B/provenance.intoto.json | base64 -d >st.json &&
	jq -r ".subject[] | \"\(.digest.sha256)  \(.name)\"" st.json >sums &&
	test "$(wc -l <sums)" = 2 && sha256sum -c --strict sums &&
	jq -e "[.subject[].name] == [\"build/app\", \"build/lib.so\"]" st.json &&
	sg verify $B --key $PUB >/dev/null &&
	printf x >>build/app && ! sha256sum -c --strict sums >/dev/null 2>&1
'

test_expect_success 'without declared artifacts the subjects stay the bundle files' '
	signed_project sandbox && sg run -q && B=$(latest) &&
	jq -r .payload $B/provenance.intoto.json | base64 -d >st.json &&
	jq -e "[.subject[].name] == [\"logs/preflight.log\", \"spec-validation-report.json\"]" st.json
'

test_expect_success 'the source repository, commit and dirty flag are in the provenance and the manifest' '
	complete_project &&
	git remote add origin "https://bot:gh-SECRET-9@git.example/team/app.git" &&
	{ expect_exit 3 sg run >out 2>&1 || { cat out; false; }; } && B=$(latest) &&
	head=$(git rev-parse HEAD) && ref=$(git symbolic-ref HEAD) &&
	jq -r .payload $B/provenance.intoto.json | base64 -d >st.json &&
	jq -e --arg c "$head" --arg r "$ref" ".predicate.buildDefinition.resolvedDependencies[] |
	    select(.digest.gitCommit == \$c) |
	    .uri == \"git+https://bot:[REDACTED]@git.example/team/app.git@\(\$r)\" and .annotations.dirty == false" st.json &&
	jq -e --arg c "$head" ".source == {git: true, repository: \"https://bot:[REDACTED]@git.example/team/app.git\",
	    ref: \"$ref\", commit: \$c, dirty: false}" $B/manifest.json &&
	! grep -r gh-SECRET-9 reports &&
	echo changed >>src/app.c &&
	{ expect_exit 3 sg run >out 2>&1 || { cat out; false; }; } &&
	jq -e ".source.dirty == true" $(latest)/manifest.json &&
	jq -r .payload $(latest)/provenance.intoto.json | base64 -d |
	    jq -e "[.predicate.buildDefinition.resolvedDependencies[] | select(.digest.gitCommit)] | length == 1 and .[0].annotations.dirty" &&
	sg verify $(latest) --key $PUB >/dev/null
'

test_expect_success 'outside git: the manifest says so, no source dependency' '
	signed_project sandbox && sg run -q && B=$(latest) &&
	jq -e ".source == {git: false, repository: null, ref: null, commit: null, dirty: false}" $B/manifest.json &&
	jq -r .payload $B/provenance.intoto.json | base64 -d |
	    jq -e "all(.predicate.buildDefinition.resolvedDependencies[]; .digest.gitCommit == null)"
'

test_done
