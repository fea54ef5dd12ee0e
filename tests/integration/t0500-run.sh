#!/usr/bin/env bash
# t0500-run: `specgate run` and its bundle as docs/product.md §6 shows it,
# `runs`, `audit log`, `--to`, compliance failures, bad input, run ids.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"

ISO='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'

test_expect_success 'a run publishes a complete bundle and latest' '
	project && sg run >out &&
	fid=$(sg id) && rid=$(run_ids) &&
	test -n "$rid" && echo "$rid" | grep -Eq "^[0-9]{14}$" &&
	expect_grep "^run $rid of feature $fid: success$" out &&
	expect_grep "^bundle: reports/$fid/$rid$" out &&
	test "$(readlink reports/$fid/latest)" = "$rid" &&
	for f in spec-validation-report.json manifest.json checkpoints.log \
		logs/preflight.log; do test -f reports/$fid/$rid/$f || exit 1; done &&
	bundle_ok reports/$fid/$rid &&
	test -z "$(find reports -name ".*")"
'

test_expect_success 'every JSON document carries schema, ids, mode, timestamp' '
	project && sg run -q && b=reports/$(sg id)/latest &&
	for doc in $b/*.json; do
		jq -e --arg fid "$(sg id)" --arg rid "$(readlink $b)" \
		    ".schema and .feature_id == \$fid and .run_id == \$rid and
		     .mode == \"sandbox\" and (.timestamp | test(\"^[0-9-]{10}T[0-9:]{8}Z$\"))" \
		    "$doc" >/dev/null || { echo "$doc"; exit 1; }
	done &&
	jq -e ".schema == \"specgate/manifest/v1\"" $b/manifest.json &&
	jq -e ".schema == \"specgate/spec-validation-report/v1\"" $b/spec-validation-report.json
'

test_expect_success 'checkpoints.log has the exact line format, one per stage' '
	project && sg run -q && b=reports/$(sg id)/latest && rid=$(readlink $b) &&
	test "$(wc -l <$b/checkpoints.log)" = 6 &&
	grep -Evq "^$ISO \| $rid \| $(sg id) \| [a-z]+ \| [a-z_]+ \| [^ ]+$" $b/checkpoints.log && exit 1;
	sed -n 1p $b/checkpoints.log | grep -Eq "\| preflight \| success \| spec-validation-report.json$" &&
	sed -n 2,5p $b/checkpoints.log | grep -Ec "\| (validate|generate|build|deploy) \| skipped \| -$" | grep -qx 4 &&
	sed -n 6p $b/checkpoints.log | grep -Eq "\| audit \| success \| manifest.json$"
'

test_expect_success 'checkpoints.log matches audit log; the trail seals the manifest' '
	project && sg run -q && b=reports/$(sg id)/latest &&
	sg audit log --run $(readlink $b) >log &&
	cmp log $b/checkpoints.log &&
	sg --json audit log --stage audit >a.json &&
	test "$(jq -r ".[0].output_sha256" a.json)" = "$(sha256sum <$b/manifest.json | cut -c1-64)" &&
	test "$(jq -r ".[0].output" a.json)" = manifest.json
'

test_expect_success 'the manifest: files with sizes and digests, stages, the head' '
	project && sg run -q && b=reports/$(sg id)/latest &&
	jq -e "[.files[].path] == [\"checkpoints.log\", \"logs/preflight.log\", \"report.html\", \"report.md\", \"resource-estimates.json\", \"spec-validation-report.json\"]" $b/manifest.json &&
	jq -e "[.stages[].stage] == [\"preflight\",\"validate\",\"generate\",\"build\",\"deploy\",\"audit\"]" $b/manifest.json &&
	jq -e ".run.status == \"success\" and .run.to == \"audit\"" $b/manifest.json &&
	jq -e ".stages[1].detail | test(\"not run\")" $b/manifest.json &&
	jq -e ".audit_trail.seq == 5 and .audit_trail.records == [1,2,3,4,5]" $b/manifest.json &&
	test "$(jq -r .audit_trail.hash $b/manifest.json)" = \
	    "$(sg --json audit log | jq -r ".[4].hash")" &&
	test "$(jq -r .stages[0].sha256 $b/manifest.json)" = \
	    "$(sha256sum <$b/spec-validation-report.json | cut -c1-64)"
'

test_expect_success 'audit verify passes on a fresh bundle; --json says ok' '
	project && sg run -q && sg run -q &&
	sg audit verify >out && expect_grep "12 records.*2 bundles.*: ok$" out &&
	sg --json audit verify >v.json && jq -e ".ok and .bundles == 2 and .records == 12" v.json
'

test_expect_success 'run ids of one second get -2, -3; latest is the newest' '
	project &&
	for i in 1 2 3; do sg run -q || exit 1; done &&
	run_ids >ids && test "$(wc -l <ids)" = 3 &&
	test "$(ls reports/*/ | grep -c -- -)" -ge 0 &&
	newest=$(sg --json runs | jq -r ".[0].run_id") &&
	test "$(readlink reports/$(sg id)/latest)" = "$newest"
