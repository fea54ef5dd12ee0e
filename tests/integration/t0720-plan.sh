#!/usr/bin/env bash
# t0720-plan: --dry-run prints the plan and runs nothing; --from and --to
# choose the stages; resource-estimates.json (declared resources per
# scenario, totals, limits, measurements, compliance_status) checked with jq.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"

stages_yaml() {
	cat >>specgate.yaml <<-\EOF
	retry: {retries: 2, interval: 120s}
	stages:
	  validate: {run: ["touch v"], timeout: 90s}
	  generate: {run: ["touch g"]}
	  build: {run: ["touch b", "echo two"], artifacts: ["b"], retries: 0}
	  deploy: {run: ["touch d"], rollback: ["touch r"], interval: 500ms, backoff: 2}
	EOF
}

test_expect_success '--dry-run prints stages, commands, timeouts, retries; runs nothing' '
	project && stages_yaml &&
	sg run --dry-run >out &&
	test ! -e v && test ! -e b && test ! -d reports && test ! -e .specgate/state.db &&
	expect_grep "^validate: 1 command, timeout 90s each, 2 retries (interval 2m, backoff 1)$" out &&
	expect_grep "^build: 2 commands, timeout 30m each, 0 retries" out &&
	expect_grep "^  \$ echo two$" out &&
	expect_grep "^  artifact b$" out &&
	expect_grep "^deploy: .*(interval 500ms, backoff 2)$" out &&
	expect_grep "^  rollback: \$ touch r$" out
'

