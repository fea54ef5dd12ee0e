#!/usr/bin/env bash
# bench/pg-store.sh - the PostgreSQL store against SQLite on the same
# machine, in the same go (issue 13):
#
#   appends    checkpoint appends per second with 1, 4 and 8 concurrent
#              appenders, each `audit-trail append STORE N` (bench/
#              audit-trail.c): N records, one sg_audit_append() each, i.e.
#              one writer transaction and commit per checkpoint, as a run
#              appends them.  SQLite: one store file shared by all (one
#              chain, as PostgreSQL's); PostgreSQL: one database.
#   runs       a full `specgate run` (six stages, a command in each of
#              validate, generate, build, deploy) in 1, 4 and 8 checkouts
#              at once: the wall time of the batch, with each checkout's
#              own SQLite store (today's default) and with one PostgreSQL
#              database for all; the added time is the difference.
#   verify     sg_audit_verify() over a trail of VERIFY_N records (default
#              1,000,000; the issue's goal: under 2 s from PostgreSQL),
#              built through the real API (`audit-trail gen`, 10,000
#              records per transaction), in PostgreSQL and in SQLite;
#              the floor: psql's \copy of the same rows to /dev/null
#              (what the server takes to send them, nothing hashed).
#
#	bench/pg-store.sh		(BUILD: the build directory)
#
# The server is a private PostgreSQL 15 (tests/integration/pg.sh: initdb
# in a scratch directory, a unix socket only), here with fsync on
# (PG_FSYNC=on) and its data in bench/out/pg-store/, on the same disk as
# the SQLite files: both backends sync every commit.  Prints hyperfine's
# tables, the medians and the ratios.  Environment: RUNS (hyperfine runs
# per case, default 5), APPENDS (records per appender, default 100),
# VERIFY_N, BUILD.  Needs hyperfine, jq and Debian's postgresql.  On a
# shared machine read the ratios, not the wall times.
#
# Known: bench/out/ lies inside this repository's checkout, so the runs'
# checkouts all find its git repository and claim feature branches in it
# at once; once in 2026-12-06's runs, one of 8 failed ("cannot write a
# claim: reference refs/specgate/claims/... not found").  A failed run's
# messages go to bench/out/pg-store/failures.log.
set -eu
cd "$(dirname "$0")/.."
root=$PWD
BUILD=${BUILD:-$PWD/build}
RUNS=${RUNS:-5}
APPENDS=${APPENDS:-100}
VERIFY_N=${VERIFY_N:-1000000}
sg=$BUILD/specgate
tool=$BUILD/bench/audit-trail
out=$PWD/bench/out/pg-store

for t in hyperfine jq; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "pg-store: needs $t (EXTRA_PKGS=$t tools/install-deps)" >&2
		exit 1
	}
done
make --no-print-directory BUILD="$BUILD" "$sg" "$tool" >/dev/null
rm -rf "$out"
mkdir -p "$out"
chmod 0755 "$out"

# the private server (pg.sh's pg_start sets the EXIT trap that stops it)
TRASH=$out/scratch
mkdir -p "$TRASH"
. "$root/tests/integration/pg.sh"
pg_have || { echo "pg-store: needs PostgreSQL 15 in $PG_BIN (make deps)" >&2; exit 1; }
TMPDIR=$out PG_FSYNC=on pg_start >/dev/null || exit 1
newdb() { pg_newdb "$1" | tail -n 1; }
cd "$out"

# --- appends per second ---------------------------------------------
# appenders.sh K STORE: K concurrent appenders; fails if one does.
cat >appenders.sh <<EOF
#!/bin/sh
k=\$1 store=\$2 pids= rc=0
i=0
while [ \$i -lt \$k ]; do
	"$tool" append "\$store" $APPENDS >/dev/null &
	pids="\$pids \$!"
	i=\$((i + 1))
done
for p in \$pids; do wait \$p || rc=1; done
exit \$rc
EOF
chmod +x appenders.sh
PG_APPEND=$(newdb appends)
"$tool" append "$PG_APPEND" 1 >/dev/null	# the schema, once
"$tool" append "sqlite:$out/appends.db" 1 >/dev/null
hyperfine -N --warmup 1 --runs "$RUNS" --export-json appends.json \
	-n sqlite-1 "./appenders.sh 1 sqlite:$out/appends.db" \
	-n pg-1 "./appenders.sh 1 $PG_APPEND" \
	-n sqlite-4 "./appenders.sh 4 sqlite:$out/appends.db" \
	-n pg-4 "./appenders.sh 4 $PG_APPEND" \
	-n sqlite-8 "./appenders.sh 8 sqlite:$out/appends.db" \
	-n pg-8 "./appenders.sh 8 $PG_APPEND"
"$tool" verify "$PG_APPEND" >/dev/null
"$tool" verify "sqlite:$out/appends.db" >/dev/null

# --- full runs, 1, 4, 8 checkouts at once ------------------------------
mkdir -p proj/features
{
	echo "@resource:cpu=0.1,memory=128,storage=10,story_points=1"
	echo "Feature: many runners"
	for i in $(seq 1 10); do
		echo "  Scenario: scenario $i"
		echo "    Given a service with $i replicas"
		echo "    When I call it"
		echo "    Then it answers"
	done
} >proj/features/a.feature
cat >proj/specgate.yaml <<'EOF'
project: bench
retention: {active_runs: 5}
stages:
  validate: {run: ["true"]}
  generate: {run: ["true"]}
  build: {run: ["true"]}
  deploy: {run: ["true"]}
