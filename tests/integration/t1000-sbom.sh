#!/usr/bin/env bash
# t0700-sbom: `specgate sbom` against real peers.  Every document produced
# here is validated against the official CycloneDX 1.6 schema with ajv
# (tests/tools/ajv, pinned by its package-lock.json, installed on first
# use) and checked with jq: no bom-ref repeats, no dependency names a ref
# that does not exist, every component has its entry in the graph.  The
# Debian packages expected for a real ELF program are found independently
# with ldd, dpkg -S and dpkg-query; artifact digests with sha256sum.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cyclonedx.sh"
export SOURCE_DATE_EPOCH=1700000000

# pkgpurl LIBPATH: the purl of the Debian package shipping LIBPATH
pkgpurl() {
	local p=$1 pkg
	pkg=$(dpkg -S "$p" 2>/dev/null || dpkg -S "$(readlink -f "$p")") &&
	pkg=$(echo "$pkg" | head -n1 | cut -d: -f1) &&
	dpkg-query -W -f '${Package} ${Version} ${Architecture}\n' "$pkg" |
	    head -n1 | python3 -c '
import sys, urllib.parse as u
n, v, a = sys.stdin.read().split()
print("pkg:deb/debian/%s@%s?arch=%s" % (u.quote(n, safe="").lower(), u.quote(v, safe=":"), a))'
}

mkproject() {
	mkdir -p build features &&
	cp "$DATA/seed/ping.feature" features/ &&
	cat >app.c <<-\C &&
	#include <jansson.h>
	#include <stdio.h>
	#include <yaml.h>
	int main(void) { printf("%s %s\n", yaml_get_version_string(), jansson_version_str()); return 0; }
	C
	cc -o build/app app.c -lyaml -ljansson &&
	cat >specgate.yaml <<-\Y
	project: demo
	version: 2.0.0
	stages:
	  build: {run: ["make"], artifacts: ["build/*", "dist/*.tar"]}
	sbom:
	  components: ["pkg:generic/vendored-zlib@1.3.1", "pkg:deb/debian/tzdata@2024a-1?arch=all"]
	Y
}

test_expect_success 'a real ELF program: its libraries as the Debian packages dpkg knows' '
	mkproject &&
	sg sbom >sbom.json 2>err &&
	valid sbom.json &&
	ldd build/app | awk "/=> \// {print \$3}" >libs && test -s libs &&
	while read -r l; do pkgpurl "$l"; done <libs | sort -u >want &&
	grep -q "pkg:deb/debian/libyaml-0-2@" want &&
	grep -q "pkg:deb/debian/libjansson4@" want &&
	jq -r ".components[] | select(.purl // \"\" | startswith(\"pkg:deb/\")) | .purl" sbom.json |
	    grep -v tzdata | sort >got &&
	diff want got &&
	test "$(jq -r ".dependencies[] | select(.ref == \"artifact:build/app\") | .dependsOn | join(\" \")" sbom.json | tr " " "\n" | sort)" = "$(cat want)" &&
	expect_grep "dist/\*.tar" err
'

test_expect_success 'the artifact: SHA-256 as sha256sum computes it, type application' '
	mkproject &&
	sg sbom >sbom.json &&
	test "$(jq -r ".components[] | select(.name == \"build/app\") | .hashes[0].content" sbom.json)" = "$(sha256sum build/app | cut -d" " -f1)" &&
	test "$(jq -r ".components[] | select(.name == \"build/app\") | .type" sbom.json)" = application
'

test_expect_success 'metadata: the project, specgate as the tool, SOURCE_DATE_EPOCH' '
	mkproject &&
	sg sbom >sbom.json && valid sbom.json &&
	test "$(jq -r .metadata.timestamp sbom.json)" = "$(date -u -d @$SOURCE_DATE_EPOCH +%Y-%m-%dT%H:%M:%SZ)" &&
	test "$(jq -r ".metadata.component | .name + \" \" + .version + \" \" + .type" sbom.json)" = "demo 2.0.0 application" &&
	test "$(jq -r ".metadata.tools.components[0] | .name + \" \" + .version" sbom.json)" = "specgate $(sg --version | cut -d" " -f2)" &&
	jq -e ".metadata.tools.components[0].properties[] | select(.name == \"specgate:commit\") | .value | test(\"^[0-9a-f]{12}$|^unknown$\")" sbom.json >/dev/null &&
	jq -r .serialNumber sbom.json | grep -Eq "^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
'

