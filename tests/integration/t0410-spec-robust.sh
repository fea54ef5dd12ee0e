#!/usr/bin/env bash
# t0410-spec-robust: bounded work for every spec (issue 12, items 1 and 7).
#
# Outline expansion: files far under every size cap whose pickles would be
# gigabytes (tests/data/expansion/gen.py writes them) are refused with a
# located message naming the cap, under a 512 MB address-space limit
# (prlimit --as), with the peak RSS measured by /usr/bin/time; validate's
# memory follows the input, not the expansion.
#
# Encodings: a `# encoding: iso-8859-1` header is honoured (checked against
# the same file converted by iconv(1)); a file that cannot be read is a
# located error and every other file is still checked; exit 2.
. "$(dirname "$0")/lib.sh"
GEN=$DATA/expansion/gen.py
AS=536870912	# 512 MB of address space

# rss FILE: the peak RSS in KB that /usr/bin/time -o FILE wrote last
rss() { tail -n 1 "$1"; }

# limited OUT CMD...: run CMD under the 512 MB limit, its peak RSS in OUT
limited() {
	local o=$1
	shift
	[ "$1" = sg ] && shift && set -- "$SPECGATE" "$@"
	/usr/bin/time -o "$o" -f %M prlimit --as=$AS "$@"
}

test_expect_success 'a 1.2 MB Outline expanding to 1.4 GB: validate refuses it, located, in little memory' '
	mkdir features && python3 "$GEN" outline 4000 300 300 4 >features/attack.feature &&
	test "$(stat -c %s features/attack.feature)" -gt 1200000 &&
	expect_exit 2 limited rss sg validate >out 2>err &&
	expect_grep "^features/attack.feature:491:7: error: expanding the scenarios exceeds the cap of 67108864 bytes of pickle text .* per file, at this Examples row \[max-pickle-bytes\]$" err &&
	test "$(wc -l <err)" = 1 &&
	expect_grep "1 file could not be checked" out &&
	echo "validate peak RSS: $(rss rss) KB" && test "$(rss rss)" -lt 65536
'

test_expect_success 'pickles refuses the same file before printing anything' '
	python3 "$GEN" outline 4000 300 300 4 >attack.feature &&
	expect_exit 2 limited rss sg pickles attack.feature >out 2>err &&
	test ! -s out &&
	expect_grep "^attack.feature:491:7: error: .*exceeds the cap of 67108864 bytes .*\[max-pickle-bytes\]$" err &&
	echo "pickles peak RSS: $(rss rss) KB" && test "$(rss rss)" -lt 65536
'

test_expect_success 'placeholders that expand geometrically (4^20) stop at the byte cap' '
	python3 "$GEN" laughs 20 >laughs.feature &&
	test "$(stat -c %s laughs.feature)" -lt 1024 &&
	expect_exit 2 limited rss sg pickles laughs.feature >out 2>err &&
	test ! -s out &&
	expect_grep "^laughs.feature:9:7: error: .*exceeds the cap of 67108864 bytes of pickle text.*\[max-pickle-bytes\]$" err &&
	echo "pickles peak RSS: $(rss rss) KB" && test "$(rss rss)" -lt 262144 &&
	mkdir features && cp laughs.feature features/ &&
	expect_exit 2 limited rss sg validate 2>err &&
	expect_grep "^features/laughs.feature:9:7: error: .*\[max-pickle-bytes\]$" err
'

test_expect_success 'an Outline of 1,001 rows x 1,000 steps crosses the step cap' '
	python3 "$GEN" outline 1001 1000 1 0 >steps.feature &&
	expect_exit 2 limited rss sg pickles steps.feature >out 2>err &&
	test ! -s out &&
	expect_grep "^steps.feature:2006:7: error: expanding the scenarios exceeds the cap of 1000000 pickle steps .*\[max-pickle-steps\]$" err
'

test_expect_success '200,001 rows cross the pickle cap' '
	python3 "$GEN" rows 200001 >rows.feature &&
	expect_exit 2 sg pickles rows.feature >out 2>err && test ! -s out &&
	expect_grep "^rows.feature:200009:7: error: .*exceeds the cap of 200000 pickles .*\[max-pickles\]$" err
