#!/bin/sh
# bench/run-pipeline.sh - what the pipeline runner adds to the commands it
# runs: `specgate run` on a 10-scenario spec whose four command stages
# (validate, generate, build, deploy) each run N trivial commands (`true`),
# against, in the same go:
#
#   shell      a plain sh script running the same 4N commands, each through
#              `sh -c` as specgate does (the floor: fork + exec of a shell)
#   empty      `specgate run` with no commands (preflight + audit: the run's
#              fixed cost, see bench/run-fixed-cost.sh)
#   in-toto    Debian's in-toto-run wrapping each of the 4N commands (an
#              ed25519 key; links written to a scratch directory).
#              specgate does not sign in-toto links yet (another branch
#              does): this compares the process runner and the evidence
#              specgate writes today with in-toto-run's own cost.
#
#	bench/run-pipeline.sh		(N=1 and N=10; BUILD: build dir)
#
# Prints hyperfine's table and the medians, the ratios, and the cost per
# stage and per command: (specgate - shell) / 4 stages, and
# (specgate N=10 - specgate N=1) / 36 commands.  Needs hyperfine and jq;
# in-toto-run is optional.  Works in bench/out/run-pipeline/.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-$PWD/build}
RUNS=${RUNS:-20}
sg=$BUILD/specgate
out=$PWD/bench/out/run-pipeline

for t in hyperfine jq; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "run-pipeline: needs $t (EXTRA_PKGS=$t tools/install-deps)" >&2
		exit 1
	}
done
make --no-print-directory BUILD="$BUILD" "$sg" >/dev/null
rm -rf "$out"
mkdir -p "$out"

# project DIR N: a project whose four command stages run N `true` each.
project() {
	mkdir -p "$1/features"
	{
		echo "@resource:cpu=0.1,memory=128,storage=10,story_points=1"
		echo "Feature: the cost of the runner"
		for i in $(seq 1 10); do
			echo "  Scenario: scenario $i"
			echo "    Given a service with $i replicas"
			echo "    When I call it"
			echo "    Then it answers"
		done
	} >"$1/features/a.feature"
	{
		echo "project: bench"
		echo "retention: {active_runs: 5}"
		if [ "$2" -gt 0 ]; then
			echo "stages:"
			for s in validate generate build deploy; do
				printf '  %s: {run: [' "$s"
				for i in $(seq 1 "$2"); do
					[ "$i" -gt 1 ] && printf ', '
					printf '"true"'
				done
				printf ']}\n'
			done
		fi
	} >"$1/specgate.yaml"
	{
		echo "#!/bin/sh"
		echo "set -e"
		for i in $(seq 1 $((4 * $2))); do echo "sh -c true"; done
	} >"$1/plain.sh"
	{
		echo "#!/bin/sh"
		echo "set -e"
		echo "cd links"
		for i in $(seq 1 $((4 * $2))); do
			echo "in-toto-run -n step$i -k ../k -t ed25519 -- true"
		done
	} >"$1/in-toto.sh"
	chmod +x "$1/plain.sh" "$1/in-toto.sh"
	mkdir -p "$1/links"
}

project "$out/empty" 0
project "$out/n1" 1
project "$out/n10" 10
intoto=
if command -v in-toto-run >/dev/null 2>&1 &&
    in-toto-keygen -t ed25519 "$out/n1/k" >/dev/null 2>&1; then
	intoto=1
fi

cd "$out"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json sg.json \
	-n empty "sh -c 'cd empty && $sg run -q'" \
	-n specgate-n1 "sh -c 'cd n1 && $sg run -q'" \
	-n shell-n1 "sh -c 'cd n1 && ./plain.sh'" \
	-n specgate-n10 "sh -c 'cd n10 && $sg run -q'" \
	-n shell-n10 "sh -c 'cd n10 && ./plain.sh'"
if [ -n "$intoto" ]; then
	hyperfine -N --warmup 1 --runs 5 --export-json intoto.json \
		-n in-toto-n1 "sh -c 'cd n1 && ./in-toto.sh'"
fi

med() {
	jq -r --arg n "$2" '.results[] | select(.command == $n) | .median * 1000' "$1"
}
e=$(med sg.json empty)
s1=$(med sg.json specgate-n1)
p1=$(med sg.json shell-n1)
s10=$(med sg.json specgate-n10)
p10=$(med sg.json shell-n10)
echo
echo "medians (ms): empty run $e; N=1: specgate $s1, shell $p1; N=10: specgate $s10, shell $p10"
awk -v e="$e" -v s1="$s1" -v p1="$p1" -v s10="$s10" -v p10="$p10" 'BEGIN {
	printf "N=1: specgate - shell = %.1f ms, %.2f ms per stage of 6; ratio %.1fx\n",
	    s1 - p1, (s1 - p1) / 6, s1 / p1
	printf "N=1: what the 4 command stages add to an empty run: %.1f ms, %.2f ms per stage\n",
	    s1 - e, (s1 - e) / 4
	printf "N=10: specgate - shell = %.1f ms; per extra command (N=10 vs N=1): specgate %.2f ms, shell %.2f ms\n",
	    s10 - p10, (s10 - s1) / 36, (p10 - p1) / 36
}'
if [ -n "$intoto" ]; then
	i1=$(med intoto.json in-toto-n1)
	awk -v i1="$i1" -v s1="$s1" -v p1="$p1" 'BEGIN {
		printf "in-toto-run, 4 steps: %.1f ms, %.1f ms per step; %.1fx specgate'"'"'s whole run (N=1); its cost over the shell %.1fx specgate'"'"'s\n",
		    i1, i1 / 4, i1 / s1, (i1 - p1) / (s1 - p1)
	}'
fi
