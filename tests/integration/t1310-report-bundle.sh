#!/usr/bin/env bash
# t1310-report-bundle: the release report inside the bundle.  The audit
# stage writes report.md and report.html into every bundle, before the
# manifest: the manifest lists both with their SHA-256 (checked here with
# jq and sha256sum, not specgate) and each has a detached signature that
# openssl accepts, like the JSON documents.  Every figure of report.md
# (parsed by markdown-it, tests/tools/markdown-it) is compared with jq to
# the bundle document it cites, found by the digest the report prints; the
# report cites its own manifest without a digest (the manifest lists the
# report; the trail's seal holds the manifest's digest).  A changed
# report.html is found by `specgate verify` and `audit verify` (exit 4).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"

MDIT=$SG_TEST_ROOT/tools/markdown-it
AXE=$SG_TEST_ROOT/tools/axe
REL=$TRASH/release
# Screenshots: kept after the run under the build directory.
OUT=${BUILD:-$TRASH}/test-output/t1310

for d in "$MDIT" "$AXE"; do
	if [ ! -d "$d/node_modules" ]; then
		(cd "$d" && npm ci --no-audit --no-fund --loglevel=error) >&2 ||
		    echo "# cannot install $(basename "$d") (npm ci in $d)" >&2
	fi
done
mkdir -p "$OUT"

# release: in $REL, a compliance run waiting for alice's approval ($R),
# approved with a comment and resumed ($C, deployed); R and C files.
release() {
	mkdir -p "$REL" && cd "$REL" && project compliance &&
	sg keygen -q --no-password >/dev/null 2>&1 &&
	sg keygen -q --no-password --out alice >/dev/null 2>&1 &&
	PROFILE_APPROVALS="{required: 1, keys: [alice.pub]}" compliance_profile &&
	expect_exit 3 sg run >/dev/null 2>&1 &&
	R=$(run_ids) && sg approve "$R" --key alice.key --comment "ship it | now" >/dev/null &&
	sg resume "$R" >/dev/null 2>&1 &&
	C=$(run_ids | grep -vx "$R") && test -n "$C" &&
	echo "$R" >R && echo "$C" >C
}

