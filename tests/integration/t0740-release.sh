#!/usr/bin/env bash
# t0740-release: what an approval pins and who may give it (issue #11,
# items 4, 5, 12 and the release links).  The artifact approved is the
# artifact deployed (a changed one: exit 4, both digests, nothing
# created); resume is exclusive (8 racing resumes, many rounds: one
# deploy, seven exit 2 naming the winner, one continuation); the waiting
# run and its continuation name each other in the bundles, the store, the
# trail, `specgate runs` and the service's API; `verify` of a continuation
# checks the approved bundle too; the key that signs a run never approves
# it, and `required: N` means N distinct keys.  Checked with sqlite3, jq,
# sha256sum, openssl and curl, never with specgate alone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/intoto.sh"
. "$(dirname "$0")/serve.sh"

DB=.specgate/state.db
q() { sqlite3 "$DB" "$1"; }

# release: a compliance project (the whole profile, compliance_profile)
# that builds `app` (declared artifact) and whose deploy appends the
# continuation's run id and the artifact to `deployed`; one approval by
# alice is required.  $W is the waiting run, $F the feature id.
release() {
	local build deploy
	build='{run: ["printf '\''v1\\n'\'' >app"], artifacts: [app]}'
	deploy='{run: ["echo \"$SPECGATE_RUN_ID $(cat app)\" >>deployed"], retries: 0}'
	signed_project compliance &&
	sg keygen -q --out alice >/dev/null 2>&1 &&
	PROFILE_APPROVALS="{required: 1, keys: [alice.pub]}" \
	PROFILE_BUILD=$build PROFILE_DEPLOY=$deploy compliance_profile &&
	expect_exit 3 sg run >run.out 2>&1 &&
	W=$(q "select run_id from runs where status = 'awaiting_approval'") &&
	F=$(sg id) && test -n "$W"
}

test_expect_success 'approve, change the artifact: resume exits 4 with both digests, creates nothing' '
	release && sg approve $W --key alice.key >/dev/null &&
	a=$(sha256sum app | cut -c1-64) &&
	jq -e ".artifacts[0].path == \"app\" and .artifacts[0].sha256 == \"$a\"" \
	    reports/$F/$W/artifacts.json &&
	printf "evil\n" >app && b=$(sha256sum app | cut -c1-64) &&
	records=$(q "select count(*) from audit_records") &&
	expect_exit 4 sg resume $W >out 2>err &&
	expect_grep "app: approved with SHA-256 $a" err &&
	expect_grep "on disk $b" err &&
	test "$(q "select count(*) from runs")" = 1 &&
	test "$(q "select count(*) from run_claims")" = 0 &&
	test "$(q "select count(*) from audit_records")" = "$records" &&
	test "$(q "select status from runs where run_id = '\''$W'\''")" = awaiting_approval &&
	test "$(run_ids)" = "$W" && ! ls -A reports/$F | grep -q staging &&
	! test -e deployed &&
	rm app && expect_exit 4 sg resume $W 2>err &&
	expect_grep "app: approved with SHA-256 $a (artifacts.json of run $W), now unreadable" err &&
	test "$(q "select count(*) from runs")" = 1
'

test_expect_success 'the approved artifact unchanged: resume deploys exactly it' '
	release && sg approve $W --key alice.key >/dev/null &&
	a=$(sha256sum app | cut -c1-64) &&
	sg resume $W >out 2>err &&
	C=$(q "select continuation_id from run_claims where run_id = '\''$W'\''") &&
	test "$(cat deployed)" = "$C v1" &&
	jq -e ".approved_artifacts == [{\"path\": \"app\", \"sha256\": \"$a\"}]" \
	    reports/$F/$C/approvals.json &&
	test "$(q "select status from runs where run_id = '\''$W'\''")" = success
'

test_expect_success 'an artifacts.json edited in the approved bundle is refused (exit 4)' '
	release && sg approve $W --key alice.key >/dev/null &&
	printf "evil\n" >app && b=$(sha256sum app | cut -c1-64) &&
	jq ".artifacts[0].sha256 = \"$b\"" reports/$F/$W/artifacts.json >x &&
	cat x >reports/$F/$W/artifacts.json &&
	expect_exit 4 sg resume $W 2>err &&
	expect_grep "artifacts.json: SHA-256 .*, the approved manifest says" err &&
	! test -e deployed && test "$(q "select count(*) from runs")" = 1
'

# race W: 8 `resume W` at once; rc.N, err.N per process.
race() {
	local i
	for i in 1 2 3 4 5 6 7 8; do
		(timeout 120 "$SPECGATE" resume "$1" >out.$i 2>err.$i; echo $? >rc.$i) &
	done
	wait
}

