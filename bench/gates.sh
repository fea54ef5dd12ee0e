#!/usr/bin/env bash
# bench/gates.sh - the quality gates' readers against their peers, in the
# same go, with hyperfine (medians of 3 runs) and /usr/bin/time (peak RSS):
#
#   SARIF   200 MB (issue #6: target < 2 s and < 2x the file in memory):
#           `specgate sarif` vs `jq` counting results by level
#   lcov    a tracefile of 20,000 sources x 250 lines (~70 MB):
#           `specgate coverage` vs `lcov --summary`
#   JUnit   1,000,000 test cases (~60 MB): `specgate junit` vs Python's
#           xml.etree.iterparse counting them
#
# Usage: bench/gates.sh [SARIF_MB]   (BUILD=build by default)
# Quote medians and ratios, never absolute times from one machine.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${BUILD:-$root/build}/specgate
mb=${1:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

command -v hyperfine >/dev/null || { echo "bench/gates.sh: needs hyperfine" >&2; exit 1; }
python3 "$here/gen-sarif.py" "$mb" big.sarif
awk 'BEGIN { for (f = 0; f < 20000; f++) { printf "TN:\nSF:/src/f%d.c\n", f;
	for (l = 1; l <= 250; l++) printf "DA:%d,%d\n", l, (l * f) % 7;
	for (l = 1; l <= 40; l++) printf "BRDA:%d,0,%d,%s\n", l, l % 2, (l % 3) ? "1" : "-";
	print "end_of_record" } }' >big.info
awk 'BEGIN { print "<testsuites><testsuite name=\"big\">";
	for (i = 0; i < 1000000; i++)
		printf "<testcase classname=\"pkg.mod%d\" name=\"test_%d\" time=\"0.001\"%s\n",
		    i % 100, i, (i % 1000 == 7) ? "><failure message=\"f\"/></testcase>" : "/>";
	print "</testsuite></testsuites>" }' >big.xml
cat >count.py <<'PY'
import sys, xml.etree.ElementTree as ET
n = f = 0
for ev, el in ET.iterparse(sys.argv[1]):
    if el.tag == "testcase":
        n += 1
        f += el.find("failure") is not None
        el.clear()
print(n, f)
PY

median() { jq -r ".results[$1].median" "$2"; }
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p'; }
report() {	# name, json, size
	local a b
	a=$(median 0 "$2"); b=$(median 1 "$2")
	printf '%-6s specgate %.2f s, peer %.2f s: specgate %.1fx faster\n' \
	    "$1" "$a" "$b" "$(echo "$b / $a" | bc -l)"
}

echo "inputs: SARIF $(stat -c %s big.sarif) B, lcov $(stat -c %s big.info) B, JUnit $(stat -c %s big.xml) B"
hyperfine -N --runs 3 --export-json sarif.json \
    "$bin sarif big.sarif" \
    "jq -c '[.runs[].results[].level] | group_by(.) | map({(.[0] // \"rule\"): length}) | add' big.sarif" >/dev/null
hyperfine -N --runs 3 --export-json lcov.json \
    "$bin coverage --min 0 big.info" "lcov --summary big.info" >/dev/null
hyperfine -N --runs 3 --export-json junit.json \
    "$bin junit big.xml" "python3 count.py big.xml" >/dev/null
report sarif sarif.json
report lcov lcov.json
report junit junit.json
s=$(rss "$bin" sarif big.sarif)
printf 'peak RSS: sarif %d kB (%.3fx the file), jq %d kB\n' "$s" \
    "$(echo "$s * 1024 / $(stat -c %s big.sarif)" | bc -l)" \
    "$(rss jq -c '[.runs[].results[].level] | length' big.sarif)"
printf 'peak RSS: coverage %d kB, lcov --summary %d kB\n' \
    "$(rss "$bin" coverage --min 0 big.info)" "$(rss lcov --summary big.info)"
printf 'peak RSS: junit %d kB, python iterparse %d kB\n' \
    "$(rss "$bin" junit big.xml)" "$(rss python3 count.py big.xml)"
