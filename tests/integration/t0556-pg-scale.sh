#!/usr/bin/env bash
# t0556-pg-scale: many runners, one trail.  Eight runner processes, each in
# its own checkout (a copy) of one project, run the full pipeline (`specgate
# run`, a command in each of validate, generate, build and deploy) at the
# same moment against one PostgreSQL 15 database (tests/integration/pg.sh),
# three rounds.  Then, checked with psql, jq and the files: distinct run
# ids; every run has exactly one record per stage and nothing else (no
# lost or duplicated record); one linear chain with no gap; each bundle's
# manifest names the record that sealed it; from a ninth checkout `specgate
# runs` lists every run and `audit verify` passes with every bundle
# gathered there; one `specgate serve` on the loopback lists them all
# (GET /api/v1/runs).  Every wait is bounded.  Without the PostgreSQL
# binaries every test says # SKIP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/pg.sh"
. "$(dirname "$0")/serve.sh"

if ! pg_have; then
	echo "ok 1 - the scale test # SKIP no PostgreSQL 15 binaries in $PG_BIN"
	echo "1..1"
	exit 0
fi
pg_start || { echo "not ok 1 - start PostgreSQL"; echo "1..1"; exit 1; }
trap 'while read -r p; do kill -KILL "$p" 2>/dev/null; done <"$SERVE_PIDS"; pg_stop; rm -rf "$TRASH"' EXIT

RUNNERS=8
ROUNDS=3
RUNS=$((RUNNERS * ROUNDS))
STAGES=6	# records per run: preflight, validate, generate, build, deploy, audit

URL=$(pg_newdb scale) || exit 1
SPECGATE_DATABASE_URL=$URL
export SPECGATE_DATABASE_URL
W=$TRASH/scale
mkdir -p "$W"
fid=

# q SQL: one value from psql as the superuser.
q() { PG_DB=scale pg_psql -At -c "$1"; }

# round R: the runners in c1..cN start `specgate run` at the same moment
# (each waits for a shared lock on a file this shell holds exclusively)
# and each is given 120 s; fails unless every one exits 0.
round() {
	local r=$1 i pids="" rc=0
	exec 9>"$W/gate"
	flock -x 9
	for i in $(seq 1 $RUNNERS); do
		(cd "$W/c$i" && flock -w 60 -s ../gate \
		    timeout 120 "$SPECGATE" run -q >"../out.$r.$i" 2>&1 9>&-) &
		pids="$pids $!"
	done
	sleep 0.2
	flock -u 9
	exec 9>&-
	for p in $pids; do wait "$p" || rc=1; done
	[ "$rc" = 0 ] || cat "$W"/out.$r.* >&2
	return $rc
}

test_expect_success "$RUNNERS runners in $RUNNERS checkouts, $ROUNDS rounds at once: every run succeeds" '
	mkdir "$W/c0" && (cd "$W/c0" && project && cat >>specgate.yaml <<-\EOF
	stages:
	  validate: {run: ["true"]}
	  generate: {run: ["echo generated >generated.txt"]}
	  build: {run: ["echo built"]}
	  deploy: {run: ["true"]}
	EOF
	) &&
	for i in $(seq 1 $RUNNERS); do cp -r "$W/c0" "$W/c$i" || exit 1; done &&
	(cd "$W/c0" && sg id) >"$W/fid" &&
	for r in $(seq 1 $ROUNDS); do round $r || exit 1; done &&
	test "$(q "SELECT count(*) FROM runs")" = $RUNS
'

fid=$(cat "$W/fid" 2>/dev/null)
test_expect_success 'distinct run ids; each run complete, in its checkout and in the store' '
	q "SELECT run_id FROM runs ORDER BY run_id" >"$W/ids" &&
	test "$(wc -l <"$W/ids")" = $RUNS && test "$(sort -u "$W/ids" | wc -l)" = $RUNS &&
	test "$(q "SELECT count(*) FROM runs WHERE status NOT IN ('"'"'success'"'"', '"'"'warning'"'"')")" = 0 &&
	for i in $(seq 1 $RUNNERS); do
		(cd "$W/c$i" && run_ids) >"$W/local.$i" &&
		test "$(wc -l <"$W/local.$i")" = $ROUNDS &&
		(cd "$W/c$i" && bundles_ok) || exit 1
	done &&
	sort "$W"/local.* >local && cmp local "$W/ids"
