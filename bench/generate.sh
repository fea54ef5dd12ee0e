#!/bin/sh
# bench/generate.sh - `specgate generate` with the built-in c-cmocka set
# over the benchmark corpus (bench/gen-corpus): wall time and peak memory
# (GNU time) of the first run, which writes every file, and of a second,
# which finds the same bytes and writes none.
#
#	bench/generate.sh [FILES]	(default 10000 files, about 60 MB)
#
# Needs: GNU time (installed if missing).
set -eu
cd "$(dirname "$0")/.."
n=${1:-10000}
out=bench/out
corpus=$out/corpus-$n
gen=$out/generated-$n
mkdir -p "$out"
EXTRA_PKGS="time" tools/install-deps
make -s build/specgate
[ -d "$corpus" ] || bench/gen-corpus "$corpus" "$n"
bytes=$(find "$corpus/" -name '*.feature' -print0 | xargs -0 cat | wc -c)
echo "corpus: $n files, $bytes bytes"
rm -rf "$gen"

run() {
	/usr/bin/time -f "%e %M" -o "$out/generate.time" \
	    build/specgate -q generate --out "$gen" "$corpus"
	read -r wall rss <"$out/generate.time"
	files=$(find "$gen" -type f | wc -l)
	size=$(du -sk "$gen" | cut -f1)
	echo "$1: ${wall} s wall, peak RSS $((rss / 1024)) MB; $files files, $((size / 1024)) MB"
}
run "first run (writes everything)" | tee "$out/generate.txt"
run "second run (same bytes, writes nothing)" | tee -a "$out/generate.txt"