test_expect_success 'declared components and the service of the spec' '
	mkproject &&
	sg sbom >sbom.json && valid sbom.json &&
	jq -e "[.components[].purl] | index(\"pkg:generic/vendored-zlib@1.3.1\") and index(\"pkg:deb/debian/tzdata@2024a-1?arch=all\")" sbom.json >/dev/null &&
	test "$(jq -r ".services[0].endpoints | join(\" \")" sbom.json)" = "/v1/ping" &&
	jq -e ".services[0].properties[] | select(.value == \"GET /v1/ping\")" sbom.json >/dev/null
'

test_expect_success 'endpoints: paths without queries, deduplicated; only what the spec or the configuration names' '
	mkdir -p features && cat >features/fee.feature <<-\G &&
	Feature: Fee
	  Scenario: fees
	    When I call GET /v1/fee?amount=1&tier=gold
	    And I call GET /v1/fee?amount=2
	    And I call GET /v1/fee#top
	    Then I call POST /v1/pay?dry=1
	G
	sg sbom >sbom.json && valid sbom.json &&
	test "$(jq -c ".services[0].endpoints" sbom.json)" = "[\"/v1/fee\",\"/v1/pay\"]" &&
	test "$(jq -c "[.services[0].properties[].value]" sbom.json)" = "[\"GET /v1/fee\",\"POST /v1/pay\"]" &&
	printf "stages:\n  deploy:\n    run: [\"true\"]\n    health: {url: \"http://127.0.0.1:8080/live?probe=1\"}\n" >specgate.yaml &&
	sg sbom >sbom.json && valid sbom.json &&
	test "$(jq -c ".services[0].endpoints" sbom.json)" = "[\"/live\",\"/v1/fee\",\"/v1/pay\"]" &&
	rm -r features && sg sbom >sbom.json && valid sbom.json &&
	test "$(jq -c ".services[0].endpoints" sbom.json)" = "[\"/live\"]" &&
	rm specgate.yaml && sg sbom >sbom.json && valid sbom.json &&
	test "$(jq ".services" sbom.json)" = null
'

test_expect_success 'identical inputs give identical bytes; a change gives a new serial number' '
	mkproject &&
	sg sbom >a.json && sg sbom >b.json && cmp a.json b.json &&
	cp -r . ../copy && (cd ../copy && sg sbom >c.json) &&
	cmp a.json ../copy/c.json &&
	echo "requests==2.31.0" >requirements.txt && sg sbom >d.json && valid d.json &&
	test "$(jq -r .serialNumber a.json)" != "$(jq -r .serialNumber d.json)" &&
	SOURCE_DATE_EPOCH=1700000001 sg sbom >e.json &&
	test "$(jq -r .serialNumber d.json)" != "$(jq -r .serialNumber e.json)"
'

test_expect_success 'lockfiles with odd entries: the packages they pin, notes for the rest' '
	cp -r "$DATA/sbom/lockfiles/." . &&
	sg sbom >sbom.json 2>err && valid sbom.json &&
	jq -r ".components[].purl" sbom.json >got &&
	diff "$DATA/sbom/lockfiles.purls" got &&
	expect_grep "py/requirements.txt:4: .numpy. is not pinned" err &&
	expect_grep "py/requirements.txt:11: .bar. is not pinned to one version" err &&
	expect_grep "py/requirements.txt:6: included files are not followed" err &&
	expect_grep "go/go.sum:6: not" err &&
	expect_grep "node_modules/noversion\"\] has no version" err &&
	expect_grep "rust/Cargo.lock:35: \[\[package\]\] without a name" err &&
	test "$(jq -r ".dependencies[] | select(.ref == \"pkg:npm/a@1.0.0\") | .dependsOn[0]" sbom.json)" = pkg:npm/c@3.0.0 &&
	test "$(jq -r ".dependencies[] | select(.ref == \"pkg:npm/%40scope/b@2.0.0-beta.1%2Bbuild.5\") | .dependsOn[0]" sbom.json)" = pkg:npm/c@4.0.0 &&
	test "$(jq -r ".components[] | select(.purl == \"pkg:cargo/serde@1.0.193\") | .hashes[0].content" sbom.json)" = 25dd9975e68d0cb5aa1120c288333fc98731bd1dd12f561e468ea4728c042b89 &&
	test "$(jq -r ".components[] | select(.purl == \"pkg:npm/a@1.0.0\") | .hashes[0] | .alg + \" \" + .content" sbom.json)" = "SHA-512 $(echo B/gBuNg5SiMTrPkC+A2+cW0RszwxYmn6VYxB/inlBStS5nx6xHIt/ehKRhIMhqusl7a8LjQoZnjCs5vhwxOQ1g== | base64 -d | od -An -tx1 | tr -d " \n")"
