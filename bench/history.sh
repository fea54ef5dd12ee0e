#!/bin/sh
# bench/history.sh - does a run's cost depend on the project's history?
# `specgate run` (six stages: preflight, four `true` command stages,
# audit; a git repository, so the feature branch and generate's commit
# are on the path) in projects with N = 0, 1,000 and 10,000 earlier runs
# (HISTORY="0 1000 10000 100000" adds 100,000: about 30 min to build on
# 2 busy CPUs), all timed in one hyperfine go so that the load of a shared
# machine falls on every N alike.  Then `audit verify` of each history.
#
# The history is real: bench/history-gen.c runs sg_run_execute() N times
# in one process, in a project on tmpfs (TMPDIR_HIST, default /dev/shm)
# where fsync is free, with no command stages; each N is then copied
# (cp -a) to bench/out/history/nN on the checkout's disk, where it is
# measured, and the six-stage specgate.yaml put in place.  Every history
# passes `specgate audit verify` (checked here before timing).
#
#	bench/history.sh	(HISTORY; ROUNDS of RUNS runs, default 5 x 3;
#				BUILD: the build directory)
#
# Prints the medians, each N's ratio to N=0, and the system calls of one
# run per N (strace -c), whose counts must not grow with N.  Needs
# hyperfine, jq and strace.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-$PWD/build}
RUNS=${RUNS:-3}
ROUNDS=${ROUNDS:-5}
HISTORY=${HISTORY:-0 1000 10000}
sg=$BUILD/specgate
gen=$BUILD/bench/history-gen
out=$PWD/bench/out/history
tmp=${TMPDIR_HIST:-/dev/shm}/specgate-history.$$

for t in hyperfine jq strace git; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "history: needs $t (EXTRA_PKGS=$t tools/install-deps)" >&2
		exit 1
	}
done
make --no-print-directory BUILD="$BUILD" "$sg" "$gen" >/dev/null
names=
if [ "${KEEP:-0}" = 1 ]; then
	# KEEP=1: measure the histories of the last go again (they have
	# grown by the runs measured then)
	for n in $HISTORY; do
		[ -d "$out/n$n" ] || { echo "history: no $out/n$n" >&2; exit 1; }
		names="$names -n N=$n '$sg --config $out/n$n/specgate.yaml run -q'"
	done
	rm -f "$out"/run-*.json
else
rm -rf "$out"
mkdir -p "$out" "$tmp/features"
trap 'rm -rf "$tmp"' EXIT INT TERM

{
	echo "@resource:cpu=0.1,memory=128,storage=10,story_points=1"
	echo "Feature: history"
	for i in $(seq 1 10); do
		echo "  Scenario: scenario $i"
		echo "    Given a service with $i replicas"
		echo "    When I call it"
		echo "    Then it answers"
	done
} >"$tmp/features/a.feature"
printf 'project: bench\n' >"$tmp/specgate.yaml"
(
	cd "$tmp"
	git init -q .
	git add -A
	git -c user.name=bench -c user.email=bench@example.invalid \
	    commit -q -m init
)
six() {
	{
		echo "project: bench"
		echo "stages:"
		for s in validate generate build deploy; do
			echo "  $s: {run: [\"true\"]}"
		done
	} >"$1/specgate.yaml"
}

have=0
for n in $HISTORY; do
	t0=$(date +%s)
	"$gen" "$tmp" $((n - have)) >/dev/null
	have=$n
	cp -a "$tmp" "$out/n$n"
	six "$out/n$n"
	echo "history: N=$n built in $(($(date +%s) - t0)) s," \
	    "$(du -sh "$out/n$n" | cut -f1)"
	(cd "$out/n$n" && "$sg" audit verify) | sed 's/^/    /'
	names="$names -n N=$n '$sg --config $out/n$n/specgate.yaml run -q'"
done
rm -rf "$tmp"
fi

# Rounds of a few runs of every N, so that a change in the machine's load
# during the benchmark falls on every N alike; medians over all rounds.
for r in $(seq 1 "$ROUNDS"); do
	eval hyperfine -N --warmup 1 --runs "$RUNS" \
	    --export-json "$out/run-$r.json" "$names" \
	    >"$out/hyperfine-$r.txt" 2>&1 || {
		cat "$out/hyperfine-$r.txt"
		exit 1
	}
done
# med N: median wall, user and system time (ms) over every round
med() {
	jq -s -r --arg n "$1" '[.[].results[] | select(.command == $n)] |
	    def m: sort | .[length / 2 | floor] * 1000;
	    "\([.[].times[]] | m) \([.[].user] | m) \([.[].system] | m)"' \
	    "$out"/run-*.json
}
set -- $(med N=0)
base=$1
echo
echo "history: specgate run, six stages; medians of $ROUNDS rounds x $RUNS runs:"
for n in $HISTORY; do
	set -- $(med "N=$n")
	awk -v n="$n" -v m="$1" -v u="$2" -v s="$3" -v b="$base" 'BEGIN {
		printf "  N=%-7s %7.1f ms  (CPU %.1f user + %.1f sys)  %.2fx N=0\n",
		    n, m, u, s, m / b }'
done
echo "history: system calls of one run (strace -c -f; total: % s us/call calls errors):"
for n in $HISTORY; do
	strace -f -c -o "$out/strace-n$n.txt" \
	    "$sg" --config "$out/n$n/specgate.yaml" run -q
	printf '  N=%-7s %s\n' "$n" "$(awk '$NF == "total"' "$out/strace-n$n.txt")"
done
# audit verify of the largest history: in full, and --incremental after
# one new run (--prepare makes the run; a good verify records its head)
for n in $HISTORY; do last=$n; done
p="$out/n$last"
hyperfine -N --runs 3 --export-json "$out/verify.json" \
    --prepare "$sg --config $p/specgate.yaml run -q" \
    -n full "sh -c 'cd $p && $sg audit verify -q'" \
    -n incremental "sh -c 'cd $p && $sg audit verify -q --incremental'" \
    >"$out/verify.txt" 2>&1 || { cat "$out/verify.txt"; exit 1; }
jq -r '.results[] | "history: audit verify \(.command) at N='"$last"' after one new run: median \(.median * 1000 | floor) ms (CPU \((.user + .system) * 1000 | floor) ms)"' \
    "$out/verify.json"
echo "history: load average $(cut -d' ' -f1-3 /proc/loadavg)" \
    "on $(getconf _NPROCESSORS_ONLN) CPUs"
