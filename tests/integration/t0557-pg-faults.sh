#!/usr/bin/env bash
# t0557-pg-faults: the PostgreSQL store when its server goes away, against
# a real PostgreSQL 15 (tests/integration/pg.sh).  The server is restarted
# (`pg_ctl restart -m fast`, as the user who owns the cluster) from inside
# a stage command of the run itself:
#
#  - between two transactions: the run reconnects at its next checkpoint,
#    sets its session up again (the server's log shows it) and completes;
#  - while a checkpoint's BEGIN waits for the writers' lock (a psql
#    session holds it; a watcher restarts the server once pg_stat_activity
#    shows the run's backend waiting): nothing was done yet, the run
#    begins again on a new connection and completes;
#  - inside a checkpoint's transaction, its INSERT waiting for a table
#    lock a psql session holds: that transaction fails, the run exits 5
#    and closes itself (`audit failure`, status failure, no staging
#    directory left);
#  - under `specgate serve`: its pooled connections reconnect.
#
# After each, `audit verify` passes on the database (one chain, checked
# with psql too) and a later run succeeds.  A server stopped before a
# run: exit 5 naming the socket directory, nothing written anywhere.
# Without the PostgreSQL binaries every test says # SKIP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/pg.sh"
. "$(dirname "$0")/serve.sh"

if ! pg_have; then
	echo "ok 1 - PostgreSQL faults # SKIP no PostgreSQL 15 binaries in $PG_BIN"
	echo "1..1"
	exit 0
fi
pg_start || { echo "not ok 1 - start PostgreSQL"; echo "1..1"; exit 1; }
# pg.sh's and serve.sh's clean-ups, both
trap 'while read -r p; do kill -KILL "$p" 2>/dev/null; done <"$SERVE_PIDS"; pg_stop; rm -rf "$TRASH"' EXIT

# The writers' advisory lock key (st_pg.c): "specgate" in ASCII.
LOCK_KEY=8317696451429278821

# restart.sh: `pg_ctl restart -m fast` of the test's server, as its owner,
# waiting until it accepts connections again.  Its log goes on appending
# to server.log.
cat >"$TRASH/restart.sh" <<EOF
#!/bin/sh
set -e
cd /
if [ -n "$PG_OWNER" ]; then
	runuser -u "$PG_OWNER" -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" \\
	    -l "$PG_DIR/server.log" -m fast -w -t 30 restart >/dev/null
else
	"$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \\
	    -m fast -w -t 30 restart >/dev/null
fi
EOF
chmod +x "$TRASH/restart.sh"
RESTART=$TRASH/restart.sh

# hold.sh DB MODE: a psql session takes a lock in DB and keeps it (until
# the restart ends the session): MODE advisory, the writers' lock; MODE
# relation, audit_records in EXCLUSIVE mode (reads go on, inserts wait).
# A watcher, in the background, restarts the server as soon as
# pg_stat_activity shows specgate's backend waiting for that lock (at most
# 10 s of polling), logging to watcher.log.
cat >"$TRASH/hold.sh" <<EOF
#!/bin/sh
db=\$1 mode=\$2
sql() { psql -X -At -h "$PG_SOCK" -U pgadmin -d "\$db" -c "\$1"; }
if [ "\$mode" = advisory ]; then
	take="SELECT pg_advisory_lock($LOCK_KEY); SELECT pg_sleep(60)"
	held="SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
else
	take="BEGIN; LOCK TABLE audit_records IN EXCLUSIVE MODE; SELECT pg_sleep(60)"
	held="SELECT count(*) FROM pg_locks WHERE relation = 'audit_records'::regclass AND mode = 'ExclusiveLock' AND granted"
fi
setsid psql -X -q -h "$PG_SOCK" -U pgadmin -d "\$db" -c "\$take" \
    </dev/null >/dev/null 2>&1 &
i=0
until [ "\$(sql "\$held")" = 1 ]; do
	i=\$((i + 1)); [ \$i -lt 200 ] || exit 1; sleep 0.05