'

test_expect_success 'requirements.txt: editable requirements are left out with a note, never silently' '
	cat >requirements.txt <<-\R &&
	requests==2.31.0
	-e git+https://github.com/acme/x.git#egg=x
	--editable ./local/y
	-egit+https://example.invalid/z.git#egg=z
	--index-url https://pypi.org/simple
	R
	sg sbom >sbom.json 2>err && valid sbom.json &&
	test "$(jq -r "[.components[].purl] | join(\" \")" sbom.json)" = "pkg:pypi/requests@2.31.0" &&
	test "$(jq "[.components[] | select(.name | test(\"^(x|y|z)$\"))] | length" sbom.json)" = 0 &&
	expect_grep "requirements.txt:2: an editable requirement is not pinned to a version (.-e git+https://github.com/acme/x.git#egg=x.); left out" err &&
	expect_grep "requirements.txt:3: an editable requirement is not pinned to a version (.--editable ./local/y.); left out" err &&
	expect_grep "requirements.txt:4: an editable requirement" err &&
	test "$(grep -c "left out" err)" = 3
'

test_expect_success 'npm: the purls are those of packageurl-js (python check)' '
	cp "$DATA/sbom/lockfiles/package-lock.json" . &&
	sg sbom >sbom.json 2>/dev/null &&
	jq -r ".components[].purl" sbom.json | sort >got &&
	python3 -c "
import json, urllib.parse as u
d = json.load(open(\"package-lock.json\"))[\"packages\"]
out = set()
for k, v in d.items():
    if not k or not isinstance(v, dict) or v.get(\"link\") or \"version\" not in v:
        continue
    n = v.get(\"name\") or k.rsplit(\"node_modules/\", 1)[1]
    ns, _, nm = n.rpartition(\"/\")
    q = lambda s: u.quote(s.lower(), safe=\"\")
    out.add(\"pkg:npm/\" + (q(ns) + \"/\" if ns else \"\") + q(nm) + \"@\" + q(v[\"version\"]))
print(\"\n\".join(sorted(out)))
" >want &&
	diff want got
'

test_expect_success 'bad lockfiles: exit 2 naming file, line and column' '
	mkdir a b c &&
	printf "{\n  \"lockfileVersion\": 3,\n  \"packages\": {,}\n}\n" >a/package-lock.json &&
	expect_exit 2 sg sbom a 2>err &&
	expect_grep "package-lock.json:3:" err &&
	printf "{\"lockfileVersion\": 1, \"dependencies\": {}}\n" >b/package-lock.json &&
	expect_exit 2 sg sbom b 2>err &&
	expect_grep "v2 and v3" err &&
	printf "[[package]]\nname = \"x\nversion = \"1\"\n" >c/Cargo.lock &&
	expect_exit 2 sg sbom c 2>err &&
	expect_grep "Cargo.lock:2:8: error: Cargo.lock: unterminated" err
'

test_expect_success 'a file with ELF magic and broken headers: exit 2, no crash' '
	mkdir -p a/build b/build &&
	printf "\x7fELF\x02\x01\x01" >a/build/app &&
	printf "stages: {build: {artifacts: [build/app]}}\n" >a/specgate.yaml &&
	expect_exit 2 sg sbom a 2>err && expect_grep "malformed ELF file: too short" err &&
	cp "$SPECGATE" b/build/app &&
	printf "\xff\xff\xff\x7f" | dd of=b/build/app bs=1 seek=32 conv=notrunc 2>/dev/null &&
	printf "stages: {build: {artifacts: [build/app]}}\n" >b/specgate.yaml &&
	expect_exit 2 sg sbom b 2>err && expect_grep "program headers lie outside" err
'

test_expect_success 'sbom.components must be package URLs (specgate.yaml:line:col)' '
	printf "sbom:\n  components: [\"zlib 1.3\"]\n" >specgate.yaml &&
	expect_exit 2 sg sbom 2>err &&
	expect_grep "specgate.yaml:2:16" err && expect_grep "package URL" err
'

test_expect_success 'a made-up dpkg database: --admindir, epochs encoded, RUNPATH' '
	mkdir -p build/lib db/info &&
	printf "int foo(void) { return 1; }\n" >foo.c &&
	cc -shared -fPIC -Wl,-soname,libfoo.so.1 -o build/lib/libfoo.so.1 foo.c &&
	printf "int foo(void);\nint main(void) { return foo(); }\n" >main.c &&
	cc -o build/app main.c build/lib/libfoo.so.1 -Wl,-rpath,"\$ORIGIN/lib" &&
	cc -shared -fPIC -Wl,-soname,libbar.so.1 -o libbar.so.1 foo.c &&
	cc -o build/app2 main.c libbar.so.1 -Wl,-rpath,"$PWD" &&
	readelf -d build/app | grep -q "RUNPATH.*ORIGIN" &&
	libc=$(ldd build/app | awk "/libc.so/ {print \$3}") &&
	printf "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:2.36-9+fake1\n\nPackage: gone\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1\n" >db/status &&
	{ echo "$libc"; readlink -f "$libc"; } >db/info/libc6:amd64.list &&
	echo /nothing >db/info/gone:amd64.list &&
	printf "stages: {build: {artifacts: [\"build/app*\", build/lib/libfoo.so.1]}}\n" >specgate.yaml &&
	sg sbom --admindir db >sbom.json 2>err && valid sbom.json &&
	jq -r ".components[].purl // empty" sbom.json | grep -x "pkg:deb/debian/libc6@1:2.36-9%2Bfake1?arch=amd64" &&
	test "$(jq -r ".dependencies[] | select(.ref == \"artifact:build/app\") | .dependsOn | join(\" \")" sbom.json)" = "artifact:build/lib/libfoo.so.1 pkg:deb/debian/libc6@1:2.36-9%2Bfake1?arch=amd64" &&
	jq -e ".components[] | select(.[\"bom-ref\"] == \"file:libbar.so.1\") | .name == \"libbar.so.1\"" sbom.json >/dev/null &&
	expect_grep "libbar.so.1. (needed by .build/app2.) belongs to no Debian package" err &&
	test "$(jq -r ".components[] | select(.name == \"build/lib/libfoo.so.1\") | .type" sbom.json)" = library
'

test_expect_success '32- and 64-bit, little- and big-endian ELF (mkelf.py, readelf agrees)' '
	mkelf=$DATA/sbom/mkelf.py &&
	for v in "32 le" "32 be" "64 le" "64 be"; do
		set -- $v &&
		d=e$1$2 && mkdir -p $d/build/lib &&
		python3 "$mkelf" $d/build/prog $1 $2 20 --runpath "\$ORIGIN/lib" libfoo.so.3 libgone.so.1 &&
		python3 "$mkelf" $d/build/lib/libfoo.so.3 $1 $2 20 --soname libfoo.so.3 &&
		readelf -d $d/build/prog | grep -q "NEEDED.*libgone.so.1" &&
		printf "stages: {build: {artifacts: [build/prog]}}\n" >$d/specgate.yaml &&
		sg sbom $d >$d.json 2>$d.err && valid $d.json &&
		expect_grep "build/prog. needs .libgone.so.1., which is not found" $d.err &&
		test "$(jq -r ".dependencies[] | select(.ref == \"artifact:build/prog\") | .dependsOn[0]" $d.json)" = "file:build/lib/libfoo.so.3" || return 1
	done &&
	python3 "$mkelf" e32le/build/lib/libfoo.so.3 64 le 20 --soname libfoo.so.3 &&
	sg sbom e32le >x.json 2>x.err &&
	expect_grep "needs .libfoo.so.3., which is not found" x.err
'

test_expect_success 'the document of a run (mode, feature id, run id) is valid too' '
	unit=${BUILD:-$SG_TEST_ROOT/../build}/tests/unit/sbom/sbom &&
	SG_SBOM_DUMP=$PWD/run.json CMOCKA_MESSAGE_OUTPUT=TAP "$unit" >/dev/null &&
	valid run.json &&
	test "$(jq -r "[.metadata.properties[] | .name + \"=\" + .value] | join(\" \")" run.json)" = "specgate:mode=compliance specgate:feature_id=0123456789ab specgate:run_id=20250101000000"
'

test_expect_success 'the example service' '
	cd "$SG_TEST_ROOT/../examples/ping-service" &&
	sg sbom >"$TRASH/ex.json" && valid "$TRASH/ex.json" &&
	jq -e ".services[0].endpoints | index(\"/v1/ping\")" "$TRASH/ex.json" >/dev/null
'

test_done
