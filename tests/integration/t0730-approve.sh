#!/usr/bin/env bash
# t0730-approve: manual approval before deploy in compliance.  A run stops
# with exit 3 before deploy and its deploy command has not run; approve
# with a listed key; refusals (unlisted key, duplicate approver, unknown
# run, a run that is not waiting, a wrong passphrase); resume deploys and
# its approvals.json is checked with jq and each approval's signature
# with openssl; specgate verify, audit verify and in-toto-verify pass on
# every bundle; sandbox never waits.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/intoto.sh"

PUB=.specgate/keys/specgate.pub

# waiting [REQUIRED]: a compliance project whose run waits for approvals
# by alice and bob (keys alice.key, bob.key; eve.key is not listed); $R is
# the waiting run.
waiting() {
	signed_project compliance &&
	for k in alice bob eve; do
		sg keygen -q --out $k >/dev/null 2>&1 || return 1
	done &&
	PROFILE_APPROVALS="{required: ${1:-2}, keys: [alice.pub, bob.pub]}" \
	PROFILE_BUILD="{run: [\"echo built >built && mkdir -p build && echo app >build/app\"], artifacts: [build/app]}" \
	PROFILE_DEPLOY="{run: [\"echo deployed >deployed\"]}" compliance_profile &&
	expect_exit 3 sg run >run.out 2>run.err &&
	R=$(run_ids) && test -n "$R"
}

# cps [DIR]: stage and status of a bundle's checkpoints.log.
cps() {
	awk -F' [|] ' '{print $4, $5}' "${1:-reports/$(sg id)/latest}/checkpoints.log"
}

test_expect_success 'compliance stops before deploy: exit 3, deploy not run' '
	waiting &&
	test -f built && ! test -e deployed &&
	expect_grep "awaits 2 approvals before deploy" run.err &&
	cps >got && printf "%s\n" "preflight success" "validate success" \
	    "generate skipped" "build success" "deploy awaiting_approval" \
	    "audit success" >want && cmp want got &&
	B=reports/$(sg id)/$R &&
	jq -e ".run.status == \"awaiting_approval\"" $B/manifest.json &&
	bundle_ok $B &&
	sg runs | grep "^$R " | grep -q awaiting_approval &&
	sg runs >runs && python3 - "$R" runs <<-\PY &&
	import sys
	rows = open(sys.argv[2]).read().splitlines()
	row = [r for r in rows if r.startswith(sys.argv[1] + " ")][0]
	for col in ("STARTED", "BUNDLE"):
	    at = rows[0].index(col)
	    # awaiting_approval does not push the later columns out of line
	    assert row[at - 1] == " " and row[at] != " ", (col, rows[0], row)
	PY
	sg verify $B >/dev/null && sg audit verify >/dev/null
'