'

test_expect_success '100,000 columns searched in a long step text cross the search cap, in bounded time' '
	python3 "$GEN" scan 100000 20000 >scan.feature &&
	expect_exit 2 timeout 60 "$SPECGATE" pickles scan.feature >out 2>err && test ! -s out &&
	expect_grep "^scan.feature:9:7: error: .*exceeds the cap of 1073741824 bytes searched for <placeholders>.*\[max-placeholder-scan\]$" err
'

test_expect_success 'under the caps, validate stays small while pickles prints 800,000 steps' '
	mkdir features && python3 "$GEN" outline 2000 400 3 1 >features/big.feature &&
	limited rss sg validate >out &&
	expect_grep "1 file, 2000 scenarios: 0 errors, 0 warnings" out &&
	echo "validate peak RSS: $(rss rss) KB" && test "$(rss rss)" -lt 40960 &&
	limited rss sg pickles features/big.feature >p.ndjson &&
	echo "pickles peak RSS: $(rss rss) KB" && test "$(rss rss)" -lt 40960 &&
	test "$(wc -l <p.ndjson)" = 2000 &&
	jq -s -e "map(.pickle.steps | length) | unique == [400]" p.ndjson >/dev/null &&
	test "$(sed -n 2000p p.ndjson | jq -r ".pickle.steps[399].text")" = "s399 1999" &&
	test "$(sed -n 1p p.ndjson | jq -r ".pickle.name")" = "o xx0"
'

test_expect_success 'a tree of attacks and good files: every good file is checked, every attack named' '
	mkdir features &&
	python3 "$GEN" outline 4000 300 300 4 >features/a1.feature &&
	python3 "$GEN" laughs 20 >features/a2.feature &&
	python3 "$GEN" outline 1001 1000 1 0 >features/a3.feature &&
	cp "$DATA/seed/missing_then.feature" features/m.feature &&
	cp "$DATA/seed/ping.feature" features/z.feature &&
	expect_exit 2 limited rss sg validate >out 2>err &&
	expect_grep "^features/a1.feature:491:7: error: .*\[max-pickle-bytes\]$" err &&
	expect_grep "^features/a2.feature:9:7: error: .*\[max-pickle-bytes\]$" err &&
	expect_grep "^features/a3.feature:2006:7: error: .*\[max-pickle-steps\]$" err &&
	test "$(grep -c ": error: " err)" = 3 &&
	expect_grep "^features/m.feature:2:3: warning: .*\[SG123 missing-then\]" out &&
	expect_grep "5 files, 2 scenarios: 0 errors, 2 warnings; 3 files could not be checked" out
'

# latin1 FILE: a spec in ISO-8859-1 with non-ASCII names, steps and a bad tag
latin1() {
	printf "%s\n" "$1" \
	    "@caf\351 @resource:cpu=1x" \
	    "Feature: cr\350me br\373l\351e" \
	    "  Sc\351nario description line" \
	    "  Scenario: d\351j\340 vu" \
	    "    Given un caf\351 \340 2 \244" \
	    "    When je bois" \
	    "    Then \347a va" | while IFS= read -r l; do printf "$l\n"; done
}

test_expect_success 'a latin-1 file with "# encoding: iso-8859-1" parses; pickles give UTF-8' '
	latin1 "# encoding: iso-8859-1" >l.feature &&
	! iconv -f utf-8 -t utf-8 l.feature >/dev/null 2>&1 &&
	sg pickles l.feature >p.ndjson &&
	test "$(jq -r .pickle.name p.ndjson)" = "déjà vu" &&
	test "$(jq -r ".pickle.steps[0].text" p.ndjson)" = "un café à 2 ¤" &&
	test "$(jq -r ".pickle.tags[0].name" p.ndjson)" = "@café"
'

