#!/usr/bin/env bash
# t0740-compliance: compliance that holds (issue #11, items 1, 2, 3, 10,
# 11).  The mode in specgate.yaml is a floor that --mode, SPECGATE_MODE and
# .env cannot lower for a run that deploys (exit 2, the message names
# where compliance was set, no bundle, no store row: checked with ls and
# sqlite3); a run that stops before deploy may use sandbox and its
# manifest records both modes (jq).  The compliance profile is checked
# before any run exists: one test per missing item; `specgate doctor`
# prints the same list.  A configured gate whose input never appeared is
# `missing` in the bundle's documents, the API and /metrics (jq, curl), a
# warning in sandbox and a failure in compliance.  A sandbox run whose
# branch variants are exhausted ends `warning`.  /healthz checks the
# signing key without its passphrase.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/serve.sh"

export SPECGATE_KEY_PASSWORD='compliance tests'
export GIT_CONFIG_NOSYSTEM=1 HOME=$TRASH
git config --global init.defaultBranch main
git config --global user.name "Test User"
git config --global user.email test@example.com
export GIT_CEILING_DIRECTORIES=$TRASH

# cproject: a compliance project with a complete profile.
cproject() {
	project compliance && compliance_profile
}

# runs_in_store: the number of rows of the runs table (0 without a store).
runs_in_store() {
	if [ -f .specgate/state.db ]; then
		sqlite3 .specgate/state.db "select count(*) from runs"
	else
		echo 0
	fi
}

# refused CMD...: CMD exits 2 and leaves no bundle and no store row.
refused() {
	local before
	before=$(runs_in_store) &&
	before_reports=$(find reports -name manifest.json 2>/dev/null | wc -l) &&
	expect_exit 2 "$@" &&
	test "$(runs_in_store)" = "$before" &&
	test "$(find reports -name manifest.json 2>/dev/null | wc -l)" = "$before_reports" &&
	! ls -d reports/*/.staging-* 2>/dev/null
}

# --- 1. the mode floor ---------------------------------------------------

test_expect_success 'floor: --mode sandbox is refused, located, nothing made' '
	cproject &&
	refused sg --mode sandbox run 2>err &&
	expect_grep "^specgate.yaml:2:1: error: mode .compliance. is this project.s floor; --mode sandbox is refused" err &&
	test ! -e reports && test "$(runs_in_store)" = 0
'

test_expect_success 'floor: SPECGATE_MODE=sandbox is refused, nothing made' '
	cproject &&
	SPECGATE_MODE=sandbox refused sg run 2>err &&
	expect_grep "^specgate.yaml:2:1: error: mode .compliance. is this project.s floor; SPECGATE_MODE=sandbox is refused" err &&
	test ! -e reports && test "$(runs_in_store)" = 0
'

test_expect_success 'floor: .env SPECGATE_MODE=sandbox is refused, nothing made' '
	cproject && printf "# local\nSPECGATE_MODE=sandbox\n" >.env &&
	refused sg run 2>err &&
	expect_grep "^specgate.yaml:2:1: error: .*SPECGATE_MODE=sandbox (.env:2) is refused" err &&
	test ! -e reports && test "$(runs_in_store)" = 0
'

test_expect_success 'floor: refused after earlier runs too (sqlite3 counts the rows)' '
	cproject && sg --mode sandbox run -q --to build &&
	test "$(runs_in_store)" = 1 &&
	refused sg --mode sandbox run 2>err &&
	refused sg --mode sandbox run --to deploy 2>err &&
	test "$(sqlite3 .specgate/state.db "select count(*) from runs")" = 1
'

test_expect_success 'floor: --to build in sandbox runs; the bundle records both modes' '
	cproject && sg --mode sandbox run --to build >out 2>&1 && B=$(readlink -f reports/*/latest) &&
	bundle_ok "$B" &&
	jq -e ".mode == \"sandbox\" and .mode_floor == \"compliance\" and .run.to == \"build\"" "$B/manifest.json" &&
	jq -e ".mode == \"sandbox\"" "$B/spec-validation-report.json" "$B/spec-coverage.json" &&
	grep -q "^mode floor compliance (specgate.yaml:2:1)" "$B/logs/preflight.log" &&
	test "$(sqlite3 .specgate/state.db "select mode from runs")" = sandbox &&
	grep -q " | deploy | skipped | " "$B/checkpoints.log"
