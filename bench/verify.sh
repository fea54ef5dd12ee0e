#!/bin/sh
# bench/verify.sh - `specgate verify` against `in-toto-verify` on the same
# bundle, links and layout, in the same run; then the cost of signing and
# linking inside a full `specgate run`.
#
#  1. a signed bundle whose build stage declares N artifacts (default
#     1,000 of 4 KiB), made by bench/big-bundle.c with the library as the
#     pipeline runner makes it, and the layout of `specgate layout`
#     (stages.build.artifacts: [artifacts/*]);
#  2. hyperfine: `specgate verify BUNDLE --key PUB` (digests, every .sig,
#     every link, provenance, layout, the audit trail) against
#     `in-toto-verify --layout root.layout ... --link-dir links` in a copy
#     of the bundle (links, layout, the inspection hashing every file);
#     both must pass first, so that a faster wrong answer cannot count;
#  3. hyperfine: `specgate run` of a small project with a key and without
#     one; (signed - unsigned) / 6 is the cost of signing and linking per
#     stage (the audit stage's signatures included).
#
# Prints medians and their ratio, the ratio of CPU time (less sensitive to
# other load than wall time), and the load average: on a shared machine,
# read the ratios, not the absolute times.  Target: verify >= 20x faster.
#
#	bench/verify.sh		(BUILD: the build directory; N, SIZE, RUNS)
#
# Needs hyperfine, jq, in-toto (tools/install-deps installs them).
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-$PWD/build}
N=${N:-1000}
SIZE=${SIZE:-4096}
RUNS=${RUNS:-10}
root=$PWD
make --no-print-directory BUILD="$BUILD" "$BUILD/specgate" \
	"$BUILD/bench/big-bundle" >/dev/null
sg=$BUILD/specgate
for t in hyperfine jq in-toto-verify /usr/bin/python3; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "verify: needs $t (tools/install-deps)" >&2; exit 2; }
done
out=$root/bench/out/verify
rm -rf "$out" && mkdir -p "$out/p/features" && cd "$out/p"
printf '@resource:cpu=0.1,memory=128,storage=10,story_points=1\nFeature: big\n  Scenario: s\n    Given a\n    When b\n    Then c\n' \
	>features/big.feature
printf 'project: bench\nstages:\n  build: {artifacts: ["artifacts/*"]}\n' >specgate.yaml
"$sg" keygen -q --no-password >/dev/null 2>&1
b=$("$BUILD/bench/big-bundle" .specgate/keys/specgate.key "$N" "$SIZE")
"$sg" layout -q --out root.layout
/usr/bin/python3 -c 'import json,sys; print(json.dumps({"keytype": "ecdsa",
    "scheme": "ecdsa-sha2-nistp256", "keyval": {"public": open(sys.argv[1]).read()}}))' \
	.specgate/keys/specgate.pub >key.json
rm -rf copy && cp -a "$b" copy && cp root.layout copy/
ours="$sg verify $b --key .specgate/keys/specgate.pub -q"
theirs="in-toto-verify --layout root.layout --layout-keys $PWD/key.json --key-types ecdsa --link-dir links"
echo "bundle: $b ($(find "$b" -type f | wc -l) files, $N artifacts of $SIZE B)"
$ours >/dev/null || { echo "verify: specgate verify fails" >&2; exit 1; }
(cd copy && $theirs >/dev/null 2>&1) || { echo "verify: in-toto-verify fails" >&2; exit 1; }
hyperfine --warmup 1 --runs "$RUNS" --export-json "$out/verify.json" \
	-n specgate "$ours" -n in-toto-verify "cd copy && $theirs" >/dev/null
jq -r '.results[] | "\(.command): median \(.median * 1000 | floor) ms"' "$out/verify.json"
jq -r '.results as $r | "ratio in-toto-verify / specgate: \(($r[1].median / $r[0].median) * 10 | floor / 10)x (target >= 20x)"' "$out/verify.json"
jq -r '.results as $r | "CPU time (user + system, means): specgate \(($r[0].user + $r[0].system) * 1000 | floor) ms, in-toto-verify \(($r[1].user + $r[1].system) * 1000 | floor) ms, ratio \(((($r[1].user + $r[1].system) / ($r[0].user + $r[0].system)) * 10) | floor / 10)x"' "$out/verify.json"

# 3. signing and linking inside a full run.
rm -rf reports .specgate/state.db
hyperfine --warmup 2 --runs "$RUNS" --export-json "$out/run.json" \
	-n signed "$sg run -q" \
	-n unsigned "SPECGATE_SIGNING_KEY=/nonexistent $sg run -q 2>/dev/null" >/dev/null
jq -r '.results[] | "run \(.command): median \(.median * 1000 * 10 | floor / 10) ms"' "$out/run.json"
jq -r '.results as $r | "signing + linking: \((($r[0].median - $r[1].median) * 1000 / 6) * 100 | floor / 100) ms per stage (median difference / 6 stages)"' "$out/run.json"
echo "load average: $(cut -d" " -f1-3 /proc/loadavg)"
