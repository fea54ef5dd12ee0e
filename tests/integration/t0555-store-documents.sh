#!/usr/bin/env bash
# t0555-store-documents: each sealed run keeps its signed documents in the
# store (SQLite here; t0550 does PostgreSQL), and `specgate verify --store
# RUN` verifies it with the bundle directory gone: the stored set is the
# manifest's files but the logs, plus what is written after the manifest;
# the stored manifest is the sealed one and its signature passes openssl;
# a document changed, added or removed in the database (sqlite3) fails
# with exit 4 naming it; an unknown run is exit 2, no store exit 5; `store
# copy` carries the documents; `serve` shows the run's gates and files
# from the store when its bundle directory is not there.  Checked with sqlite3, jq, sha256sum and
# openssl, not with specgate alone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/intoto.sh"
. "$(dirname "$0")/serve.sh"

PUB=.specgate/keys/specgate.pub
DB=.specgate/state.db

# ready: a signed run; FID, RID, B (its bundle) set.
ready() {
	signed_project && sg run -q && B=$(latest) && FID=$(sg id) &&
	RID=$(basename "$B")
}

# doc PATH OUT: the stored document PATH of the run, written to OUT.
doc() {
	rm -f "$2" &&
	sqlite3 "$DB" "SELECT writefile('$2', body) FROM run_documents WHERE run_id = '$RID' AND path = '$1'" >/dev/null &&
	test -f "$2"
}

test_expect_success 'the stored documents: every file of the manifest but the logs, the same bytes' '
	ready &&
	sqlite3 "$DB" "SELECT path FROM run_documents WHERE run_id = '"'"'$RID'"'"' ORDER BY path" >stored &&
	{ jq -r ".files[].path" "$B/manifest.json" | grep -v "^logs/" &&
	  echo manifest.json && echo manifest.json.sig &&
	  (cd "$B" && ls links/audit.*.link); } | LC_ALL=C sort >want &&
	cmp want stored &&
	grep -q "^links/build\." stored && grep -q "^spec-validation-report.json.sig$" stored &&
	for p in $(cat stored); do
		doc "$p" got && cmp got "$B/$p" || return 1
	done
'

test_expect_success 'verify --store passes with reports/ gone, and names what it did not check' '
	ready && rm -rf reports &&
	sg verify --store "$RID" --key $PUB >out &&
	expect_grep "audit trail: 6 records.*: ok$" out &&
	expect_grep "^note: 1 of the .* files the manifest lists is not in the store .*: logs/preflight.log$" out &&
	sg verify --store "$FID/$RID" >out && expect_grep ": ok$" out &&
	expect_grep "no --key" out &&
	sg --json verify --store "$RID" >v.json &&
	jq -e ".ok == true and .bundles == 1 and .files > 10" v.json &&
	test -z "$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name "specgate-verify-*" -user "$(id -u)" -newer "$DB" 2>/dev/null)"
'

test_expect_success 'the stored manifest is the sealed one, and openssl accepts its stored signature' '
	ready && rm -rf reports &&
	doc manifest.json m.json && doc manifest.json.sig m.sig &&
	test "$(sha256sum <m.json | cut -c1-64)" = \
	    "$(sqlite3 "$DB" "SELECT output_sha256 FROM audit_records WHERE run_id = '"'"'$RID'"'"' AND output = '"'"'manifest.json'"'"'")" &&
	base64 -d m.sig >m.der &&
	openssl dgst -sha256 -verify $PUB -signature m.der m.json >ossl &&
	expect_grep "Verified OK" ossl &&
	jq -e --arg r "$RID" --arg f "$FID" ".run_id == \$r and .feature_id == \$f" m.json
'

test_expect_success 'a stored report changed in the database: exit 4, named' '
	ready && rm -rf reports &&
	sqlite3 "$DB" "UPDATE run_documents SET body = CAST(replace(CAST(body AS TEXT), '"'"'Ping'"'"', '"'"'Pong'"'"') AS BLOB) WHERE path = '"'"'spec-validation-report.json'"'"'" &&
	expect_exit 4 sg verify --store "$RID" --key $PUB >out &&
	expect_grep "^store:$FID/$RID/spec-validation-report.json: error: .* the manifest says .* (modified)$" out &&
	expect_grep "^store:$FID/$RID/spec-validation-report.json: error: bad signature" out &&
	expect_grep "VERIFICATION FAILED$" out
'