test_expect_success '8 racing resumes, 10 rounds: one deploys, seven exit 2 naming it' '
	release && start=$SECONDS && round=0 &&
	while [ $round -lt 10 ] && [ $((SECONDS - start)) -lt 240 ]; do
		round=$((round + 1)) &&
		if [ $round -gt 1 ]; then
			expect_exit 3 sg run >/dev/null 2>&1 &&
			W=$(q "select run_id from runs where status = '\''awaiting_approval'\''") &&
			test "$(echo "$W" | wc -l)" = 1 || exit 1
		fi &&
		sg approve $W --key alice.key >/dev/null &&
		race $W &&
		test "$(cat rc.* | sort | uniq -c | tr -s " " | sed "s/^ //")" = "$(printf "1 0\n7 2")" || {
			echo "round $round: exits $(cat rc.* | tr "\n" " ")"; cat err.*; exit 1; } &&
		C=$(q "select continuation_id from run_claims where run_id = '\''$W'\''") &&
		test -n "$C" &&
		for i in 1 2 3 4 5 6 7 8; do
			[ "$(cat rc.$i)" = 0 ] ||
			expect_grep "run $W of feature $F was already resumed by run $C" err.$i || exit 1
		done &&
		test "$(wc -l <deployed)" = $round &&
		test "$(tail -n 1 deployed)" = "$C v1" &&
		test "$(q "select count(*) from runs")" = $((2 * round)) &&
		test "$(q "select count(*) from runs where run_id not in
		    (select run_id from run_claims union select continuation_id from run_claims)")" = 0 &&
		test "$(q "select status from runs where run_id = '\''$W'\''")" = success &&
		test "$(q "select status from runs where run_id = '\''$C'\''")" = success &&
		test "$(q "select count(*) from audit_records where stage = '\''deploy'\''
		    and status = '\''resumed'\'' and run_id = '\''$W'\''")" = 1 &&
		test "$(run_ids | wc -l)" = $((2 * round)) &&
		! ls -A reports/$F | grep -q staging || exit 1
	done &&
	echo "$round rounds in $((SECONDS - start)) s" &&
	test $round -ge 3 &&
	sg audit verify >/dev/null
'

test_expect_success 'one release, one record: bundles, trail, store, runs, API' '
	release && sg approve $W --key alice.key >/dev/null && sg resume $W >out &&
	C=$(q "select continuation_id from run_claims where run_id = '\''$W'\''") &&
	m=$(sha256sum reports/$F/$W/manifest.json | cut -c1-64) &&
	jq -e ".continues == {\"run_id\": \"$W\", \"manifest_sha256\": \"$m\"}" \
	    reports/$F/$C/manifest.json &&
	jq -e ".continues == \"$W\"" reports/$F/$C/deploy.json &&
	jq -e ".approved_run_id == \"$W\"" reports/$F/$C/approvals.json &&
	expect_grep "continues run $W" out &&
	sg audit log --run $W >log &&
	expect_grep "| $W | $F | deploy | resumed | continuation-$C\$" log &&
	sg runs >runs && expect_grep "^$W .*continued by $C" runs &&
	expect_grep "^$C .*continues $W" runs &&
	sg --json runs >runs.json &&
	jq -e ".[] | select(.run_id == \"$W\") | .continued_by == \"$C\" and .continues == null" runs.json &&
	jq -e ".[] | select(.run_id == \"$C\") | .continues == \"$W\" and .continued_by == null" runs.json &&
	serve_start && get api/v1/runs/$W >w.json && get api/v1/runs/$C >c.json &&
	get "api/v1/runs?limit=5" >l.json && get / >dash.html && serve_stop &&
	jq -e ".run.continued_by == \"$C\" and .run.continues == null" w.json &&
	jq -e ".run.continues == \"$W\" and .run.continued_by == null" c.json &&
	jq -e "[.runs[] | select(.run_id == \"$C\")][0].continues == \"$W\"" l.json &&
	expect_grep "continued by $C" dash.html && expect_grep "continues $W" dash.html &&
	sg verify reports/$F/$C >v.out && sg verify reports/$F/$W >/dev/null &&
	sg audit verify >/dev/null
'

