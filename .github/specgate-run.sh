#!/usr/bin/env bash
# .github/specgate-run.sh - the "Run the pipeline" step of action.yml: run
# specgate once, publish its outputs and a job summary, and turn its exit
# status into a clear verdict.  Outside GitHub (the tests) GITHUB_OUTPUT
# and GITHUB_STEP_SUMMARY name plain files.
#
# Inputs, from the step's environment: SG_MODE, SG_FROM, SG_TO (may be
# empty), SG_KEY (the private key's PEM text, may be empty),
# SPECGATE_KEY_PASSWORD, SPECGATE_DATABASE_URL, SG_FAIL_ON_APPROVAL.
set -u
: "${GITHUB_OUTPUT:?}" "${GITHUB_STEP_SUMMARY:?}"
tmp=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/specgate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# An empty input is no value at all: specgate would take "" for a value.
[ -n "${SPECGATE_KEY_PASSWORD:-}" ] || unset SPECGATE_KEY_PASSWORD
[ -n "${SPECGATE_DATABASE_URL:-}" ] || unset SPECGATE_DATABASE_URL
if [ -n "${SG_KEY:-}" ]; then
	(umask 077 && printf '%s\n' "$SG_KEY" >"$tmp/signing.key")
	export SPECGATE_SIGNING_KEY="$tmp/signing.key"
fi
unset SG_KEY

args=()
[ -z "${SG_MODE:-}" ] || args+=(--mode "$SG_MODE")
args+=(run --json)
[ -z "${SG_FROM:-}" ] || args+=(--from "$SG_FROM")
[ -z "${SG_TO:-}" ] || args+=(--to "$SG_TO")
specgate "${args[@]}" >"$tmp/run.json"
rc=$?

field() { jq -r "$1 // empty" "$tmp/run.json" 2>/dev/null; }
run_id=$(field .run_id)
feature_id=$(field .feature_id)
status=$(field .status)
bundle=$(field .bundle)
{
	echo "run-id=$run_id"
	echo "feature-id=$feature_id"
	echo "status=$status"
	echo "bundle=$bundle"
	echo "exit-code=$rc"
} >>"$GITHUB_OUTPUT"

# The job summary: the release report (`specgate report --format md`:
# every figure with the bundle file it comes from) when this specgate has
# the command and the run left a bundle; else the run's own figures, from
# its JSON document.  The first line is the same either way.
if [ -n "$run_id" ]; then
	echo "## specgate: run \`$run_id\` of feature \`$feature_id\`: $status" >>"$GITHUB_STEP_SUMMARY"
	echo >>"$GITHUB_STEP_SUMMARY"
	rargs=()
	[ -z "${SG_MODE:-}" ] || rargs+=(--mode "$SG_MODE")
	if specgate help report >/dev/null 2>&1 &&
	    specgate ${rargs[@]+"${rargs[@]}"} report "$feature_id/$run_id" --format md \
		>"$tmp/report.md" 2>"$tmp/report.err"; then
		cat "$tmp/report.md" >>"$GITHUB_STEP_SUMMARY"
	else
		[ ! -s "$tmp/report.err" ] || cat "$tmp/report.err" >&2
		{
			echo "Mode: $(field .mode). Bundle: \`$bundle\`."
			echo
			echo "| stage | status | detail |"
			echo "|---|---|---|"
			jq -r '.stages[] | "| \(.stage) | \(.status) | \((.detail // "") | gsub("\\|"; "\\\\|")) |"' "$tmp/run.json"
			if [ "$(jq '.gate_findings | length' "$tmp/run.json")" -gt 0 ]; then
				echo
				echo "Gate findings:"
				echo
				jq -r '.gate_findings[] | "- `\(.)`"' "$tmp/run.json"
			fi
			echo
			echo "Audit trail head: $(field .audit_head.seq) \`$(field .audit_head.hash)\`"
		} >>"$GITHUB_STEP_SUMMARY"
	fi
fi

case $rc in
0) ;;
3)
	echo "::notice title=specgate::run $run_id waits for approval before deploy: approve it with 'specgate approve $run_id --key KEY', then continue with 'specgate resume $run_id'"
	[ "${SG_FAIL_ON_APPROVAL:-false}" = true ] || rc=0
	;;
1) echo "::error title=specgate::run ${run_id:-?} failed: a gate or stage failed (status ${status:-?}); see the job summary and the bundle" ;;
2) echo "::error title=specgate::bad usage, configuration or input (exit 2); see the log above" ;;
4) echo "::error title=specgate::verification failed (exit 4): evidence was tampered with or a signature does not verify" ;;
5) echo "::error title=specgate::system error (exit 5): I/O or the store" ;;
130) echo "::error title=specgate::run ${run_id:-?} was cancelled (exit 130)" ;;
*) echo "::error title=specgate::specgate exited $rc" ;;
esac
exit "$rc"
