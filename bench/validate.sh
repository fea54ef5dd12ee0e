#!/bin/sh
# bench/validate.sh - `specgate validate` against Cucumber's own parser
# (@cucumber/gherkin, from npm) parsing the same files to pickles, in the
# same run: hyperfine for wall time (medians), /usr/bin/time -v for peak
# memory.  Issue #2's target: at least 20x faster, under a fifth of the
# peer's peak memory.
#
#	bench/validate.sh [FILES]	(default 10000 files, about 60 MB)
#
# Needs: hyperfine, GNU time, node + npm (installed if missing).
set -eu
cd "$(dirname "$0")/.."
n=${1:-10000}
out=bench/out
corpus=$out/corpus-$n
mkdir -p "$out"
EXTRA_PKGS="hyperfine time" tools/install-deps
make -s build/specgate
[ -d bench/peer/node_modules ] || (cd bench/peer && npm ci --no-audit --no-fund)
[ -d "$corpus" ] || bench/gen-corpus "$corpus" "$n"
bytes=$(find "$corpus/" -name '*.feature' -print0 | xargs -0 cat | wc -c)
echo "corpus: $n files, $bytes bytes"

sg="build/specgate -q validate $corpus"
peer="node bench/peer/cucumber-pickles.mjs $corpus"
# specgate exits 0 (sandbox: warnings only); both must succeed.
$sg >/dev/null
$peer

hyperfine -N --warmup 1 --runs 10 --export-json "$out/validate.json" \
	-n specgate "$sg" -n cucumber-gherkin "$peer"

rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p'; }
sg_rss=$(rss $sg)
peer_rss=$(rss $peer)

jq -r --argjson bytes "$bytes" --argjson sr "$sg_rss" --argjson pr "$peer_rss" '
	def median: sort | if length % 2 == 1 then .[length/2|floor] else (.[length/2-1] + .[length/2]) / 2 end;
	(.results[] | select(.command == "specgate") | .times | median) as $s |
	(.results[] | select(.command == "cucumber-gherkin") | .times | median) as $p |
	"median wall: specgate \($s*1000|floor) ms, cucumber-gherkin \($p*1000|floor) ms, ratio \($p/$s*10|floor/10)x",
	"throughput: specgate \($bytes/$s/1e6|floor) MB/s, cucumber-gherkin \($bytes/$p/1e6|floor) MB/s",
	"peak RSS: specgate \($sr/1024|floor) MB, cucumber-gherkin \($pr/1024|floor) MB, ratio \($pr/$sr*10|floor/10)x"
' "$out/validate.json" | tee "$out/validate.txt"
