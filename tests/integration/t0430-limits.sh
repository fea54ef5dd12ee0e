#!/usr/bin/env bash
# t0430-limits: the caps of docs/limits.md that no other script reaches,
# each crossed by one byte or one item: the message names the input and the
# cap, and the exit code is the documented one.  Large inputs are sparse
# files (truncate), so the caps cost no disk.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/intoto.sh"

test_expect_success 'a key file over 64 KiB: exit 2, named with the cap' '
	echo data >f && truncate -s 65537 big.key &&
	expect_exit 2 sg sign --key big.key f 2>err &&
	expect_grep "big.key.* is too large (65537 bytes; the limit is 65536)" err
'

test_expect_success 'a .sig over 16 KiB: exit 4, not a signature' '
	echo data >f && sg keygen -q --no-password --out k >/dev/null &&
	head -c 16385 /dev/zero >f.sig &&
	expect_exit 4 sg verify-blob f --sig f.sig --key k.pub 2>err &&
	expect_grep "not a signature: larger than 16384 bytes" err
'

test_expect_success 'a file over 1 GiB given to sign: exit 2, nothing written' '
	sg keygen -q --no-password --out k >/dev/null &&
	truncate -s 1073741825 huge &&
	expect_exit 2 sg sign --key k.key huge 2>err &&
	expect_grep "huge.* is too large (1073741825 bytes; the limit is 1073741824)" err &&
	test ! -e huge.sig
'

test_expect_success 'layout --expires: 100 years is the most' '
	sg keygen -q --no-password --out k >/dev/null &&
	sg layout --expires 36500d --key k.key --out ok.layout >/dev/null &&
	y=$(jq -r ".signed.expires[0:4]" ok.layout) &&
	test "$y" -ge $(($(date -u +%Y) + 99)) &&
	expect_exit 2 sg layout --expires 36501d --key k.key --out no.layout 2>err &&
	expect_grep "at most 100 years" err && test ! -e no.layout
'

test_expect_success 'pickles: a .feature file over 64 MiB is refused before it is read' '
	truncate -s 67108865 big.feature &&
	expect_exit 2 sg pickles big.feature >out 2>err && test ! -s out &&
	expect_grep "big.feature.* is too large (67108865 bytes; the limit is 67108864)" err
'