'

test_expect_success 'sandbox warnings: exit 0, status warning' '
	project && cp "$DATA/seed/missing_then.feature" features/ &&
	sg run >out && expect_grep "warning: .*SG123 missing-then" out &&
	expect_grep "^preflight: warning" out &&
	jq -e ".run.status == \"warning\"" reports/*/latest/manifest.json
'

test_expect_success 'compliance errors: exit 1 after preflight, bundle records failure' '
	project compliance && cp "$DATA/seed/missing_then.feature" features/ &&
	compliance_profile &&
	expect_exit 1 sg run >out 2>err &&
	expect_grep "error: .*SG123" out && expect_grep "preflight failed" err &&
	b=reports/$(sg id)/latest && bundle_ok $b &&
	jq -e ".run.status == \"failure\" and .mode == \"compliance\"" $b/manifest.json &&
	grep -q "| preflight | failure |" $b/checkpoints.log &&
	jq -e ".stages[1].detail == \"not run: preflight failed\"" $b/manifest.json &&
	test "$(sg --json runs | jq -r ".[0].status")" = failure &&
	sg audit verify >/dev/null
'

test_expect_success '--to preflight stops early; audit still publishes' '
	project && sg run --to preflight >out &&
	b=reports/$(sg id)/latest && bundle_ok $b &&
	jq -e ".run.to == \"preflight\" and .stages[1].detail == \"not run: --to preflight\"" $b/manifest.json &&
	grep -q "| audit | success | manifest.json" $b/checkpoints.log
'

test_expect_success '--to with an unknown stage: exit 2' '
	project && expect_exit 2 sg run --to lunch 2>err &&
	expect_grep "unknown stage" err && test ! -e reports
'

test_expect_success 'bad spec input: exit 2, no run, no bundle' '
	mkdir features && printf "Feature: x\n\0" >features/bin.feature &&
	expect_exit 2 sg run 2>err && expect_grep "binary data" err &&
	test ! -e reports && sg runs >out && expect_grep "no runs yet" out
'

test_expect_success 'runs lists newest first; runs RUN shows checkpoints and files' '
	project && sg run -q && sg run -q &&
	sg runs >out && test "$(grep -c "^[0-9]" out)" = 2 &&
	rid=$(sg --json runs | jq -r ".[1].run_id") &&
	sg runs $rid >one && expect_grep "^run $rid of feature" one &&
	expect_grep "| preflight | success |" one &&
	expect_grep "spec-validation-report.json .* [0-9a-f]\{64\}$" one &&
	sg --json runs $rid >one.json &&
	jq -e ".run.status == \"success\" and (.checkpoints | length) == 6 and .manifest.run_id == \"$rid\"" one.json &&
	expect_exit 2 sg runs 20000101000000
'

test_expect_success 'audit log filters by feature, run, stage and status' '
	project && sg run -q && cp "$DATA/seed/missing_then.feature" features/ && sg run -q &&
	test "$(sg audit log | wc -l)" = 12 &&
	test "$(sg audit log --stage preflight | wc -l)" = 2 &&
	test "$(sg audit log --status warning | wc -l)" = 1 &&
	test "$(sg audit log --feature $(sg id) | wc -l)" = 6 &&
	expect_exit 2 sg audit log --stage lunch
'

test_expect_success 'retention: active_runs newest stay, older go to archive/YYYYMMDD' '
	project && printf "retention: {active_runs: 2}\n" >>specgate.yaml &&
	for i in 1 2 3 4; do sg run -q || exit 1; done &&
	fid=$(sg id) && test "$(run_ids | wc -l)" = 2 &&
	ls -d reports/archive/*/$fid/* >arch && test "$(wc -l <arch)" = 2 &&
	while read -r d; do
		r=$(basename $d); day=$(basename $(dirname $(dirname $d)));
		test "$day" = "${r:0:8}" && bundle_ok $d || exit 1
	done <arch &&
	test -d reports/$fid/$(readlink reports/$fid/latest) &&
	sg audit verify >/dev/null && sg runs | grep -q "(archived)"
'

test_expect_success 'specgate archive applies a smaller retention on demand' '
	project && for i in 1 2 3; do sg run -q || exit 1; done &&
	printf "retention: {active_runs: 1}\n" >>specgate.yaml &&
	sg archive >out && expect_grep "2 runs archived" out &&
	test "$(run_ids | wc -l)" = 1 &&
	test "$(readlink reports/*/latest)" = "$(run_ids)" &&
	sg archive >out && expect_grep "0 runs archived" out &&
	sg audit verify >/dev/null