# md_figures BUNDLE: every figure of BUNDLE/report.md against the document
# it cites.  Run from the feature directory (reports/<fid>), so that a
# sibling bundle is RUN/FILE.  sums: "sha12 RUN/FILE" for every file of
# every bundle there, to find a cited file by the digest the report shows.
md_figures() {
	local b=$1 row m path
	node "$MDIT/check.js" <"$b/report.md" >"$b.seen" &&
	jq -e '.html == [] and .headings[1:] ==
	    ["Metrics","Stages","Approvals","SBOM","Environment","Risks","Evidence"]' "$b.seen" &&
	for d in */; do
		[ -L "${d%/}" ] || (cd "$d" && find . -type f | sed 's|^\./||' |
		    xargs sha256sum | sed "s|^\(.\{12\}\)[0-9a-f]*  |\1 ${d}|")
	done >sums &&
	test "$(jq '.tables[1] | length' "$b.seen")" -ge 10 &&
	jq -c '.tables[1][1:][]' "$b.seen" >rows &&
	while read -r row; do
		m=$(jq -r '.[0]' <<<"$row") &&
		path=$(jq -r '.[4] | split(" ") | "\(.[1]) \(.[0])"' <<<"$row" |
		    while read -r h f; do grep "^$h [^ ]*/$f\$" sums | cut -d" " -f2; done | head -1) &&
		{ test -n "$path" || { echo "$m: no file with the digest it names: $row"; return 1; }; } &&
		case "$m" in
		"spec findings")
			jq -e --argjson r "$row" '$r[2] == "\(.summary.errors) errors, \(.summary.warnings) warnings" and
			    $r[3] == .summary.result' "$path" ;;
		"code coverage")
			jq -e --argjson r "$row" '.code_coverage as $c | $r[1] == ">= \($c.min) % of lines" and
			    $r[2] == "\($c.line_percent * 10 | round / 10 | tostring |
				if test("\\.") then . else . + ".0" end) % (\($c.lines_hit) of \($c.lines_found) lines)"' "$path" ;;
		tests)
			jq -e --argjson r "$row" '.tests as $t | $r[2] == "\($t.passed) passed, \($t.failed) failed, " +
			    "\($t.errors) errors, \($t.skipped) skipped of \($t.total)"' "$path" ;;
		"spec coverage")
			jq -e --argjson r "$row" '.spec_coverage as $s |
			    ($r[2] | startswith("\($s.covered) of \($s.scenarios) scenarios"))' "$path" ;;
		SAST)
			jq -e --argjson r "$row" '$r[1] == "0 at or above \(.fail_on)" and
			    $r[2] == "\(.at_or_above_fail_on) at or above (\(.results) results: \(.by_level.error) error, " +
				"\(.by_level.warning) warning, \(.by_level.note) note; \(.suppressed) suppressed)"' "$path" ;;
		resources:*)
			jq -e --argjson r "$row" '(.checks[] | select(.check == $r[0][11:])) as $k |
			    $r[1] == "<= \($k.limit)" and (($r[2] | tonumber) - $k.value | fabs) < 0.000501 and
			    (($r[3] == "pass") == $k.ok)' "$path" ;;
		"wall time: "*)
			jq -e --argjson r "$row" '(.measured.stages[] | select(.stage == $r[0][11:])) as $s |
			    ($r[2] | endswith(" s")) and (($r[2] | rtrimstr(" s") | tonumber) - $s.wall_seconds | fabs) < 0.000501' "$path" ;;
		retries)
			test "$(jq -r '.[2]' <<<"$row")" = "$(grep -c " | retry | " "$path")" ;;
		*)
			echo "a metric this test does not know: $m"; false ;;
		esac >/dev/null || { echo "$b/report.md: $row does not match $path"; return 1; }
	done <rows &&
	# Stages: status and detail from the manifest of the run named, wall
	# time and peak RSS from its resource-estimates.json, retries from its
	# checkpoints.log.
	jq -c '.tables[2][1:][]' "$b.seen" >rows &&
	test "$(wc -l <rows)" = 6 &&
	while read -r row; do
		r=$(jq -r '.[2]' <<<"$row") && s=$(jq -r '.[0]' <<<"$row") &&
		jq -e --argjson r "$row" '(.stages[] | select(.stage == $r[0])) as $s |
		    $r[1] == $s.status and $r[6] == ($s.detail // "")' "$r/manifest.json" >/dev/null &&
		jq -e --argjson r "$row" '[.measured.stages[] | select(.stage == $r[0])][0] as $m |
		    if $m then (($r[4] | rtrimstr(" s") | tonumber) - $m.wall_seconds | fabs) < 0.000501 and
			($r[5] | test("^[0-9]+\\.[0-9] MB$")) and
			(($r[5] | rtrimstr(" MB") | tonumber) - $m.peak_rss_mb | fabs) <= 0.0501
		    else $r[4] == "-" end' "$r/resource-estimates.json" >/dev/null &&
		test "$(jq -r '.[3]' <<<"$row")" = "$(grep -c " | $s | retry | " "$r/checkpoints.log")" ||
			{ echo "$b/report.md: stage $row"; return 1; }
	done <rows &&
	# The evidence table: every digest is the file's and its manifest's,
	# but the report's own manifest, cited without one.
	jq -c '.tables[-1][1:][]' "$b.seen" >rows &&
	while read -r row; do
		r=$(jq -r '.[0]' <<<"$row") && f=$(jq -r '.[1]' <<<"$row") && h=$(jq -r '.[2]' <<<"$row") &&
		if [ "$r/$f" = "$b/manifest.json" ]; then
			test "$h" = "(lists this report; sealed by the audit trail)"
		elif [ "$f" = manifest.json ]; then
			test "$h" = "$(sha256sum <"$r/$f" | cut -c1-64)"
		else
			test "$h" = "$(sha256sum <"$r/$f" | cut -c1-64)" &&
			test "$h" = "$(jq -r --arg f "$f" '.files[] | select(.path == $f) | .sha256' "$r/manifest.json")"
		fi || { echo "$b/report.md: evidence $row"; return 1; }
	done <rows &&
	# Links resolve from the bundle.
	jq -r '.links[].href' "$b.seen" | sort -u >hrefs &&
	(cd "$b" && while read -r h; do test -e "$h" || { echo "$b: $h: no such file"; exit 1; }; done) <hrefs
}

test_expect_success 'report.md and report.html: in both bundles, listed with their digests, signed' '
	release && cd "$REL" && P=.specgate/keys/specgate.pub &&
	for r in $(cat R) $(cat C); do
		b=reports/$(sg id)/$r &&
		for f in report.md report.html; do
			test -s "$b/$f" &&
			test "$(jq -r --arg f "$f" ".files[] | select(.path == \$f) | .sha256" "$b/manifest.json")" = \
			    "$(sha256sum <"$b/$f" | cut -c1-64)" &&
			jq -e --arg f "$f.sig" "[.files[].path] | index(\$f) != null" "$b/manifest.json" >/dev/null &&
			base64 -d "$b/$f.sig" >s.der &&
			openssl dgst -sha256 -verify "$P" -signature s.der "$b/$f" >/dev/null || exit 1
		done &&
		bundle_ok "$b" &&
		openssl dgst -sha256 -verify "$P" -signature <(base64 -d "$b/manifest.json.sig") "$b/manifest.json" >/dev/null &&
		jq -r ".. | objects | .products? // empty | keys[]" "$b"/links/audit.*.link >products &&
		grep -qx report.md products && grep -qx report.html products || exit 1
	done &&
	sg audit verify >out && expect_grep ": ok$" out &&
	sg verify "reports/$(sg id)/$(cat C)" --key "$P" >out && expect_grep ": ok" out