'

test_expect_success 'no lost or duplicated record: one record per stage of every run' '
	test "$(q "SELECT count(*) FROM audit_records")" = $((RUNS * STAGES)) &&
	q "SELECT run_id, count(*), count(DISTINCT stage) FROM audit_records GROUP BY run_id ORDER BY run_id" >per-run &&
	q "SELECT run_id || '"'"'|'"'"' || $STAGES || '"'"'|'"'"' || $STAGES FROM runs ORDER BY run_id" >want &&
	cmp want per-run &&
	test "$(q "SELECT count(*) FROM (SELECT DISTINCT run_id, stage, status, ts FROM audit_records) d")" = $((RUNS * STAGES)) &&
	# each checkout logged what the store holds of its runs
	for i in $(seq 1 $RUNNERS); do
		for r in $(cat "$W/local.$i"); do
			test "$(grep -c "| $r |" "$W/c$i/reports/$fid/$r/checkpoints.log")" = $STAGES || exit 1
		done
	done
'

test_expect_success 'one linear chain: no gap, each prev_hash the hash before, each seal in it' '
	n=$((RUNS * STAGES)) &&
	test "$(q "SELECT min(seq) || '"'"' '"'"' || max(seq) || '"'"' '"'"' || count(DISTINCT seq) FROM audit_records")" = "1 $n $n" &&
	test "$(q "SELECT count(*) FROM audit_records a JOIN audit_records b ON b.seq = a.seq - 1 WHERE a.prev_hash = b.hash")" = $((n - 1)) &&
	test "$(q "SELECT prev_hash FROM audit_records WHERE seq = 1")" = "$(printf "%064d" 0)" &&
	for i in $(seq 1 $RUNNERS); do
		for r in $(cat "$W/local.$i"); do
			h=$(jq -r .audit_trail.hash "$W/c$i/reports/$fid/$r/manifest.json") &&
			s=$(jq -r .audit_trail.seq "$W/c$i/reports/$fid/$r/manifest.json") &&
			test "$(q "SELECT hash || '"'"' '"'"' || run_id FROM audit_records WHERE seq = $s")" = "$h $r" || exit 1
		done
	done
'

test_expect_success 'a ninth checkout: runs lists every run; audit verify passes with the bundles gathered' '
	mkdir "$W/c9" && cp -r "$W/c0/features" "$W/c0/specgate.yaml" "$W/c9/" &&
	(cd "$W/c9" && sg --json runs) >runs.json &&
	jq -r ".[].run_id" runs.json | sort >listed && cmp listed "$W/ids" &&
	jq -e "all(.[]; .feature_id == \"$fid\" and (.status == \"success\" or .status == \"warning\"))" runs.json &&
	mkdir -p "$W/c9/reports/$fid" &&
	for i in $(seq 1 $RUNNERS); do
		cp -r "$W/c$i/reports/$fid"/2* "$W/c9/reports/$fid/" || exit 1
	done &&
	ln -s "$(tail -n 1 "$W/ids")" "$W/c9/reports/$fid/latest" &&
	(cd "$W/c9" && sg audit verify) >v &&
	expect_grep "$((RUNS * STAGES)) records.*$RUNS bundles.*: ok$" v
'

test_expect_success 'one serve lists every run (GET /api/v1/runs)' '
	cp -r "$W/c9" c && cd c && serve_start &&
	get "api/v1/runs?limit=500" >api.json &&
	serve_stop &&
	jq -e ".next_offset == null and (.runs | length) == $RUNS" api.json &&
	jq -r ".runs[].run_id" api.json | sort >served &&
	cmp served "$W/ids"
'

test_done
