#!/usr/bin/env bash
# t0515-audit-incremental: `specgate audit verify` records the head it
# reached in the store; `audit verify --incremental` starts from it: it
# checks that the recorded head is still in the trail, then only the records
# after it and the bundles of their runs.  Read back and tampered with
# through sqlite3, jq and the file system.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"

# sql STATEMENT: on the store, with the append-only triggers dropped.
sql() {
	sqlite3 .specgate/state.db "DROP TRIGGER IF EXISTS audit_records_no_update;
	    DROP TRIGGER IF EXISTS audit_records_no_delete; $1"
}

# three runs, verified in full (which records the head)
setup() {
	project && printf "retention: {active_runs: 2}\n" >>specgate.yaml &&
	for i in 1 2 3; do sg run -q || return 1; done &&
	sg audit verify -q
}

# the newest bundle, resolved
newest() { (cd reports/*/latest && pwd -P); }

test_expect_success 'a full verify records the head of the trail in the store' '
	setup &&
	sqlite3 .specgate/state.db "SELECT seq, hash FROM verified_heads ORDER BY id DESC LIMIT 1" >got &&
	sqlite3 .specgate/state.db "SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1" >want &&
	cmp want got
'

test_expect_success '--incremental after one new run: only that run, ok, and the new head recorded' '
	setup && sg run -q &&
	new=$(sqlite3 .specgate/state.db "SELECT count(*) FROM audit_records WHERE seq > (SELECT max(seq) FROM verified_heads)") &&
	test "$new" -gt 0 &&
	sg audit verify --incremental --json >v.json &&
	jq -e ".ok and .bundles == 1 and .records == $new" v.json &&
	test "$(jq -r .head.hash v.json)" = \
	    "$(sqlite3 .specgate/state.db "SELECT hash FROM audit_records ORDER BY seq DESC LIMIT 1")" &&
	test "$(sqlite3 .specgate/state.db "SELECT hash FROM verified_heads ORDER BY id DESC LIMIT 1")" = \
	    "$(jq -r .head.hash v.json)" &&
	sg audit verify --incremental --json >v2.json &&
	jq -e ".ok and .bundles == 0 and .records == 0" v2.json
'

test_expect_success '--incremental finds a changed file of a bundle made after the head' '
	setup && sg run -q && b=$(newest) &&
	printf x >>"$b/checkpoints.log" &&
	expect_exit 4 sg audit verify --incremental >v.out &&
	expect_grep "checkpoints.log" v.out
'

test_expect_success '--incremental finds an edited record after the head' '
	setup && sg run -q &&
	seq=$(sqlite3 .specgate/state.db "SELECT max(seq) FROM audit_records") &&
	sql "UPDATE audit_records SET status = '"'"'failure'"'"' WHERE seq = $seq" &&
	expect_exit 4 sg audit verify --incremental >v.out &&
	expect_grep "audit record $seq" v.out
'

test_expect_success '--incremental rejects a recorded head that is no longer in the chain' '
	setup && sg run -q &&
	head=$(sqlite3 .specgate/state.db "SELECT max(seq) FROM verified_heads") &&
	sql "UPDATE audit_records SET hash = '"'"'$(printf %064d 7)'"'"' WHERE seq = $head" &&
	expect_exit 4 sg audit verify --incremental >v.out &&
	expect_grep "audit record $head .*no longer in the trail" v.out
'

test_expect_success '--incremental rejects a trail cut back before the recorded head' '
	setup &&
	head=$(sqlite3 .specgate/state.db "SELECT max(seq) FROM verified_heads") &&
	sql "DELETE FROM audit_records WHERE seq >= $((head - 1))" &&
	expect_exit 4 sg audit verify --incremental >v.out &&
	expect_grep "audit record $head .*no longer in the trail" v.out
'

test_expect_success 'a change before the head: --incremental trusts what was verified, the full verify finds it' '
	setup && sg run -q &&
	old=$(cd "$(ls -d reports/archive/*/*/* | head -n 1)" && pwd -P) &&
	printf x >>"$old/checkpoints.log" &&
	sg audit verify --incremental -q &&
	expect_exit 4 sg audit verify >v.out &&
	expect_grep "checkpoints.log" v.out
'

test_expect_success '--incremental with no recorded head verifies everything' '
	project && for i in 1 2 3; do sg run -q || exit 1; done &&
	test "$(sqlite3 .specgate/state.db "SELECT count(*) FROM verified_heads")" = 0 &&
	sg audit verify --incremental --json >v.json &&
	jq -e ".ok and .bundles == 3 and .records == (.head.seq)" v.json
'

test_done
