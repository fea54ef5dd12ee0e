#!/bin/sh
# tests/run.sh - the example service's tests (`make test` builds them, then
# runs this).  Two kinds:
#
# - the scenarios: build/tests/t_NAME, the cmocka program generated from
#   features/NAME.feature (tests/generated/test_NAME.c, one test per
#   scenario, named after it, so that specgate maps its JUnit to the
#   scenarios with no @test: tag) linked with the steps of tests/steps/
#   (or with none: `make pending`).  Each writes
#   build/test-results/scenarios-NAME.xml; its failure messages ("pending:
#   ..." for a step not written yet) are printed under its line.
# - the service checks, which are not scenarios: start build/ping-service
#   on 127.0.0.1 with port 0 (the kernel picks a free port; the service
#   writes it to a file), check what it answers with curl and jq (the
#   commit, the version, /metrics' counts), stop it with SIGTERM and check
#   it exits 0.  JUnit XML in build/test-results/ping-service.xml.
#
# Prints TAP-ish lines; exits 1 when a test failed.
set -u
cd "$(dirname "$0")/.."
BIN=${PING_BIN:-build/ping-service}
OUT=build/test-results
mkdir -p "$OUT"
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
n=0
failed=0
cases=

xml_escape() {
	printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' \
	    -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'
}

# check NAME COMMAND...: one test case, recorded for the JUnit file
check() {
	name=$1
	shift
	n=$((n + 1))
	start=$(date +%s.%N)
	if "$@" >"$tmp/out" 2>&1; then
		result=
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		msg=$(head -c 2000 "$tmp/out")
		result="<failure message=\"$(xml_escape "$(echo "$msg" | head -n1)")\">$(xml_escape "$msg")</failure>"
		echo "not ok $n - $name"
		sed 's/^/#   /' "$tmp/out"
	fi
	t=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
	cases="$cases  <testcase classname=\"ping-service\" name=\"$(xml_escape "$name")\" time=\"$t\">$result</testcase>
"
}

# get PATH: status code in $tmp/code, body in $tmp/body
get() {
	curl -sS -o "$tmp/body" -w '%{http_code}' "$@" >"$tmp/code"
}

# scenarios PROGRAM: the generated cmocka tests of one feature file
scenarios() {
	name=${1##*/t_}
	x=$OUT/scenarios-$name.xml
	n=$((n + 1))
	# cmocka writes no XML over an existing file
	rm -f "$x"
	if CMOCKA_MESSAGE_OUTPUT=xml CMOCKA_XML_FILE=$x PING_BIN=$BIN "$1" \
	    >"$tmp/out" 2>&1; then
		echo "ok $n - features/$name.feature: $(grep -c '<testcase ' "$x") scenario(s) passed"
	else
		failed=$((failed + 1))
		if [ -s "$x" ]; then
			echo "not ok $n - features/$name.feature: $(grep -c '<failure' "$x") of $(grep -c '<testcase ' "$x") scenario(s) failed"
		else
			echo "not ok $n - features/$name.feature: $1 wrote no JUnit XML"
		fi
		sed -e 's/^ERROR: //' -e 's/^/#   /' "$tmp/out"
	fi
}

port() { cat "$tmp/port"; }
url() { echo "http://127.0.0.1:$(port)$1"; }

service_starts() {
	"$BIN" --listen 127.0.0.1:0 --port-file "$tmp/port" 2>"$tmp/log" &
	pid=$!
	# wait for the port file (no timing assertion: up to 10 s)
	i=0
	while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$tmp/port" ]
}

ping_answers() {
	get "$(url /v1/ping)" && test "$(cat "$tmp/code")" = 200 &&
	jq -e '.pong == true and .service == "ping-service" and
	    (.commit | type == "string" and length > 0)' "$tmp/body" &&
	test "$(jq -r .commit "$tmp/body")" = "$(cat build/commit)"
}

health_answers() {
	get "$(url /healthz)" && test "$(cat "$tmp/code")" = 200 &&
	jq -e '.status == "healthy" and .version == "1.0.0" and
	    .metrics.health_up == 1 and
	    (.timestamp | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$"))' \
	    "$tmp/body"
}

# /metrics is Prometheus text (promtool checks it where it is installed)
# and counts what was asked: the /healthz and /v1/ping calls above.
metrics_export() {
	get "$(url /metrics)" && test "$(cat "$tmp/code")" = 200 &&
	grep -qx 'ping_up 1' "$tmp/body" &&
	grep -qx 'ping_requests_total{path="/healthz"} 1' "$tmp/body" &&
	grep -qx 'ping_requests_total{path="/v1/ping"} 1' "$tmp/body" &&
	{ ! command -v promtool >/dev/null ||
	    promtool check metrics <"$tmp/body"; }
}

not_found() {
	get "$(url "$1")" && test "$(cat "$tmp/code")" = 404 &&
	jq -e '.error == "not found"' "$tmp/body"
}

post_refused() {
	get -X POST "$(url /v1/ping)" && test "$(cat "$tmp/code")" = 405
}

stops_on_sigterm() {
	kill -TERM "$pid" && wait "$pid"
	rc=$?
	pid=
	test "$rc" -eq 0 && grep -q "stopped by signal" "$tmp/log"
}

for t in build/tests/t_*; do
	[ -x "$t" ] && scenarios "$t"
done
nscen=$n
scen_failed=$failed

check "The service starts on a free loopback port" service_starts
check "Ping names the commit it was built from" ping_answers
check "Health gives the version, the time and health_up" health_answers
check "The service exports Prometheus metrics" metrics_export
check "Unknown paths get a JSON error" not_found /nope
check "Other methods are refused" post_refused
check "SIGTERM stops the service with status 0" stops_on_sigterm
echo "1..$n"

{
	echo '<?xml version="1.0" encoding="UTF-8"?>'
	echo "<testsuites tests=\"$((n - nscen))\" failures=\"$((failed - scen_failed))\">"
	echo "<testsuite name=\"ping-service\" tests=\"$((n - nscen))\" failures=\"$((failed - scen_failed))\" errors=\"0\" skipped=\"0\">"
	printf '%s' "$cases"
	echo "</testsuite>"
	echo "</testsuites>"
} >"$OUT/ping-service.xml.tmp" && mv "$OUT/ping-service.xml.tmp" "$OUT/ping-service.xml"
[ "$failed" -eq 0 ]