test_expect_success 'the stored manifest changed, or not JSON: exit 4, the seal disagrees' '
	ready && rm -rf reports &&
	sqlite3 "$DB" "UPDATE run_documents SET body = CAST(replace(CAST(body AS TEXT), '"'"'\"success\"'"'"', '"'"'\"warning\"'"'"') AS BLOB) WHERE path = '"'"'manifest.json'"'"'" &&
	expect_exit 4 sg verify --store "$RID" >out &&
	expect_grep "^store:$FID/$RID/manifest.json: error: was modified: .* audit record 6 sealed" out &&
	sqlite3 "$DB" "UPDATE run_documents SET body = X'"'"'6E6F74206A736F6E'"'"' WHERE path = '"'"'manifest.json'"'"'" &&
	expect_exit 4 sg verify --store "$RID" >out &&
	expect_grep "^store:$FID/$RID/manifest.json: error: was modified" out &&
	expect_grep "^store:$FID/$RID/manifest.json: error: .*JSON\|^store:$FID/$RID/manifest.json: error: .*not a manifest\|^store:$FID/$RID/manifest.json: error: .*manifest" out
'

test_expect_success 'a stored link removed, a document added: exit 4, named' '
	ready && rm -rf reports && cp $DB db.orig &&
	sqlite3 "$DB" "DELETE FROM run_documents WHERE path LIKE '"'"'links/build.%'"'"'" &&
	expect_exit 4 sg verify --store "$RID" >out &&
	expect_grep "^store:$FID/$RID/links: error: no valid link for stage build$" out &&
	cp db.orig "$DB" &&
	sqlite3 "$DB" "INSERT INTO run_documents VALUES ('"'"'$FID'"'"', '"'"'$RID'"'"', '"'"'extra.json'"'"', X'"'"'7B7D'"'"')" &&
	expect_exit 4 sg verify --store "$RID" >out &&
	expect_grep "^store:$FID/$RID/extra.json: error: .* is not in the manifest (added)$" out
'

test_expect_success 'a run without stored documents: exit 4; an unknown run: exit 2; no store: exit 5' '
	ready && sqlite3 "$DB" "DELETE FROM run_documents" &&
	expect_exit 4 sg verify --store "$RID" >out &&
	expect_grep "the store keeps no document of this run" out &&
	expect_exit 2 sg verify --store 20990101000000 2>err &&
	expect_grep "has no run 20990101000000" err &&
	expect_exit 2 sg verify --store not-a-run 2>err &&
	expect_grep "invalid run id" err &&
	rm -rf .specgate/state.db* &&
	expect_exit 5 sg verify --store "$RID" 2>err &&
	expect_grep "there is no store" err
'

test_expect_success 'a second checkout with only the store verifies the run; store copy carries the documents' '
	ready && mkdir ../other-$$ && cp specgate.yaml ../other-$$/ &&
	sg --json store copy "sqlite:$DB" "sqlite:$PWD/../other-$$/copy.db" >c.json &&
	n=$(sqlite3 "$DB" "SELECT count(*) FROM run_documents") &&
	jq -e --argjson n "$n" ".documents == \$n and .runs == 1" c.json &&
	(cd ../other-$$ && SPECGATE_DATABASE_URL=sqlite:copy.db sg verify --store "$RID" >out) ; rc=$? ;
	grep -q ": ok$" ../other-$$/out ; g=$? ;
	rm -rf ../other-$$ ; test $rc = 0 && test $g = 0
'

test_expect_success 'serve shows the gates and files of a run whose bundle is not here, from the store' '
	ready && serve_start &&
	get "/api/v1/runs/$RID" >with.json && rm -rf reports &&
	get "/api/v1/runs/$RID" >without.json && serve_stop &&
	jq -e ".gates[] | select(.gate == \"spec\") | .result == \"pass\" and .source == \"spec-validation-report.json\"" without.json &&
	jq -e "[.artifacts[].path] | index(\"spec-validation-report.json\") != null and index(\"logs/preflight.log\") != null" without.json &&
	test "$(jq -S "[.gates, .artifacts]" with.json)" = "$(jq -S "[.gates, .artifacts]" without.json)" &&
	sqlite3 "$DB" "DELETE FROM run_documents" && serve_start &&
	get "/api/v1/runs/$RID" >none.json && serve_stop &&
	jq -e "(.artifacts | length) == 0 and ([.gates[] | select(.gate == \"spec\")] | length) == 0" none.json
'

test_done
