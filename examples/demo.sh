#!/bin/sh
# examples/demo.sh - what `make demo` runs: the example project's specs
# through specgate, end to end as far as specgate goes today: validate,
# the feature id, the scenario tests generated from the spec going from
# pending to passing (in a temporary copy), a run that deploys it with the local target (a
# supervised, limited release on 127.0.0.1:18080, checked on /healthz) and
# publishes its evidence bundle, and the audit trail verified against it.
# BIN is the specgate binary (the Makefile passes it).
set -eu
BIN=${BIN:-specgate}
cd "$(dirname "$0")/ping-service"
# The example lives inside specgate's own repository: a run would claim
# (and keep) a feature branch there.  The demo stops git's discovery at
# examples/, so the run sees no repository (a warning in sandbox).
GIT_CEILING_DIRECTORIES=$(cd .. && pwd)
export GIT_CEILING_DIRECTORIES

if [ -t 1 ]; then
	step() { printf "\n\033[1m$ %s\033[0m\n" "$*"; }
else
	step() { printf "\n$ %s\n" "$*"; }
fi

step specgate validate
"$BIN" validate
step specgate id
"$BIN" id

# The scenario tests are generated from the spec (tests/generated/) and
# their steps written by hand (tests/steps/): in a temporary copy of the
# example, generate them afresh with no step written (spec coverage 0:
# every scenario pending), then add the steps (every scenario passing).
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
tar cf - --exclude=./build --exclude=./reports --exclude=./.specgate . |
	(cd "$copy" && tar xf -)
rm -rf "$copy/tests/generated" "$copy/tests/steps"
# the spec coverage of the copy's JUnit XML, and from its JSON document
# (docs/formats.md) the scenarios whose tests fail and those covered
coverage() {
	(cd "$copy" && "$BIN" junit build/test-results/*.xml) |
		grep -e "^tests:" -e "^spec coverage"
	(cd "$copy" && "$BIN" --json junit build/test-results/*.xml) |
		jq -r '"scenarios: \(.spec_coverage.scenarios), pending (failing): \([.scenarios[] | select(.failed > 0)] | length), passing: \(.spec_coverage.covered)"'
}
step "specgate generate   # in a copy of the example, with no step written yet"
(cd "$copy" && "$BIN" generate)
step "make pending   # the generated tests: every step fails \"pending\""
(cd "$copy" && make -s pending) | grep -e "features/" -e "pending"
step "specgate junit build/test-results/*.xml"
coverage
step "cp -r tests/steps .   # the steps, written by hand (tests/steps/ping_steps.c)"
cp -r tests/steps "$copy/tests/"
step "specgate generate   # again: the same bytes, tests/steps/ untouched"
(cd "$copy" && "$BIN" generate)
step "make test   # the scenario tests with their steps, then the service checks"
out=$(cd "$copy" && make -s test) || { echo "$out"; exit 1; }
echo "$out" | grep -e "features/" -e "^1\.\."
step "specgate junit build/test-results/*.xml"
coverage
rm -rf "$copy"
trap - EXIT

step "make test   # the example itself (JUnit in build/test-results/)"
out=$(make -s test) || { echo "$out"; exit 1; }
echo "$out" | tail -n 3
step specgate --mode compliance validate --report reports/spec-validation-report.json
mkdir -p reports
"$BIN" --mode compliance validate --report reports/spec-validation-report.json
step specgate pickles features/health.feature
"$BIN" pickles features/health.feature | head -n 2 | cut -c1-160
step specgate run
"$BIN" run | tee reports/.demo-run
bundle=$(sed -n 's/^bundle: //p' reports/.demo-run)
rm -f reports/.demo-run
step "ls $bundle"
ls -R "$bundle"
step "cat $bundle/checkpoints.log"
cat "$bundle/checkpoints.log"
step "jq .local $bundle/deploy.json   # the release the local target started"
jq '.local | {release, previous, mechanism, limits: (.limits | {cpu, memory_mb}), supervisor_pid, pid}' "$bundle/deploy.json"
step "specgate smoke http://127.0.0.1:18080/healthz"
"$BIN" smoke http://127.0.0.1:18080/healthz
step "curl -s http://127.0.0.1:18080/metrics"
curl -s http://127.0.0.1:18080/metrics | head -n 6
step specgate runs
"$BIN" runs | head -n 6
step specgate audit verify
"$BIN" audit verify
echo
echo "demo: the spec-validation report is in examples/ping-service/reports/spec-validation-report.json"
echo "demo: the run's bundle is examples/ping-service/$bundle"
echo "demo: (examples/ping-service/reports/$("$BIN" id)/latest points to it)"
echo "demo: the service runs on http://127.0.0.1:18080/ under its supervisor; stop it with"
echo "demo:   kill \$(jq -r .local.supervisor_pid examples/ping-service/$bundle/deploy.json)"
