#!/bin/sh
# examples/generate-c/demo.sh - the spec's tests from pending to passing:
# generate the cmocka tests from features/, run them without any step
# written (every scenario fails "pending": spec coverage 0), then with the
# steps of steps/ (every scenario passes).  `specgate junit` maps cmocka's
# JUnit XML to the scenarios by their names; no @test: tag is needed.
set -eu
cd "$(dirname "$0")"
SPECGATE=${SPECGATE:-$(command -v ../../build/specgate || command -v specgate)}
export SPECGATE

make -s clean
echo "== the generated tests, no step written yet"
make -s pending
"$SPECGATE" junit build/junit-*.xml | grep -e "^spec coverage" -e "failed:"
echo "== with the steps of steps/calc_steps.c"
make -s test
"$SPECGATE" junit build/junit-*.xml | grep "^spec coverage"
