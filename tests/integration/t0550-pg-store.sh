#!/usr/bin/env bash
# t0550-pg-store: the PostgreSQL store against a real PostgreSQL 15 started
# for the test (tests/integration/pg.sh): the pipeline, `runs` and `audit
# verify` with SPECGATE_DATABASE_URL=postgres://...; the append-only
# trigger and a tampered row; concurrent runs from separate checkouts of
# one project (distinct run ids, one valid chain); an unreachable database
# (exit 5, the host named, nothing written); a schema newer than the
# binary; the password never printed; `store migrate` and `store copy`
# SQLite -> PostgreSQL -> SQLite with the same head (bundle documents
# included); the signed documents kept in PostgreSQL: `verify --store`
# without reports/ (from a checkout without bundles too), a document
# changed with psql, openssl on the stored manifest signature; the store's
# unit tests against the same server.  Checked with psql,
# jq and the files, not with specgate alone.  Each test has a database
# of its own.  Without the PostgreSQL binaries (Debian's postgresql,
# which `make deps` installs), every test says # SKIP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/intoto.sh"
. "$(dirname "$0")/pg.sh"

if ! pg_have; then
	echo "ok 1 - the PostgreSQL store # SKIP no PostgreSQL 15 binaries in $PG_BIN"
	echo "1..1"
	exit 0
fi
pg_start || { echo "not ok 1 - start PostgreSQL"; echo "1..1"; exit 1; }

# db NAME: a fresh database for one test; sets URL and exports it as the store.
db() {
	URL=$(pg_newdb "$1") || return 1
	SPECGATE_DATABASE_URL=$URL
	export SPECGATE_DATABASE_URL
}

# q DB SQL: one value from psql as the superuser.
q() { PG_DB=$1 pg_psql -At -c "$2"; }

test_expect_success 'a run on PostgreSQL: runs lists it, audit verify passes, no SQLite file' '
	db run1 && project && sg run >out &&
	fid=$(sg id) && rid=$(run_ids) &&
	expect_grep "^run $rid of feature $fid: success$" out &&
	test ! -e .specgate/state.db &&
	bundle_ok reports/$fid/$rid &&
	test "$(q run1 "SELECT count(*) FROM audit_records")" = 6 &&
	test "$(q run1 "SELECT run_id, status FROM runs")" = "$rid|success" &&
	test "$(q run1 "SELECT max(version) FROM schema_version")" = 4 &&
	sg --json runs >runs.json &&
	jq -e --arg r "$rid" "length == 1 and .[0].run_id == \$r and .[0].status == \"success\"" runs.json &&
	sg runs "$rid" >show && expect_grep "preflight" show &&
	sg audit verify >v && expect_grep "6 records.*1 bundle .*: ok$" v &&
	test "$(jq -r .audit_trail.hash reports/$fid/$rid/manifest.json)" = \
	    "$(q run1 "SELECT hash FROM audit_records WHERE seq = 5")"
'

test_expect_success 'the trail is append-only in PostgreSQL; a row changed behind it fails verify' '
	db tamper && project && sg run -q && sg run -q &&
	! q tamper "UPDATE audit_records SET status = '"'"'failure'"'"' WHERE seq = 3" 2>err &&
	expect_grep "append-only" err &&
	! q tamper "DELETE FROM audit_records WHERE seq = 12" 2>err &&
	expect_grep "append-only" err &&
	! q tamper "TRUNCATE audit_records" 2>err &&
	expect_grep "append-only" err &&
	test "$(q tamper "SELECT count(*) FROM audit_records")" = 12 &&
	sg audit verify &&
	q tamper "ALTER TABLE audit_records DISABLE TRIGGER audit_records_no_change" &&
	q tamper "UPDATE audit_records SET status = '"'"'failure'"'"' WHERE seq = 3" &&
	expect_exit 4 sg audit verify >v 2>&1 &&
	expect_grep "record 3" v
'

# together N: run `specgate run` in checkouts c1..cN at the same moment:
# each waits for a shared lock on a file this shell holds exclusively.
together() {
	local n=$1 i pids="" rc=0
	exec 9>gate
	flock -x 9
	for i in $(seq 1 "$n"); do
		(cd "c$i" && flock -s ../gate "$SPECGATE" run -q >../out.$i 2>&1 9>&-) &
		pids="$pids $!"
	done
	sleep 0.2
	flock -u 9
	exec 9>&-
	for p in $pids; do wait "$p" || rc=1; done
	return $rc
}