done
setsid sh -c '
	i=0
	until [ "\$(psql -X -At -h "$PG_SOCK" -U pgadmin -d "\$1" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"'specgate'"' AND wait_event_type = '"'Lock'"' AND wait_event = '"'\$2'"'")" = 1 ]; do
		i=\$((i + 1)); [ \$i -lt 200 ] || break; sleep 0.05
	done
	echo "waiting seen after \$i polls"
	"$RESTART" && echo restarted
' watcher "\$db" "\$mode" </dev/null >watcher.log 2>&1 &
EOF
chmod +x "$TRASH/hold.sh"
HOLD=$TRASH/hold.sh

# db NAME: a fresh database for one test; sets URL and exports it as the store.
db() {
	URL=$(pg_newdb "$1") || return 1
	SPECGATE_DATABASE_URL=$URL
	export SPECGATE_DATABASE_URL
}

# q DB SQL: one value from psql as the superuser.
q() { PG_DB=$1 pg_psql -At -c "$2"; }

# restarts: how many times the server has started (its log says so).
restarts() { grep -c "database system is ready to accept connections" "$PG_DIR/server.log"; }

# chain_ok DB: every record's prev_hash is the hash of the one before,
# seq has no gap, and `audit verify` passes on the database.
chain_ok() {
	local n
	n=$(q "$1" "SELECT count(*) FROM audit_records") &&
	test "$(q "$1" "SELECT max(seq) FROM audit_records")" = "$n" &&
	test "$(q "$1" "SELECT count(*) FROM audit_records a JOIN audit_records b ON b.seq = a.seq - 1 WHERE a.prev_hash = b.hash")" = $((n - 1)) &&
	sg audit verify >verify.out &&
	expect_grep "$n records.*: ok$" verify.out
}

test_expect_success 'restarted between two checkpoints: the run reconnects and completes' '
	db between && project &&
	q between "ALTER DATABASE between SET log_statement = '"'"'all'"'"'" &&
	cat >>specgate.yaml <<-EOF &&
	stages:
	  validate: {run: ["$RESTART"], retries: 0}
	  build: {run: ["true"]}
	EOF
	before=$(restarts) &&
	sg run >out 2>err &&
	test "$(restarts)" = $((before + 1)) &&
	fid=$(sg id) && rid=$(run_ids) &&
	expect_grep "^run $rid of feature $fid: " out &&
	bundle_ok reports/$fid/$rid &&
	test "$(q between "SELECT string_agg(stage || '"'"' '"'"' || status, '"'"','"'"' ORDER BY seq) FROM audit_records")" = \
	    "preflight success,validate warning,generate skipped,build success,deploy skipped,audit success" &&
	test "$(q between "SELECT status FROM runs")" = warning &&
	# the new session was set up again: its settings in the server log,
	# after the restart
	sed -n "/database system is ready/h; /database system is ready/!H; \${x;p}" "$PG_DIR/server.log" >after.log &&
	expect_grep "SET lock_timeout TO 10000" after.log &&
	chain_ok between &&
	sg run -q && chain_ok between &&
	test "$(q between "SELECT count(*) FROM runs WHERE status IN ('"'"'success'"'"', '"'"'warning'"'"')")" = 2
'

# watched: wait for the watcher to restart the server (at most 30 s)
watched() {
	for _ in $(seq 1 300); do
		grep -q restarted watcher.log 2>/dev/null && break
		sleep 0.1
	done
	cat watcher.log && expect_grep "^waiting seen" watcher.log &&
	expect_grep restarted watcher.log
}

