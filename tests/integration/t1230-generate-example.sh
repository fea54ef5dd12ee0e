#!/usr/bin/env bash
# t1230-generate-example: examples/generate-c through the real binary, in
# a copy: its committed tests/generated/ is what `specgate generate`
# writes (byte for byte, nothing rewritten), demo.sh goes from spec
# coverage 0 of 4 (every step pending) to 4 of 4 with the hand-written
# steps, and a run commits the generated files on the feature branch
# (read back with git) with validate's gates mapping the tests.
. "$(dirname "$0")/lib.sh"

EX=$SG_TEST_ROOT/../examples/generate-c
export GIT_CONFIG_NOSYSTEM=1 HOME=$TRASH
git config --global init.defaultBranch main
git config --global user.name "Test User"
git config --global user.email test@example.com
export GIT_CEILING_DIRECTORIES=$TRASH

test_expect_success 'the committed tests/generated/ is the generator'"'"'s output' '
	cp -r "$EX" ex && cd ex && rm -rf build reports .specgate &&
	sg generate >out && cat out &&
	grep -x "3 files: 0 written, 3 unchanged, 0 removed, 0 kept (feature id $(sg id))" out &&
	diff -r "$EX/tests/generated" tests/generated
'

test_expect_success 'demo.sh: pending first (0 of 4), passing with the steps (4 of 4)' '
	cp -r "$EX" ex && cd ex && rm -rf build reports .specgate &&
	SPECGATE="$SPECGATE" ./demo.sh >out 2>&1 && cat out &&
	grep -x "spec coverage: 0 of 4 scenarios (0.0%)" out &&
	grep -x "spec coverage: 4 of 4 scenarios (100.0%)" out &&
	test "$(grep -c "failed: " out)" -eq 4
'

test_expect_success 'a run: validate maps the tests, generate commits tests/generated/' '
	cp -r "$EX" ex && cd ex && rm -rf build reports .specgate tests/generated &&
	git init -q && git add -A && git commit -qm initial &&
	ID=$(sg id) && B=auto/spec-implementation/$ID &&
	SPECGATE="$SPECGATE" sg -q run --to generate &&
	jq -e ".scenarios | length == 4 and all(.covered)" reports/$ID/latest/spec-coverage.json &&
	jq -r ".files[].path" reports/$ID/latest/generated-files.json >got &&
	printf "tests/generated/steps.h\ntests/generated/steps_pending.c\ntests/generated/test_calculator.c\n" >want &&
	cmp want got &&
	git show "$B:tests/generated/test_calculator.c" | cmp - "$EX/tests/generated/test_calculator.c"
'

test_done