test_expect_success '6 runners in 6 checkouts at once: distinct run ids, one valid chain' '
	db conc && mkdir c0 && (cd c0 && project) &&
	for i in 1 2 3 4 5 6; do cp -r c0 c$i || exit 1; done &&
	fid=$(cd c0 && sg id) &&
	together 6 || { cat out.*; exit 1; }
	q conc "SELECT run_id FROM runs ORDER BY run_id" >ids &&
	test "$(wc -l <ids)" = 6 && test "$(sort -u ids | wc -l)" = 6 &&
	test "$(q conc "SELECT count(*) FROM audit_records")" = 36 &&
	test "$(q conc "SELECT max(seq) FROM audit_records")" = 36 &&
	for r in $(cat ids); do
		test "$(q conc "SELECT count(*) FROM audit_records WHERE run_id = '"'"'$r'"'"'")" = 6 || exit 1
	done &&
	for i in 1 2 3 4 5 6; do
		ls c$i/reports/$fid | grep -E "^[0-9]{14}(-[0-9]+)?$" || exit 1
	done | sort >local && cmp local ids &&
	# one chain: prev_hash of each record is the hash of the one before
	test "$(q conc "SELECT count(*) FROM audit_records a JOIN audit_records b ON b.seq = a.seq - 1 WHERE a.prev_hash = b.hash")" = 35 &&
	# the bundles gathered in a seventh checkout: all verify against the store
	mkdir -p c0/reports/$fid &&
	for i in 1 2 3 4 5 6; do
		cp -r c$i/reports/$fid/2* c0/reports/$fid/ || exit 1
	done &&
	ln -s "$(tail -n 1 ids)" c0/reports/$fid/latest &&
	(cd c0 && sg audit verify >../v) && expect_grep "36 records.*6 bundles.*: ok$" v &&
	# and each verifies from the store alone, in a checkout without bundles
	mkdir c7 && cp c0/specgate.yaml c7/ &&
	for r in $(cat ids); do
		(cd c7 && sg verify --store "$r" >../v.$r) &&
		expect_grep ": ok$" v.$r || exit 1
	done
'

test_expect_success 'PostgreSQL keeps the signed documents: verify --store without reports/, psql tampering fails it, openssl accepts the stored signature' '
	db docs && signed_project && sg run -q && fid=$(sg id) && rid=$(run_ids) &&
	b=reports/$fid/$rid &&
	test "$(q docs "SELECT count(*) FROM run_documents WHERE run_id = '"'"'$rid'"'"'")" = \
	    "$(($(jq "[.files[].path | select(startswith(\"logs/\") | not)] | length" $b/manifest.json) + 3))" &&
	q docs "SELECT encode(body, '"'"'base64'"'"') FROM run_documents WHERE path = '"'"'manifest.json'"'"'" | base64 -d >m.json &&
	q docs "SELECT encode(body, '"'"'base64'"'"') FROM run_documents WHERE path = '"'"'manifest.json.sig'"'"'" | base64 -d >m.sig &&
	cmp m.json $b/manifest.json && cmp m.sig $b/manifest.json.sig &&
	base64 -d m.sig >m.der &&
	openssl dgst -sha256 -verify .specgate/keys/specgate.pub -signature m.der m.json >o &&
	expect_grep "Verified OK" o &&
	rm -rf reports &&
	sg verify --store "$rid" --key .specgate/keys/specgate.pub >v &&
	expect_grep "6 records.*: ok$" v && expect_grep "logs/preflight.log$" v &&
	q docs "UPDATE run_documents SET body = convert_to(replace(convert_from(body, '"'"'UTF8'"'"'), '"'"'Ping'"'"', '"'"'Pong'"'"'), '"'"'UTF8'"'"') WHERE path = '"'"'spec-validation-report.json'"'"'" &&
	expect_exit 4 sg verify --store "$rid" >v &&
	expect_grep "^store:$fid/$rid/spec-validation-report.json: error: .*(modified)$" v &&
	expect_exit 2 sg verify --store 20990101000000 2>err
'

test_expect_success 'an unreachable database: exit 5 naming the host, nothing written' '
	project &&
	SPECGATE_DATABASE_URL="postgres://runner:$PG_PASSWORD@127.0.0.1:1/specgate" &&
	export SPECGATE_DATABASE_URL &&
	expect_exit 5 sg run >out 2>err &&
	expect_grep "host .127\.0\.0\.1. port 1" err &&
	test ! -e reports && test ! -e .specgate &&
	SPECGATE_DATABASE_URL="postgres://runner:$PG_PASSWORD@/specgate?host=$PG_DIR/nowhere" &&
	expect_exit 5 sg run >out 2>>err &&
	expect_grep "host .$PG_DIR/nowhere." err &&
	test ! -e reports && test ! -e .specgate &&
	expect_exit 5 sg runs 2>>err &&
	! grep -F "$PG_PASSWORD" out err
'

