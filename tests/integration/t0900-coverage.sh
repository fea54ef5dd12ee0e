#!/usr/bin/env bash
# t0900-coverage: `specgate coverage` against the real tools.  A small C
# program is built with --coverage and run; lcov and gcovr turn its gcov
# data into an lcov tracefile and Cobertura XML, and print their own
# figures; specgate's line and branch figures, in total and per file, must
# be what they print (both round to 0.1).  Then merging, the gate in both
# modes, sources that do not exist, and bad input.
. "$(dirname "$0")/lib.sh"

SRC=$DATA/gates

# build DIR ARGS...: compile the program with --coverage in DIR, run it
# once per argument list (";"-separated), leave the .gcda files there.
build() {
	mkdir -p "$1" && cp "$SRC/prog.c" "$SRC/lib.c" "$1/" &&
	(cd "$1" && gcc --coverage -O0 -o prog prog.c lib.c) || return 1
	shift
	local run
	for run in "$@"; do
		(cd "$dir" && ./prog $run >/dev/null) || return 1
	done
}

# field JSON KEY: a top-level number of specgate's JSON, as %.1f
field() { jq -r ".$2" "$1" | awk '$1 == "null" { print; next } { printf "%.1f\n", $1 }'; }

test_expect_success 'lcov: line and branch figures equal lcov --summary' '
	dir=$PWD/p && build "$dir" "" "-3 4" "150" &&
	lcov -q --capture --directory p --rc lcov_branch_coverage=1 -o cov.info &&
	lcov --summary cov.info --rc lcov_branch_coverage=1 >sum 2>&1 &&
	want_l=$(sed -n "s/^ *lines\.*: \([0-9.]*\)%.*/\1/p" sum) &&
	want_b=$(sed -n "s/^ *branches\.*: \([0-9.]*\)%.*/\1/p" sum) &&
	test -n "$want_l" && test -n "$want_b" &&
	sg --json coverage --min 0 cov.info >out.json &&
	test "$(field out.json line_percent)" = "$want_l" &&
	test "$(field out.json branch_percent)" = "$want_b" &&
	echo "lcov $want_l/$want_b specgate $(field out.json line_percent)/$(field out.json branch_percent)"
'

test_expect_success 'lcov: the found/hit counts are lcov'"'"'s too' '
	dir=$PWD/p && build "$dir" "" "7 9" &&
	lcov -q --capture --directory p --rc lcov_branch_coverage=1 -o cov.info &&
	lcov --summary cov.info --rc lcov_branch_coverage=1 >sum 2>&1 &&
	sg --json coverage --min 0 cov.info >out.json &&
	grep -q "lines\.*: .*($(jq .lines_hit out.json) of $(jq .lines_found out.json) lines)" sum &&
	grep -q "branches\.*: .*($(jq .branches_hit out.json) of $(jq .branches_found out.json) branches)" sum
'

test_expect_success 'Cobertura: figures equal gcovr, in total and per file' '
	dir=$PWD/p && build "$dir" "" "-3 4" &&
	(cd p && gcovr -r . --cobertura ../cov.xml --json-summary ../sum.json --print-summary >../sum.txt) &&
	want_l=$(sed -n "s/^lines: \([0-9.]*\)%.*/\1/p" sum.txt) &&
	want_b=$(sed -n "s/^branches: \([0-9.]*\)%.*/\1/p" sum.txt) &&
	sg --json coverage --min 0 cov.xml >out.json &&
	test "$(field out.json line_percent)" = "$want_l" &&
	test "$(field out.json branch_percent)" = "$want_b" &&
	for f in prog.c lib.c; do
		g=$(jq -r --arg f $f ".files[] | select(.filename == \$f) | .line_percent" sum.json) &&
		s=$(jq -r --arg f $f ".files[] | select(.path == \$f) | .line_percent" out.json) &&
		awk -v a="$g" -v b="$s" "BEGIN { d = a - b; exit !(d < 0.05 && d > -0.05) }" ||
		{ echo "$f: gcovr $g, specgate $s"; exit 1; }
	done