test_expect_success 'restarted while a checkpoint waits for the writers lock: it begins again, the run completes' '
	db waiting && project &&
	cat >>specgate.yaml <<-EOF &&
	stages:
	  validate: {run: ["$HOLD waiting advisory"], retries: 0}
	  build: {run: ["touch built"]}
	EOF
	before=$(restarts) &&
	{ sg run >out 2>err || { cat err; tail -n 20 "$PG_DIR/server.log"; exit 1; }; } &&
	watched &&
	test "$(restarts)" = $((before + 1)) &&
	test -e built && bundle_ok reports/$(sg id)/$(run_ids) &&
	test "$(q waiting "SELECT string_agg(stage || '"'"' '"'"' || status, '"'"','"'"' ORDER BY seq) FROM audit_records")" = \
	    "preflight success,validate warning,generate skipped,build success,deploy skipped,audit success" &&
	chain_ok waiting
'

test_expect_success 'restarted inside a checkpoint transaction: exit 5, the run closed, no partial state' '
	db inflight && project &&
	cat >>specgate.yaml <<-EOF &&
	stages:
	  validate: {run: ["$HOLD inflight relation"], retries: 0}
	  build: {run: ["touch built"]}
	EOF
	before=$(restarts) &&
	expect_exit 5 sg run >out 2>err && watched &&
	test "$(restarts)" = $((before + 1)) &&
	expect_grep "terminating connection\|connection was lost\|server closed the connection" err &&
	test ! -e built &&
	# no partial state: the run is closed in the store and in the chain,
	# and nothing of it is left in the checkout
	rid=$(q inflight "SELECT run_id FROM runs") &&
	test "$(q inflight "SELECT status FROM runs")" = failure &&
	test "$(q inflight "SELECT string_agg(stage || '"'"' '"'"' || status, '"'"','"'"' ORDER BY seq) FROM audit_records")" = \
	    "preflight success,audit failure" &&
	test -z "$(find reports -mindepth 2 -maxdepth 2 2>/dev/null)" &&
	test -z "$(ls .specgate | grep -v "^keys$")" &&
	chain_ok inflight &&
	sg runs >runs.out && expect_grep "$rid.*failure" runs.out &&
	sed -i "/validate:/d; /build:/d; /stages:/d" specgate.yaml &&
	sg run -q && chain_ok inflight &&
	test "$(q inflight "SELECT count(*) FROM runs WHERE status = '"'"'success'"'"'")" = 1
'

test_expect_success 'a stopped server before a run: exit 5 naming the socket, nothing written; started again, runs go on' '
	db stopped && project && sg run -q &&
	n=$(q stopped "SELECT count(*) FROM audit_records") &&
	mkdir c2 && cp -r features specgate.yaml c2/ &&
	(cd / && pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null) &&
	(cd c2 && expect_exit 5 sg run >../out 2>../err) &&
	expect_grep "cannot connect to the database on host .$PG_SOCK." err &&
	! grep -F "$PG_PASSWORD" out err &&
	test ! -e c2/reports && test ! -e c2/.specgate &&
	(cd c2 && expect_exit 5 sg runs 2>../err2) &&
	expect_grep "host .$PG_SOCK." err2 &&
	(cd / && pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
	    -o "-c listen_addresses= -c unix_socket_directories=$PG_SOCK -c fsync=off -c max_connections=60" \
	    start >/dev/null) &&
	test "$(q stopped "SELECT count(*) FROM audit_records")" = "$n" &&
	test "$(q stopped "SELECT count(*) FROM runs")" = 1 &&
	sg run -q && chain_ok stopped &&
	test "$(q stopped "SELECT count(*) FROM runs WHERE status = '"'"'success'"'"'")" = 2
'

test_expect_success 'serve: its pooled connections reconnect after a restart' '
	db served && project && sg run -q && rid=$(run_ids) &&
	serve_start &&
	get api/v1/runs >r1.json && jq -e --arg r "$rid" ".runs[0].run_id == \$r or .[0].run_id == \$r" r1.json &&
	"$RESTART" &&
	test "$(status api/v1/runs)" = 200 &&
	get api/v1/runs >r2.json && cmp r1.json r2.json &&
	serve_stop
'

test_done
