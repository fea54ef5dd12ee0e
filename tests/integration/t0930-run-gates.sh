#!/usr/bin/env bash
# t0930-run-gates: the gates and the SBOM inside `specgate run`.  The
# project's validate stage really produces its gate inputs: a small C
# program built with --coverage, exercised by pytest (JUnit XML), captured
# by lcov (tracefile) and analysed by clang's static analyzer (SARIF).
# The bundle's spec-coverage.json and sast-summary.json are checked with
# jq against what lcov --summary, the JUnit file and the SARIF file say;
# compliance fails on low coverage, a failing test and missing SARIF,
# sandbox only warns.  The build stage's SBOM is validated with ajv
# against the CycloneDX 1.6 schema, and in-toto-verify accepts the
# bundle's links.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/intoto.sh"
. "$(dirname "$0")/cyclonedx.sh"
. "$(dirname "$0")/serve.sh"

SRC=$DATA/gates
PUB=.specgate/keys/specgate.pub

# gproject MODE [FAIL] [SARIF] [MIN]: a signed project whose validate
# stage builds, tests (one test fails when FAIL is 1), captures coverage
# and (unless SARIF is "none") writes SARIF of SARIF (lib.c or buggy.c);
# gates.coverage.min is MIN (default 50).  A compliance project gets the
# rest of the compliance profile: the three inputs named, a build stage
# with an artifact, a deploy stage, an approver (alice.pub).
gproject() {
	signed_project "$1" && rm -rf features && mkdir -p features tests &&
	cp "$SRC/prog.c" "$SRC/lib.c" "$SRC/buggy.c" . &&
	cat >features/app.feature <<-\G &&
	@resource:cpu=0.1,memory=128,storage=10,story_points=1
	Feature: Classify
	  @test:tests.test_app.test_classify*
	  Scenario: numbers are classified
	    Given the program is built
	    When I run it with a number
	    Then it prints its class
	  @test:tests.test_app.test_sum*
	  Scenario: sum to
	    Given the program is built
	    When I run it with two numbers
	    Then it prints the sum
	G
	cat >tests/test_app.py <<-P &&
	import os, subprocess
	def run(*a):
	    return subprocess.run(["./prog", *a], capture_output=True, text=True).stdout.strip()
	def test_classify_negative():
	    assert run("-3") == "-1"
	def test_classify_big():
	    assert run("150") == "2"
	def test_sum_to():
	    assert run("7", "9") == "$(if [ "${2:-}" = 1 ]; then echo 99; else echo 16; fi)"
	P
	{
		echo "set -e"
		echo "rm -rf build coverage.info *.gcda && mkdir -p build/test-results build/sast"
		echo "gcc --coverage -O0 -o prog prog.c lib.c"
		echo "/usr/bin/python3 -m pytest -q -p no:cacheprovider --junitxml=build/test-results/junit.xml tests || true"
		echo "lcov -q --capture --directory . -o coverage.info"
		[ "${3:-lib}" = none ] ||
		echo "clang --analyze --analyzer-output sarif -o build/sast/a.sarif ${3:-lib}.c"
	} >validate.sh &&
	cat >>specgate.yaml <<-Y &&
	retry: {retries: 0}
	gates:
	  coverage: {min: ${4:-50}, files: [coverage.info]}
	  tests: {files: [build/test-results/*.xml]}
	  sast: {files: [build/sast/*.sarif]}
	stages:
	  validate: {run: ["sh validate.sh"]}
	Y
	if [ "$1" = compliance ]; then
		sg keygen -q --no-password --out alice >/dev/null 2>&1 &&
		cat >>specgate.yaml <<-\Y
		  build: {run: ["cc -o app prog.c lib.c"], artifacts: [app]}
		  deploy: {run: ["true"]}
		approvals: {required: 1, keys: [alice.pub]}
		Y
	fi
}

test_expect_success 'sandbox: the bundle holds the gates as lcov, JUnit and SARIF say' '
	gproject sandbox && sg run >out 2>&1 && B=$(latest) &&
	bundle_ok "$B" &&
	lcov --summary coverage.info >sum 2>&1 &&
	want=$(sed -n "s/^ *lines\.*: \([0-9.]*\)%.*/\1/p" sum) && test -n "$want" &&
	got=$(jq -r ".code_coverage.line_percent" "$B/spec-coverage.json" | awk "{printf \"%.1f\", \$1}") &&
	test "$got" = "$want" &&
	test "$(jq -r .schema "$B/spec-coverage.json")" = specgate/spec-coverage/v1 &&
	test "$(jq -r .run_id "$B/spec-coverage.json")" = "$(basename "$B")" &&
	test "$(jq .tests.passed "$B/spec-coverage.json")" = \
	    "$(grep -o "<testcase " build/test-results/junit.xml | wc -l)" &&
	test "$(jq .spec_coverage.covered "$B/spec-coverage.json")" = 2 &&
	test "$(jq -r ".scenarios[0].tests | map(.id) | join(\" \")" "$B/spec-coverage.json")" = \
	    "tests.test_app.test_classify_negative tests.test_app.test_classify_big" &&
	test "$(jq .present "$B/sast-summary.json")" = true &&
	test "$(jq .results "$B/sast-summary.json")" = "$(jq "[.runs[].results[]] | length" build/sast/a.sarif)" &&
	grep -q " | validate | success | spec-coverage.json$" "$B/checkpoints.log" &&
	test "$(jq -r ".stages[] | select(.stage == \"validate\") | .output" "$B/manifest.json")" = spec-coverage.json &&
	expect_grep "^validate: success (.*gates: coverage $want%; tests 3 passed, 0 failed; spec coverage 2 of 2" out &&
	expect_grep "SAST input .*a.sarif" "$B/logs/validate.log" &&
	sg runs "$(basename "$B")" >runs &&
	expect_grep " | validate | success | spec-coverage.json$" runs &&
	expect_grep "sast-summary.json" runs
'

test_expect_success 'compliance: coverage below min fails the run after validate' '
	gproject compliance "" lib 99 &&
	expect_exit 1 sg run >out 2>&1 && B=$(latest) &&
	expect_grep "error: line coverage .*\[SG301 coverage-below-min\]" out &&
	grep -q " | validate | failure | spec-coverage.json$" "$B/checkpoints.log" &&
	grep -q " | generate | skipped | -$" "$B/checkpoints.log" &&
	test "$(jq -r .result "$B/spec-coverage.json")" = fail &&
	test "$(jq -r .run.status "$B/manifest.json")" = failure &&
	bundle_ok "$B"
'

test_expect_success 'compliance: a failing test fails; sandbox: the same run warns' '
	gproject compliance 1 &&
	expect_exit 1 sg run >out 2>&1 &&
	expect_grep "error: .*\[SG311 test-failed\]" out &&
	test "$(jq .tests.failed "$(latest)/spec-coverage.json")" = 1 &&
	sed -i "s/^mode: compliance/mode: sandbox/" specgate.yaml &&
	sg run >out 2>&1 &&
	expect_grep "warning: .*\[SG311 test-failed\]" out &&
	test "$(jq -r .run.status "$(latest)/manifest.json")" = warning
'

test_expect_success 'compliance: missing SARIF fails; fail_on warning fails on real findings' '
	gproject compliance "" none &&
	expect_exit 1 sg run >out 2>&1 &&
	expect_grep "error: .*\[SG322 sast-missing\]" out &&
	test "$(jq .present "$(latest)/sast-summary.json")" = false &&
	echo "clang --analyze --analyzer-output sarif -o build/sast/a.sarif buggy.c" >>validate.sh &&
	sg run --to build >out 2>&1 &&
	test "$(jq -r .run.status "$(latest)/manifest.json")" = success &&
	sed -i "s/^  sast: {/&fail_on: warning, /" specgate.yaml &&
	expect_exit 1 sg run --to build >out 2>&1 &&
	expect_grep "error: 3 SAST results at .warning. or above .*\[SG321 sast-threshold\]" out
'

test_expect_success 'no validate commands: the gates still read inputs that exist' '
	project sandbox && cp "$SRC/lib.c" . &&
	printf "SF:%s/lib.c\nDA:7,1\nDA:9,0\nend_of_record\n" "$PWD" >coverage.info &&
	sg run >out 2>&1 && B=$(latest) &&
	test "$(jq .code_coverage.line_percent "$B/spec-coverage.json")" = 50 &&
	grep -q " | validate | warning | spec-coverage.json$" "$B/checkpoints.log" &&
	rm coverage.info && sg run >out 2>&1 &&
	grep -q " | validate | skipped | -$" "$(latest)/checkpoints.log"
'

test_expect_success 'build: the SBOM of a run is valid CycloneDX 1.6 and names the run' '
	signed_project sandbox && mkdir -p build &&
	printf "#include <jansson.h>\nint main(void) { return !jansson_version_str(); }\n" >app.c &&
	cat >>specgate.yaml <<-\Y &&
	stages:
	  build: {run: ["cc -o build/app app.c -ljansson"], artifacts: ["build/app"]}
	Y
	sg run >out 2>&1 && B=$(latest) && bundle_ok "$B" &&
	valid "$B/sbom.cyclonedx.json" &&
	grep -q " | build | success | sbom.cyclonedx.json$" "$B/checkpoints.log" &&
	test "$(jq -r ".metadata.properties[] | select(.name == \"specgate:run_id\") | .value" "$B/sbom.cyclonedx.json")" = "$(basename "$B")" &&
	jq -e ".components[] | select(.purl // \"\" | startswith(\"pkg:deb/debian/libjansson4@\"))" "$B/sbom.cyclonedx.json" >/dev/null &&
	test "$(jq -r ".components[] | select(.name == \"build/app\") | .hashes[0].content" "$B/sbom.cyclonedx.json")" = \
	    "$(sha256sum build/app | cut -d" " -f1)" &&
	expect_grep "SBOM: [0-9]* components" "$B/logs/build.log"
'

test_expect_success 'in-toto-verify accepts a bundle with the gates and the SBOM' '
	gproject sandbox &&
	sed -i "s/^  validate: .*/&\n  build: {run: [\"cc -o app2 prog.c lib.c\"], artifacts: [\"app2\"]}/" specgate.yaml &&
	sg run >out 2>&1 && B=$(latest) &&
	test -f "$B/sbom.cyclonedx.json" &&
	jq -e ".signed.products | has(\"spec-coverage.json\") and has(\"sast-summary.json\")" "$B"/links/validate.*.link >/dev/null &&
	jq -e ".signed.products | has(\"sbom.cyclonedx.json\") and has(\"app2\")" "$B"/links/build.*.link >/dev/null &&
	sg layout -q --out root.layout && sskey $PUB >key.json &&
	intoto_verify "$B" root.layout "$PWD/key.json" ecdsa >iv.out 2>&1 &&
	cp -a "$B" changed && echo "{}" >changed/sast-summary.json &&
	! intoto_verify changed root.layout "$PWD/key.json" ecdsa >iv.out 2>&1
'

test_expect_success 'the service shows each gate from the bundle, /metrics counts them' '
	gproject sandbox 1 && sg run -q && B=$(latest) && rid=$(basename "$B") &&
	serve_start && get "/api/v1/runs/$rid" >r && get /metrics >m && serve_stop &&
	jq -e --argjson lp "$(jq .code_coverage.line_percent "$B/spec-coverage.json")" "
	    [.gates[].gate] == [\"spec\", \"coverage\", \"tests\", \"spec_coverage\", \"sast\"] and
	    (.gates[1] | .result == \"pass\" and .line_percent == \$lp) and
	    (.gates[2] | .result == \"warning\" and .warnings == 1 and .tests.failed == 1) and
	    (.gates[3] | .result == \"pass\" and .spec_coverage.covered == 1) and
	    (.gates[4] | .result == \"pass\" and .source == \"sast-summary.json\")" r &&
	grep -q "^specgate_gate_results{gate=\"tests\",outcome=\"warning\"} 1$" m &&
	grep -q "^specgate_gate_results{gate=\"coverage\",outcome=\"pass\"} 1$" m &&
	grep -q "^specgate_gate_results{gate=\"sast\",outcome=\"pass\"} 1$" m &&
	grep -q "^specgate_gate_results{gate=\"spec\",outcome=\"pass\"} 1$" m
'

# junit_sh FILE N NAME: a shell line writing JUnit XML to FILE with N
# passing test cases named NAME_1..NAME_N (class "suite").
junit_sh() {
	printf 'mkdir -p %s && { echo "<testsuite name=\\"s\\">"; for i in $(seq %s); do echo "<testcase classname=\\"suite\\" name=\\"%s_$i\\"/>"; done; echo "</testsuite>"; } >%s\n' \
	    "$(dirname "$1")" "$2" "$3" "$1"
}

# tproject [STAGE]: a sandbox project whose validate stage writes 7 unit
# tests and whose build stage writes 3 integration tests, the tests gate
# read after STAGE (unset: the default).
tproject() {
	project sandbox &&
	junit_sh build/test-results/unit.xml 7 unit >validate.sh &&
	junit_sh build/test-results/integration.xml 3 integration >build.sh &&
	cat >>specgate.yaml <<-Y
	retry: {retries: 0}
	gates:
	  tests: {files: [build/test-results/*.xml]${1:+, stage: $1}}
	stages:
	  validate: {run: ["sh validate.sh"]}
	  build: {run: ["sh build.sh"]}
	Y
}

test_expect_success 'gates.tests.stage: build: JUnit written during build is counted (10, not 7)' '
	tproject build &&
	sg run >out 2>&1 && B=$(latest) &&
	n=$(cat build/test-results/*.xml | grep -c "<testcase") && test "$n" = 10 &&
	test "$(jq .tests.total "$B/spec-coverage.json")" = "$n" &&
	test "$(jq .tests.files "$B/spec-coverage.json")" = 2 &&
	expect_grep "tests input .*build/test-results/integration.xml (read after build)" "$B/logs/build.log" &&
	grep -q " | build | warning | sbom.cyclonedx.json$" "$B/checkpoints.log" &&
	grep -q " | validate | success | logs/validate.log$" "$B/checkpoints.log" &&
	jq -e ".stages[] | select(.stage == \"build\") | .detail | test(\"gates: .*tests 10 passed\")" "$B/manifest.json"
'

test_expect_success 'default binding: an input written after the gate read it is reported, not dropped' '
	tproject &&
	sg run >out 2>&1 && B=$(latest) &&
	test "$(jq .tests.total "$B/spec-coverage.json")" = 7 &&
	expect_grep "build/test-results/integration.xml: warning: written during build, after the tests gate read its inputs (after validate): not counted; set gates.tests.stage: build" out &&
	expect_grep "integration.xml: warning: written during build" "$B/logs/build.log" &&
	grep -q " | build | warning | sbom.cyclonedx.json$" "$B/checkpoints.log" &&
	test "$(jq -r .run.status "$B/manifest.json")" = warning
'

test_expect_success 'an input read after its stage survives a later stage that deletes it' '
	tproject &&
	printf "rm -rf build/test-results\n" >build.sh &&
	sed -i "s/^  tests: .*/  tests: {files: [build\/test-results\/*.xml]}\n  sast: {files: [sast.sarif], stage: build}/" specgate.yaml &&
	printf "printf %%s \x27{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"}}, \"results\": []}]}\x27 >sast.sarif\n" >>build.sh &&
	sg run >out 2>&1 && B=$(latest) &&
	test ! -e build/test-results &&
	test "$(jq .tests.total "$B/spec-coverage.json")" = 7 &&
	test "$(jq .present "$B/sast-summary.json")" = true &&
	expect_grep "SAST input .*sast.sarif (read after build)" "$B/logs/build.log"
'

test_expect_success 'an input rewritten by the gate stage is reported; its own gates still count' '
	tproject build &&
	sed -i "s/^  tests: .*/&\n  sast: {files: [sast.sarif]}/" specgate.yaml &&
	printf "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"}}, \"results\": []}]}\n" >src.sarif &&
	echo "cp src.sarif sast.sarif" >>validate.sh &&
	printf "echo >>sast.sarif\n" >>build.sh &&
	sg run >out 2>&1 && B=$(latest) &&
	test "$(jq .tests.total "$B/spec-coverage.json")" = 10 &&
	test "$(jq .present "$B/sast-summary.json")" = true &&
	expect_grep "sast.sarif: warning: rewritten during build, after the SAST gate read its inputs (after validate)" out &&
	jq -e ".stages[] | select(.stage == \"build\") | .detail | test(\"tests 10 passed.*; 1 gate input changed after it was read\")" "$B/manifest.json"
'

test_expect_success 'a configured input that never appears is missing, not skipped' '
	project sandbox &&
	printf "gates:\n  tests: {files: [build/test-results/*.xml]}\n" >>specgate.yaml &&
	sg run >out 2>&1 && B=$(latest) &&
	grep -q " | validate | warning | spec-coverage.json$" "$B/checkpoints.log" &&
	test "$(jq -r .result "$B/spec-coverage.json")" = missing &&
	jq -e "[.findings[].code] | index(\"SG313\")" "$B/spec-coverage.json" &&
	expect_grep "tests input: none of build/test-results/\*.xml matched after validate" "$B/logs/validate.log"
'

test_expect_success 'gates.tests.stage takes validate, generate or build only' '
	project sandbox &&
	printf "gates:\n  tests: {stage: deploy}\n" >>specgate.yaml &&
	expect_exit 2 sg run >out 2>&1 &&
	expect_grep "gates.tests.stage. must be one of validate, generate, build" out
'

test_done