test_expect_success 'verify: a link over 16 MiB fails verification, named with the cap' '
	signed_project && sg run -q && B=$(latest) &&
	l=$(ls "$B"/links/*.link | head -n 1) && truncate -s 16777217 "$l" &&
	expect_exit 4 sg verify "$B" >out 2>&1 &&
	expect_grep "$(basename "$l").* is too large (16777217 bytes; the limit is 16777216)" out
'

test_expect_success 'sbom: a lockfile over 64 MiB, a dpkg status over 64 MiB: exit 2' '
	project && cp /bin/true app &&
	printf "stages:\n  build: {run: [\"true\"], artifacts: [app]}\n" >>specgate.yaml &&
	truncate -s 67108865 package-lock.json &&
	expect_exit 2 sg sbom >out 2>err &&
	expect_grep "package-lock.json.* is too large (67108865 bytes; the limit is 67108864)" err &&
	rm package-lock.json && mkdir -p adm/info && truncate -s 67108865 adm/status &&
	expect_exit 2 sg sbom --admindir adm >out 2>err &&
	expect_grep "adm/status.* is too large (67108865 bytes; the limit is 67108864)" err
'

test_expect_success 'sbom: 200 notes, then one line with how many more' '
	project && for i in $(seq 1 250); do
		echo "-e git+https://example.com/r$i.git#egg=p$i"
	done >requirements.txt &&
	sg sbom >out 2>err && test $(grep -c "an editable requirement" err) = 200 &&
	test "$(tail -n 1 err)" = "specgate: warning: 50 more notes not shown"
'

test_expect_success 'a latin-1 file under 64 MiB that converts to more: exit 2, named' '
	python3 -c "
import sys
o = sys.stdout.buffer
o.write(b\"# encoding: iso-8859-1\\nFeature: x\\n\")
o.write((b\"  # \" + b\"\\xe9\" * 1000 + b\"\\n\") * 35000)" >lat.feature &&
	test $(stat -c %s lat.feature) -lt 67108864 &&
	expect_exit 2 sg validate lat.feature >out 2>err &&
	expect_grep "lat.feature. is larger than 67108864 bytes once converted from iso-8859-1" err
'

test_expect_success 'sbom: an artifact over 4 GiB is refused, not read' '
	project && truncate -s 4294967297 big.bin &&
	printf "stages:\n  build: {run: [\"true\"], artifacts: [big.bin]}\n" >>specgate.yaml &&
	expect_exit 2 sg sbom >out 2>err &&
	expect_grep "big.bin.* is too large (4294967297 bytes; the limit is 4294967296)" err
'

test_expect_success 'sbom: a continued requirements.txt line over 1 MiB: exit 2 at its line' '
	project && python3 -c "
import sys
h = \"    --hash=sha256:\" + \"a\" * 64 + \" \\\\\\n\"
sys.stdout.write(\"requests==2.0 \\\\\\n\" + h * 20000 + \"\\n\")" >requirements.txt &&
	expect_exit 2 sg sbom >out 2>err &&
	expect_grep "requirements.txt:[0-9]*: error: continued line over 1 MiB" err
'

test_expect_success 'sbom: lockfiles are searched 8 directory levels deep, the project one included' '
	project && lock="{\"lockfileVersion\":3,\"packages\":{\"node_modules/x\":{\"version\":\"1.0.0\"}}}" &&
	mkdir -p a/b/c/d/e/f/g/h && echo "$lock" >a/b/c/d/e/f/g/package-lock.json &&
	sg sbom 2>/dev/null | jq -e "[.components[] | select(.purl == \"pkg:npm/x@1.0.0\")] | length == 1" &&
	mv a/b/c/d/e/f/g/package-lock.json a/b/c/d/e/f/g/h/ &&
	sg sbom 2>/dev/null | jq -e "[.components[]? | select(.purl == \"pkg:npm/x@1.0.0\")] | length == 0"
'

test_expect_success 'render: a template over 16 MiB, data over 64 MiB: exit 2, named' '
	truncate -s 16777217 big.mustache && echo "{}" >d.json &&
	expect_exit 2 sg render big.mustache --data d.json >out 2>err && test ! -s out &&
	expect_grep "big.mustache.* is too large (16777217 bytes; the limit is 16777216)" err &&
	echo x >t.mustache && truncate -s 67108865 big.json &&
	expect_exit 2 sg render t.mustache --data big.json >out 2>err && test ! -s out &&
	expect_grep "big.json.* is too large (67108865 bytes; the limit is 67108864)" err
'

test_expect_success 'render: over 64 MiB of output, or 100,000,000 steps: exit 2, nothing printed' '
	python3 -c "import json; print(json.dumps({\"a\": list(range(70)), \"b\": \"x\" * 1048576}))" >d.json &&
	echo "{{#a}}{{b}}{{/a}}" >o.mustache &&
	expect_exit 2 sg render o.mustache --data d.json >out 2>err && test ! -s out &&
	expect_grep "rendered text is larger than 67108864 bytes" err &&
	python3 -c "import json; print(json.dumps({\"a\": list(range(1000))}))" >d.json &&
	echo "{{#a}}{{#a}}{{#a}}.{{/a}}{{/a}}{{/a}}" >s.mustache &&
	expect_exit 2 sg render s.mustache --data d.json >out 2>err && test ! -s out &&
	expect_grep "rendering takes more than 100000000 steps" err
'

test_expect_success 'a link keeps 4 KiB of a command'"'"'s output' '
	signed_project &&
	printf "stages:\n  build: {run: [\"head -c 10000 /dev/zero | tr \\\\\"\\\\\\\\\\\\\\\\0\\\\\" y\"]}\n" >>specgate.yaml &&
	sg run -q && B=$(latest) &&
	jq -e ".signed.byproducts.stdout | length == 4096 and test(\"^y+$\")" "$B"/links/build.*.link
'

test_expect_success 'generate: more than 256 templates in a set, a template over 1 MiB: exit 2, nothing written' '
	mkdir -p features tpl/feature &&
	printf "Feature: x\n  Scenario: y\n    Given z\n" >features/a.feature &&
	for i in $(seq 1 257); do echo x >tpl/feature/t$i.c.mustache; done &&
	expect_exit 2 sg generate --templates tpl --out out 2>err &&
	expect_grep "more than 256 templates in one set" err && test ! -e out &&
	rm -rf tpl && mkdir -p tpl/feature && truncate -s 1048577 tpl/feature/big.c.mustache &&
	expect_exit 2 sg generate --templates tpl --out out 2>err &&
	expect_grep "big.c.mustache.* is too large (1048577 bytes; the limit is 1048576)" err &&
	test ! -e out
'

# 100,001 empty files: one tree serves both file-count caps.
test_expect_success 'more than 100,000 spec files, or files matched by one artifact pattern: exit 2' '
	mkdir features && python3 -c "
for i in range(100001): open(\"features/f%06d.feature\" % i, \"w\").close()" &&
	expect_exit 2 sg id features 2>err &&
	expect_grep "more than 100000 .feature files under .features." err &&
	printf "project: t\nstages:\n  build: {run: [\"true\"], artifacts: [\"features/*.feature\"]}\n" >specgate.yaml &&
	expect_exit 2 sg sbom >out 2>err &&
	expect_grep "artifact pattern .features/\*.feature. matches more than 100000 files" err
'

test_done
