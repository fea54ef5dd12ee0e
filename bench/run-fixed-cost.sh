#!/bin/sh
# bench/run-fixed-cost.sh - what one `specgate run` costs on its own: the
# preflight and audit stages on a 10-scenario spec with the embedded
# SQLite store, against `specgate validate` of the same spec (the spec
# work alone), so that the difference is the run's fixed cost: the store,
# the bundle, the fsyncs, the seal, latest and retention.
#
#  1. hyperfine, medians (warm store: 5 warm-up runs, retention at its
#     default, so the measured runs include the archiving of one run each);
#  2. strace -c -f -w of one run: time spent per system call (wall clock);
#  3. strace -f -e trace=fsync,fdatasync: how many syncs, on which files.
#
#	bench/run-fixed-cost.sh		(BUILD: the build directory)
#
# Needs hyperfine, jq, strace.  Works in bench/out/run-fixed-cost/, on the
# file system of the checkout (fsync costs are that disk's).
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-$PWD/build}
RUNS=${RUNS:-30}
sg=$BUILD/specgate
out=$PWD/bench/out/run-fixed-cost

for t in hyperfine jq strace; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "run-fixed-cost: needs $t (EXTRA_PKGS=$t tools/install-deps)" >&2
		exit 1
	}
done
make --no-print-directory BUILD="$BUILD" "$sg" >/dev/null
rm -rf "$out"
mkdir -p "$out/project/features"
cd "$out/project"
printf 'project: bench\n' >specgate.yaml
{
	echo "@resource:cpu=0.1,memory=128,storage=10,story_points=1"
	echo "Feature: the fixed cost of a run"
	for i in $(seq 1 10); do
		echo "  Scenario: scenario $i"
		echo "    Given a service with $i replicas"
		echo "    When I call GET /ping $i times"
		echo "    Then I receive $i answers"
	done
} >features/bench.feature
"$sg" validate | tail -n 1

hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$out/times.json" \
	-n "specgate run" "$sg run -q" -n "specgate validate" "$sg -q validate"

strace -c -f -w -o "$out/strace-c.txt" "$sg" run -q
strace -f -e trace=fsync,fdatasync -y -o "$out/syncs.txt" "$sg" run -q

median() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .median * 1000' "$out/times.json"; }
echo
echo "run-fixed-cost: median specgate run $(median 'specgate run' | cut -d. -f1) ms," \
    "specgate validate $(median 'specgate validate' | cut -d. -f1) ms (same spec, 10 scenarios)"
echo "run-fixed-cost: syncs per run: $(grep -c 'fsync(' "$out/syncs.txt") fsync," \
    "$(grep -c 'fdatasync(' "$out/syncs.txt") fdatasync"
sed -n 's/^[0-9]* *\(f[a-z]*sync\)(\([0-9]*\)<\([^>]*\)>.*/\1 \3/p' "$out/syncs.txt" |
	sed "s|$out/project/||" | sort | uniq -c | sort -rn | sed 's/^/    /'
echo "run-fixed-cost: the system calls that took the most wall time (strace -c -w):"
sed -n '3,12p' "$out/strace-c.txt"
echo "run-fixed-cost: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(getconf _NPROCESSORS_ONLN) CPUs"