'

test_expect_success 'floor: a compliance run has no mode_floor; a higher mode is fine' '
	cproject && expect_exit 3 sg run >out 2>&1 && B=$(readlink -f reports/*/latest) &&
	jq -e ".mode == \"compliance\" and (has(\"mode_floor\") | not)" "$B/manifest.json" &&
	mkdir s && cd s && project sandbox && sg --mode compliance validate >/dev/null
'

test_expect_success 'floor: approve and resume never run in sandbox' '
	cproject && expect_exit 3 sg run >out 2>&1 && R=$(run_ids) &&
	expect_exit 2 sg --mode sandbox approve "$R" --key .profile/alice.key 2>err &&
	expect_grep "floor; --mode sandbox is refused" err &&
	! ls .specgate/approvals/*/"$R"/*.json 2>/dev/null &&
	sg approve "$R" --key .profile/alice.key >/dev/null &&
	SPECGATE_MODE=sandbox refused sg resume "$R" 2>err &&
	expect_grep "floor; SPECGATE_MODE=sandbox is refused" err &&
	test "$(sqlite3 .specgate/state.db "select status from runs where run_id = '\''$R'\''")" = awaiting_approval
'

test_expect_success 'floor: read-only commands may use the lower mode' '
	cproject &&
	sg --mode sandbox validate >/dev/null &&
	sg --mode sandbox config | grep -q "^mode: sandbox  # --mode" &&
	sg --mode sandbox id >/dev/null &&
	sg --mode sandbox run --dry-run | grep -q "mode sandbox" &&
	test ! -e reports
'

# --- 2. the compliance profile -------------------------------------------

# without KEY-PATTERN: a compliance project with a complete profile, then
# the sed expression applied to specgate.yaml; the run is refused naming
# ITEM, with nothing made.
missing_item() {
	local item=$1 expr=$2
	cproject && sed -i "$expr" specgate.yaml &&
	refused sg run 2>err &&
	expect_grep "^specgate: error: compliance profile: $item: " err &&
	expect_grep "cannot run in compliance: 1 item of the compliance profile is missing" err &&
	test ! -e reports && test "$(runs_in_store)" = 0 &&
	expect_exit 1 sg doctor >doc &&
	grep -q "^  missing  $item: " doc
}

test_expect_success 'profile: no validate command' '
	missing_item validate.run "s|^  validate: .*|  validate: {}|"
'

test_expect_success 'profile: no coverage input configured' '
	missing_item gates.coverage.files "/^  coverage: /d"
'

test_expect_success 'profile: no JUnit input configured' '
	missing_item gates.tests.files "/^  tests: /d"
'

test_expect_success 'profile: no SARIF input configured' '
	missing_item gates.sast.files "/^  sast: /d"
'

test_expect_success 'profile: no build stage' '
	missing_item stages.build.artifacts "/^  build: /d"
'

test_expect_success 'profile: a build stage without artifacts' '
	missing_item stages.build.artifacts "s|, artifacts: \[build/app\]||"
'

test_expect_success 'profile: no deploy stage' '
	missing_item stages.deploy.run "/^  deploy: /d"
'

test_expect_success 'profile: approvals.required 0' '
	cproject && sed -i "s/required: 1/required: 0/" specgate.yaml &&
	refused sg run 2>err &&
	expect_grep "^specgate: error: compliance profile: approvals.required: 0; set approvals: {required: 1}" err &&
	test ! -e reports
'

test_expect_success 'profile: approvals.keys empty' '
	missing_item approvals.keys "s|keys: \[.profile/alice.pub\]|keys: []|"
'

test_expect_success 'profile: an unreadable approver key is not counted' '
	missing_item approvals.keys "s|keys: \[.profile/alice.pub\]|keys: [.profile/nobody.pub]|" &&
	expect_grep "approvals.keys: 0 readable, distinct approver keys of 1 listed: .*nobody.pub" err
'

test_expect_success 'profile: required 2 and one key listed twice' '
	missing_item approvals.keys "s|required: 1, keys: \[.profile/alice.pub\]|required: 2, keys: [.profile/alice.pub, ./.profile/alice.pub]|" &&
	expect_grep "1 readable, distinct approver key of 2 listed" err
'

test_expect_success 'profile: the signing key listed as an approver (separation of duties)' '
	cproject && sg keygen -q --no-password --out .profile/bob >/dev/null 2>&1 &&
	sed -i "s|keys: \[.profile/alice.pub\]|keys: [.profile/alice.pub, .profile/bob.pub, .specgate/keys/specgate.pub]|" specgate.yaml &&
	refused sg run 2>err &&
	expect_grep "^specgate: error: compliance profile: approvals.separation: approvals.keys lists the pipeline.s own signing key: .specgate/keys/specgate.pub; remove it" err &&
	test ! -e reports &&
	expect_exit 1 sg doctor --json >doc.json &&
	jq -e "[.items[] | select(.status != \"ok\") | .key] == [\"approvals.separation\"]" doc.json
'

test_expect_success 'profile: separation holds without a .pub once the key is loaded' '
	cproject && cp .specgate/keys/specgate.pub signer.pub && rm .specgate/keys/specgate.pub &&
	sed -i "s|keys: \[.profile/alice.pub\]|keys: [.profile/alice.pub, signer.pub]|" specgate.yaml &&
	expect_exit 1 sg doctor >doc &&
	grep -q "^  unknown  approvals.separation: " doc &&
	refused sg run 2>err &&
	expect_grep "compliance profile: approvals.separation: approvals.keys lists the pipeline.s own signing key: signer.pub" err
'

test_expect_success 'profile: no signing key' '
	cproject && rm .specgate/keys/specgate.key &&
	refused sg run 2>err &&
	expect_grep "^specgate: error: compliance profile: signing.key: .\.specgate/keys/specgate.key. does not exist; make it with .specgate keygen." err &&
	test ! -e reports
'

test_expect_success 'profile: every missing item is listed at once; resume checks it too' '
	project compliance && refused sg run 2>err &&
	for k in validate.run gates.coverage.files gates.tests.files gates.sast.files \
	    stages.build.artifacts stages.deploy.run approvals.keys signing.key; do
		grep -q "^specgate: error: compliance profile: $k: " err || return 1
	done &&
	expect_grep "8 items of the compliance profile are missing" err &&
	cproject && expect_exit 3 sg run >out 2>&1 && R=$(run_ids) &&
	sg approve "$R" --key .profile/alice.key >/dev/null &&
	sed -i "/^  deploy: /d" specgate.yaml &&
	refused sg resume "$R" 2>err &&
	expect_grep "compliance profile: stages.deploy.run: " err
'

test_expect_success 'doctor: a complete project is ready (exit 0, text and JSON)' '
	cproject && sg doctor >doc &&
	test "$(grep -c "^  ok  " doc)" = 10 &&
	expect_grep "^ready: this project can run in compliance" doc &&
	sg doctor --json >doc.json &&
	jq -e ".schema == \"specgate/doctor/v1\" and .ready and .missing == 0 and
	    .mode_floor == \"compliance\" and ([.items[].status] | unique) == [\"ok\"] and
	    (.items | length) == 10" doc.json
'

test_expect_success 'doctor: the example sandbox project lists what compliance needs' '
	cp -r "$SG_TEST_ROOT/../examples/ping-service" ex && cd ex &&
	expect_exit 1 sg doctor >doc &&
	expect_grep "(mode sandbox, floor sandbox from " doc &&
	expect_grep "^  missing  approvals.keys: " doc &&
	expect_grep "^not ready: [1-9][0-9]* missing" doc &&
	expect_exit 1 sg doctor --json >doc.json &&
	jq -e ".ready == false and .missing > 0 and
	    ([.items[] | select(.status == \"missing\") | .fix | length > 0] | all)" doc.json
'

test_expect_success 'a complete compliance run waits, is approved, resumes and deploys' '
	cproject && expect_exit 3 sg run >out 2>&1 && R=$(run_ids) &&
	B=reports/$(sg id)/$R &&
	jq -e ".result == \"pass\" and .present" "$B/sast-summary.json" &&
	jq -e ".result == \"pass\"" "$B/spec-coverage.json" &&
	sg approve "$R" --key .profile/alice.key >/dev/null &&
	sg resume "$R" >out 2>&1 &&
	test "$(sqlite3 .specgate/state.db "select status from runs where run_id = '\''$R'\''")" = success
'

# --- 3. missing is not pass ----------------------------------------------

test_expect_success 'sandbox: no SARIF is a warning and sast-summary.json says missing' '
	project && printf "stages:\n  validate: {run: [\"true\"]}\n" >>specgate.yaml &&
	sg run >out 2>&1 && B=$(readlink -f reports/*/latest) &&
	jq -e ".present == false and .result == \"missing\" and
	    ([.findings[] | select(.code == \"SG322\") | .severity] == [\"warning\"])" "$B/sast-summary.json" &&
	jq -e ".result == \"missing\"" "$B/spec-coverage.json" &&
	jq -e ".run.status == \"warning\"" "$B/manifest.json" &&
	expect_grep "warning: no SARIF file: SAST results are missing .*\[SG322 sast-missing\]" out &&
	grep -q " | validate | warning | spec-coverage.json$" "$B/checkpoints.log" &&
	rid=$(basename "$B") &&
	serve_start && get "/api/v1/runs/$rid" >r && get /metrics >m && get / >h && serve_stop &&
	jq -e "[.gates[] | {(.gate): .result}] | add ==
	    {spec: \"pass\", coverage: \"missing\", tests: \"missing\", spec_coverage: \"missing\", sast: \"missing\"}" r &&
	grep -q "^specgate_gate_results{gate=\"sast\",outcome=\"missing\"} 1$" m &&
	grep -q "^specgate_gate_results{gate=\"sast\",outcome=\"pass\"} 0$" m &&
	grep -q "^specgate_gate_results{gate=\"spec\",outcome=\"pass\"} 1$" m &&
	grep -q "st-missing" h
'

test_expect_success 'sandbox: only SARIF missing: the other gates pass, sast is missing' '
	project && compliance_profile && sed -i "/none.sarif/d" .profile/validate.sh &&
	sed -i "s/^mode: compliance/mode: sandbox/" specgate.yaml &&
	sg run -q --to build && B=$(readlink -f reports/*/latest) &&
	jq -e ".result == \"pass\"" "$B/spec-coverage.json" &&
	jq -e ".result == \"missing\" and .present == false" "$B/sast-summary.json" &&
	rid=$(basename "$B") &&
	serve_start && get "/api/v1/runs/$rid" >r && serve_stop &&
	jq -e "[.gates[] | {(.gate): .result}] | add ==
	    {spec: \"pass\", coverage: \"pass\", tests: \"pass\", spec_coverage: \"pass\", sast: \"missing\"}" r
'

test_expect_success 'compliance: SARIF that never appeared fails validate (exit 1)' '
	cproject && sed -i "/none.sarif/d" .profile/validate.sh &&
	expect_exit 1 sg run >out 2>&1 && B=$(readlink -f reports/*/latest) &&
	jq -e ".result == \"missing\" and .present == false and
	    ([.findings[] | select(.code == \"SG322\") | .severity] == [\"error\"])" "$B/sast-summary.json" &&
	jq -e ".run.status == \"failure\"" "$B/manifest.json" &&
	grep -q " | validate | failure | spec-coverage.json$" "$B/checkpoints.log" &&
	grep -q " | deploy | skipped | " "$B/checkpoints.log" &&
	expect_grep "error: no SARIF file: SAST results are missing" out
'

test_expect_success 'the gate words are exactly pass, warning, fail, missing, skipped' '
	project && sg run -q && B=$(readlink -f reports/*/latest) && rid=$(basename "$B") &&
	serve_start && get "/api/v1/runs/$rid" >r && get /metrics >m && serve_stop &&
	jq -e "[.gates[].result] == [\"pass\", \"skipped\", \"skipped\", \"skipped\", \"skipped\"]" r &&
	sed -n "s/^specgate_gate_results{gate=\"[a-z_]*\",outcome=\"\([a-z]*\)\"}.*/\1/p" m | sort -u >words &&
	printf "%s\n" fail missing pass skipped warning | cmp - words
'

# --- 10. branch variants exhausted ---------------------------------------

test_expect_success 'sandbox: every branch variant taken: preflight warns, the run ends warning' '
	project && printf "reports/\n.specgate/\n" >.gitignore && git init -q &&
	git add -A && git commit -qm initial && ID=$(sg id) &&
	B=auto/spec-implementation/$ID &&
	for b in "$B" "$B-v2" "$B-v3" "$B-v4" "$B-v5"; do
		git branch "$b" main &&
		c=$(git commit-tree -p "$b" -m "hand-made" "$b^{tree}") &&
		git update-ref "refs/heads/$b" "$c" || return 1
	done &&
	sg run >out 2>&1 && L=$(readlink -f reports/*/latest) &&
	jq -e ".run.status == \"warning\"" "$L/manifest.json" &&
	grep -q " | preflight | warning | " "$L/checkpoints.log" &&
	expect_grep "^run .* of feature $ID: warning$" out &&
	test "$(sqlite3 .specgate/state.db "select status from runs")" = warning
'

# --- 11. serve without the passphrase ------------------------------------

test_expect_success 'serve in compliance: healthy without SPECGATE_KEY_PASSWORD' '
	cproject && expect_exit 3 sg run >/dev/null 2>&1 &&
	grep -q "ENCRYPTED PRIVATE KEY" .specgate/keys/specgate.key &&
	unset SPECGATE_KEY_PASSWORD && serve_start &&
	get /healthz >h && jq -e ".status == \"healthy\" and .mode == \"compliance\" and
	    .checks.signing_key.status == \"ok\"" h &&
	mv .specgate/keys/specgate.key away.key && sleep 1.1 &&
	test "$(status /healthz)" = 503 && get /healthz >h &&
	jq -e ".status == \"unhealthy\" and .checks.signing_key.status == \"error\" and
	    (.errors | map(select(startswith(\"signing_key: \"))) | length) == 1" h &&
	mv away.key .specgate/keys/specgate.key && printf garbage >.specgate/keys/specgate.pub &&
	sleep 1.1 && get /healthz >h &&
	jq -e ".status == \"unhealthy\" and (.errors[0] | contains(\"specgate.pub\"))" h &&
	serve_stop
'

test_expect_success 'serve: a key others may read is unhealthy in compliance' '
	cproject && chmod 644 .specgate/keys/specgate.key &&
	unset SPECGATE_KEY_PASSWORD && serve_start &&
	get /healthz >h && jq -e ".status == \"unhealthy\" and (.errors[0] | contains(\"chmod 600\"))" h &&
	serve_stop
'

test_done