test_expect_success 'it gives what iconv(1) converted gives: same pickles, same columns' '
	latin1 "# encoding: iso-8859-1" >l.feature &&
	iconv -f iso-8859-1 -t utf-8 l.feature |
	    sed "1s/.*/# converted by iconv/" >u.feature &&
	sg pickles l.feature | sed s/l.feature/X/g >a &&
	sg pickles u.feature | sed s/u.feature/X/g >b && cmp a b &&
	mkdir features && cp l.feature features/ &&
	sg validate >out &&
	expect_grep "^features/l.feature:2:7: warning: invalid resource tag" out &&
	rm features/l.feature && cp u.feature features/ && sg validate >out2 &&
	expect_grep "^features/u.feature:2:7: warning: invalid resource tag" out2
'

test_expect_success 'header variants as Cucumber reads them: blank and comment lines first, any case' '
	latin1 "#   Encoding :latin1" >a.feature &&
	sg pickles a.feature | jq -e ".pickle.name == \"déjà vu\"" &&
	{ printf "\n# language: en\n"; latin1 "  #encoding: ISO-8859-1"; } >b.feature &&
	sg pickles b.feature | jq -e ".pickle.name == \"déjà vu\"" &&
	{ printf "Feature: x\n# encoding: iso-8859-1\n  Scenario: caf\351\n"; } >c.feature &&
	expect_exit 2 sg pickles c.feature 2>err && expect_grep "^c.feature:3:16: error: invalid UTF-8" err
'

test_expect_success 'the feature id is taken over the bytes as read, not converted' '
	mkdir features && latin1 "# encoding: iso-8859-1" >features/l.feature &&
	sg --json validate >r.json &&
	test "$(jq -r ".files[0].sha256" r.json)" = "$(sha256sum features/l.feature | cut -c1-64)" &&
	test "$(jq -r .feature_id r.json)" = "$(sg id)" &&
	test "$(jq -r .feature_id r.json)" = "$(cd features && printf "%s  %s\n" "$(sha256sum l.feature | cut -c1-64)" l.feature | sha256sum | cut -c1-12)"
'

# a tree with one good latin-1 file, three unreadable ones and good files
bad_tree() {
	mkdir -p features/sub &&
	latin1 "# encoding: iso-8859-1" >features/latin1.feature &&
	latin1 "# no header" >features/noheader.feature &&
	latin1 "# encoding: klingon-7" >features/sub/unknown.feature &&
	printf "Feature: x\n  Scenario: \0\n" >features/sub/nul.feature &&
	cp "$DATA/seed/missing_then.feature" features/m.feature &&
	cp "$DATA/seed/ping.feature" features/z.feature
}

test_expect_success 'unreadable files are located errors; the other files are all checked (sandbox)' '
	bad_tree &&
	expect_exit 2 sg validate >out 2>err &&
	expect_grep "^features/noheader.feature:2:5: error: invalid UTF-8 (byte 0xe9)$" err &&
	expect_grep "^features/sub/unknown.feature:1:13: error: unknown encoding .klingon-7." err &&
	expect_grep "^features/sub/nul.feature:2:13: error: binary data" err &&
	test "$(grep -c ": error: " err)" = 3 &&
	expect_grep "^features/latin1.feature:2:7: warning: invalid resource tag" out &&
	expect_grep "^features/m.feature:2:3: warning: .*\[SG123 missing-then\]" out &&
	expect_grep "^6 files, 3 scenarios: 0 errors, 3 warnings; 3 files could not be checked (mode sandbox)$" out
'

test_expect_success 'the same in compliance: the findings are errors, the exit is still 2' '
	bad_tree &&
	expect_exit 2 sg --mode compliance validate >out 2>err &&
	test "$(grep -c ": error: " err)" = 3 &&
	expect_grep "^features/m.feature:2:3: error: .*\[SG123 missing-then\]" out &&
	expect_grep "3 errors, 0 warnings; 3 files could not be checked (mode compliance)" out
'

test_expect_success 'no report is written when a file could not be checked' '
	bad_tree &&
	expect_exit 2 sg validate --report rep.json >out 2>err &&
	test ! -e rep.json &&
	expect_exit 2 sg --json validate >out 2>err && test ! -s out
'

test_expect_success 'pickles: no header is a located error, as before' '
	latin1 "# no header" >n.feature &&
	expect_exit 2 sg pickles n.feature >out 2>err && test ! -s out &&
	expect_grep "^n.feature:2:5: error: invalid UTF-8 (byte 0xe9)$" err
'

test_done
