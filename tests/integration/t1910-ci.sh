#!/usr/bin/env bash
# t1910-ci: the GitHub Action (action.yml) and the example CI files are
# valid for GitHub's own validator (@action-validator/cli, pinned) and
# SchemaStore's schemas (ajv), and the action's run step
# (.github/specgate-run.sh) publishes outputs, a job summary and verdicts
# from real runs.
. "$(dirname "$0")/lib.sh"

REPO=$(cd "$SG_TEST_ROOT/.." && pwd)
AV=$SG_TEST_ROOT/tools/action-validator
AJV=$SG_TEST_ROOT/tools/ajv
for d in "$AV" "$AJV"; do
	if [ ! -d "$d/node_modules" ]; then
		(cd "$d" && npm ci --no-audit --no-fund --loglevel=error) >&2 ||
		    echo "# cannot install $(basename "$d") (npm ci in $d)" >&2
	fi
done
BIN=$(dirname "$SPECGATE")

test_expect_success 'action-validator accepts action.yml and the example workflow' '
	"$AV/node_modules/.bin/action-validator" "$REPO/action.yml" &&
	cp "$REPO/examples/ci/github-workflow.yml" specgate.yml &&
	"$AV/node_modules/.bin/action-validator" specgate.yml
'

test_expect_success 'action-validator refuses a broken action (the check can fail)' '
	sed "s/using: composite/using: compost/" "$REPO/action.yml" >action.yml &&
	! "$AV/node_modules/.bin/action-validator" action.yml >out 2>&1
'

test_expect_success 'SchemaStore schemas accept action.yml and the workflow' '
	python3 "$SG_TEST_ROOT/integration/yaml2json.py" "$REPO/action.yml" >action.json &&
	python3 "$SG_TEST_ROOT/integration/yaml2json.py" "$REPO/examples/ci/github-workflow.yml" >wf.json &&
	node "$AJV/validate-schema.js" "$DATA/github/github-action.json" action.json &&
	node "$AJV/validate-schema.js" "$DATA/github/github-workflow.json" wf.json &&
	jq -e ".on.push and .jobs.approve.environment == \"production\"" wf.json &&
	jq "del(.runs.using)" action.json >bad.json &&
	! node "$AJV/validate-schema.js" "$DATA/github/github-action.json" bad.json >out
'

test_expect_success 'the GitLab example is YAML with the two jobs' '
	python3 "$SG_TEST_ROOT/integration/yaml2json.py" "$REPO/examples/ci/gitlab-ci.yml" >gl.json &&
	jq -e ".approve.when == \"manual\" and .approve.environment.name == \"production\" and (.pipeline.artifacts.paths | length) == 4" gl.json
'

# step ENV...: run the action's step in the current project, with GitHub's
# files as plain files; its exit status is the step's.
step() {
	: >outputs && : >summary &&
	env GITHUB_OUTPUT=$PWD/outputs GITHUB_STEP_SUMMARY=$PWD/summary \
	    RUNNER_TEMP=$PWD PATH="$BIN:$PATH" "$@" "$REPO/.github/specgate-run.sh"
}

# the project the action's step runs in, shared by the tests below
APP=$TRASH/app
"$SPECGATE" init "$APP" >/dev/null

test_expect_success 'a sandbox run: outputs and a summary from the run' '
	cd "$APP" &&
	step >log 2>&1 &&
	run=$(sed -n "s/^run-id=//p" outputs) && test -n "$run" &&
	grep -qx "status=success" outputs && grep -qx "exit-code=0" outputs &&
	fid=$(sg id) && grep -qx "bundle=reports/$fid/$run" outputs &&
	test -f "reports/$fid/$run/manifest.json" &&
	expect_grep "^## specgate: run .$run. of feature .$fid.: success" summary &&
	expect_grep "^| preflight | success | " summary &&
	jq -e --arg r "$run" ".run_id == \$r" "reports/$fid/$run/manifest.json"
'

test_expect_success 'a signing key from a secret signs the bundle, and is gone after' '
	cd "$APP" && sg keygen --no-password --out key >/dev/null &&
	step SG_KEY="$(cat key.key)" >log 2>&1 &&
	run=$(sed -n "s/^run-id=//p" outputs) && b=reports/$(sg id)/$run &&
	openssl dgst -sha256 -verify key.pub -signature <(base64 -d "$b/manifest.json.sig") "$b/manifest.json" &&
	test -z "$(find . -maxdepth 1 -name "specgate.*" -newer key.pub)"
'

test_expect_success 'a failed stage: exit 1, an error annotation, the summary' '
	cd "$APP" &&
	printf "retry: {retries: 0}\nstages:\n  validate: {run: [\"false\"]}\n" >>specgate.yaml &&
	expect_exit 1 step >log 2>&1 &&
	expect_grep "^::error title=specgate::run .* failed" log &&
	grep -qx "status=failure" outputs && grep -qx "exit-code=1" outputs &&
	expect_grep "^| validate | failure | " summary
'

test_expect_success 'bad usage: exit 2, no outputs but the code, no summary' '
	cd "$APP" && expect_exit 2 step SG_MODE=strict >log 2>&1 &&
	expect_grep "^::error title=specgate::bad usage" log &&
	grep -qx "run-id=" outputs && grep -qx "exit-code=2" outputs &&
	test ! -s summary
'

test_done