'

test_expect_success 'text output: per file and total, as lcov rounds' '
	dir=$PWD/p && build "$dir" "" &&
	lcov -q --capture --directory p -o cov.info &&
	sg coverage --min 0 cov.info >out &&
	expect_grep "/lib.c: lines [0-9.]*% ([0-9]* of [0-9]*)" out &&
	expect_grep "^total: lines .* in 2 sources$" out
'

test_expect_success 'two tracefiles are merged as lcov -a merges them' '
	dir=$PWD/a && build "$dir" "-3" &&
	dir=$PWD/b && build "$dir" "150 6" &&
	lcov -q --capture --directory a --rc lcov_branch_coverage=1 -o a.info &&
	lcov -q --capture --directory b --rc lcov_branch_coverage=1 -o b.info &&
	sed "s|$PWD/b/|$PWD/a/|" b.info >b2.info &&
	lcov -q -a a.info -a b2.info --rc lcov_branch_coverage=1 -o all.info &&
	lcov --summary all.info --rc lcov_branch_coverage=1 >sum 2>&1 &&
	want=$(sed -n "s/^ *lines\.*: \([0-9.]*\)%.*/\1/p" sum) &&
	sg --json coverage --min 0 a.info b2.info >out.json &&
	test "$(field out.json line_percent)" = "$want" &&
	sg --json coverage --min 0 all.info >out2.json &&
	test "$(field out2.json line_percent)" = "$want"
'

test_expect_success 'below the minimum: a warning in sandbox (exit 0), an error in compliance (exit 1)' '
	dir=$PWD/p && build "$dir" "" &&
	lcov -q --capture --directory p -o cov.info &&
	sg coverage --min 99.5 cov.info >out &&
	expect_grep "warning: line coverage .* is below the minimum 99.5% .*\[SG301 coverage-below-min\]" out &&
	expect_exit 1 sg --mode compliance coverage --min 99.5 cov.info >out &&
	expect_grep "error: line coverage" out &&
	sg --mode compliance coverage --min 1 cov.info >out &&
	! grep -q SG301 out
'

test_expect_success 'the minimum comes from gates.coverage.min' '
	dir=$PWD/p && build "$dir" "" &&
	lcov -q --capture --directory p -o cov.info &&
	printf "gates:\n  coverage: {min: 99.9}\n" >specgate.yaml &&
	sg coverage cov.info >out && expect_grep "minimum 99.9%" out &&
	printf "gates:\n  coverage: {min: 1}\n" >specgate.yaml &&
	sg coverage cov.info >out && ! grep -q SG301 out
'

test_expect_success 'coverage naming sources that do not exist is a finding' '
	printf "SF:/nonexistent/src/a.c\nDA:1,1\nDA:2,0\nend_of_record\nSF:here.c\nDA:1,1\nend_of_record\n" >c.info &&
	: >here.c &&
	sg coverage --min 0 c.info >out &&
	expect_grep "/nonexistent/src/a.c: lines 50.0% (1 of 2), branches - \[missing\]" out &&
	expect_grep "coverage names ./nonexistent/src/a.c., which does not exist: .*SG302" out &&
	! grep -q "here.c.*missing" out &&
	expect_exit 1 sg --mode compliance coverage --min 0 c.info >out
'

test_expect_success 'no data at all is 0%, not 100%' '
	printf "TN:\nend_of_record\n" >empty.info &&
	sg --json coverage --min 0 empty.info >out.json &&
	test "$(jq .line_percent out.json)" = null &&
	expect_exit 1 sg --mode compliance coverage --min 1 empty.info >out &&
	expect_grep "line coverage 0.0% (0 of 0 lines)" out
'

