#!/bin/sh
# bench/hash.sh - the artifact hasher (src/lib/evidence/hash.c, driven by
# bench/hash-files.c) against the usual tools, in the same run:
#
#  1. one 2 GB file against `openssl dgst -sha256` (target: at least 90 %
#     of openssl's throughput);
#  2. 10,000 small files (100 B to 16 KB, 50 directories) against
#     `sha256sum` over the same list through xargs (target: 1.5x faster).
#
# Both sides hash the same files from the page cache (one warm-up run
# each, then hyperfine's measured runs); the outputs are compared first,
# so that a faster wrong answer cannot pass.  Prints medians, their ratio,
# and the load average (on a shared machine, read the ratio, not the
# absolute times).
#
#	bench/hash.sh		(BUILD: the build directory, default build)
#
# Needs hyperfine, jq, openssl (EXTRA_PKGS="hyperfine openssl" tools/install-deps).
# Writes about 2.1 GB under bench/out/hash/ (kept for the next run).
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-$PWD/build}
RUNS_BIG=${RUNS_BIG:-5}
RUNS_SMALL=${RUNS_SMALL:-10}
tool=$BUILD/bench/hash-files
out=$PWD/bench/out/hash

for t in hyperfine jq openssl sha256sum; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "hash: needs $t (EXTRA_PKGS=\"hyperfine openssl\" tools/install-deps)" >&2
		exit 1
	}
done
make --no-print-directory BUILD="$BUILD" "$tool" >/dev/null
mkdir -p "$out"

if [ ! -f "$out/big.bin" ]; then
	echo "== writing a 2 GB file of random bytes"
	head -c 2000000000 /dev/urandom >"$out/big.bin.tmp"
	mv "$out/big.bin.tmp" "$out/big.bin"
fi
if [ ! -f "$out/small.list" ]; then
	echo "== writing 10,000 small files"
	rm -rf "$out/small"
	mkdir -p "$out/small"
	for d in $(seq -w 0 49); do mkdir -p "$out/small/d$d"; done
	# One random alphabet of 16000 bytes, then a slice of it per file.
	head -c 12000 /dev/urandom | base64 -w0 | head -c 16000 >"$out/alphabet"
	awk -v dir="$out/small" -v alpha="$(cat "$out/alphabet")" 'BEGIN {
		srand(1)
		for (i = 0; i < 10000; i++) {
			f = sprintf("%s/d%02d/f%05d.txt", dir, i % 50, i)
			n = 100 + int(rand() * 15900)
			printf "%s", substr(alpha, 1 + int(rand() * (16000 - n)), n) >f
			close(f)
		}
	}'
	(cd "$out/small" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) >"$out/small.list.tmp"
	mv "$out/small.list.tmp" "$out/small.list"
fi

echo "== checking that both sides agree"
[ "$("$tool" "$out" big.bin | cut -c1-64)" = \
    "$(openssl dgst -sha256 -r "$out/big.bin" | cut -c1-64)" ] ||
	{ echo "hash: digests of big.bin differ" >&2; exit 1; }
(cd "$out/small" && "$tool" . - <../small.list) >"$out/small.ours"
(cd "$out/small" && xargs -a ../small.list -d '\n' sha256sum) >"$out/small.theirs"
cmp "$out/small.ours" "$out/small.theirs" ||
	{ echo "hash: digests of the small files differ" >&2; exit 1; }

echo "== one 2 GB file (median of $RUNS_BIG)"
hyperfine -N --warmup 1 --runs "$RUNS_BIG" --export-json "$out/big.json" \
	-n specgate "$tool $out big.bin" \
	-n openssl "openssl dgst -sha256 $out/big.bin"
echo "== 10,000 small files (median of $RUNS_SMALL)"
hyperfine --warmup 2 --runs "$RUNS_SMALL" --export-json "$out/small.json" \
	-n specgate "cd $out/small && $tool . - <../small.list" \
	-n sha256sum "cd $out/small && xargs -a ../small.list -d '\\n' sha256sum"

median() { # JSON NAME
	jq -r --arg n "$2" '.results[] | select(.command == $n) | .median' "$1"
}
sb=$(median "$out/big.json" specgate)
ob=$(median "$out/big.json" openssl)
ss=$(median "$out/small.json" specgate)
cs=$(median "$out/small.json" sha256sum)
awk -v sb="$sb" -v ob="$ob" -v ss="$ss" -v cs="$cs" 'BEGIN {
	printf "hash: 2 GB file: specgate %.0f ms (%.0f MB/s), openssl dgst %.0f ms (%.0f MB/s): %.0f %% of openssl (target >= 90 %%)\n",
	    sb * 1000, 2000 / sb, ob * 1000, 2000 / ob, 100 * ob / sb
	printf "hash: 10,000 small files: specgate %.0f ms, sha256sum %.0f ms: %.2fx faster (target >= 1.5x)\n",
	    ss * 1000, cs * 1000, cs / ss
}' | tee "$out/summary.txt"
echo "hash: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(getconf _NPROCESSORS_ONLN) CPUs" |
	tee -a "$out/summary.txt"