test_expect_success 'verify of a continuation checks the approved bundle (exit 4 when tampered)' '
	release && sg approve $W --key alice.key >/dev/null && sg resume $W >/dev/null &&
	C=$(q "select continuation_id from run_claims where run_id = '\''$W'\''") &&
	sg verify reports/$F/$C >out && expect_grep "$W" out &&
	sed -i "s/\"result\"/\"resulT\"/" reports/$F/$W/spec-validation-report.json &&
	expect_exit 4 sg verify reports/$F/$C >out 2>&1 &&
	expect_grep "reports/$F/$W/spec-validation-report.json" out &&
	mv reports/$F/$W wgone &&
	expect_exit 4 sg verify reports/$F/$C >out 2>&1 &&
	expect_grep "continues run $W, whose bundle is missing" out
'

# okeys NAME...: P-256 key pairs made by openssl (NAME.key mode 0600,
# NAME.pub), unencrypted as `openssl genpkey` writes them.
okeys() {
	local k
	for k in "$@"; do
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		    -out $k.key 2>/dev/null && chmod 600 $k.key &&
		openssl pkey -in $k.key -pubout -out $k.pub || return 1
	done
}

test_expect_success 'the key that signed a run may not approve it (approve: exit 2; a forged approval: resume exit 4)' '
	project compliance && okeys k1 k2 bob &&
	PROFILE_APPROVALS="{required: 1, keys: [bob.pub]}" \
	PROFILE_DEPLOY="{run: [\"echo deployed >deployed\"]}" compliance_profile &&
	echo "signing: {key: k1.key}" >>specgate.yaml &&
	expect_exit 3 sg run >/dev/null 2>&1 &&
	W=$(q "select run_id from runs") && F=$(sg id) &&
	sed -i "s/key: k1.key/key: k2.key/; s/keys: \[bob.pub\]/keys: [k1.pub, bob.pub]/" specgate.yaml &&
	records=$(q "select count(*) from audit_records") &&
	expect_exit 2 sg approve $W --key k1.key 2>err &&
	expect_grep "signed the evidence of run $W: the key that signs a run may not approve it" err &&
	! test -e .specgate/approvals/$F/$W &&
	test "$(q "select count(*) from audit_records")" = "$records" &&
	id=$(sg key id k1.pub) && m=$(sha256sum reports/$F/$W/manifest.json | cut -c1-64) &&
	mkdir -p .specgate/approvals/$F/$W && D=.specgate/approvals/$F/$W/$id.json &&
	jq -ncS "{schema: \"specgate/approval/v1\", feature_id: \"$F\", run_id: \"$W\",
	    mode: \"compliance\", manifest_sha256: \"$m\", keyid: \"$id\",
	    timestamp: \"2026-01-01T00:00:00Z\", comment: \"\"}" | tr -d "\n" >$D &&
	openssl dgst -sha256 -sign k1.key $D | base64 -w0 >$D.sig &&
	openssl dgst -sha256 -verify k1.pub -signature <(base64 -d $D.sig) $D &&
	expect_exit 4 sg resume $W 2>err &&
	expect_grep "the approval by key ${id:0:16}... does not count" err &&
	! test -e deployed && test "$(q "select count(*) from runs")" = 1 &&
	rm $D $D.sig && sg approve $W --key bob.key >/dev/null &&
	sg resume $W >/dev/null && test -f deployed
'

test_expect_success 'required: 2 means two distinct keys: one key listed twice is refused, one approver counts once' '
	project compliance && okeys k1 alice bob && cp alice.pub alice2.pub &&
	PROFILE_APPROVALS="{required: 2, keys: [alice.pub, alice2.pub]}" \
	PROFILE_DEPLOY="{run: [\"echo deployed >deployed\"]}" compliance_profile &&
	echo "signing: {key: k1.key}" >>specgate.yaml &&
	expect_exit 2 sg run >/dev/null 2>err &&
	expect_grep "approvals.keys: 1 readable, distinct approver key of 2 listed" err &&
	! test -e .specgate/state.db && ! test -e reports &&
	sed -i "s/alice2.pub/bob.pub/" specgate.yaml &&
	expect_exit 3 sg run >/dev/null 2>&1 && W=$(q "select run_id from runs") &&
	sg approve $W --key alice.key >/dev/null &&
	expect_exit 2 sg approve $W --key alice.key 2>err &&
	expect_grep "has already approved run $W" err &&
	expect_exit 3 sg resume $W 2>err && expect_grep "has 1 of the 2" err &&
	sed -i "s/bob.pub/alice2.pub/" specgate.yaml &&
	expect_exit 2 sg resume $W 2>err &&
	expect_grep "1 readable, distinct approver key of 2 listed" err &&
	! test -e deployed && test "$(q "select count(*) from runs")" = 1 &&
	test "$(q "select status from runs")" = awaiting_approval
'

test_done
