#!/bin/sh
# examples/demo.sh - what `make demo` runs: the example project's specs
# through specgate, end to end as far as specgate goes today.
# BIN is the specgate binary (the Makefile passes it).
set -eu
BIN=${BIN:-specgate}
cd "$(dirname "$0")/ping-service"

if [ -t 1 ]; then
	step() { printf "\n\033[1m$ %s\033[0m\n" "$*"; }
else
	step() { printf "\n$ %s\n" "$*"; }
fi

step specgate validate
"$BIN" validate
step specgate id
"$BIN" id
step specgate --mode compliance validate --report reports/spec-validation-report.json
mkdir -p reports
"$BIN" --mode compliance validate --report reports/spec-validation-report.json
step specgate pickles features/health.feature
"$BIN" pickles features/health.feature | head -n 2 | cut -c1-160
echo
echo "demo: the spec-validation report is in examples/ping-service/reports/spec-validation-report.json"