test_expect_success 'approve with a listed key; the trail names the approval' '
	waiting &&
	sg approve $R --key alice.key --comment "looks good" >out &&
	expect_grep "^approved run $R " out &&
	D=.specgate/approvals/$(sg id)/$R &&
	F=$(ls $D/*.json) && test "$(echo "$F" | wc -l)" = 1 &&
	jq -e ".run_id == \"$R\" and .comment == \"looks good\" and
	    .mode == \"compliance\" and .schema == \"specgate/approval/v1\"" "$F" &&
	m=$(sha256sum reports/$(sg id)/$R/manifest.json | cut -c1-64) &&
	jq -e ".manifest_sha256 == \"$m\"" "$F" &&
	base64 -d "$F.sig" >sig &&
	openssl dgst -sha256 -verify alice.pub -signature sig "$F" &&
	sg audit log >log && expect_grep "| $R | .* | deploy | approved | approval-" log &&
	h=$(sha256sum "$F" | cut -c1-64) &&
	sqlite3 .specgate/state.db "select output_sha256 from audit_records
	    where status = '\''approved'\''" | grep -qx "$h" &&
	sg verify reports/$(sg id)/$R >/dev/null && sg audit verify >/dev/null
'

test_expect_success 'refused: unlisted key, duplicate, unknown run, wrong passphrase' '
	waiting &&
	expect_exit 2 sg approve $R --key eve.key 2>err &&
	expect_grep "not listed in approvals.keys" err &&
	SPECGATE_KEY_PASSWORD=wrong expect_exit 2 sg approve $R --key alice.key 2>err &&
	sg approve $R --key alice.key >/dev/null &&
	expect_exit 2 sg approve $R --key alice.key 2>err &&
	expect_grep "has already approved run $R" err &&
	expect_exit 2 sg approve 20000101000000 --key bob.key 2>err &&
	expect_grep "no run .20000101000000." err &&
	test "$(ls .specgate/approvals/*/$R/*.json | wc -l)" = 1 &&
	sg audit verify >/dev/null
'

test_expect_success 'resume waits (exit 3) until enough approvals' '
	waiting &&
	expect_exit 3 sg resume $R 2>err && expect_grep "has 0 of the 2" err &&
	sg approve $R --key alice.key >/dev/null &&
	expect_exit 3 sg resume $R 2>err && expect_grep "has 1 of the 2" err &&
	! test -e deployed && test "$(run_ids | wc -l)" = 1
'

test_expect_success 'resume deploys; approvals.json holds both signed approvals' '
	waiting &&
	sg approve $R --key alice.key >/dev/null &&
	sg approve $R --key bob.key --comment bob >/dev/null &&
	sg resume $R >out &&
	test "$(cat deployed)" = deployed &&
	C=$(run_ids | grep -vx "$R") && B=reports/$(sg id)/$C &&
	cps $B | tail -n 3 >got &&
	printf "%s\n" "deploy approved" "deploy success" "audit success" >want &&
	cmp want got &&
	jq -e ".approved_run_id == \"$R\" and .run_id == \"$C\" and
	    (.approvals | length) == 2" $B/approvals.json &&
	m=$(sha256sum reports/$(sg id)/$R/manifest.json | cut -c1-64) &&
	jq -e ".approved_manifest_sha256 == \"$m\"" $B/approvals.json &&
	n=0 && for i in 0 1; do
		jq -j ".approvals[$i].document" $B/approvals.json >doc &&
		jq -r ".approvals[$i].signature" $B/approvals.json | base64 -d >sig &&
		jq -e ".run_id == \"$R\" and .manifest_sha256 == \"$m\"" doc &&
		for k in alice bob; do
			if openssl dgst -sha256 -verify $k.pub -signature sig doc; then
				n=$((n + 1))
			fi
		done
	done && test $n = 2 &&
	base64 -d $B/approvals.json.sig >s &&
	openssl dgst -sha256 -verify $PUB -signature s $B/approvals.json &&
	bundle_ok $B && bundle_ok reports/$(sg id)/$R &&
	sg verify $B >/dev/null && sg verify reports/$(sg id)/$R >/dev/null &&
	sg audit verify >/dev/null &&
	sg runs | grep "^$R " | grep -q success &&
	expect_exit 2 sg resume $R 2>err &&
	expect_grep "already resumed by run $C" err &&
	expect_exit 2 sg approve $R --key bob.key 2>err &&
	expect_grep "already resumed by run $C" err
'

test_expect_success 'in-toto-verify accepts the waiting and the continuation bundles' '
	waiting 1 && sg approve $R --key bob.key >/dev/null && sg resume $R >/dev/null &&
	sg layout -q --out root.layout && sskey $PUB >key.json &&
	for r in $(run_ids); do
		intoto_verify reports/$(sg id)/$r root.layout $PWD/key.json ecdsa \
		    >iv.out 2>&1 || { cat iv.out; exit 1; }
	done
'

test_expect_success 'a tampered approval is refused at resume (exit 4)' '
	waiting 1 && sg approve $R --key bob.key --comment x >/dev/null &&
	F=$(ls .specgate/approvals/*/$R/*.json) &&
	sed -i "s/\"comment\":\"x\"/\"comment\":\"y\"/" "$F" &&
	expect_exit 4 sg resume $R 2>err && ! test -e deployed
'

test_expect_success 'an approval of another run does not count (exit 4)' '
	waiting 1 && sg approve $R --key bob.key >/dev/null &&
	expect_exit 3 sg run >/dev/null 2>&1 &&
	R2=$(run_ids | grep -vx "$R") && test -n "$R2" &&
	F=$(ls .specgate/approvals/*/$R/*.json) &&
	mkdir -p .specgate/approvals/$(sg id)/$R2 &&
	cp "$F" "$F.sig" .specgate/approvals/$(sg id)/$R2/ &&
	expect_exit 4 sg resume $R2 2>err &&
	expect_grep "run_id is .$R., expected .$R2." err && ! test -e deployed
'

test_expect_success 'an audit record after the seal other than an approval is found' '
	waiting 1 &&
	sg approve $R --key bob.key >/dev/null && sg audit verify >/dev/null &&
	sqlite3 .specgate/state.db "drop trigger audit_records_no_update;
	    update audit_records set status = '\''success'\''
	    where status = '\''approved'\''" &&
	expect_exit 4 sg audit verify >out 2>&1
'

test_expect_success 'sandbox never waits for approvals' '
	signed_project sandbox && sg keygen -q --out alice >/dev/null 2>&1 &&
	cat >>specgate.yaml <<-\EOF &&
	approvals: {required: 2, keys: [alice.pub]}
	stages:
	  deploy: {run: ["echo deployed >deployed"]}
	EOF
	sg run -q && test -f deployed &&
	! grep -q awaiting_approval reports/$(sg id)/latest/checkpoints.log
'

test_done
