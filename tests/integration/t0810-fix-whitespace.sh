#!/usr/bin/env bash
# t0810-fix-whitespace: `specgate fix-whitespace` checked by git's own
# whitespace checker (`git diff --check`, `git diff --ws-error-highlight`),
# tail/od for the final newline, cmp for binary files, stat for the
# permission bits; the default set is the files git tracks.
. "$(dirname "$0")/lib.sh"

export GIT_CONFIG_NOSYSTEM=1 HOME=$TRASH
git config --global init.defaultBranch main
git config --global user.name "Test User"
git config --global user.email test@example.com

# repo: a git repository whose committed files are clean
repo() {
	git init -q r && cd r &&
	printf 'int x;\n' >a.c && printf 'line\n' >b.md &&
	git add -A && git commit -qm clean
}

test_expect_success 'trailing blanks and a missing newline: git diff --check is clean after' '
	repo && printf "int x;  \n\tint y;\t\nint z;" >a.c &&
	printf "text   \n" >b.md &&
	! git diff --check >/dev/null &&
	sg fix-whitespace a.c b.md >out &&
	printf "a.c\nb.md\n" | cmp - out &&
	git diff --check &&
	test "$(tail -c1 a.c | od -An -c | tr -d " ")" = "\n" &&
	printf "int x;\n\tint y;\nint z;\n" | cmp - a.c
'

test_expect_success 'without PATH: the tracked files only' '
	repo && printf "int x;  \n" >a.c && printf "untracked  \n" >u.txt &&
	mkdir -p reports && printf "{}  " >reports/r.json &&
	sg fix-whitespace >out && printf "a.c\n" | cmp - out &&
	printf "untracked  \n" | cmp - u.txt &&
	printf "{}  " | cmp - reports/r.json && git diff --check
'

test_expect_success 'binary files, symlinks and .git are left alone; modes kept' '
	repo && printf "\x00\x01  \n" >bin && cp bin bin.orig &&
	printf "#!/bin/sh  \n" >x.sh && chmod 751 x.sh &&
	ln -s x.sh link && cp .git/config config.orig &&
	sg -v fix-whitespace . >out &&
	expect_grep "^bin: binary$" out && expect_grep "^link: skipped$" out &&
	expect_grep "^x.sh$" out &&
	cmp bin bin.orig && cmp .git/config config.orig &&
	test "$(stat -c %a x.sh)" = 751 && test -L link &&
	printf "#!/bin/sh\n" | cmp - x.sh
'

test_expect_success 'CRLF files keep CRLF' '
	repo && printf "a  \r\nb" >w.txt &&
	sg fix-whitespace w.txt >/dev/null &&
	printf "a\r\nb\r\n" | cmp - w.txt
'

test_expect_success 'a clean file is not rewritten (same inode and mtime)' '
	repo && before=$(stat -c "%i %Y.%y" a.c) &&
	sg fix-whitespace a.c >out && test ! -s out &&
	test "$(stat -c "%i %Y.%y" a.c)" = "$before"
'

test_expect_success '--json lists the fixed and the binary files (jq)' '
	repo && printf "a  \n" >a.c && printf "\0" >z &&
	sg fix-whitespace --json a.c z b.md >j &&
	jq -e ".fixed == [\"a.c\"] and .binary == [\"z\"] and .checked == 3" j
'

test_expect_success 'errors: a missing path, no PATH outside a repository' '
	expect_exit 2 sg fix-whitespace nope 2>err && expect_grep "does not exist" err &&
	mkdir -p n && cd n && GIT_CEILING_DIRECTORIES=$TRASH expect_exit 2 sg fix-whitespace 2>err &&
	expect_grep "not in a git repository" err
'

test_done
