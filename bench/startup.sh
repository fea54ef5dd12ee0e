#!/bin/sh
# bench/startup.sh - what starting specgate costs, for commands that need
# neither git, HTTP, XML nor PostgreSQL (those libraries are opened on
# first use, src/lib/sys/dl.h): `specgate --version` and `specgate id` of
# a one-scenario project, beside `true` (starting any process at all), and
# the same two commands with the five libraries preloaded (LD_PRELOAD of
# their sonames): what every command paid when they were linked.
#
#  1. hyperfine, medians (10 warm-ups, RUNS runs), and the ratios;
#  2. the shared objects mapped at start-up (ldd), with and without them.
#
#	bench/startup.sh		(BUILD: the build directory)
#
# Needs hyperfine and jq.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-$PWD/build}
RUNS=${RUNS:-200}
sg=$BUILD/specgate
out=$PWD/bench/out/startup

command -v hyperfine >/dev/null 2>&1 || {
	echo "startup: needs hyperfine (EXTRA_PKGS=hyperfine tools/install-deps)" >&2
	exit 1
}
make --no-print-directory BUILD="$BUILD" "$sg" >/dev/null
rm -rf "$out"
mkdir -p "$out/project/features"
cd "$out/project"
printf 'project: bench\n' >specgate.yaml
printf 'Feature: start-up\n  Scenario: one\n    Given a\n    When b\n    Then c\n' \
	>features/a.feature
libdir=$(pkg-config --variable=libdir libgit2)
all=
for so in libxml2.so.2 libmicrohttpd.so.12 libgit2.so.1.5 libcurl.so.4 libpq.so.5; do
	all="$all${all:+:}$libdir/$so"
done

hyperfine -N --warmup 10 --runs "$RUNS" --export-json "$out/startup.json" \
	-n true 'true' \
	-n version "$sg --version" \
	-n id "$sg id" \
	-n "version, every library mapped" "env LD_PRELOAD=$all $sg --version" \
	-n "id, every library mapped" "env LD_PRELOAD=$all $sg id" \
	>"$out/hyperfine.txt" 2>&1 || { cat "$out/hyperfine.txt"; exit 1; }

echo "start-up, medians of $RUNS runs (ms):"
jq -r '.results[] | "  \(.command): \(.median * 1000 * 100 | round / 100)"' \
	"$out/startup.json"
jq -r '(.results | map({(.command): .median}) | add) as $m |
	"  ratio, every library mapped / loaded on use: version \(($m["version, every library mapped"] / $m.version) * 100 | round / 100)x, id \(($m["id, every library mapped"] / $m.id) * 100 | round / 100)x"' \
	"$out/startup.json"

n_now=$(ldd "$sg" | grep -c '=>')
n_all=$(env LD_PRELOAD="$all" ldd "$sg" | grep -c '=>')
echo "shared objects at start-up: $n_now (every library mapped: $n_all)"