'

test_expect_success 'every figure of report.md is the document it cites (jq), both bundles' '
	cd "$REL" && cd "reports/$(sg id)" && R=$(cat "$REL/R") && C=$(cat "$REL/C") &&
	md_figures "$R" && md_figures "$C" &&
	jq -e ".tables[0][1:] | map({(.[0]): .[1]}) | add | .finished == \"at the seal of this bundle\" and
	    .bundle == \".\" and .continues == null" "$R.seen" &&
	grep -qF "**awaiting\_approval**: run $R: awaiting\_approval" "$R/report.md" &&
	jq -e ".tables[0][1:] | map({(.[0]): .[1]}) | add | .continues | startswith(\"approved run $R, manifest.json \")" "$C.seen" &&
	jq -e --slurpfile a "$C/approvals.json" --arg h "$(sha256sum <"$C/approvals.json" | cut -c1-12)" \
	    ".tables[3][1:] == [[\$a[0].approvals[0].keyid[:16], \"ship it | now\",
	    (\$a[0].approvals[0].document | fromjson | .timestamp), \"approvals.json \(\$h)\"]]" "$C.seen" &&
	n=$(jq ".components | length" "$R/sbom.cyclonedx.json") &&
	grep -q "^$n components (" "$C/report.md"
'

test_expect_success 'the figures in the bundle are the figures of specgate report' '
	cd "$REL" && C=$(cat C) && b=reports/$(sg id)/$C &&
	sg report "$C" >cli.md && node "$MDIT/check.js" <cli.md >cli.json &&
	node "$MDIT/check.js" <"$b/report.md" >in.json &&
	jq -e --slurpfile c cli.json ".tables[1] == \$c[0].tables[1] and
	    (.tables[2] | map(.[0:6])) == (\$c[0].tables[2] | map(.[0:6]))" in.json
'

test_expect_success 'report.html of the bundle: no script, axe-core at 1280 and 390 px, links resolve' '
	cd "$REL" && b=reports/$(sg id)/$(cat C) &&
	! grep -qi "<script" "$b/report.html" &&
	node "$AXE/check.js" "$b/report.html" "$OUT/bundle-report" >seen.json &&
	jq -e "all(.widths | to_entries[]; .key as \$w | .value | .violations == [] and .scripts == 0 and
	    (.overflowX | not) and .scrollWidth <= (\$w | tonumber))" seen.json &&
	jq -r ".widths[\"1280\"].links[]" seen.json | sort -u >hrefs &&
	(cd "$b" && while read -r h; do test -e "$h" || { echo "$h: no such file"; exit 1; }; done) <hrefs &&
	test -s "$OUT/bundle-report-390.png"
'

test_expect_success 'a changed report.html: specgate verify and audit verify fail (exit 4)' '
	cd "$REL" && cp -a reports reports.orig && b=reports/$(sg id)/$(cat C) &&
	sed -i "s/ship it | now/ship it later/" "$b/report.html" &&
	expect_exit 4 sg verify "$b" --key .specgate/keys/specgate.pub >out 2>&1 &&
	expect_grep "report.html" out &&
	expect_exit 4 sg audit verify >out 2>&1 && expect_grep "report.html" out &&
	rm -rf reports && mv reports.orig reports && sg audit verify >/dev/null
'

test_expect_success 'an unsigned sandbox run and a failed one have their report too' '
	project && sg run -q 2>/dev/null && b=reports/$(sg id)/latest &&
	test -s $b/report.md && test ! -e $b/report.md.sig && bundle_ok "$(readlink -f $b)" &&
	cat >>specgate.yaml <<-\EOF &&
	stages:
	  deploy: {run: ["false"], retries: 0}
	EOF
	expect_exit 1 sg run -q 2>/dev/null && b=reports/$(sg id)/latest &&
	grep -q "^\*\*failure\*\*" $b/report.md && bundle_ok "$(readlink -f $b)" &&
	grep -q "stage deploy: failure" $b/report.html
'

test_done
