#!/usr/bin/env bash
# t0750-runs-index: the runs table is an index derived from the hash
# chain, not evidence (issue #11, item 6).  `audit verify` recomputes each
# run's final status and bundle from the chained records (a sealed run's
# manifest, pinned by its seal; `audit failure`/`cancelled` of a run
# closed without a bundle; a waiting run's continuation) and names every
# run whose row disagrees or is missing: exit 4.  The rows are tampered
# with the sqlite3 shell, as someone holding the store file would.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/intoto.sh"

DB=.specgate/state.db
q() { sqlite3 "$DB" "$1"; }

# runs3: a sandbox project with a successful run $S, then the compliance
# profile (compliance_profile) and a run $X whose build fails, and a
# compliance run $W that waited, was approved and resumed by
# $C (the waiting run takes its continuation's status).
runs3() {
	signed_project sandbox && sg keygen -q --out alice >/dev/null 2>&1 &&
	git init -q && sg run -q && S=$(q "select run_id from runs") &&
	sleep 1 &&
	PROFILE_APPROVALS="{required: 1, keys: [alice.pub]}" \
	PROFILE_BUILD="{run: [\"test ! -e fail && mkdir -p build && printf app >build/app\"], artifacts: [build/app], retries: 0}" \
	    compliance_profile &&
	touch fail && expect_exit 1 sg run -q 2>/dev/null &&
	X=$(q "select run_id from runs where status = 'failure'") && rm fail &&
	expect_exit 3 sg --mode compliance run -q 2>/dev/null &&
	W=$(q "select run_id from runs where status = 'awaiting_approval'") &&
	sg approve $W --key alice.key >/dev/null &&
	sg --mode compliance resume $W >/dev/null &&
	C=$(q "select continuation_id from run_claims") &&
	test -n "$S" && test -n "$X" && test -n "$W" && test -n "$C" &&
	F=$(sg id)
}

test_expect_success 'untouched: audit verify passes, and the rows are the chain'"'"'s' '
	runs3 && sg audit verify >out &&
	test "$(q "select status from runs where run_id = '\''$X'\''")" = failure &&
	test "$(q "select status from runs where run_id = '\''$W'\''")" = success &&
	test "$(q "select bundle from runs where run_id = '\''$S'\''")" = "reports/$F/$S"
'

test_expect_success 'a failed run made success: exit 4 naming it' '
	runs3 && q "update runs set status = '\''success'\'' where run_id = '\''$X'\''" &&
	sg runs | grep "^$X " | grep -q success &&
	expect_exit 4 sg audit verify >out 2>&1 &&
	expect_grep "run $X of feature $F: the store says success, the audit trail says failure" out &&
	test "$(grep -c "the store says" out)" = 1
'

test_expect_success 'a waiting run'"'"'s status changed: exit 4 naming it' '
	runs3 && q "update runs set status = '\''failure'\'' where run_id = '\''$W'\''" &&
	expect_exit 4 sg audit verify >out 2>&1 &&
	expect_grep "run $W of feature $F: the store says failure, the audit trail says success" out
'

test_expect_success 'a bundle path changed: exit 4 naming the run' '
	runs3 && q "update runs set bundle = '\''reports/$F/$S'\'' where run_id = '\''$X'\''" &&
	expect_exit 4 sg audit verify >out 2>&1 &&
	expect_grep "run $X of feature $F: the store names bundle reports/$F/$S, the audit trail sealed reports/$F/$X" out
'

test_expect_success 'a row deleted: exit 4 naming the run' '
	runs3 && q "delete from runs where run_id = '\''$S'\''" &&
	! sg runs | grep -q "^$S " &&
	expect_exit 4 sg audit verify >out 2>&1 &&
	expect_grep "run $S of feature $F has audit records (from record 1) but no row in the runs table" out
'

test_expect_success 'a row invented: exit 4 naming it' '
	runs3 && q "insert into runs (feature_id, run_id, mode, status, started_at, finished_at, bundle)
	    values ('\''$F'\'', '\''20200101000000'\'', '\''compliance'\'', '\''success'\'',
	    '\''2020-01-01T00:00:00Z'\'', '\''2020-01-01T00:00:00Z'\'', '\''reports/$F/$S'\'')" &&
	expect_exit 4 sg audit verify >out 2>&1 &&
	expect_grep "run 20200101000000 of feature $F: the store says success (bundle reports/$F/$S), but the audit trail has no record of it" out
'

test_done
