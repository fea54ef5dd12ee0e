#!/bin/sh
# bench/sbom.sh - `specgate sbom` against @cyclonedx/cyclonedx-npm (the
# CycloneDX project's own generator for npm, pinned in bench/peer-sbom/)
# on the same npm project, in the same run: bench/data/npm-1500, whose
# package-lock.json (v3) holds 1,540 entries (react-scripts 5, jest 29,
# typescript, @babel/cli; made with `npm install --package-lock-only`).
# The peer reads the lockfile only (--package-lock-only), as specgate
# does; it runs `npm ls`, which reports the tree's peer-dependency
# conflicts, hence --ignore-npm-errors.
#
# First the two purl sets must be equal (every purl of the peer's
# components, the project's own purl aside, against specgate's); then
# hyperfine measures wall time and the medians and their ratio are
# printed.  Issue #6's target: at least 20x faster.
#
#	bench/sbom.sh [RUNS]	(default 5 runs of each)
#
# Needs: hyperfine, jq, node + npm (the peer is installed if missing).
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
out=bench/out
proj=$out/npm-1500
mkdir -p "$out"
EXTRA_PKGS="hyperfine jq" tools/install-deps
make -s build/specgate
[ -x bench/peer-sbom/node_modules/.bin/cyclonedx-npm ] ||
	(cd bench/peer-sbom && npm ci --no-audit --no-fund)
rm -rf "$proj" && mkdir -p "$proj"
cp bench/data/npm-1500/package.json bench/data/npm-1500/package-lock.json "$proj/"
peer_bin=$(pwd)/bench/peer-sbom/node_modules/.bin/cyclonedx-npm
sg_bin=$(pwd)/build/specgate
echo "lockfile: $(jq '.packages | length' "$proj/package-lock.json") entries"

sg="$sg_bin -q sbom $proj"

$sg >"$out/specgate.cdx.json"
(cd "$proj" && $peer_bin --package-lock-only --ignore-npm-errors \
	--output-format JSON --spec-version 1.6 \
	--output-file "../peer.cdx.json" 2>/dev/null)
jq -r '.components[].purl' "$out/specgate.cdx.json" | sort -u >"$out/specgate.purls"
jq -r '[.components[] | .. | objects | .purl? // empty] | .[]' \
	"$out/peer.cdx.json" | sort -u >"$out/peer.purls"
if ! cmp -s "$out/specgate.purls" "$out/peer.purls"; then
	echo "the purl sets differ:" >&2
	diff "$out/peer.purls" "$out/specgate.purls" | head -20 >&2
	exit 1
fi
echo "purl sets equal: $(wc -l <"$out/specgate.purls") purls"

hyperfine -N --warmup 1 --runs "$runs" --export-json "$out/sbom.json" \
	-n specgate "$sg" \
	-n cyclonedx-npm "sh -c 'cd $proj && $peer_bin --package-lock-only --ignore-npm-errors --output-format JSON --spec-version 1.6 --output-file ../peer.cdx.json 2>/dev/null'"

jq -r '
	def median: sort | if length % 2 == 1 then .[length/2|floor] else (.[length/2-1] + .[length/2]) / 2 end;
	(.results[] | select(.command == "specgate") | .times | median) as $s |
	(.results[] | select(.command == "cyclonedx-npm") | .times | median) as $p |
	"median wall: specgate \($s*1000|floor) ms, cyclonedx-npm \($p*1000|floor) ms, ratio \($p/$s|floor)x"
' "$out/sbom.json" | tee "$out/sbom.txt"