EOF
for i in $(seq 1 8); do
	cp -r proj "sq$i"
	cp -r proj "pg$i"
done
PG_RUNS=$(newdb runs)
# batch.sh K PREFIX [URL]: `specgate run` in PREFIX1..PREFIXK at once.
cat >batch.sh <<EOF
#!/bin/sh
k=\$1 prefix=\$2 pids= rc=0
if [ -n "\${3:-}" ]; then SPECGATE_DATABASE_URL=\$3; export SPECGATE_DATABASE_URL; fi
i=1
while [ \$i -le \$k ]; do
	(cd "\$prefix\$i" && exec "$sg" run -q >/dev/null 2>run.err) &
	pids="\$pids \$!"
	i=\$((i + 1))
done
i=1
for p in \$pids; do
	# a failed run: its messages, for the failures.log the summary shows
	wait \$p || { rc=1; cat "\$prefix\$i/run.err" >>"$out/failures.log"; }
	i=\$((i + 1))
done
exit \$rc
EOF
chmod +x batch.sh
hyperfine -N --warmup 1 --runs "$RUNS" --export-json runs.json \
	-n sqlite-1 "./batch.sh 1 sq" \
	-n pg-1 "./batch.sh 1 pg $PG_RUNS" \
	-n sqlite-4 "./batch.sh 4 sq" \
	-n pg-4 "./batch.sh 4 pg $PG_RUNS" \
	-n sqlite-8 "./batch.sh 8 sq" \
	-n pg-8 "./batch.sh 8 pg $PG_RUNS"
(cd pg1 && SPECGATE_DATABASE_URL=$PG_RUNS "$sg" runs --json | jq length) >pg-runs.n

# --- audit verify of a large trail ------------------------------------
PG_VERIFY=$(newdb verify)
echo "== building a trail of $VERIFY_N records in PostgreSQL and in SQLite"
mkdir -p verify-sqlite
hyperfine -N --runs 1 --export-json gen.json \
	-n gen-pg "$tool gen $PG_VERIFY $VERIFY_N" \
	-n gen-sqlite "$tool gen $out/verify-sqlite $VERIFY_N"
# the floor: psql copying the same rows out of the server, hashing nothing
cat >copy.sh <<EOF
#!/bin/sh
exec psql -X -q -h "$PG_SOCK" -U pgadmin -d verify -c "\\copy (SELECT seq, ts, run_id, feature_id, stage, status, output, output_sha256, mode, prev_hash, hash FROM audit_records ORDER BY seq) TO '/dev/null'"
EOF
chmod +x copy.sh
hyperfine -N --warmup 1 --runs "$RUNS" --export-json verify.json \
	-n verify-pg "$tool verify $PG_VERIFY" \
	-n copy-pg "./copy.sh" \
	-n verify-sqlite "$tool verify $out/verify-sqlite"
"$tool" verify "$PG_VERIFY"

# --- the summary -------------------------------------------------------
if [ -s failures.log ]; then
	echo "pg-store: runs failed:" >&2
	cat failures.log >&2
fi
med() {
	jq -r --arg n "$2" '.results[] | select(.command == $n) | .median' "$1"
}
cpu() {
	jq -r --arg n "$2" '.results[] | select(.command == $n) | (.user + .system)' "$1"
}
echo
echo "pg-store: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(getconf _NPROCESSORS_ONLN) CPUs"
echo "checkpoint appends per second ($APPENDS per appender, one transaction each; medians of $RUNS):"
for k in 1 4 8; do
	awk -v k="$k" -v n="$APPENDS" -v s="$(med appends.json sqlite-$k)" \
	    -v p="$(med appends.json pg-$k)" 'BEGIN {
		printf "  %d appender(s): SQLite %.0f/s, PostgreSQL %.0f/s; PostgreSQL/SQLite %.2fx\n",
		    k, k * n / s, k * n / p, s / p
	}'
done
echo "a full run, K checkouts at once (the batch's wall time; medians of $RUNS):"
for k in 1 4 8; do
	awk -v k="$k" -v s="$(med runs.json sqlite-$k)" \
	    -v p="$(med runs.json pg-$k)" 'BEGIN {
		printf "  %d runner(s): SQLite %.0f ms, PostgreSQL %.0f ms; added %+.0f ms per batch (%+.1f ms per run); ratio %.2fx\n",
		    k, s * 1000, p * 1000, (p - s) * 1000, (p - s) * 1000 / k, p / s
	}'
done
echo "  PostgreSQL holds $(cat pg-runs.n) runs of the batches above, one chain"
awk -v n="$VERIFY_N" -v p="$(med verify.json verify-pg)" \
    -v s="$(med verify.json verify-sqlite)" -v pc="$(cpu verify.json verify-pg)" \
    -v sc="$(cpu verify.json verify-sqlite)" -v gp="$(med gen.json gen-pg)" \
    -v gs="$(med gen.json gen-sqlite)" -v c="$(med verify.json copy-pg)" 'BEGIN {
	printf "audit verify of %d records: PostgreSQL %.0f ms (CPU %.0f ms), SQLite %.0f ms (CPU %.0f ms); ratio %.2fx; goal < 2000 ms from PostgreSQL\n",
	    n, p * 1000, pc * 1000, s * 1000, sc * 1000, p / s
	printf "  the floor, psql \\copy of the same rows: %.0f ms; verify / floor %.2fx\n", c * 1000, p / c
	printf "  (building them: PostgreSQL %.1f s, SQLite %.1f s)\n", gp, gs
}'
