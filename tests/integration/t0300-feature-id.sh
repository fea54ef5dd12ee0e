#!/usr/bin/env bash
# t0300-feature-id: `specgate id` against the coreutils recipe of
# docs/product.md §4.3 on awkward trees, the seed id, --json, and the
# errors (exit 2) for empty trees, missing paths, symlink loops,
# unreadable files, and the depth and size caps.
. "$(dirname "$0")/lib.sh"

# recipe DIR: the recipe of docs/feature-id.md, verbatim, run in DIR.
recipe() {
	(cd "$1" && find . -name '*.feature' -type f | sed 's|^\./||' |
		LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum | cut -c1-12)
}

# recipe0 DIR: the same with NUL-separated names, for names holding a
# newline (which the line-based recipe cannot carry through sort/xargs).
recipe0() {
	(cd "$1" && find . -name '*.feature' -type f -print0 |
		sed -z 's|^\./||' | LC_ALL=C sort -z | xargs -0 sha256sum |
		sha256sum | cut -c1-12)
}

# same_id DIR [RECIPE]: specgate id DIR equals the recipe's id.
same_id() {
	local want got
	want=$(${2:-recipe} "$1") && got=$(sg id "$1") || return 1
	if [ "$want" != "$got" ] || [ ${#got} -ne 12 ]; then
		echo "recipe: '$want', specgate: '$got'" >&2
		return 1
	fi
}

test_expect_success 'the seed directory has id 3f376ea850c8' '
	mkdir seed && cp "$DATA/seed/ping.feature" "$DATA/seed/broken_ping.feature" seed/ &&
	sg id seed >out && echo 3f376ea850c8 >want && cmp want out &&
	recipe seed >out && cmp want out
'

test_expect_success 'nested folders, spaces and other files: as the recipe' '
	mkdir -p f/a/b/c "f/with space/x" f/.hidden f/z.feature f/zz &&
	echo one >f/top.feature && echo two >f/a/b/c/deep.feature &&
	echo three >"f/with space/x/s p a c e.feature" &&
	echo four >f/.hidden/h.feature && echo five >f/.feature &&
	echo six >f/z.feature/inside.feature &&
	echo no >f/readme.md && echo no >f/a/x.feature.bak &&
	echo no >f/a/X.FEATURE && echo no >f/zz/feature &&
	same_id f
'

test_expect_success 'bytewise order: case, punctuation, digits' '
	mkdir f && for n in B a a-b a.b a0 _x Z 1 "~"; do
		echo "$n" >"f/$n.feature"; done &&
	mkdir f/a && echo in >f/a/b.feature &&
	same_id f
'

test_expect_success 'a backslash in a name: sha256sum escapes it' '
	mkdir f && echo x >"f/back\\slash.feature" && echo y >f/plain.feature &&
	(cd f && sha256sum "back\\slash.feature") | grep -q "^\\\\" &&
	same_id f
'

test_expect_success 'a newline and a carriage return in names' '
	mkdir f && echo x >"f/new
line.feature" && echo y >"$(printf "f/car\\rriage.feature")" &&
	echo z >f/plain.feature &&
	same_id f recipe0
'

test_expect_success 'every byte a name can hold: the escapes are exactly sha256sum'"'"'s' '
	mkdir f && for i in $(seq 1 255); do
		[ "$i" -eq 47 ] && continue
		printf -v oct "%03o" "$i" && printf -v n "a\\$oct" &&
		: >"f/${n}b.feature" || exit 1
	done &&
	test "$(find f -type f -print0 | tr -cd "\\0" | wc -c)" -eq 254 &&
	same_id f recipe0
'

test_expect_success 'non-ASCII names' '
	mkdir -p f/dossier && echo x >"f/café.feature" &&
	echo y >"f/dossier/日本語.feature" && echo z >"f/$(printf "\\xff\\xfe").feature" &&
	echo w >f/zebra.feature &&
	same_id f
'

test_expect_success 'symlinked feature files and directories are left out, with a warning' '
	mkdir -p f/real elsewhere && echo x >f/real/a.feature &&
	echo y >elsewhere/b.feature && echo z >elsewhere/c.txt &&
	ln -s ../elsewhere/b.feature f/link.feature &&
	ln -s ../elsewhere f/dirlink && ln -s ../elsewhere/c.txt f/c-link &&
	ln -s missing.feature f/dangling.feature &&
	same_id f && sg id f 2>err >/dev/null &&
	expect_grep "warning: ignoring symlink .f/link.feature." err &&
	expect_grep "warning: ignoring symlink .f/dirlink. to a directory" err &&
	expect_grep "ignoring symlink .f/dangling.feature." err &&
	! grep -q c-link err &&
	sg -q id f 2>err >/dev/null && ! test -s err
'

test_expect_success 'several feature directories: names relative to the root' '
	mkdir -p features/login more/specs && echo a >features/login/sso.feature &&
	echo b >features/z.feature && echo c >more/specs/pay.feature &&
	echo d >more/other.feature &&
	want=$(find features more/specs -name "*.feature" -type f |
		LC_ALL=C sort | xargs -d "\\n" sha256sum | sha256sum | cut -c1-12) &&
	got=$(sg id features more/specs) && test "$want" = "$got" &&
	got=$(sg id ./features/ more//specs) && test "$want" = "$got" &&
	test "$(sg id features)" = "$(recipe features)"
'

test_expect_success 'files and directories mixed; a file alone' '
	mkdir -p features && echo a >features/a.feature && echo b >lone.feature &&
	want=$(printf "%s\\n" features/a.feature lone.feature | LC_ALL=C sort |
		xargs -d "\\n" sha256sum | sha256sum | cut -c1-12) &&
	test "$(sg id lone.feature features)" = "$want" &&
	want=$(sha256sum features/a.feature | sha256sum | cut -c1-12) &&
	test "$(sg id features/a.feature)" = "$want"
'

test_expect_success 'no PATH: features/ under the current directory' '
	mkdir features && echo a >features/a.feature &&
	test "$(sg id)" = "$(recipe features)"
'

test_expect_success '--json lists each file with its digest' '
	mkdir -p f/sub && echo a >f/sub/a.feature && echo b >"f/b \"q\".feature" &&
	sg id --json f >out && jq -e . out >/dev/null &&
	test "$(jq -r .feature_id out)" = "$(recipe f)" &&
	jq -r ".files[] | \"\\(.sha256)  \\(.name)\"" out >got &&
	(cd f && find . -name "*.feature" -type f | sed "s|^\\./||" |
		LC_ALL=C sort | xargs -d "\\n" sha256sum) >want &&
	cmp want got &&
	sg id f --json | cmp - out
'

test_expect_success 'a 10 MiB file and an empty file hash as sha256sum does' '
	mkdir f && head -c 10485761 /dev/urandom >f/big.feature &&
	: >f/empty.feature && same_id f
'

test_expect_success 'an empty directory exits 2 with a message' '
	mkdir -p empty/sub && echo x >empty/notes.txt &&
	expect_exit 2 sg id empty 2>err &&
	expect_grep "^specgate: error: no .feature files under .empty.$" err
'

test_expect_success 'a missing path exits 2' '
	expect_exit 2 sg id nope 2>err &&
	expect_grep "error: .nope. does not exist" err &&
	expect_exit 2 sg id 2>err && expect_grep ".features. does not exist" err
'

test_expect_success 'a file that is not a .feature file exits 2' '
	echo x >notes.txt && expect_exit 2 sg id notes.txt 2>err &&
	expect_grep "is not a .feature file" err
'

test_expect_success 'a symlink loop exits 2 and names the link' '
	mkdir -p f/sub && echo x >f/a.feature && ln -s loop f/sub/loop &&
	expect_exit 2 sg id f 2>err &&
	expect_grep "error: .f/sub/loop. is a symlink loop" err &&
	ln -s b f/sub/a && ln -s a f/sub/b && rm f/sub/loop &&
	expect_exit 2 sg id f 2>err && expect_grep "is a symlink loop" err
'

# As root every file is readable: run the binary as nobody on a tree that
# is world-readable except the file (or directory) under test.
as_nobody() {
	if [ "$(id -u)" -eq 0 ]; then
		chmod 755 "$TRASH" &&
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}

test_expect_success 'an unreadable file exits 2 and names it' '
	cp "$SPECGATE" ./sg-bin && chmod 755 . sg-bin &&
	mkdir f && echo x >f/a.feature && echo y >f/secret.feature &&
	chmod 644 f/a.feature && chmod 000 f/secret.feature && chmod 755 f &&
	expect_exit 2 as_nobody ./sg-bin id f 2>err &&
	expect_grep "^specgate: error: cannot read .f/secret.feature.: Permission denied" err
'

test_expect_success 'an unreadable directory exits 2 and names it' '
	cp "$SPECGATE" ./sg-bin && chmod 755 . sg-bin &&
	mkdir -p f/private && echo x >f/a.feature && chmod 644 f/a.feature &&
	chmod 755 f && chmod 000 f/private &&
	expect_exit 2 as_nobody ./sg-bin id f 2>err &&
	expect_grep "cannot open directory .f/private.: Permission denied" err
'

test_expect_success 'a tree deeper than 256 levels exits 2' '
	d=f$(printf "/d%.0s" $(seq 257)) && mkdir -p "$d" &&
	echo x >"$d/deep.feature" &&
	expect_exit 2 sg id f 2>err && expect_grep "is nested too deeply" err &&
	d=g$(printf "/d%.0s" $(seq 255)) && mkdir -p "$d" &&
	echo x >"$d/deep.feature" && same_id g
'

test_expect_success 'a file over 64 MiB exits 2 and names it' '
	mkdir f && echo x >f/a.feature && truncate -s 64M f/edge.feature &&
	same_id f && truncate -s 67108865 f/edge.feature &&
	expect_exit 2 sg id f 2>err &&
	expect_grep "error: .f/edge.feature. is too large" err
'

test_expect_success 'usage: help and unknown options' '
	sg help id >out && expect_grep "^usage: specgate id \\[--json\\] \\[PATH...\\]" out &&
	sg --help >out && expect_grep "^  id " out &&
	expect_exit 2 sg id --frob 2>err && expect_grep "^usage: specgate id" err
'

test_done
