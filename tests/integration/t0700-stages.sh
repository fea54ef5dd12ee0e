#!/usr/bin/env bash
# t0700-stages: the stages run their configured commands through /bin/sh:
# retries with short intervals, artifacts hashed, rollback after the last
# failure, fail-fast, a missing program, env, secrets redacted from every
# file of the bundle.  (Validate also runs its gates: with no gate input,
# sandbox warns.)  Bundles are checked with jq, grep and sha256sum.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"

# cps: the stage and status fields of the latest run's checkpoints.log.
cps() {
	awk -F' [|] ' '{print $4, $5}' reports/$(sg id)/latest/checkpoints.log
}

test_expect_success 'commands run in order in the project root; logs/<stage>.log' '
	project && mkdir sub && cat >>specgate.yaml <<-\EOF &&
	stages:
	  validate: {run: ["echo one >>order", "pwd >root; echo two >>order"]}
	  build: {run: ["echo three >>order; echo to-stderr >&2"]}
	EOF
	(cd sub && sg run -q) &&
	printf "one\ntwo\nthree\n" >want && cmp want order &&
	test "$(cat root)" = "$(pwd)" &&
	b=reports/$(sg id)/latest &&
	expect_grep "^\$ echo one >>order$" $b/logs/validate.log &&
	expect_grep "^-- exit 0 " $b/logs/validate.log &&
	expect_grep "^to-stderr$" $b/logs/build.log &&
	cps >got && printf "%s\n" "preflight success" "validate warning" \
	    "generate skipped" "build success" "deploy skipped" \
	    "audit success" >want && cmp want got &&
	jq -e ".stages[1].status == \"warning\"" $b/manifest.json &&
	expect_grep "SG303 coverage-missing" $b/logs/validate.log &&
	bundle_ok $b
'

test_expect_success 'a flaky command: two retry checkpoints, then success' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build:
	    run: ["echo x >>count; test $(wc -l <count) -ge 3"]
	    retries: 3
	    interval: 10ms
	EOF
	sg run >out &&
	test "$(wc -l <count)" = 3 &&
	cps | grep "^build" >got &&
	printf "%s\n" "build retry" "build retry" "build success" >want &&
	cmp want got &&
	expect_grep "^build: retry (attempt 1 of 4 failed: .*exit 1; next in 10ms)$" out &&
	b=reports/$(sg id)/latest &&
	test "$(grep -c "^== build: attempt" $b/logs/build.log)" = 3 &&
	jq -e ".stages[] | select(.stage == \"build\") | .checkpoints == 3" $b/manifest.json
'

test_expect_success 'retries and interval fall back to the retry block' '
	project && cat >>specgate.yaml <<-\EOF &&
	retry: {retries: 1, interval: 0s}
	stages:
	  validate: {run: ["echo x >>count; false"]}
	EOF
	expect_exit 1 sg run >out &&
	test "$(wc -l <count)" = 2 &&
	cps | grep "^validate" >got &&
	printf "%s\n" "validate retry" "validate failure" >want && cmp want got
'

test_expect_success 'backoff: the waits grow (recorded in the retry details)' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  validate: {run: ["false"], retries: 3, interval: 10ms, backoff: 2.0}
	EOF
	expect_exit 1 sg run >out &&
	grep -o "next in [0-9a-z]*" out >got &&
	printf "%s\n" "next in 10ms" "next in 20ms" "next in 40ms" >want &&
	cmp want got
'

test_expect_success 'a failed stage stops the run in sandbox: later stages skipped, exit 1' '
	project sandbox && cat >>specgate.yaml <<-\EOF &&
	stages:
	  validate: {run: ["exit 3"], retries: 0}
	  build: {run: ["touch built"]}
	EOF
	expect_exit 1 sg run >out 2>err &&
	test ! -e built &&
	cps >got && printf "%s\n" "preflight success" "validate failure" \
	    "generate skipped" "build skipped" "deploy skipped" \
	    "audit success" >want && cmp want got &&
	expect_grep "validate failed: .*exit 3" err &&
	b=reports/$(sg id)/latest &&
	jq -e ".run.status == \"failure\"" $b/manifest.json &&
	jq -e ".stages[3].detail == \"not run: validate failed\"" $b/manifest.json &&
	bundle_ok $b
'

test_expect_success 'compliance stops at the first failing stage too' '
	export SPECGATE_KEY_PASSWORD=pw && project compliance &&
	printf "retry: {retries: 0, interval: 0s}\n" >>specgate.yaml &&
	PROFILE_STAGES="  generate: {run: [\"true\"]}" \
	PROFILE_BUILD="{run: [\"false\"], artifacts: [build/app]}" \
	PROFILE_DEPLOY="{run: [\"touch deployed\"]}" compliance_profile &&
	expect_exit 1 sg run >out &&
	test ! -e deployed &&
	cps >got && printf "%s\n" "preflight success" "validate success" \
	    "generate success" "build failure" "deploy skipped" \
	    "audit success" >want && cmp want got &&
	jq -e ".mode == \"compliance\" and .run.status == \"failure\"" \
	    reports/$(sg id)/latest/manifest.json
'

test_expect_success 'a missing program is reported as such (exit 127)' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build: {run: ["no-such-program-xyz --flag"], retries: 0}
	EOF
	expect_exit 1 sg run >out 2>err &&
	expect_grep "exit 127 (command not found)" err &&
	b=reports/$(sg id)/latest &&
	expect_grep "no-such-program-xyz: .*not found" $b/logs/build.log &&
	expect_grep "^-- exit 127 (command not found)" $b/logs/build.log
