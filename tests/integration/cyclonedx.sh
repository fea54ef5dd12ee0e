# tests/integration/cyclonedx.sh - the SBOM check of t1000 and t0930,
# sourced after lib.sh: every document is validated against the official
# CycloneDX 1.6 schema with ajv (tests/tools/ajv, pinned by its
# package-lock.json, installed on first use) and checked with jq: no
# bom-ref repeats, no dependency names a ref that does not exist, every
# component has its entry in the graph.

AJV=$SG_TEST_ROOT/tools/ajv
if [ ! -f "$AJV/node_modules/ajv/package.json" ]; then
	(cd "$AJV" && npm ci --no-audit --no-fund --loglevel=error) >&2 ||
	    echo "# cannot install ajv (npm ci in tests/tools/ajv)" >&2
fi

# valid FILE...: the official schema, then the reference checks
valid() {
	node "$AJV/validate.js" "$DATA/cyclonedx" "$@" 2>/dev/null || return 1
	for f in "$@"; do
		jq -e '
		    [.. | objects | select(has("bom-ref")) | .["bom-ref"]] as $r |
		    ($r | length) == ($r | unique | length) and
		    ([.dependencies[] | .ref, .dependsOn[]] - $r | length) == 0 and
		    ([(.components // [])[], (.services // [])[] | .["bom-ref"]]
		        - [.dependencies[].ref] | length) == 0 and
		    ([.dependencies[].ref] | length) ==
		        ([.dependencies[].ref] | unique | length)
		' "$f" >/dev/null || { echo "bad refs in $f" >&2; return 1; }
	done
}

