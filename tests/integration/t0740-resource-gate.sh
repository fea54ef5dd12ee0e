#!/usr/bin/env bash
# t0740-resource-gate: in compliance, a stage whose commands use more
# memory than policy.compliance.memory allows fails right after the
# command, as a failed attempt: it is retried, rolled back, and deploy
# never runs.  Sandbox records it and warns at audit, as before.  The
# projects have a complete compliance profile (intoto.sh
# complete_project); the bundles are read with jq only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/intoto.sh"

# hog: a 300 MB allocation, every page touched: python's peak RSS is well
# above 128 MB.
hog() {
	printf "%s\n" "b = bytearray(300 << 20)" "b[::4096] = b\"x\" * len(b[::4096])" >hog.py
}

# stage_json STAGE: the manifest's entry of STAGE in the latest bundle.
stage_json() {
	jq -e --arg s "$1" '.stages[] | select(.stage == $s)' "$(latest)/manifest.json"
}

test_expect_success 'compliance: a build over the memory limit fails, retried; deploy never runs' '
	CP_BUILD="{run: [\"mkdir -p build && cp src/app.c build/app\", \"python3 hog.py\"], retries: 1}" \
	    complete_project 128 && hog &&
	expect_exit 1 sg run >out 2>err &&
	! test -e deployed &&
	B=$(latest) &&
	awk -F" [|] " "{print \$4, \$5}" $B/checkpoints.log >cps &&
	printf "%s\n" "preflight success" "validate success" "generate skipped" \
	    "build retry" "build failure" "deploy skipped" "audit success" >want &&
	cmp want cps &&
	stage_json build >build.json &&
	jq -e ".status == \"failure\" and (.detail | test(\"attempt 2 of 2 failed: resources exceeded: peak RSS [0-9.]+ MB over the limit of 128 MB \\\\(policy.compliance.memory\\\\)\"))" build.json &&
	stage_json deploy | jq -e ".detail == \"not run: build failed\"" &&
	jq -e ".run.status == \"failure\"" $B/manifest.json &&
	jq -e ".compliance_status == \"exceeded\"" $B/resource-estimates.json &&
	jq -e "[.checks[] | select(.ok == false) | .check] == [\"build peak_rss_mb\"]" $B/resource-estimates.json &&
	jq -e ".checks[] | select(.check == \"build peak_rss_mb\") | .value > 128 and .limit == 128" $B/resource-estimates.json &&
	jq -e ".measured.stages[] | select(.stage == \"build\") | .attempts == 2 and .peak_rss_mb > 128" $B/resource-estimates.json &&
	test "$(grep -c "^-- resources exceeded: peak RSS" $B/logs/build.log)" = 2 &&
	expect_grep "stage build failed: attempt 2 of 2 failed: resources exceeded" err &&
	expect_grep "build: retry (attempt 1 of 2 failed: resources exceeded" out &&
	bundle_ok $B
'

test_expect_success 'compliance: a deploy over the limit fails after approval and is rolled back' '
	CP_DEPLOY="{run: [\"python3 hog.py\", \"echo deployed >deployed\"], rollback: [\"echo undone >rolled\"]}" \
	    complete_project 128 && hog &&
	{ expect_exit 3 sg run >run.out 2>&1 || { cat run.out; false; }; } && R=$(run_ids) &&
	sg approve $R --key alice.key >/dev/null &&
	expect_exit 1 sg resume $R >out 2>err &&
	! test -e deployed && test "$(cat rolled)" = undone &&
	B=$(latest) && test "$(basename $B)" != "$R" &&
	awk -F" [|] " "\$4 == \"deploy\" {print \$5}" $B/checkpoints.log >cps &&
	printf "%s\n" approved failure rolled_back >want && cmp want cps &&
	expect_grep "^-- resources exceeded: peak RSS .* over the limit of 128 MB" $B/logs/deploy.log &&
	jq -e "[.checks[] | select(.ok == false) | .check] == [\"deploy peak_rss_mb\"]" $B/resource-estimates.json &&
	jq -e ".run.status == \"failure\"" $B/manifest.json &&
	expect_grep "stage deploy failed and was rolled back" err
'

test_expect_success 'compliance within the limits: the same project waits for approval' '
	CP_BUILD="{run: [\"mkdir -p build && cp src/app.c build/app\", \"python3 hog.py\"]}" \
	    complete_project 4096 && hog &&
	expect_exit 3 sg run >out 2>&1 && ! test -e deployed &&
	B=$(latest) &&
	jq -e ".compliance_status == \"within_limits\"" $B/resource-estimates.json &&
	stage_json build | jq -e ".status == \"success\""
'

test_expect_success 'sandbox: recorded and a warning at audit, deploy runs as before' '
	project sandbox && hog && cat >>specgate.yaml <<-EOF &&
	policy: {sandbox: {memory: [64, 128]}}
	stages:
	  build: {run: ["python3 hog.py"], retries: 0}
	  deploy: {run: ["echo deployed >deployed"]}
	EOF
	sg run >out 2>&1 && test -f deployed &&
	expect_grep "of feature .*: warning$" out &&
	B=$(latest) &&
	stage_json build | jq -e ".status == \"success\"" &&
	jq -e ".compliance_status == \"exceeded\" and .mode == \"sandbox\"" $B/resource-estimates.json &&
	! grep -q "resources exceeded" $B/logs/build.log
'

test_done