'

test_expect_success 'rollback runs after the last failed attempt, and only then' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  deploy:
	    run: ["echo try >>tries; false"]
	    rollback: ["echo undone >rolled; echo rollback-output"]
	    retries: 1
	    interval: 0s
	EOF
	expect_exit 1 sg run >out &&
	test "$(wc -l <tries)" = 2 && test "$(cat rolled)" = undone &&
	cps | grep "^deploy" >got &&
	printf "%s\n" "deploy retry" "deploy failure" "deploy rolled_back" >want &&
	cmp want got &&
	b=reports/$(sg id)/latest &&
	expect_grep "^rollback-output$" $b/logs/deploy-rollback.log &&
	grep "| deploy | rolled_back |" $b/checkpoints.log |
	    grep -q "logs/deploy-rollback.log$" &&
	bundle_ok $b
'

test_expect_success 'a rollback that fails leaves the stage failed' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  deploy: {run: ["false"], rollback: ["exit 4"], retries: 0}
	EOF
	expect_exit 1 sg run >out &&
	cps | grep "^deploy" >got &&
	printf "%s\n" "deploy failure" "deploy failure" >want && cmp want got &&
	expect_grep "deploy: failure (rollback failed: .*exit 4)" out
'

test_expect_success 'a successful stage does not roll back' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  deploy: {run: ["true"], rollback: ["touch rolled"]}
	EOF
	sg run -q && test ! -e rolled
'

test_expect_success 'artifacts: globs hashed; artifacts.json agrees with sha256sum' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build:
	    run: ["mkdir -p out && echo app >out/app && echo lib >out/lib.so"]
	    artifacts: ["out/*"]
	EOF
	sg run -q && b=reports/$(sg id)/latest &&
	jq -r ".artifacts[] | \"\(.sha256)  \(.path)\"" $b/artifacts.json >sums &&
	test "$(wc -l <sums)" = 2 &&
	sha256sum --strict -c sums &&
	jq -e "[.artifacts[].stage] == [\"build\", \"build\"]" $b/artifacts.json &&
	jq -e ".schema == \"specgate/artifacts/v1\" and .run_id == \"$(readlink reports/$(sg id)/latest)\"" $b/artifacts.json &&
	bundle_ok $b
'

test_expect_success 'an artifact that matches nothing fails the stage' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build: {run: ["true"], artifacts: ["out/missing-*"], retries: 0}
	EOF
	expect_exit 1 sg run >out &&
	expect_grep "build: failure (.*artifact .out/missing-\*. matches no file)" out
'

test_expect_success 'env: the stage env and SPECGATE_* variables reach the commands' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build:
	    run: ["echo \"$GREETING $SPECGATE_STAGE $SPECGATE_RUN_ID $SPECGATE_FEATURE_ID $SPECGATE_MODE\" >env.out"]
	    env: {GREETING: hello}
	EOF
	sg run -q &&
	test "$(cat env.out)" = "hello build $(readlink reports/$(sg id)/latest) $(sg id) sandbox"
'

test_expect_success 'secrets are redacted from every file of the bundle, even split across reads' '
	project && cat >>specgate.yaml <<-\EOF &&
	secrets: [DBCRED]
	stages:
	  build:
	    run:
	      - "echo token=$MY_API_TOKEN; echo cred=$DBCRED >&2"
	      - "printf \"half:s3cr3t-\"; sleep 0.3; printf \"tok3n-value\n\""
	      - "echo stage-key=$DEPLOY_KEY"
	    env: {DEPLOY_KEY: k3y-from-stage-env}
	EOF
	MY_API_TOKEN=s3cr3t-tok3n-value DBCRED=hunter2-db-pass sg run -v >out &&
	b=reports/$(sg id)/latest &&
	expect_grep "^token=\[REDACTED\]$" $b/logs/build.log &&
	expect_grep "^cred=\[REDACTED\]$" $b/logs/build.log &&
	expect_grep "^half:\[REDACTED\]$" $b/logs/build.log &&
	expect_grep "^stage-key=\[REDACTED\]$" $b/logs/build.log &&
	! grep -r -e s3cr3t-tok3n-value -e hunter2-db-pass -e k3y-from-stage-env reports out &&
	bundle_ok $b
'

test_expect_success '-v copies the output to the terminal, redacted; -q prints nothing' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build: {run: ["echo visible-line; echo pw=$SOME_PASSWORD"]}
	EOF
	SOME_PASSWORD=abcdefgh sg run -v >out &&
	expect_grep "^build: attempt 1 of 3: \$ echo visible-line" out &&
	expect_grep "^visible-line$" out &&
	expect_grep "^pw=\[REDACTED\]$" out &&
	sg run -q >quiet 2>&1 && test ! -s quiet &&
	sg run >plain && ! grep -q visible-line plain
'

test_expect_success 'rusage and results are in --json and resource-estimates.json' '
	project && cat >>specgate.yaml <<-\EOF &&
	stages:
	  build: {run: ["head -c 20000000 /dev/zero | sha256sum >/dev/null"]}
	EOF
	sg --json run >out &&
	jq -e ".stages[3].status == \"success\" and .stages[3].commands == 1" out &&
	b=reports/$(sg id)/latest &&
	jq -e ".measured.stages[0].stage == \"build\" and
	    .measured.stages[0].cpu_seconds > 0 and
	    .measured.stages[0].peak_rss_mb > 0 and
	    .measured.stages[0].wall_seconds > 0" $b/resource-estimates.json
'

test_done