test_expect_success '--dry-run says what the run then does: gates, auto-fix, branch' '
	project &&
	cat >>specgate.yaml <<-\EOF &&
	retry: {retries: 0}
	branch: {enabled: false}
	gates:
	  tests: {files: [t.xml], stage: build}
	  sast: {files: [s.sarif], stage: generate}
	stages:
	  validate: {run: ["true"], fix: ["true"], fixable: ["true"]}
	  build: {run: ["echo \"<testsuite><testcase classname=\\\"a\\\" name=\\\"b\\\"/></testsuite>\" >t.xml"]}
	  audit: {run: ["true"]}
	EOF
	sg run --dry-run >plan &&
	expect_grep "^generate: no commands; runs to read its gate inputs" plan &&
	expect_grep "^gates: tests read after build$" plan &&
	expect_grep "^gates: coverage read after validate$" plan &&
	expect_grep "^validate: auto-fix: when the first attempt fails in a command listed in fixable" plan &&
	expect_grep "^note: audit: configured commands are not run by this release$" plan &&
	expect_grep "^note: branch.enabled is false" plan &&
	sg run >out 2>&1 && B=$(ls -d reports/*/latest) &&
	grep -q " | validate | success | logs/validate.log$" "$B/checkpoints.log" &&
	expect_grep "SAST input: none of s.sarif matched after generate" "$B/logs/generate.log" &&
	expect_grep "tests input .*t.xml (read after build)" "$B/logs/build.log" &&
	expect_grep "branch disabled" out
'

test_expect_success '--dry-run --json, with --from and --to' '
	project && stages_yaml &&
	sg --json run --dry-run --from generate --to build >out &&
	jq -e "[.stages[] | select(.run) | .stage] == [\"generate\", \"build\"]" out &&
	jq -e ".stages[0].timeout_ms == 90000 and .stages[0].retries == 2" out &&
	test ! -d reports
'

test_expect_success '--from and --to: only those stages run; the others are skipped' '
	project && stages_yaml &&
	sg run --from generate --to build >out &&
	test ! -e v && test -e g && test -e b && test ! -e d &&
	b=reports/$(sg id)/latest &&
	awk -F" [|] " "{print \$4, \$5}" $b/checkpoints.log >got &&
	printf "%s\n" "preflight success" "validate skipped" "generate success" \
	    "build success" "deploy skipped" "audit success" >want && cmp want got &&
	expect_grep "^validate: skipped (not run: --from generate)$" out &&
	expect_grep "^deploy: skipped (not run: --to build)$" out &&
	bundle_ok $b
'

test_expect_success '--from after --to, or an unknown stage, is a usage error' '
	project &&
	expect_exit 2 sg run --from deploy --to build 2>err &&
	expect_grep "comes after" err &&
	expect_exit 2 sg run --from nowhere 2>err &&
	test ! -d reports
'

test_expect_success 'resource-estimates.json: scenarios, totals (max and sum), limits' '
	mkdir -p features && cat >features/a.feature <<-\EOF &&
	Feature: A
	  @resource:cpu=0.2,memory=256,storage=20,story_points=3
	  Scenario: one
	    Given a
	    When b
	    Then c
	  @resource:cpu=0.4,memory=128,storage=50,story_points=5
	  Scenario: two
	    Given a
	    When b
	    Then c
	EOF
	printf "project: t\nstages:\n  build: {run: [\"true\"]}\n" >specgate.yaml &&
	sg run -q && r=reports/$(sg id)/latest/resource-estimates.json &&
	jq -e ".schema == \"specgate/resource-estimates/v1\" and .mode == \"sandbox\"" $r &&
	jq -e ".feature_id == \"$(sg id)\" and .run_id == \"$(readlink reports/$(sg id)/latest)\"" $r &&
	jq -e "[.declared.scenarios[].scenario] == [\"one\", \"two\"]" $r &&
	jq -e ".declared.totals == {cpu: 0.4, memory_mb: 256, storage_mb: 50, story_points: 8}" $r &&
	jq -e ".limits.cpu == {min: 0.1, max: 0.5} and .limits.memory_mb.max == 512" $r &&
	jq -e "[.measured.stages[].stage] == [\"build\"]" $r &&
	jq -e ".compliance_status == \"within_limits\" and all(.checks[]; .ok)" $r
'

test_expect_success 'a stage that uses more memory than the mode allows: exceeded' '
	project && cat >>specgate.yaml <<-\EOF &&
	policy: {sandbox: {memory: [1, 2]}}
	stages:
	  build: {run: ["head -c 64000000 /dev/zero | python3 -c \"import sys; d = sys.stdin.buffer.read()\""]}
	EOF
	sg run >out && r=reports/$(sg id)/latest/resource-estimates.json &&
	jq -e ".compliance_status == \"exceeded\"" $r &&
	jq -e ".checks[] | select(.check == \"build peak_rss_mb\") | .ok == false" $r &&
	expect_grep "of feature .*: warning$" out
'

# A command's peak RSS includes what its parent had mapped when it forked
# (Linux keeps the higher of the two across exec): an ASan build of
# specgate maps some 50 MB more, so the limit and the excess grow with it.
MEM_MAX=32 MEM_EAT=64000000
if ldd "$SPECGATE" 2>/dev/null | grep -q libasan; then
	MEM_MAX=256 MEM_EAT=512000000
fi

test_expect_success 'compliance: exceeded resources fail the stage that used them' '
	mkdir -p features && cat >features/a.feature <<-\EOF &&
	Feature: A
	  @resource:cpu=0.1,memory=2,storage=10,story_points=1
	  Scenario: one
	    Given a
	    When b
	    Then c
	EOF
	printf "mode: compliance\npolicy: {compliance: {memory: [1, %s]}}\nretry: {retries: 0}\n" \
	    $MEM_MAX >specgate.yaml &&
	export SPECGATE_KEY_PASSWORD=pw &&
	PROFILE_BUILD="{run: [\"head -c $MEM_EAT /dev/zero | python3 -c \\\"import sys; d = sys.stdin.buffer.read()\\\" && mkdir -p build && echo x >build/app\"], artifacts: [build/app]}" \
	    compliance_profile &&
	git init -q && expect_exit 1 sg run >out 2>err &&
	expect_grep "stage build failed: .*resources exceeded: peak RSS" err &&
	jq -e ".run.status == \"failure\"" reports/$(sg id)/latest/manifest.json &&
	jq -e ".compliance_status == \"exceeded\"" reports/$(sg id)/latest/resource-estimates.json
'

test_expect_success 'on a terminal: a status line (stage, attempt, elapsed) and the output' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build: {run: ["echo from-the-command; sleep 1.5"]}
	EOF
	NO_COLOR=1 python3 "$SG_TEST_ROOT/integration/pty-run.py" "$SPECGATE" >tty &&
	expect_grep "\[build 1/3 0s\] echo from-the-command" tty &&
	expect_grep "\[build 1/3 1s\] echo from-the-command" tty &&
	expect_grep "$(printf "\033")\[Kfrom-the-command" tty &&
	expect_grep "$(printf "\033")\[Kbuild: success" tty &&
	sg run >plain && ! grep -q "$(printf "\033")" plain &&
	! grep -q from-the-command plain
'

test_done
