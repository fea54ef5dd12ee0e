#!/usr/bin/env bash
# t0001-cli: the front end's contract: --help, --version, help COMMAND,
# unknown commands and options (exit 2), and that help matches the man page.
. "$(dirname "$0")/lib.sh"

test_expect_success '--help lists every command and exits 0' '
	sg --help >out &&
	expect_grep "^usage: specgate \[--mode M\]" out &&
	expect_grep "^  help " out && expect_grep "^  version " out
'

test_expect_success '--version prints the version and commit' '
	sg --version >out &&
	grep -Eq "^specgate [0-9]+\.[0-9]+\.[0-9]+ \(([0-9a-f]{12}|unknown)\)$" out
'

test_expect_success 'help COMMAND shows that command usage' '
	sg help version >out &&
	expect_grep "^usage: specgate version$" out
'

test_expect_success 'an unknown command exits 2 with a message' '
	expect_exit 2 sg frobnicate 2>err &&
	expect_grep "not a specgate command" err
'

test_expect_success 'a mistyped command, option or key gets a "did you mean"' '
	expect_exit 2 sg valdate 2>err &&
	expect_grep "did you mean .validate.?" err &&
	expect_exit 2 sg run --dryrun 2>err &&
	expect_grep "did you mean .--dry-run.?" err &&
	expect_exit 2 sg validate --jsn 2>err &&
	expect_grep "did you mean .--json.?" err &&
	mkdir features &&
	printf "stages:\n  build: {timout: 5m}\n" >specgate.yaml &&
	sg config >/dev/null 2>err &&
	expect_grep "specgate.yaml:2:11: warning: unknown key .stages.build.timout.*did you mean .timeout.?" err &&
	expect_exit 2 sg --mode compliance config >/dev/null 2>err &&
	expect_grep "specgate.yaml:2:11: error: unknown key.*did you mean .timeout.?" err
'

test_expect_success 'a word far from every command gets no guess' '
	expect_exit 2 sg frobnicate 2>err &&
	! grep -q "did you mean" err
'

test_expect_success '--json before or after the command: version, key id, keygen, smoke' '
	sg --json version | jq -e ".version and (.commit | length == 12 or . == \"unknown\")" &&
	sg version --json | jq -e ".version" &&
	sg key id --json "$DATA/sign/p256.pub" >k.json &&
	jq -e --arg id "$(sg key id "$DATA/sign/p256.pub")" ".keyid == \$id and (.path | endswith(\"p256.pub\"))" k.json &&
	sg keygen --no-password --json --out k >g.json &&
	jq -e --arg id "$(sg key id k.pub)" ".keyid == \$id and .private_key == \"k.key\" and .public_key == \"k.pub\" and .encrypted == false and .type == \"ecdsa-p256\"" g.json &&
	expect_exit 1 sg smoke --json --retries 1 --delay 10ms http://127.0.0.1:1/healthz >s.json &&
	jq -e ".healthy == false and (.tries | length) == 2 and .tries[0].http_status == 0 and (.tries[1].summary | test(\"refused\"))" s.json
'

# on_tty CMD: run CMD with a pseudo-terminal as stdout and stderr (script(1))
on_tty() { TERM=xterm script -qec "$*" /dev/null; }

test_expect_success 'colour on a terminal only; NO_COLOR and --color decide' '
	f="$DATA/seed/missing_then.feature" && esc=$(printf "\033") &&
	on_tty "\"$SPECGATE\" validate $f" >tty.out &&
	grep -q "${esc}\[1;33mwarning${esc}\[m: scenario" tty.out &&
	on_tty "NO_COLOR=1 \"$SPECGATE\" validate $f" >tty.out &&
	! grep -q "$esc" tty.out &&
	on_tty "\"$SPECGATE\" validate --color=never $f" >tty.out &&
	! grep -q "$esc" tty.out &&
	on_tty "\"$SPECGATE\" frobnicate" >tty.out ;
	grep -q "${esc}\[1;31merror${esc}\[m: " tty.out &&
	sg validate "$f" >pipe.out && ! grep -q "$esc" pipe.out &&
	NO_COLOR=1 sg --color=always validate "$f" >pipe.out &&
	grep -q "${esc}\[1;33mwarning" pipe.out &&
	expect_exit 2 sg --color=sometimes id 2>err &&
	expect_grep "always, never or auto" err
'

test_expect_success 'an unknown global option exits 2' '
	expect_exit 2 sg --frob 2>err
'

test_expect_success 'no command at all exits 2 with the usage' '
	expect_exit 2 sg 2>err && expect_grep "^usage:" err
'

test_expect_success 'a full stdout is exit 5, not a silent truncation' '
	expect_exit 5 sg --help >/dev/full 2>err &&
	expect_grep "cannot write to standard output" err &&
	expect_exit 5 sg pickles "$DATA/seed/ping.feature" >/dev/full 2>err
'

test_expect_success 'each command usage matches the specgate(1) synopsis' '
	man=$SG_TEST_ROOT/../docs/man/specgate.1 &&
	sg --help | sed -n "/^Commands:/,/^\$/s/^  \([a-z][a-z-]*\) .*/\1/p" >cmds &&
	test -s cmds &&
	while read -r c; do
		u=$(sg help "$c" | sed -n "s/^usage: specgate //p") &&
		grep -qxF ".B specgate $(printf %s "$u" | sed "s/-/\\\\-/g")" "$man" ||
		{ echo "usage of $c not in the man page: $u"; exit 1; }
	done <cmds
'

test_expect_success 'the man page renders without warnings' '
	man=$SG_TEST_ROOT/../docs/man/specgate.1 &&
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l -Tutf8 "$man" >out 2>err &&
	test ! -s err && sed "s/.\x08//g" out >plain &&
	expect_grep "^EXIT STATUS" plain
'

test_done
