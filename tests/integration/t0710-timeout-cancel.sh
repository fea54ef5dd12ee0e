#!/usr/bin/env bash
# t0710-timeout-cancel: a command past its timeout is stopped with its whole
# process group (TERM, then KILL for what ignores TERM), and SIGTERM or
# SIGINT sent to `specgate run` cancels the run: the command and its
# children are gone, the run is recorded `cancelled`, its bundle is
# complete (sha256sum), and specgate exits 130.  Processes are looked for
# with ps by process group, never by name.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"

# group_gone PGID: no process of the group is left (a zombie may linger
# for a moment until init reaps it; it is not running).
group_gone() {
	local left
	left=$(ps -o stat= -g "$1" 2>/dev/null | grep -v "^Z" || true)
	[ -z "$left" ] || { echo "group $1 still has processes:"; ps -o pid,stat,args -g "$1"; return 1; }
}

# wait_for FILE: until FILE exists (at most 20 s).
wait_for() {
	local i=0
	while [ ! -s "$1" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$1" ]
}

test_expect_success 'a command past its timeout fails the stage; its group is killed' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build:
	    run: ["echo $$ >pgid; sleep 60 & sleep 60 & wait"]
	    timeout: 1s
	    retries: 0
	EOF
	expect_exit 1 sg run >out 2>err &&
	expect_grep "build: failure (.*timed out after 1000 ms (TERM))" out &&
	group_gone "$(cat pgid)" &&
	expect_grep "^-- timed out after 1000 ms" reports/$(sg id)/latest/logs/build.log
'

test_expect_success 'a child that ignores SIGTERM gets SIGKILL after the grace period' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build:
	    run: ["echo $$ >pgid; sh -c '\''trap \"\" TERM; echo $$ >ignorer; while :; do sleep 1; done'\'' & wait"]
	    timeout: 2s
	    retries: 0
	EOF
	SPECGATE_KILL_GRACE=300ms expect_exit 1 sg run >out 2>err &&
	test -s ignorer &&
	expect_grep "timed out after 2000 ms (TERM, then KILL)" out &&
	group_gone "$(cat pgid)"
'

test_expect_success 'a timeout is retried like any failure' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build: {run: ["sleep 5"], timeout: 200ms, retries: 1, interval: 0s}
	EOF
	expect_exit 1 sg run >out &&
	test "$(grep -c "^-- timed out after 200 ms" reports/$(sg id)/latest/logs/build.log)" = 2 &&
	awk -F" [|] " "\$4 == \"build\" {print \$5}" reports/$(sg id)/latest/checkpoints.log >got &&
	printf "retry\nfailure\n" >want && cmp want got
'

# cancel SIGNAL: start a run whose build sleeps, send SIGNAL to specgate
# once the command runs, and check what it left.
cancel() {
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build: {run: ["echo $$ >pgid; sleep 60 & sleep 60"]}
	  deploy: {run: ["touch deployed"]}
	EOF
	{ "$SPECGATE" run >out 2>err & } && pid=$! &&
	wait_for pgid &&
	kill -"$1" $pid &&
	{ wait $pid; rc=$?; } ; test "$rc" = 130 &&
	group_gone "$(cat pgid)" && test ! -e deployed &&
	b=reports/$(sg id)/latest && bundle_ok $b &&
	awk -F" [|] " "{print \$4, \$5}" $b/checkpoints.log >got &&
	printf "%s\n" "preflight success" "validate skipped" "generate skipped" \
	    "build cancelled" "deploy skipped" "audit success" >want &&
	cmp want got &&
	jq -e ".run.status == \"cancelled\"" $b/manifest.json &&
	expect_grep "run .* of feature .*: cancelled" out &&
	expect_grep "the run was cancelled (SIG$1)" err &&
	sg --json runs | jq -e ".[0].status == \"cancelled\""
}

test_expect_success 'SIGTERM during a command cancels the run; complete bundle; exit 130' '
	cancel TERM
'

test_expect_success 'SIGINT does the same' '
	cancel INT
'

test_expect_success 'a cancel during the retry interval stops the wait' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build: {run: ["echo x >>count; false"], retries: 3, interval: 60s}
	EOF
	{ "$SPECGATE" run >out 2>err & } && pid=$! &&
	wait_for count && sleep 0.5 &&
	kill -TERM $pid && { wait $pid; rc=$?; } ; test "$rc" = 130 &&
	test "$(wc -l <count)" = 1 &&
	b=reports/$(sg id)/latest &&
	awk -F" [|] " "\$4 == \"build\" {print \$5}" $b/checkpoints.log >got &&
	printf "retry\ncancelled\n" >want && cmp want got &&
	bundle_ok $b
'

test_expect_success 'the audit trail still verifies after cancelled and timed-out runs' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build: {run: ["sleep 5"], timeout: 100ms, retries: 0}
	EOF
	expect_exit 1 sg run -q && sg audit verify >out
'

test_done
