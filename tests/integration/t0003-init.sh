#!/usr/bin/env bash
# t0003-init: `specgate init` starts a project that validates in its mode,
# adds the ignore entries once, and never writes over a project's files.
. "$(dirname "$0")/lib.sh"

test_expect_success 'init writes a project that validates and runs' '
	mkdir app && cd app &&
	sg init >out &&
	expect_grep "initialised sandbox project" out &&
	test -f specgate.yaml && test -f features/example.feature &&
	sg validate >out &&
	expect_grep "^1 file, 1 scenario: 0 errors, 0 warnings (mode sandbox" out &&
	sg config 2>err >cfg && test ! -s err &&
	expect_grep "^project: app  # specgate.yaml:" cfg &&
	sg run -q && test -L reports/"$(sg id)"/latest
'

test_expect_success 'the ignore entries are added once, after what was there' '
	printf "node_modules/" >.gitignore &&
	sg init >/dev/null &&
	sed -n 1p .gitignore | grep -qx "node_modules/" &&
	sed -n 2p .gitignore | grep -q "^# specgate" &&
	sed -n 3p .gitignore | grep -qx "/reports/" &&
	sed -n 4p .gitignore | grep -qx "/.specgate/" &&
	test "$(wc -l <.gitignore)" -eq 4 &&
	rm specgate.yaml features/example.feature &&
	sg init >/dev/null && test "$(grep -c "^/reports/$" .gitignore)" -eq 1
'

test_expect_success 'init refuses to write over specgate.yaml or the example, and writes nothing' '
	printf "project: mine\n" >specgate.yaml &&
	expect_exit 2 sg init 2>err &&
	expect_grep "specgate.yaml. already exists" err &&
	test "$(cat specgate.yaml)" = "project: mine" &&
	test ! -e features && test ! -e .gitignore &&
	rm specgate.yaml && mkdir features && echo mine >features/example.feature &&
	expect_exit 2 sg init 2>err &&
	test "$(cat features/example.feature)" = mine && test ! -e specgate.yaml
'

test_expect_success 'init --mode compliance DIR: a compliance project in a new directory' '
	sg init --mode compliance svc >out &&
	expect_grep "specgate doctor" out &&
	cd svc && expect_grep "^mode: compliance$" specgate.yaml &&
	sg config >cfg 2>err && test ! -s err &&
	expect_grep "^mode: compliance  # specgate.yaml:" cfg &&
	sg validate >out &&
	expect_grep "0 errors, 0 warnings (mode compliance" out
'

test_expect_success 'init with an unknown mode is exit 2' '
	expect_exit 2 sg init --mode strict 2>err &&
	expect_grep "unknown mode" err && test ! -e specgate.yaml
'

test_done
