#!/usr/bin/env bash
# t0895-promote: environments in specgate.yaml and `specgate promote RUN
# --to ENV` (docs/deploy.md) through the real binary: the config's errors
# with their positions, every refusal (unknown environment or run, a run
# that failed, a mode below min_mode, a skipped environment, missing
# approvals, an artifact changed since the run built it) with its exit
# status, a compliance run promoted after its approval (verify, openssl),
# and promotions that deploy: the deploy commands of a `commands`
# environment, the kubernetes target's rendered manifests, deploy.json
# and the checkpoint naming the environment and the promoted run (jq, the
# audit trail).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh" # compliance_profile, run_ids (project is redefined below)

# project: a build with one artifact, deploy commands that print it, and
# three environments: staging (commands), production (kubernetes), vault
# (compliance only).
project() {
	mkdir -p features src &&
	cat >features/svc.feature <<-\EOF &&
	@resource:cpu=0.2,memory=128,storage=10,story_points=1
	Feature: Service
	  Scenario: it answers
	    Given the service is running
	    Then I receive a 200 OK
	EOF
	echo v1 >src/version &&
	cat >specgate.yaml <<-\EOF
	project: shop
	retry: {retries: 0, interval: 1s}
	stages:
	  build:
	    run: ["mkdir -p dist && cp src/version dist/"]
	    artifacts: ["dist/version"]
	  deploy:
	    run: ["echo deployed $(cat dist/version) >>deployed.log"]
	    image: "registry.example/shop:1"
	    port: 8080
	environments:
	  staging: {target: commands, min_mode: sandbox}
	  production: {target: kubernetes, approvals: 0}
	  vault: {target: kubernetes, min_mode: compliance}
	EOF
}

# the run id of the latest bundle
last_run() { jq -r .run_id "reports/$(sg id)/latest/deploy.json"; }

test_expect_success 'config: a bad environment name, a bad key, too many: exit 2 with the position' '
	project &&
	sed -i "s/^  staging:/  Staging:/" specgate.yaml &&
	expect_exit 2 sg config >out 2>&1 &&
	expect_grep "specgate.yaml:[0-9]*:[0-9]*: .*environment name .Staging. must be lower case" out &&
	project &&
	sed -i "s/min_mode: sandbox/min_mode: strict/" specgate.yaml &&
	expect_exit 2 sg config >out 2>&1 &&
	expect_grep "specgate.yaml:[0-9]*:[0-9]*: .*.environments.staging.min_mode. must be" out &&
	project &&
	sed -i "s/target: commands/target: heroku/" specgate.yaml &&
	expect_exit 2 sg config >out 2>&1 &&
	expect_grep "environments.staging.target" out &&
	project &&
	for i in $(seq 17); do echo "  e$i: {}"; done >>specgate.yaml &&
	expect_exit 2 sg config >out 2>&1 &&
	expect_grep "lists 20 environments; at most 16" out
'

test_expect_success 'refusals: unknown environment (2), unknown run (2), a failed run (1)' '
	project && sg run >out 2>&1 && r=$(last_run) &&
	expect_exit 2 sg promote $r --to nowhere 2>err &&
	expect_grep "no environment .nowhere. (environments: staging, production, vault)" err &&
	expect_exit 2 sg promote 20990101000000 --to staging 2>err &&
	expect_grep "no run .20990101000000." err &&
	expect_exit 2 sg promote $r 2>err && expect_grep "usage: specgate promote RUN --to ENV" err &&
	sed -i "s/cp src\/version dist\//false/" specgate.yaml &&
	expect_exit 1 sg run >out 2>&1 &&
	bad=$(sg runs --json | jq -r "[.[] | select(.status == \"failure\")][0].run_id") &&
	expect_exit 1 sg promote $bad --to staging 2>err &&
	expect_grep "run $bad is failure: only a run that succeeded" err &&
	test ! -d .specgate/promotions
'

test_expect_success 'refusals: a sandbox run to a compliance environment, skipping staging (1)' '
	project && sg run >out 2>&1 && r=$(last_run) &&
	expect_exit 1 sg promote $r --to vault 2>err &&
	expect_grep "run $r is a sandbox run; environment vault takes compliance runs (min_mode, specgate.yaml:[0-9]*:[0-9]*)" err &&
	expect_exit 1 sg promote $r --to production 2>err &&
	expect_grep "run $r was not promoted to staging: a run goes to production after staging" err &&
	test ! -d .specgate/promotions
'

test_expect_success 'refusal: an environment that requires approvals the run does not carry (1)' '
	project && sed -i "s/approvals: 0/approvals: 2/" specgate.yaml &&
	sg run >out 2>&1 && r=$(last_run) &&
	sg promote $r --to staging >out 2>&1 &&
	expect_exit 1 sg promote $r --to production 2>err &&
	expect_grep "environment production requires 2 approvals (specgate.yaml:[0-9]*:[0-9]*) and run $r carries 0" err
'

