#!/usr/bin/env bash
# t0530-concurrent: runs of one feature at the same time get distinct run
# ids, every checkpoint of every one of them lands in one valid chain, all
# bundles are complete, and `latest` names one of them; retention racing
# with publishing never points `latest` into the archive.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"

# together N [ARGS]: N runs released at the same moment.  Each waits for a
# shared lock on a file this shell holds exclusively, and all wake when it
# lets go (flock(1)); a fifo would block a run that opens it late.
together() {
	local n=$1 i pids="" rc=0
	shift
	exec 9>gate
	flock -x 9
	for i in $(seq 1 "$n"); do
		flock -s gate "$SPECGATE" run -q "$@" >"out.$i" 2>&1 9>&- &
		pids="$pids $!"
	done
	sleep 0.2
	flock -u 9
	exec 9>&-
	for p in $pids; do wait "$p" || rc=1; done
	return $rc
}

test_expect_success '8 runs of one feature at once' '
	project && together 8 || { cat out.*; exit 1; }
	test "$(run_ids | wc -l)" = 8 &&
	test "$(run_ids | sort -u | wc -l)" = 8 &&
	sg --json runs | jq -e "length == 8 and all(.[]; .status == \"success\")" &&
	test "$(sg audit log | wc -l)" = 48 &&
	for r in $(run_ids); do
		test "$(sg audit log --run $r | wc -l)" = 6 || exit 1
	done &&
	sg audit verify >v && expect_grep "48 records.*8 bundles.*: ok$" v &&
	bundles_ok && run_ids | grep -qx "$(readlink reports/*/latest)" &&
	test "$(readlink reports/*/latest)" = "$(sg --json runs | jq -r ".[0].run_id")" &&
	test -z "$(find reports -name ".*")"
'

test_expect_success '8 runs at once with retention 2: latest never archived' '
	project && printf "retention: {active_runs: 2}\n" >>specgate.yaml &&
	together 8 || { cat out.*; exit 1; }
	test "$(run_ids | wc -l)" = 2 &&
	test "$(ls -d reports/archive/*/*/* | wc -l)" = 6 &&
	test -d "reports/$(sg id)/$(readlink reports/*/latest)" &&
	bundles_ok && sg audit verify >/dev/null
'

test_expect_success 'a verify during concurrent runs sees a consistent trail' '
	project && sg run -q &&
	(together 6) & bg=$!
	for i in 1 2 3 4 5; do sg audit verify >v.$i 2>&1 || { cat v.$i; exit 1; }; done
	wait $bg && sg audit verify >/dev/null
'

test_done
