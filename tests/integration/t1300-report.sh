#!/usr/bin/env bash
# t1300-report: `specgate report` through the real binary over real runs.
# A compliance release (a run that waits for approval, approved with a
# comment, resumed and deployed) and a sandbox run with a retry and a
# failing deploy.  Every figure of the JSON report is compared with jq to
# the bundle document it names, and every digest with sha256sum; the
# Markdown is parsed by markdown-it (tests/tools/markdown-it, pinned) and
# its tables must be tables with the JSON's figures; the HTML is opened in
# headless Chromium at 1280 and 390 pixels and checked by axe-core
# (tests/tools/axe, pinned) with no violation and nothing wider than the
# window; screenshots are kept as $BUILD/test-output/t1300/*.png.  A changed bundle file stops the report (exit 4).
# The dashboard (serve) shows the same release as one line of figures with
# its approver, folds the digests away, says why it is unhealthy, and at
# 1280 and 390 pixels has no serious axe-core violation and nothing wider
# than the window, its evidence opened or not.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/serve.sh"

MDIT=$SG_TEST_ROOT/tools/markdown-it
AXE=$SG_TEST_ROOT/tools/axe
# Screenshots: kept after the run under the build directory.
OUT=${BUILD:-$TRASH}/test-output/t1300
REL=$TRASH/release
mkdir -p "$OUT"

for d in "$MDIT" "$AXE" "$SG_TEST_ROOT/browser"; do
	if [ ! -d "$d/node_modules" ]; then
		(cd "$d" && npm ci --no-audit --no-fund --loglevel=error) >&2 ||
		    echo "# cannot install $(basename "$d") (npm ci in $d)" >&2
	fi
done

# release: in $REL, a compliance project whose run waits for alice's
# approval ($R), approved with a comment and resumed ($C, deployed).
release() {
	mkdir -p "$REL" && cd "$REL" && project compliance &&
	sg keygen -q --no-password >/dev/null 2>&1 &&
	sg keygen -q --no-password --out alice >/dev/null 2>&1 &&
	PROFILE_APPROVALS="{required: 1, keys: [alice.pub]}" compliance_profile &&
	expect_exit 3 sg run >/dev/null 2>&1 &&
	R=$(run_ids) && sg approve "$R" --key alice.key --comment "ship it | now" >/dev/null &&
	sg resume "$R" >/dev/null 2>&1 &&
	C=$(run_ids | grep -vx "$R") && test -n "$C" &&
	echo "$R" >R && echo "$C" >C
}

# figures_match REPORT.json: every source names a file that hashes to its
# sha256, and the figures equal what those documents say.
figures_match() {
	local j=$1 f
	jq -r '[.. | objects | select(has("href") and has("sha256") and has("file"))] |
	    unique_by(.href)[] | "\(.sha256)  \(.href)"' "$j" >sums &&
	test "$(wc -l <sums)" -ge 5 && sha256sum --quiet --strict -c sums &&
	f=$(jq -r '.metrics[] | select(.metric == "code coverage") | .source.href // empty' "$j") &&
	if [ -n "$f" ]; then
		jq -e --slurpfile d "$f" '.metrics[] | select(.metric == "code coverage") |
		    .actual == ("\($d[0].code_coverage.line_percent * 10 | round / 10 |
			tostring | if test("\\.") then . else . + ".0" end) % (" +
			"\($d[0].code_coverage.lines_hit) of \($d[0].code_coverage.lines_found) lines)")' "$j" &&
		jq -e --slurpfile d "$f" '.metrics[] | select(.metric == "tests") |
		    .actual == ("\($d[0].tests.passed) passed, \($d[0].tests.failed) failed, " +
			"\($d[0].tests.errors) errors, \($d[0].tests.skipped) skipped of \($d[0].tests.total)")' "$j" &&
		jq -e --slurpfile d "$f" '.metrics[] | select(.metric == "spec coverage") |
		    .actual | startswith("\($d[0].spec_coverage.covered) of \($d[0].spec_coverage.scenarios) scenarios")' "$j"
	fi &&
	f=$(jq -r '.metrics[] | select(.metric == "spec findings") | .source.href' "$j") &&
	jq -e --slurpfile d "$f" '.metrics[] | select(.metric == "spec findings") |
	    .actual == "\($d[0].summary.errors) errors, \($d[0].summary.warnings) warnings" and
	    .status == $d[0].summary.result' "$j" &&
	for f in $(jq -r '[.metrics[] | select(.metric | startswith("resources: ")) | .source.href] | unique[]' "$j"); do
		jq -e --slurpfile d "$f" '[.metrics[] | select(.source.href == "'"$f"'") |
		    select(.metric | startswith("resources: "))] as $m |
		    all($m[]; .metric[11:] as $c | ($d[0].checks[] | select(.check == $c)) as $k |
			((.actual | tonumber) - $k.value | fabs) < 0.000501 and
			.target == "<= \($k.limit)" and ((.status == "pass") == $k.ok))' "$j" || return 1
	done &&
	for f in $(jq -r '[.stages[] | select(.wall_seconds) | .measured_source.href] | unique[]' "$j"); do
		jq -e --slurpfile d "$f" 'all(.stages[] | select(.measured_source.href == "'"$f"'");
		    .stage as $s | .wall_seconds == ($d[0].measured.stages[] | select(.stage == $s) | .wall_seconds))' "$j" || return 1
	done &&
	jq -e '.retries_total = ([.stages[].retries] | add) |
	    (.metrics[] | select(.metric == "retries") | .actual | tonumber) == .retries_total' "$j"
}

