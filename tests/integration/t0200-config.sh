#!/usr/bin/env bash
# t0200-config: `specgate config` and the configuration layers as a user
# meets them: walking up to specgate.yaml from a subdirectory, .env under
# the real environment, --mode over SPECGATE_MODE, errors with
# file:line:column and exit 2, and --json for machines.
. "$(dirname "$0")/lib.sh"

test_expect_success 'without specgate.yaml every value is a default' '
	mkdir my-service && cd my-service &&
	sg config >out &&
	expect_grep "^root: $PWD  # default$" out &&
	expect_grep "^mode: sandbox  # default$" out &&
	expect_grep "^project: my-service  # default$" out &&
	expect_grep "^version: 0.0.0  # default$" out
'

test_expect_success 'specgate.yaml is found by walking up from a subdirectory' '
	printf "project: demo\nversion: 1.2.3\n" >specgate.yaml &&
	mkdir -p features/deep/er && cd features/deep/er &&
	sg config >out &&
	expect_grep "^project: demo  # ../../../specgate.yaml:1:1$" out &&
	expect_grep "^root: ${PWD%/features/deep/er}  # search$" out
'

test_expect_success '.env is read from the project root, below the environment' '
	printf "project: demo\n" >specgate.yaml &&
	cat >.env <<-\EOF &&
	# comment
	export SPECGATE_PROJECT=from-dotenv
	SPECGATE_REPORTS="out dir"
	EOF
	mkdir sub && cd sub &&
	sg config >out &&
	expect_grep "^project: from-dotenv  # ../.env:2$" out &&
	expect_grep "^reports: out dir  # ../.env:3$" out &&
	SPECGATE_PROJECT=from-env sg config >out2 &&
	expect_grep "^project: from-env  # env SPECGATE_PROJECT$" out2 &&
	expect_grep "^reports: out dir  # ../.env:3$" out2
'

test_expect_success '--mode beats SPECGATE_MODE, which beats specgate.yaml' '
	printf "mode: sandbox\n" >specgate.yaml &&
	SPECGATE_MODE=compliance sg config >out &&
	expect_grep "^mode: compliance  # env SPECGATE_MODE$" out &&
	SPECGATE_MODE=compliance sg --mode sandbox config >out &&
	expect_grep "^mode: sandbox  # --mode$" out &&
	SPECGATE_MODE=compliance sg config --mode sandbox >out &&
	expect_grep "^mode: sandbox  # --mode$" out
'

test_expect_success 'a bad value is an error with file:line:column and exit 2' '
	printf "project: x\npolicy:\n  sandbox:\n    cpu: [0.5, 0.1]\n" \
	    >specgate.yaml &&
	expect_exit 2 sg config >out 2>err &&
	expect_grep "^specgate.yaml:4:10: error: .policy.sandbox.cpu. must be" err &&
	expect_grep "a range \[min, max\] with min <= max, not \[0.5, 0.1\]$" err &&
	test ! -s out
'

test_expect_success 'the error names the file relative to the working directory' '
	printf "retry:\n  retries: 1.5\n" >specgate.yaml &&
	mkdir a && cd a &&
	expect_exit 2 sg config 2>err &&
	expect_grep "^../specgate.yaml:2:12: error: .retry.retries. must be an integer" err
'

test_expect_success 'unknown keys: a warning in sandbox, an error in compliance' '
	printf "project: demo\ncolour: blue\n" >specgate.yaml &&
	sg config >out 2>err &&
	expect_grep "^specgate.yaml:2:1: warning: unknown key .colour." err &&
	expect_exit 2 sg --mode compliance config 2>err &&
	expect_grep "^specgate.yaml:2:1: error: unknown key .colour." err &&
	sg -q config >out 2>err && test ! -s err
'

test_expect_success 'a bad SPECGATE_MODE is an error (exit 2)' '
	SPECGATE_MODE=strict expect_exit 2 sg config 2>err &&
	expect_grep "SPECGATE_MODE" err
'

test_expect_success '--config FILE: that file, its directory as the root' '
	mkdir conf && printf "version: 9.9.9\n" >conf/other.yaml &&
	sg --config conf/other.yaml config >out &&
	expect_grep "^version: 9.9.9  # conf/other.yaml:1:1$" out &&
	expect_grep "^root: $PWD/conf  # --config$" out &&
	expect_exit 2 sg --config nowhere.yaml config 2>err &&
	expect_grep "nowhere.yaml" err
'

test_expect_success 'a specgate.yaml that is a symlink loop is exit 2' '
	ln -s specgate.yaml specgate.yaml &&
	expect_exit 2 sg config 2>err &&
	expect_grep "symlink loop" err
'

test_expect_success 'a FIFO named specgate.yaml or .env is refused, not waited on' '
	mkfifo specgate.yaml &&
	expect_exit 2 timeout 10 "$SPECGATE" config 2>err &&
	expect_grep "not a regular file" err &&
	rm specgate.yaml && mkfifo .env &&
	expect_exit 2 timeout 10 "$SPECGATE" config 2>err &&
	expect_grep "not a regular file" err
'

test_expect_success 'a file over 1 MiB is refused' '
	head -c 1100000 /dev/zero | tr "\0" "#" >specgate.yaml &&
	expect_exit 2 sg config 2>err &&
	expect_grep "too large" err
'

test_expect_success 'config --json is one JSON document with values and origins' '
	printf "project: demo\nstages:\n  build: {run: [make], timeout: 90s}\n" \
	    >specgate.yaml &&
	SPECGATE_FEATURES=a:b,c sg config --json >out.json &&
	test "$(jq -r .project.value out.json)" = demo &&
	test "$(jq -r .project.origin out.json)" = specgate.yaml:1:1 &&
	test "$(jq -r ".\"policy.sandbox.cpu\".value[1]" out.json)" = 0.5 &&
	test "$(jq -r ".features.value | join(\" \")" out.json)" = "a b c" &&
	test "$(jq -r ".\"stages.build.timeout\".value" out.json)" = 90s &&
	test "$(jq -r ".\"stages.build.run\".origin" out.json)" = specgate.yaml:3:11 &&
	sg --json config | jq -e .mode.value >/dev/null
'

test_expect_success 'SPECGATE_KEY_PASSWORD is never printed' '
	SPECGATE_KEY_PASSWORD=hunter2 sg config >out &&
	SPECGATE_KEY_PASSWORD=hunter2 sg config --json >>out &&
	! grep -q hunter2 out
'

test_expect_success 'config takes no operands' '
	expect_exit 2 sg config extra 2>err &&
	expect_grep "^usage: specgate config" err
'

test_done