test_expect_success 'LF/LH summaries are not believed: figures come from DA lines' '
	printf "SF:x.c\nDA:1,0\nDA:2,0\nDA:3,4\nLF:3\nLH:3\nend_of_record\n" >lie.info &&
	sg --json coverage --min 0 lie.info >out.json &&
	test "$(jq .lines_hit out.json)" = 1 && test "$(jq .lines_found out.json)" = 3
'

test_expect_success 'malformed lcov: exit 2 naming file:line' '
	printf "SF:x.c\nDA:1,1\nDA:two,1\nend_of_record\n" >bad.info &&
	expect_exit 2 sg coverage bad.info 2>err &&
	expect_grep "^bad.info:3:1: error: malformed DA" err &&
	printf "DA:1,1\n" >bad2.info &&
	expect_exit 2 sg coverage bad2.info 2>err &&
	expect_grep "^bad2.info:1:1: error: DA outside a source" err &&
	printf "SF:x.c\nhello world\n" >bad3.info &&
	expect_exit 2 sg coverage bad3.info 2>err &&
	expect_grep "^bad3.info:2:1: error: not a tracefile record" err &&
	printf "SF:x.c\nDA:1,1\0\n" >bad4.info &&
	expect_exit 2 sg coverage bad4.info 2>err &&
	expect_grep "NUL byte" err &&
	expect_exit 2 sg coverage nosuch.info 2>err &&
	expect_grep "does not exist" err &&
	expect_exit 2 sg coverage 2>err && expect_grep "^usage: specgate coverage" err
'

test_expect_success 'a line over 1 MiB is refused, not buffered' '
	{ printf "SF:"; head -c 2000000 /dev/zero | tr "\0" a; printf "\n"; } >long.info &&
	expect_exit 2 sg coverage long.info 2>err &&
	expect_grep "longer than 1048576 bytes" err
'

test_expect_success 'malformed Cobertura: exit 2 with line and column' '
	printf "<?xml version=\"1.0\"?>\n<coverage>\n  <packages><package>\n</coverage>\n" >bad.xml &&
	expect_exit 2 sg coverage bad.xml 2>err &&
	expect_grep "^bad.xml:4:[0-9]*: error: malformed XML" err &&
	printf "<?xml version=\"1.0\"?>\n<testsuites/>\n" >notcob.xml &&
	expect_exit 2 sg coverage notcob.xml 2>err &&
	expect_grep "not Cobertura XML: the root element is <testsuites>" err &&
	printf "<coverage><packages><package><classes><class filename=\"a.c\"><lines><line number=\"x\" hits=\"1\"/></lines></class></classes></package></packages></coverage>" >badline.xml &&
	expect_exit 2 sg coverage badline.xml 2>err &&
	expect_grep "needs number and hits" err
'

test_expect_success 'Cobertura: an external entity is never read (no XXE)' '
	echo SECRET-XXE >secret.txt &&
	cat >xxe.xml <<-XML &&
	<?xml version="1.0"?>
	<!DOCTYPE coverage [<!ENTITY x SYSTEM "file://$PWD/secret.txt">]>
	<coverage><sources><source>&x;</source></sources></coverage>
	XML
	expect_exit 2 sg coverage xxe.xml >out 2>err &&
	expect_grep "entity" err && ! grep -q SECRET out err
'

test_expect_success 'Cobertura: method lines are not counted twice' '
	cat >m.xml <<-XML &&
	<coverage><packages><package><classes>
	<class filename="m.c"><methods><method name="f"><lines>
	<line number="1" hits="1"/><line number="2" hits="0"/></lines></method></methods>
	<lines><line number="1" hits="1"/><line number="2" hits="0"/>
	<line number="3" hits="0" branch="true" condition-coverage="50% (1/2)"/></lines></class>
	</classes></package></packages></coverage>
	XML
	sg --json coverage --min 0 m.xml >out.json &&
	test "$(jq .lines_found out.json)" = 3 && test "$(jq .lines_hit out.json)" = 1 &&
	test "$(jq .branches_found out.json)" = 2 && test "$(jq .branches_hit out.json)" = 1
'

test_done