test_expect_success 'a deployed continuation is one release: the approved run gates, approvals' '
	release && cd "$REL" && R=$(cat R) && C=$(cat C) &&
	sg report --format json >r.json &&
	jq -e --arg r "$R" --arg c "$C" ".run_id == \$c and .schema == \"specgate/report/v1\" and
	    .continues.run_id == \$r and .verdict.status == \"success\" and .verdict.reasons == []" r.json &&
	B=reports/$(sg id)/$C && A=reports/$(sg id)/$R &&
	jq -e --slurpfile a $B/approvals.json ".approvals | length == 1 and
	    .[0].keyid == \$a[0].approvals[0].keyid and .[0].comment == \"ship it | now\" and
	    .[0].timestamp == (\$a[0].approvals[0].document | fromjson | .timestamp) and
	    .[0].source.href == \"$B/approvals.json\"" r.json &&
	m=$(sha256sum $A/manifest.json | cut -c1-64) &&
	jq -e --arg m "$m" ".continues.manifest_source.sha256 == \$m" r.json &&
	jq -e --slurpfile a $B/approvals.json ".continues.manifest_source.sha256 ==
	    \$a[0].approved_manifest_sha256" r.json &&
	for g in "code coverage" tests "spec coverage" SAST; do
		jq -e --arg g "$g" ".metrics[] | select(.metric == \$g) |
		    .status == \"pass\" and .source.run_id == \"$R\"" r.json || exit 1
	done &&
	jq -e ".metrics[] | select(.metric == \"spec findings\") | .source.run_id == \"$C\"" r.json &&
	jq -e "[.stages[] | [.stage, .run_id, .status]] == [[\"preflight\",\"$C\",\"success\"],
	    [\"validate\",\"$R\",\"success\"], [\"generate\",\"$C\",\"skipped\"],
	    [\"build\",\"$R\",\"success\"], [\"deploy\",\"$C\",\"success\"], [\"audit\",\"$C\",\"success\"]]" r.json &&
	jq -e --slurpfile s $A/sbom.cyclonedx.json ".sbom.components == (\$s[0].components | length) and
	    .sbom.serial_number == \$s[0].serialNumber" r.json &&
	jq -e --slurpfile d $B/deploy.json ".environment.deploy_status == \"success\" and
	    .environment.deploy_attempts == \$d[0].attempts" r.json &&
	figures_match r.json
'

test_expect_success 'the Markdown parses (markdown-it) into tables with the same figures' '
	cd "$REL" && sg report >r.md && sg report --format json >r.json &&
	node "$MDIT/check.js" <r.md >seen.json &&
	jq -e ".html == [] and (.tables | length) == 6 and
	    .headings[1:] == [\"Metrics\",\"Stages\",\"Approvals\",\"SBOM\",\"Environment\",\"Risks\",\"Evidence\"]" seen.json &&
	jq -e ".headings[0] == \"Release report: t, run \($(jq .run_id r.json))\"" seen.json &&
	jq -e --slurpfile r r.json ".tables[1] == [[\"Metric\",\"Target\",\"Actual\",\"Status\",\"Evidence\"]] +
	    [\$r[0].metrics[] | [.metric, .target, .actual, .status, \"\(.source.file) \(.source.sha256[:12])\"]]" seen.json &&
	jq -e --slurpfile r r.json "[.tables[3][1:][] | .[1]] == [\"ship it | now\"]" seen.json &&
	jq -e "all(.tables[]; (.[0] | length) as \$n | all(.[]; length == \$n))" seen.json &&
	jq -r ".links[].href" seen.json | sort -u >hrefs && test "$(wc -l <hrefs)" -ge 8 &&
	while read -r h; do test -e "$h" || { echo "$h: no such file"; exit 1; }; done <hrefs &&
	jq -e --slurpfile r r.json "[.tables[-1][1:][] | .[2]] == [\$r[0].evidence[].sha256]" seen.json
'

test_expect_success 'text from the spec and the config stays text (Markdown, HTML)' '
	project && printf "project: \"x|<b>y</b> *z* [a](b) \`c\`\"\n" >specgate.yaml &&
	sg run -q && sg report >r.md && sg report --format html >r.html &&
	node "$MDIT/check.js" <r.md >seen.json &&
	jq -e ".html == [] and .headings[0] == (\"Release report: x|<b>y</b> *z* [a](b) \`c\`, run \" + \"$(run_ids)\") and
	    all(.tables[]; (.[0] | length) as \$n | all(.[]; length == \$n))" seen.json &&
	! grep -q "<b>y" r.html && grep -q "x|&lt;b&gt;y&lt;/b&gt;" r.html
'

test_expect_success 'a failed sandbox run: retries counted, the failing stage ranked first' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build: {run: ["test -f ok || { touch ok; exit 3; }"], retries: 2, interval: 0s}
	  deploy: {run: ["false"], retries: 0}
	EOF
	expect_exit 1 sg run -q 2>/dev/null &&
	sg report --format json >r.json &&
	B=reports/$(sg id)/$(run_ids) &&
	n=$(grep -c " | build | retry | " $B/checkpoints.log) && test "$n" = 1 &&
	jq -e ".verdict.status == \"failure\" and
	    (.verdict.reasons[0] | startswith(\"stage deploy: failure (attempt 1 of 1 failed\")) and
	    (.metrics[] | select(.metric == \"retries\") | .actual == \"1\" and .status == \"warning\") and
	    (.stages[] | select(.stage == \"build\") | .retries == 1) and
	    .risks[0].rank == 1 and .risks[0].severity == \"error\" and
	    (.risks[0].what | startswith(\"stage deploy: failure\")) and
	    (.metrics[] | select(.metric == \"code coverage\") | .status == \"skipped\" and .source == null)" r.json &&
	jq -e --slurpfile m $B/manifest.json "(.stages[] | select(.stage == \"deploy\") | .detail) ==
	    (\$m[0].stages[] | select(.stage == \"deploy\") | .detail)" r.json &&
	figures_match r.json &&
	sg report --format html >r.html && grep -q "Wall time per stage" r.html
'

test_expect_success '--since: the trend, oldest first, each figure from its own bundle' '
	cd "$REL" && sg report --since 2000-01-01 --format json >t.json &&
	jq -e "[.trends.runs[].run_id] == [\"$(cat R)\", \"$(cat C)\"] and .trends.since == \"2000-01-01T00:00:00Z\"" t.json &&
	for i in 0 1; do
		f=$(jq -r ".trends.runs[$i].checkpoints_source.href" t.json) &&
		jq -e --arg n "$(grep -c " | retry | " $f)" --arg k "$(grep -c " | failure | " $f)" \
		    ".trends.runs[$i] | .retries == (\$n | tonumber) and .failures == (\$k | tonumber)" t.json || exit 1
	done &&
	f=$(jq -r ".trends.runs[0].coverage_source.href" t.json) &&
	jq -e --slurpfile d $f ".trends.runs[0] | .line_percent == \$d[0].code_coverage.line_percent and
	    .tests_total == \$d[0].tests.total and .pass_rate == (\$d[0].tests.passed * 1000 / \$d[0].tests.total | round / 10)" t.json &&
	jq -e ".trends.runs[1].line_percent == null" t.json &&
	sg report --since 2999-01-01 --format json | jq -e ".trends.runs == []" &&
	sg report --format json | jq -e ".trends == null" &&
	figures_match t.json
'

test_expect_success 'HTML: axe-core finds no violation at 1280 and 390 px; no script; charts named' '
	cd "$REL" && sg report --since 2000-01-01 --format html >r.html &&
	node "$AXE/check.js" r.html "$OUT/report" >seen.json &&
	jq -e "all(.widths | to_entries[]; .key as \$w | .value | .violations == [] and .scripts == 0 and
	    .consoleErrors == [] and (.overflowX | not) and .scrollWidth <= (\$w | tonumber) and
	    ([.charts[].name] == [\"Wall time per stage\", \"Coverage and tests across runs\",
		\"Retries and failures across runs\"]) and all(.charts[]; .role == \"img\" and .fits))" seen.json &&
	jq -e --slurpfile r <(sg report --format json) ".widths[\"1280\"].tables[1].rows[1:] ==
	    [\$r[0].metrics[] | [.metric, .target, .actual, .status, \"\(.source.file) \(.source.sha256[:12])\"]]" seen.json &&
	for w in 1280 390; do
		test "$(head -c 8 "$OUT/report-$w.png" | od -An -tx1 | tr -d " \n")" = 89504e470d0a1a0a || exit 1
	done
'

test_expect_success 'a bundle file changed after the run: exit 4, nothing printed' '
	cd "$REL" && cp -a reports reports.orig &&
	f=reports/$(sg id)/$(cat R)/spec-coverage.json &&
	sed -i "s/\"passed\": 2/\"passed\": 3/" $f &&
	expect_exit 4 sg report >out 2>err && test ! -s out &&
	expect_grep "spec-coverage.json: SHA-256 .*but the manifest lists" err &&
	rm -rf reports && mv reports.orig reports && sg report >/dev/null
'

test_expect_success 'usage and input errors: exit 2 with a message' '
	expect_exit 2 sg report 2>err && expect_grep "nothing has run yet" err &&
	cd "$REL" &&
	expect_exit 2 sg report 20000101000000 2>err && expect_grep "20000101000000" err &&
	expect_exit 2 sg report --format pdf 2>err && expect_grep "expected md, html or json" err &&
	expect_exit 2 sg report --since yesterday 2>err && expect_grep "YYYY-MM-DD" err &&
	expect_exit 2 sg report a b 2>err
'

test_expect_success 'the GitHub Action writes the report as the job summary' '
	project && : >outputs && : >summary &&
	env GITHUB_OUTPUT=$PWD/outputs GITHUB_STEP_SUMMARY=$PWD/summary RUNNER_TEMP=$PWD \
	    PATH="$(dirname "$SPECGATE"):$PATH" "$SG_TEST_ROOT/../.github/specgate-run.sh" >log 2>&1 &&
	r=$(sed -n "s/^run-id=//p" outputs) && test -n "$r" &&
	expect_grep "^## specgate: run .$r. of feature" summary &&
	node "$MDIT/check.js" <summary >seen.json &&
	jq -e ".html == [] and (.headings | index(\"Metrics\")) != null and
	    .tables[1][0] == [\"Metric\",\"Target\",\"Actual\",\"Status\",\"Evidence\"]" seen.json &&
	sg report --format json >r.json &&
	jq -e --slurpfile r r.json ".tables[1][1:] | length == (\$r[0].metrics | length)" seen.json
'

test_expect_success 'the dashboard: one line of figures per run, the approver, digests folded; 1280 and 390 px' '
	cd "$REL" && R=$(cat R) && C=$(cat C) && serve_start &&
	get / >page.html &&
	A=reports/$(sg id)/$R && B=reports/$(sg id)/$C &&
	cov=$(printf "%.1f" "$(jq .code_coverage.line_percent $A/spec-coverage.json)") &&
	t=$(jq -r ".tests | \"\(.passed) of \(.total) passed\"" $A/spec-coverage.json) &&
	k=$(jq -r ".approvals[0].keyid[:16]" $B/approvals.json) &&
	grep "class=\"summary\"" page.html | head -1 >line &&
	expect_grep "coverage $cov % &middot; tests $t &middot; SAST 0 at or above" line &&
	expect_grep "deploys approved run $R &middot; approved by <code>$k</code> (&ldquo;ship it | now&rdquo;)" line &&
	expect_grep "Gates (of the approved run)" page.html &&
	node "$SG_TEST_ROOT/browser/dashboard.js" "$URL" "$OUT/dashboard-1200.png" >seen.json &&
	jq -e ".folded == (.runs | length) and .folded == 2 and (.runs[0].files | length) > 5" seen.json &&
	node "$AXE/check.js" "$URL" "$OUT/dashboard" >axe.json &&
	jq -e "all(.widths | to_entries[]; .key as \$w | .value | .scripts == 0 and
	    (.overflowX | not) and .scrollWidth <= (\$w | tonumber))" axe.json &&
	jq -e ".widths | keys == [\"1280\", \"390\"]" axe.json &&
	jq -c "[.widths[].violations[] | select(.impact == \"serious\" or .impact == \"critical\")]" axe.json >serious &&
	test "$(cat serious)" = "[]" &&
	for w in 1280 390; do
		test "$(head -c 8 "$OUT/dashboard-$w.png" | od -An -tx1 | tr -d " \n")" = 89504e470d0a1a0a || exit 1
	done &&
	node "$SG_TEST_ROOT/browser/wide.js" "$URL" 390 >wide.json &&
	jq -e ".scrollWidth <= 390 and .outside == [] and .opened > 0" wide.json &&
	serve_stop &&
	mv reports reports.moved && echo x >reports && serve_start &&
	get / >page2.html && serve_stop && rm reports && mv reports.moved reports &&
	expect_grep "unhealthy</span> (reports: " page2.html
'

test_done