test_expect_success 'the password never shows: wrong password, messages, config, bundle' '
	db secret && project &&
	expect_exit 5 env SPECGATE_DATABASE_URL="${URL/$PG_PASSWORD/wrong-PW-55}" \
	    "$SPECGATE" run >out 2>err &&
	expect_grep "password authentication failed" err &&
	! grep -F "wrong-PW-55" out err &&
	sg run -v >>out 2>>err && sg runs >>out && sg audit verify >>out &&
	sg config >>out 2>>err && sg --json config >>out &&
	sg store migrate >>out && sg store migrate "$URL" >>out &&
	expect_grep "runner:\[REDACTED\]@" out &&
	! grep -rF "$PG_PASSWORD" out err reports
'

test_expect_success 'a schema newer than this specgate: exit 5, nothing written' '
	db future && project &&
	sg store migrate >out && expect_grep "schema version 4" out &&
	q future "INSERT INTO schema_version VALUES (5, '"'"'0005_future'"'"', '"'"'2030-01-01T00:00:00Z'"'"')" &&
	expect_exit 5 sg run >out 2>err &&
	expect_grep "schema version 5, newer than this specgate knows (4); upgrade specgate" err &&
	test "$(q future "SELECT count(*) FROM runs")" = 0 &&
	test ! -e reports &&
	expect_exit 5 sg store migrate 2>err &&
	expect_grep "newer than this specgate" err
'

test_expect_success 'store migrate on an empty database creates the schema, once' '
	db mig && project &&
	test -z "$(q mig "SELECT to_regclass('"'"'runs'"'"')")" &&
	sg --json store migrate >m.json &&
	jq -e ".schema_version == 4 and .latest == 4 and (.store | test(\"REDACTED\"))" m.json &&
	test "$(q mig "SELECT string_agg(name, '"'"' '"'"' ORDER BY version) FROM schema_version")" = \
	    "0001_initial 0002_run_claims 0003_verified_heads 0004_run_documents" &&
	sg store migrate >/dev/null &&
	test "$(q mig "SELECT count(*) FROM schema_version")" = 4 &&
	SPECGATE_DATABASE_URL= expect_exit 0 sg runs >out &&
	expect_grep "no runs yet" out
'

test_expect_success 'store copy: SQLite -> PostgreSQL -> SQLite, verify passes with the same head' '
	project && sg run -q && sg run -q && unset SPECGATE_DATABASE_URL &&
	URL=$(pg_newdb copy) && head=$(sg --json audit log | jq -r ".[-1].hash") &&
	sg --json store copy sqlite:.specgate/state.db "$URL" >c.json &&
	jq -e --arg h "$head" ".runs == 2 and .records == 12 and .documents == 12 and .head.seq == 12 and .head.hash == \$h" c.json &&
	SPECGATE_DATABASE_URL=$URL sg audit verify >v && expect_grep "12 records, head 12 ${head:0:12}.*: ok$" v &&
	SPECGATE_DATABASE_URL=$URL sg --json runs | jq -r ".[].run_id" >pg.ids &&
	sg --json runs | jq -r ".[].run_id" >sq.ids && cmp pg.ids sq.ids &&
	expect_exit 2 sg store copy sqlite:.specgate/state.db "$URL" 2>err &&
	expect_grep "is not empty" err &&
	sg store copy "$URL" sqlite:back.db >out &&
	expect_grep "copied 2 runs and 12 audit records (12 bundle documents)" out &&
	SPECGATE_DATABASE_URL=sqlite:back.db sg audit verify >v &&
	expect_grep "12 records, head 12 ${head:0:12}.*: ok$" v &&
	sqlite3 back.db "SELECT seq, hash FROM audit_records ORDER BY seq" >b &&
	sqlite3 .specgate/state.db "SELECT seq, hash FROM audit_records ORDER BY seq" >a &&
	cmp a b
'

test_expect_success 'the store unit tests (tests/unit/store/runs.c, documents.c) pass against PostgreSQL' '
	URL=$(pg_newdb unit) &&
	SG_TEST_PG_URL=$URL CMOCKA_MESSAGE_OUTPUT=TAP "$BUILD/tests/unit/store/runs" >tap &&
	grep -c "^ok " tap >n && test "$(cat n)" -ge 10 &&
	! grep -q "^not ok" tap &&
	test "$(q unit "SELECT max(version) FROM schema_version")" = 4 &&
	test "$(q unit "SELECT count(*) FROM runs")" -gt 0 &&
	SG_TEST_PG_URL=$URL CMOCKA_MESSAGE_OUTPUT=TAP "$BUILD/tests/unit/store/documents" >tap &&
	test "$(grep -c "^ok " tap)" = 5 && ! grep -q "^not ok" tap
'

test_done