'

test_expect_success 'SOURCE_DATE_EPOCH stamps documents, not run ids or checkpoints' '
	project && SOURCE_DATE_EPOCH=1700000000 sg run -q &&
	b=reports/$(sg id)/latest &&
	jq -e ".timestamp == \"2023-11-14T22:13:20Z\"" $b/manifest.json &&
	jq -e ".timestamp == \"2023-11-14T22:13:20Z\"" $b/spec-validation-report.json &&
	test "$(readlink $b | cut -c1-4)" != 2023 &&
	! grep -q "^2023-11-14" $b/checkpoints.log
'

test_expect_success 'the store URL comes from the configuration' '
	project && printf "store: sqlite:var/trail.db\n" >>specgate.yaml &&
	sg run -q && test -f var/trail.db && test ! -e .specgate &&
	rm -rf reports && SPECGATE_DATABASE_URL=sqlite:other.db sg run -q &&
	test -f other.db
'

test_expect_success 'a run id taken by a bundle of another store: exit 5, clean' '
	project && fid=$(sg id) && now=$(date -u +%s) &&
	for i in 0 1 2 3 4 5; do
		mkdir -p reports/$fid/$(date -u -d "@$((now + i))" +%Y%m%d%H%M%S) || exit 1
	done &&
	expect_exit 5 sg run 2>err && expect_grep "already exists" err &&
	test -z "$(find reports -name ".*")" &&
	find reports -type d -empty -delete && sg audit verify
'

test_expect_success 'run --json prints the outcome' '
	project && sg --json run >o.json &&
	jq -e ".status == \"success\" and (.bundle | startswith(\"reports/\")) and .audit_head.seq == 6" o.json
'

test_expect_success 'runs, audit log and audit verify before any run' '
	project && sg runs >out && expect_grep "no runs yet" out &&
	sg audit log >out && test ! -s out && sg audit verify >out &&
	expect_grep "0 records" out && test ! -e .specgate
'

test_done
