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
# Usage: bench/gates.sh [SARIF_MB]   (BUILD=build by default;
#        GATES="sarif" runs only the parts named: sarif lcov junit)
# Quote medians and ratios, never absolute times from one machine.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${BUILD:-$root/build}/specgate
mb=${1:-200}
parts=" ${GATES:-sarif lcov junit} "
want() { case $parts in *" $1 "*) return 0 ;; esac; return 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

command -v hyperfine >/dev/null || { echo "bench/gates.sh: needs hyperfine" >&2; exit 1; }
want sarif && python3 "$here/gen-sarif.py" "$mb" big.sarif
want lcov && awk 'BEGIN { for (f = 0; f < 20000; f++) { printf "TN:\nSF:/src/f%d.c\n", f;
	for (l = 1; l <= 250; l++) printf "DA:%d,%d\n", l, (l * f) % 7;
	for (l = 1; l <= 40; l++) printf "BRDA:%d,0,%d,%s\n", l, l % 2, (l % 3) ? "1" : "-";
	print "end_of_record" } }' >big.info
want junit && awk 'BEGIN { print "<testsuites><testsuite name=\"big\">";
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

for f in big.sarif big.info big.xml; do
	if [ -f $f ]; then echo "input $f: $(stat -c %s $f) bytes"; fi
done
if want sarif; then
hyperfine -N --runs 3 --export-json sarif.json \
    "$bin sarif big.sarif" \
    "jq -c '[.runs[].results[].level] | group_by(.) | map({(.[0] // \"rule\"): length}) | add' big.sarif" >/dev/null
report sarif sarif.json
s=$(rss "$bin" sarif big.sarif)
printf 'peak RSS: sarif %d kB (%.3fx the file), jq %d kB\n' "$s" \
    "$(echo "$s * 1024 / $(stat -c %s big.sarif)" | bc -l)" \
    "$(rss jq -c '[.runs[].results[].level] | length' big.sarif)"
fi
if want lcov; then
hyperfine -N --runs 3 --export-json lcov.json \
    "$bin coverage --min 0 big.info" "lcov --summary big.info" >/dev/null
report lcov lcov.json
printf 'peak RSS: coverage %d kB, lcov --summary %d kB\n' \
    "$(rss "$bin" coverage --min 0 big.info)" "$(rss lcov --summary big.info)"
fi
if want junit; then
hyperfine -N --runs 3 --export-json junit.json \
    "$bin junit big.xml" "python3 count.py big.xml" >/dev/null
report junit junit.json
printf 'peak RSS: junit %d kB, python iterparse %d kB\n' \
    "$(rss "$bin" junit big.xml)" "$(rss python3 count.py big.xml)"
fi