test_expect_success 'staging, then production: the exact artifacts, the environment in the evidence' '
	project && sg run >out 2>&1 && r=$(last_run) && : >deployed.log &&
	sg promote $r --to staging >out 2>&1 &&
	expect_grep "^deploy: success (.*environment staging, promotes run $r)" out &&
	expect_grep "(promotes run $r to staging)" out &&
	s=$(last_run) && test "$s" != "$r" && d=reports/$(sg id)/$s/deploy.json &&
	jq -e ".environment == \"staging\" and .promotes == \"$r\" and .artifacts_of == \"$r\" and .target == \"commands\"" $d &&
	test "$(cat deployed.log)" = "deployed v1" &&
	jq -e ".run == \"$s\" and .promotes == \"$r\"" .specgate/promotions/staging/$r.json &&
	sg audit log --run $s >log && expect_grep " | deploy | success | deploy.json" log &&
	sg promote $r --to production >out 2>&1 &&
	expect_grep "^deploy: rendered (.*environment production, promotes run $r" out &&
	p=$(last_run) && b=reports/$(sg id)/$p &&
	jq -e ".environment == \"production\" and .promotes == \"$r\" and .kubernetes.applied == false" $b/deploy.json &&
	jq -e ".spec.template.spec.containers[0].image == \"registry.example/shop:1\"" $b/kubernetes/deployment.json
'

test_expect_success 'an artifact changed since the run built it: the promotion fails (4), nothing deployed' '
	project && sg run >out 2>&1 && r=$(last_run) && : >deployed.log &&
	want=$(sha256sum <dist/version | cut -d" " -f1) &&
	echo v2 >dist/version &&
	expect_exit 4 sg promote $r --to staging >out 2>err &&
	expect_grep "^deploy: failure (promotion of run $r to staging: artifact .dist/version. changed since run $r built it: sha256 .*, recorded $want)" out &&
	! grep -q "^deploy: skipped" out &&
	test ! -s deployed.log && test ! -e .specgate/promotions/staging/$r.json
'

test_expect_success 'a changed spec: the promotion fails at deploy (1)' '
	project && sg run >out 2>&1 && r=$(last_run) &&
	sed -i "s/Then I receive a 200 OK/Then I receive a 204 No Content/" features/svc.feature &&
	expect_exit 1 sg promote $r --to staging >out 2>&1 &&
	expect_grep "^deploy: failure (promotion to staging: the spec changed since run $r" out
'

test_expect_success 'compliance: the approved continuation goes to an environment that requires an approval; the waiting run does not' '
	git init -q && mkdir -p features &&
	cat >features/svc.feature <<-\EOF &&
	@resource:cpu=0.2,memory=128,storage=10,story_points=1
	Feature: Service
	  Scenario: it answers
	    Given the service is running
	    When I call GET /healthz
	    Then I receive a 200 OK
	EOF
	printf "project: shop\nmode: compliance\n" >specgate.yaml &&
	PROFILE_DEPLOY="{run: [\"echo deployed >>deployed.log\"]}" compliance_profile &&
	printf "environments:\n  production: {target: commands, min_mode: compliance, approvals: 1}\n" >>specgate.yaml &&
	expect_exit 3 sg run >out 2>&1 && w=$(run_ids) && test -n "$w" &&
	expect_exit 1 sg promote $w --to production 2>err &&
	expect_grep "run $w is awaiting_approval" err &&
	sg approve $w --key .profile/alice.key --comment "for production" >/dev/null &&
	# the continuation deployed what the waiting run built: artifacts_of names it
	sg resume $w >out 2>&1 && c=$(run_ids | grep -vx "$w") && test -n "$c" &&
	: >deployed.log &&
	sg promote $c --to production >out 2>&1 &&
	expect_grep "^deploy: success (.*environment production, promotes run $c)" out &&
	p=$(run_ids | grep -vx -e "$w" -e "$c") && b=reports/$(sg id)/$p &&
	jq -e ".environment == \"production\" and .promotes == \"$c\" and .artifacts_of == \"$w\"" $b/deploy.json &&
	jq -e ".mode == \"compliance\"" $b/manifest.json &&
	test "$(cat deployed.log)" = deployed &&
	sg verify $b >/dev/null &&
	base64 -d $b/deploy.json.sig >d.sig &&
	openssl dgst -sha256 -verify .specgate/keys/specgate.pub -signature d.sig $b/deploy.json
'

test_expect_success 'config lists every environment key with its position, a password masked' '
	project &&
	sed -i "s|staging: {target: commands, min_mode: sandbox}|staging: {target: commands, min_mode: sandbox, health_url: \"http://ops:hunter2@127.0.0.1:9/healthz\"}|" specgate.yaml &&
	sg config >out &&
	expect_grep "^environments.staging.target: commands  # specgate.yaml:12:3$" out &&
	expect_grep "^environments.staging.health_url: \"http://ops:\[REDACTED\]@127.0.0.1:9/healthz\"  # specgate.yaml:12:3$" out &&
	expect_grep "^environments.production.approvals: 0  # specgate.yaml:13:3$" out &&
	expect_grep "^environments.vault.min_mode: compliance  # specgate.yaml:14:3$" out &&
	expect_grep "^environments.production.health_url: null" out &&
	! grep -q hunter2 out &&
	sg config --json >out.json &&
	jq -e "[to_entries[] | select(.key | startswith(\"environments.\"))] | length == 12" out.json &&
	jq -e ".\"environments.vault.target\" == {\"value\": \"kubernetes\", \"origin\": \"specgate.yaml:14:3\"}" out.json
'

test_done
