#!/usr/bin/env bash
# t1100-serve: `specgate serve` over real runs, checked with curl and jq:
# /healthz (the seed's document, 503 for each failing check), HEAD and
# 405, the JSON API (filters, paging, one run, the audit trail, errors
# with stable codes, traversal), the dashboard's bytes, the access log,
# SIGTERM.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/serve.sh"

ISO='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'

test_expect_success 'healthz: the seed document, mode, service, checks' '
	runs_project && serve_start &&
	curl -sS -D h -o b "${URL}healthz" &&
	head -1 h | grep -q "^HTTP/1.1 200" &&
	grep -qi "^content-type: application/json" h &&
	jq -e --arg re "$ISO" --arg v "$(sg version | cut -d" " -f2)" "
	    (keys_unsorted[0:5] == [\"status\",\"version\",\"commit\",\"timestamp\",\"metrics\"]) and
	    .status == \"healthy\" and .metrics == {health_up: 1} and
	    (.timestamp | test(\$re)) and .version == \$v and
	    (.commit | test(\"^[0-9a-f]{7,40}$|^unknown$\")) and
	    .mode == \"sandbox\" and .service == \"t\" and
	    .checks.store.status == \"ok\" and .checks.store.audit_records > 0 and
	    .checks.reports.status == \"ok\" and .checks.reports.path == \"reports\" and
	    .checks.signing_key.status == \"ok\" and
	    (has(\"errors\") | not)" b &&
	test "$(jq -r .commit b)" = "$(sg version | sed "s/.*(\(.*\))/\1/")" &&
	serve_stop
'

test_expect_success 'HEAD answers like GET without a body; POST/PUT/DELETE get 405' '
	project && sg run -q && serve_start &&
	curl -sS -I "${URL}healthz" >h && head -1 h | grep -q " 200" &&
	len=$(sed -n "s/^[Cc]ontent-[Ll]ength: *\([0-9]*\).*/\1/p" h) && test "$len" -gt 50 &&
	for m in POST PUT DELETE PATCH; do
		curl -sS -X $m -D h2 -o b "${URL}healthz" &&
		head -1 h2 | grep -q " 405" && grep -qi "^allow: GET, HEAD" h2 &&
		jq -e ".error.code == \"method_not_allowed\"" b || exit 1
	done &&
	test "$(status /api/v1/runs -X POST)" = 405 &&
	serve_stop
'

# The checks run at most once a second: wait that long after breaking one.
test_expect_success 'healthz is 503 with errors for a broken store' '
	project && sg run -q && serve_start &&
	test "$(status /healthz)" = 200 &&
	mv .specgate/state.db keep.db && echo "not a database" >.specgate/state.db &&
	sleep 1.1 && curl -sS -o b -w "%{http_code}" "${URL}healthz" >code &&
	test "$(cat code)" = 503 &&
	jq -e ".status == \"unhealthy\" and .metrics.health_up == 0 and
	    .checks.store.status == \"error\" and
	    (.errors | length == 1) and (.errors[0] | startswith(\"store: \"))" b &&
	mv keep.db .specgate/state.db && sleep 1.1 && test "$(status /healthz)" = 200 &&
	serve_stop
'

test_expect_success 'healthz is 503 when reports is not a writable directory' '
	project && sg run -q && mv reports r && echo x >reports && serve_start &&
	get /healthz -o b && jq -e ".status == \"unhealthy\" and
	    .checks.reports.status == \"error\" and
	    (.errors[0] | test(\"reports: .*not a directory\"))" b &&
	test "$(status /healthz)" = 503 && serve_stop
'

test_expect_success 'healthz is 503 when free space is below serve.min_free_mb' '
	project && printf "serve: {min_free_mb: 999999999}\n" >>specgate.yaml &&
	serve_start && test "$(status /healthz)" = 503 && get /healthz -o b &&
	jq -e ".checks.reports.status == \"error\" and
	    .checks.reports.free_bytes < .checks.reports.min_free_bytes and
	    (.errors[0] | test(\"below\"))" b && serve_stop
'

test_expect_success 'healthz checks a configured signing key without its passphrase, or 503' '
	project && SPECGATE_KEY_PASSWORD=pw sg keygen --out k >/dev/null &&
	printf "signing: {key: k.key}\n" >>specgate.yaml &&
	serve_start &&
	get /healthz -o b && jq -e ".status == \"healthy\" and
	    .checks.signing_key == {status: \"ok\", path: \"k.key\"}" b &&
	serve_stop &&
	SPECGATE_KEY_PASSWORD=wrong serve_start && get /healthz -o b &&
	jq -e ".status == \"healthy\"" b && serve_stop &&
	mv k.pub k.pub.away && serve_start && get /healthz -o b &&
	test "$(status /healthz)" = 503 &&
	jq -e ".checks.signing_key.status == \"error\" and
	    (.errors[0] | test(\"^signing_key: .*k.pub\"))" b &&
	serve_stop && mv k.pub.away k.pub &&
	echo garbage >k.key && SPECGATE_KEY_PASSWORD=pw serve_start &&
	test "$(status /healthz)" = 503 && serve_stop
'

test_expect_success 'API: runs newest first, filters, paging' '
	runs_project && serve_start &&
	get /api/v1/runs >all && sg --json runs >cli.json &&
	jq -e ".runs | length == 4" all &&
	test "$(jq -c "[.runs[] | [.run_id, .feature_id, .status]]" all)" = \
	    "$(jq -c "[.[] | [.run_id, .feature_id, .status]]" cli.json)" &&
	jq -e "[.runs[].started_at] | . == (sort | reverse)" all &&
	jq -e ".runs[0].bundle | test(\"^reports/[0-9a-f]{12}/[0-9]{14}\")" all &&
	get "/api/v1/runs?status=failure" | jq -e "(.runs | length == 1) and .runs[0].mode == \"compliance\"" &&
	get "/api/v1/runs?mode=sandbox" | jq -e ".runs | length == 2" &&
	fid=$(sg id) &&
	get "/api/v1/runs?feature_id=$fid&mode=compliance" | jq -e ".runs | length == 1" &&
	get "/api/v1/runs?limit=3" | jq -e "(.runs | length == 3) and .next_offset == 3" &&
	get "/api/v1/runs?limit=3&offset=3" | jq -e "(.runs | length == 1) and .next_offset == null" &&
	test "$(get "/api/v1/runs?limit=1&offset=2" | jq -r .runs[0].run_id)" = "$(jq -r .runs[2].run_id all)" &&
	serve_stop
'

test_expect_success 'API: one run with stages, checkpoints, gates, artifacts' '
	project && sg run -q && serve_start &&
	rid=$(sg --json runs | jq -r ".[0].run_id") && fid=$(sg id) &&
	get "/api/v1/runs/$rid" >r &&
	jq -e --arg rid "$rid" ".run.run_id == \$rid and .run.status == \"success\" and
	    [.stages[].stage] == [\"preflight\",\"validate\",\"generate\",\"build\",\"deploy\",\"audit\"] and
	    .stages[0].status == \"success\" and .stages[0].attempts == 1 and
	    .stages[1].status == \"skipped\" and
	    (.checkpoints | length == 6) and
	    (.gates[0] == {gate: \"spec\", result: \"pass\", errors: 0, warnings: 0, source: \"spec-validation-report.json\"}) and
	    .approvals == []" r &&
	b=reports/$fid/$rid &&
	test "$(jq -c "[.artifacts[] | {path, size, sha256}]" r)" = \
	    "$(jq -c "[.files[] | {path, size, sha256}]" $b/manifest.json)" &&
	(cd $b && jq -r ".artifacts[] | \"\(.sha256)  \(.path)\"" ../../../r | sha256sum --quiet -c -) &&
	sg --json audit log --run $rid >log.json &&
	test "$(jq -c "[.checkpoints[].hash]" r)" = "$(jq -c "[.[].hash]" log.json)" &&
	serve_stop
'

test_expect_success 'API: stable error codes; traversal and bad ids are 400' '
	runs_project && serve_start &&
	for p in "api/v1/runs/..%2F..%2Fetc%2Fpasswd" "api/v1/runs/x" \
	    "api/v1/runs/" "api/v1/runs/2025092414044" "api/v1/runs/20250924140440-1" \
	    "api/v1/runs/20250924140440/../../x" "api/v1/runs/20250924140440%00" \
	    "api/v1/runs/20250924140440%00x" "api/v1/runs/../../../../etc/passwd" \
	    "api/v1/runs/%2e%2e%2f%2e%2e%2fetc%2fpasswd"; do
		curl -sS --path-as-is -o b -w "%{http_code}" "$URL$p" >code &&
		test "$(cat code)" = 400 &&
		jq -e ".error.code == \"invalid_run_id\"" b || { echo "$p"; cat code b; exit 1; }
	done &&
	curl -sS --path-as-is -o b -w "%{http_code}" "${URL}api/../../etc/passwd" >code &&
	test "$(cat code)" = 404 && jq -e ".error.code == \"not_found\"" b &&
	get /api/v1/runs/20000101000000 -o b -w "%{http_code}" >code &&
	test "$(cat code)" = 404 && jq -e ".error.code == \"run_not_found\"" b &&
	rid=$(get "/api/v1/runs?status=failure" | jq -r .runs[0].run_id) &&
	if [ "$(get "/api/v1/runs" | jq "[.runs[] | select(.run_id == \"$rid\")] | length")" -gt 1 ]; then
		test "$(status /api/v1/runs/$rid)" = 409 &&
		get /api/v1/runs/$rid | jq -e ".error.code == \"ambiguous_run\"" &&
		get "/api/v1/runs/$rid?feature_id=$(sg id)" | jq -e ".run.feature_id == \"$(sg id)\""
	fi &&
	for q in "status=bogus" "mode=x" "feature_id=XYZ" "limit=0" "limit=501" "limit=-1" "offset=a"; do
		test "$(status "/api/v1/runs?$q")" = 400 &&
		get "/api/v1/runs?$q" | jq -e ".error.code == \"invalid_parameter\"" >/dev/null || { echo "$q"; exit 1; }
	done &&
	get /nope -o b -w "%{http_code}" >code && test "$(cat code)" = 404 &&
	jq -e ".error.code == \"not_found\"" b &&
	serve_stop
'

test_expect_success 'API: the audit trail after a sequence number' '
	runs_project && serve_start &&
	n=$(sg --json audit log | jq length) &&
	get /api/v1/audit >a && jq -e --argjson n "$n" ".records | length == \$n" a &&
	test "$(jq -c "[.records[] | [.seq, .hash, .prev_hash]]" a)" = \
	    "$(sg --json audit log | jq -c "[.[] | [.seq, .hash, .prev_hash]]")" &&
	get "/api/v1/audit?after=5&limit=3" >a2 &&
	jq -e ".records | map(.seq) == [6,7,8]" a2 && jq -e ".next_after == 8" a2 &&
	get "/api/v1/audit?after=$n" | jq -e ".records == [] and .next_after == $n" &&
	test "$(status "/api/v1/audit?after=-1")" = 400 &&
	get "/api/v1/audit?after=abc" | jq -e ".error.code == \"invalid_parameter\"" &&
	serve_stop
'

test_expect_success 'dashboard: HTML with the runs, no script, escaped project name' '
	runs_project && printf "project: \"<script>alert(1)</script>&\"\n" >specgate.yaml &&
	serve_start && curl -sS -D h -o page.html "$URL" &&
	grep -qi "^content-type: text/html" h &&
	grep -qi "^content-security-policy: default-src .none." h &&
	! grep -qi "<script" page.html &&
	grep -q "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" page.html &&
	test "$(grep -c "<section class=\"run\">" page.html)" = 4 &&
	serve_stop
'

test_expect_success 'access log: one structured line per request on stderr; -q: none' '
	project && serve_start && get /healthz >/dev/null && get "/api/v1/runs?limit=2" >/dev/null &&
	status /nope >/dev/null && serve_stop &&
	grep -E "^ts=[0-9T:-]+Z remote=127.0.0.1 method=GET path=\"/healthz\" status=200 bytes=[0-9]+ duration_ms=[0-9.]+$" serve.err &&
	grep -q "path=\"/api/v1/runs\" status=200" serve.err &&
	grep -q "path=\"/nope\" status=404" serve.err &&
	SERVE_FLAGS=-q serve_start && get /healthz >/dev/null && serve_stop &&
	! grep -q "^ts=" serve.err
'

test_expect_success 'SIGTERM and SIGINT: stop accepting and exit 0' '
	project && serve_start && get /healthz >/dev/null && serve_stop &&
	! curl -sS --max-time 2 "${URL}healthz" 2>/dev/null &&
	serve_start && kill -INT $SERVE_PID && wait $SERVE_PID
'

test_expect_success 'a listen address in use or malformed fails cleanly' '
	project && serve_start && port=$(echo "$URL" | sed "s/.*:\([0-9]*\)\/$/\1/") &&
	expect_exit 5 "$SPECGATE" -q serve --listen 127.0.0.1:$port 2>err &&
	grep -q "cannot listen" err &&
	expect_exit 5 "$SPECGATE" -q serve --listen nonsense 2>err &&
	grep -q "not a listen address" err &&
	expect_exit 2 "$SPECGATE" serve extra 2>/dev/null &&
	serve_stop
'

test_done
