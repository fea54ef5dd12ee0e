#!/usr/bin/env bash
# t0002-completion: `specgate completion bash|zsh|fish` completes commands,
# their options, fixed words and closed value sets, asked of each shell's
# own completion machinery (bash's compgen through the function, zsh's
# bashcompinit, fish's `complete -C`).
. "$(dirname "$0")/lib.sh"

# complete WORDS...: what bash completes for the last word (one a line)
bash_complete() {
	bash -c '
		source <("$SPECGATE" completion bash)
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_specgate; printf "%s\n" "${COMPREPLY[@]}"
	' bash "$@"
}

test_expect_success 'bash: command names' '
	bash_complete specgate val >out &&
	test "$(cat out)" = validate &&
	bash_complete specgate ver >out &&
	expect_grep "^verify$" out && expect_grep "^verify-blob$" out &&
	expect_grep "^version$" out && test "$(wc -l <out)" -eq 3
'

test_expect_success 'bash: options of the command, from its synopsis' '
	bash_complete specgate run --d >out &&
	test "$(cat out)" = --dry-run &&
	bash_complete specgate --mode compliance run --f >out &&
	test "$(cat out)" = --from &&
	bash_complete specgate verify-blob --s >out &&
	test "$(cat out)" = --sig
'

test_expect_success 'bash: fixed words and closed value sets' '
	bash_complete specgate audit "" >out &&
	test "$(sort out | tr "\n" " ")" = "log verify " &&
	bash_complete specgate run --to b >out &&
	test "$(cat out)" = build &&
	bash_complete specgate --mode c >out &&
	test "$(cat out)" = compliance &&
	bash_complete specgate completion f >out &&
	test "$(cat out)" = fish
'

test_expect_success 'bash: files after a command that takes them' '
	touch one.feature &&
	bash_complete specgate pickles one >out &&
	test "$(cat out)" = one.feature
'

test_expect_success 'every command of --help completes' '
	sg --help | sed -n "/^Commands:/,/^\$/s/^  \([a-z][a-z-]*\) .*/\1/p" >cmds &&
	test -s cmds &&
	while read -r c; do
		bash_complete specgate "$c" >out &&
		grep -qx -- "$c" out || { echo "no completion for $c"; exit 1; }
	done <cmds
'

# zsh's compgen (bashcompinit) offers every candidate and leaves the
# filtering by prefix to zsh's own compadd, so these check the sets.
zsh_complete() {
	zsh -f -c '
		source ./comp.zsh
		print -r -- "registered: $_comps[specgate]"
		emulate -L sh
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_specgate; printf "%s\n" "${COMPREPLY[@]}"
	' zsh "$@"
}

test_expect_success 'zsh: the script registers and completes through bashcompinit' '
	sg completion zsh >comp.zsh &&
	zsh -n comp.zsh &&
	zsh_complete specgate audit "" >out &&
	expect_grep "^registered: _bash_complete .*-F _specgate" out &&
	test "$(sed 1d out | sort | tr "\n" " ")" = "log verify " &&
	zsh_complete specgate run --to "" >out &&
	test "$(sed 1d out | tr "\n" " ")" = "preflight validate generate build deploy audit " &&
	zsh_complete specgate v >out &&
	expect_grep "^validate$" out
'

test_expect_success 'fish: commands with their summaries, options, words' '
	sg completion fish >comp.fish &&
	fish -n comp.fish &&
	fish -c "source comp.fish; complete -C \"specgate val\"" >out &&
	expect_grep "^validate	check the specs" out &&
	fish -c "source comp.fish; complete -C \"specgate run --d\"" >out &&
	expect_grep "^--dry-run" out &&
	fish -c "source comp.fish; complete -C \"specgate key \"" >out &&
	expect_grep "^id" out
'

test_expect_success 'promote --to completes the environments of specgate.yaml (bash, fish)' '
	mkdir -p bin && ln -s "$SPECGATE" bin/specgate &&
	printf "project: t\nenvironments:\n  staging: {}\n  production: {approvals: 1}\n" >specgate.yaml &&
	PATH=$PWD/bin:$PATH bash_complete specgate promote 20260101000000 --to "" >out &&
	test "$(tr "\n" " " <out)" = "staging production " &&
	PATH=$PWD/bin:$PATH bash_complete specgate promote 20260101000000 --to p >out &&
	test "$(cat out)" = production &&
	bash_complete specgate run --to b >out && test "$(cat out)" = build &&
	sg completion fish >comp.fish &&
	PATH=$PWD/bin:$PATH fish -c "source comp.fish; complete -C \"specgate promote 1 --to \"" >out &&
	expect_grep "^staging" out && expect_grep "^production" out &&
	rm specgate.yaml &&
	PATH=$PWD/bin:$PATH bash_complete specgate promote 1 --to "" >out &&
	test -z "$(cat out)"
'

test_expect_success 'make install puts the binary, man pages and completions under PREFIX' '
	make -s -C "$SG_TEST_ROOT/.." BUILD="$BUILD" install DESTDIR="$PWD/dest" PREFIX=/opt/sg >/dev/null &&
	test -x dest/opt/sg/bin/specgate &&
	dest/opt/sg/bin/specgate --version | grep -q "^specgate " &&
	man -l -Tutf8 dest/opt/sg/share/man/man1/specgate.1 >/dev/null &&
	man -l -Tutf8 dest/opt/sg/share/man/man5/specgate.yaml.5 >/dev/null &&
	bash -n dest/opt/sg/share/bash-completion/completions/specgate &&
	fish -n dest/opt/sg/share/fish/vendor_completions.d/specgate.fish &&
	make -s -C "$SG_TEST_ROOT/.." BUILD="$BUILD" uninstall DESTDIR="$PWD/dest" PREFIX=/opt/sg &&
	test -z "$(find dest -type f)"
'

test_expect_success 'an unknown shell is exit 2' '
	expect_exit 2 sg completion tcsh 2>err &&
	expect_grep "bash, zsh or fish" err &&
	expect_exit 2 sg completion 2>err
'

test_done
