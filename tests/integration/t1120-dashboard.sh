#!/usr/bin/env bash
# t1120-dashboard: the dashboard in headless Chromium (Debian's chromium,
# driven by playwright-core from npm, pinned in tests/browser/): what a
# person sees - the runs newest first with their stages, statuses, gates
# and evidence files - checked against the JSON API and the bundles'
# manifests; a screenshot is saved as $BUILD/serve-dashboard.png.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/serve.sh"

BROWSER_DIR=$SG_TEST_ROOT/browser

test_expect_success 'playwright-core is installed (npm ci, pinned by the lock file)' '
	if [ ! -d "$BROWSER_DIR/node_modules/playwright-core" ]; then
		(cd "$BROWSER_DIR" && npm ci --no-audit --no-fund)
	fi &&
	test -x /usr/bin/chromium
'

test_expect_success 'the dashboard shows the runs newest first with stages, gates, files' '
	runs_project && serve_start && get "/api/v1/runs" >api.json &&
	node "$BROWSER_DIR/dashboard.js" "$URL" "$BUILD/serve-dashboard.png" >seen.json &&
	jq -e ".status == 200 and .title == \"specgate: t\" and .h1 == \"specgate: t\" and
	    .scripts == 0 and .consoleErrors == [] and
	    (.meta | test(\"health healthy\")) and (.meta | test(\"runs newest first\"))" seen.json &&
	test "$(jq -c "[.runs[].heading]" seen.json)" = \
	    "$(jq -c "[.runs[] | \"Run \(.run_id) \(.status)\"]" api.json)" &&
	jq -e "all(.runs[]; .visible and
	    ([.stages[][0]] == [\"preflight\",\"validate\",\"generate\",\"build\",\"deploy\",\"audit\"]) and
	    .stages[5][1] == \"success\") and
	    ([.runs[].stages[1][1]] == [\"skipped\", \"success\", \"skipped\", \"skipped\"])" seen.json &&
	jq -e ".runs[0].stages[0][1] == \"failure\" and
	    (.runs[0].gates[0] | test(\"^spec: fail \\\\(1 errors\")) and
	    (.runs[1].gates[0] | test(\"^spec: pass\")) and
	    (.runs[1].gates[1] | test(\"^coverage: pass\")) and
	    (.runs[2].gates[1] == \"coverage: skipped\")" seen.json &&
	b=$(jq -r ".runs[1].bundle" api.json) &&
	test "$(jq -c ".runs[1].files" seen.json)" = "$(jq -c "[.files[].path]" $b/manifest.json)" &&
	test "$(head -c 8 "$BUILD/serve-dashboard.png" | od -An -tx1 | tr -d " \n")" = 89504e470d0a1a0a &&
	test "$(stat -c %s "$BUILD/serve-dashboard.png")" -gt 10000 &&
	serve_stop
'

test_expect_success 'what comes from the spec or the config is text, not markup' '
	project && printf "project: \"<img src=x onerror=alert(1)><b>x</b>\"\n" >specgate.yaml &&
	sg run -q && serve_start &&
	node "$BROWSER_DIR/dashboard.js" "$URL" shot.png >seen.json &&
	jq -e ".title == \"specgate: <img src=x onerror=alert(1)><b>x</b>\" and
	    .h1 == \"specgate: <img src=x onerror=alert(1)><b>x</b>\" and
	    .consoleErrors == []" seen.json &&
	serve_stop
'

test_done
