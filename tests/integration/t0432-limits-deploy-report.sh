#!/usr/bin/env bash
# t0432-limits-deploy-report: caps of docs/limits.md that no other test
# crossed, each next to the largest input that passes where that can be
# built: an environment's name (32 characters), a local release's record
# read back (64 KiB), the wait for a stopped release (SIGTERM, then SIGKILL
# after 5 s), the wait for a release to listen (30 s), the sources named
# by coverage files (1,000,000; the missing ones listed: 20), and the runs in the trend of `specgate
# report --since` (the newest 200).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"

# Stop every local release a test left running, by its records.
cleanup() {
	local r
	for r in "$TRASH"/*/.specgate/releases/*.state.json; do
		[ -f "$r" ] || continue
		kill -9 "$(jq -r .supervisor_pid "$r")" 2>/dev/null
		kill -9 -- "-$(jq -r .pid "$r")" 2>/dev/null
	done
	sleep 0.2
	for r in "$TRASH"/*/.specgate/releases/*.json; do
		case $r in *.state.json) continue ;; esac
		[ -f "$r" ] && jq -r ".cgroups[]?" "$r" | xargs -r rmdir 2>/dev/null
	done
	rm -rf "$TRASH"
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# local_project PORT START: a build that copies a small python3 service
# into dist/, deployed by the local target on PORT with START.
local_project() {
	mkdir -p features src &&
	cat >features/svc.feature <<-\EOF &&
	@resource:cpu=0.2,memory=128,storage=10,story_points=1
	Feature: Service
	  Scenario: it answers
	    Given the service is running
	    Then I receive a 200 OK
	EOF
	cat >src/svc.py <<-\EOF &&
	import http.server, os
	class H(http.server.BaseHTTPRequestHandler):
	    def do_GET(self):
	        b = b'{"status":"healthy","metrics":{"health_up":1}}'
	        self.send_response(200)
	        self.end_headers()
	        self.wfile.write(b)
	    def log_message(self, *a):
	        pass
	http.server.HTTPServer(("127.0.0.1", int(os.environ["SPECGATE_PORT"])), H).serve_forever()
	EOF
	cat >specgate.yaml <<-EOF
	project: t
	mode: sandbox
	retry: {retries: 0, interval: 1s}
	stages:
	  build:
	    run: ["mkdir -p dist && cp src/svc.py dist/"]
	    artifacts: ["dist/svc.py"]
	  deploy:
	    target: local
	    limits: rlimit
	    health: {url: "http://127.0.0.1:$1/healthz"}
	    start: '$2'
	EOF
}

# the current release's record and its service's pid
record() { echo ".specgate/releases/$(readlink .specgate/releases/current).json"; }
svc_pid() { jq -r .local.pid "reports/$(sg id)/latest/deploy.json"; }
alive() { kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" | cut -c1)" != Z ]; }

# pad FILE SIZE: FILE, still the same JSON, padded with spaces to SIZE bytes
pad() {
	python3 -c "import sys; p, n = sys.argv[1], int(sys.argv[2]); b = open(p, 'rb').read().rstrip(); open(p, 'wb').write(b + b' ' * (n - len(b)))" "$1" "$2" &&
	test "$(stat -c %s "$1")" = "$2"
}

test_expect_success 'config: an environment name of 32 characters is taken, 33 are a located error' '
	project && n32=$(printf "e%.0s" $(seq 32)) &&
	printf "environments:\n  %s: {target: commands}\n" "$n32" >>specgate.yaml &&
	sg config >out 2>&1 &&
	project &&
	printf "environments:\n  %s: {target: commands}\n" "${n32}e" >>specgate.yaml &&
	expect_exit 2 sg config >out 2>&1 &&
	expect_grep "^specgate.yaml:4:3: .*${n32}e" out
'

test_expect_success 'a release record of 64 KiB is read back (the release is stopped); one byte more is not (it keeps the port)' '
	port=$(free_port) && local_project $port "exec python3 dist/svc.py" &&
	sg run >out 2>&1 && expect_grep "^deploy: success" out &&
	first=$(svc_pid) && pad "$(record)" 65536 &&
	sg run >out 2>&1 && expect_grep "^deploy: success" out &&
	! alive $first && second=$(svc_pid) && alive $second &&
	pad "$(record)" 65537 &&
	expect_exit 1 sg run >out 2>&1 &&
	expect_grep "^deploy: failure .*port $port is held by pid $second" out &&
	alive $second
'

test_expect_success 'a release that ignores SIGTERM is killed after the 5 s grace (SIGKILL, logged)' '
	port=$(free_port) && local_project $port "trap \"\" TERM; exec python3 dist/svc.py" &&
	sg run >out 2>&1 && expect_grep "^deploy: success" out &&
	first=$(svc_pid) && grep SigIgn /proc/$first/status >sig &&
	test $(( 0x$(awk "{print \$2}" sig) >> 14 & 1 )) = 1 &&
	sg run >out 2>&1 && expect_grep "^deploy: success" out &&
	! alive $first &&
	expect_grep "previous release .* stopped (SIGKILL)" "reports/$(sg id)/latest/logs/deploy.log"
'

test_expect_success 'a release that never listens: the wait ends at 30 s, the probes fail' '
	port=$(free_port) && local_project $port "exec sleep 600" &&
	expect_exit 1 sg run >out 2>&1 &&
	expect_grep "^deploy: failure" out &&
	grep "^-- release .*: not listening on port $port after" "reports/$(sg id)/latest/logs/deploy.log" >w &&
	s=$(sed "s/.* after \([0-9]*\)\.[0-9] s$/\1/" w) && test "$s" -ge 30
'

test_expect_success 'coverage: 1,000,000 sources are read (20 missing ones listed, the rest counted), one more is refused at its SF: line' '
	python3 -c "
import sys
with open(\"ok.info\", \"w\") as f:
    for i in range(1000000):
        f.write(\"SF:s%d.c\nDA:1,1\nend_of_record\n\" % i)
with open(\"big.info\", \"w\") as f:
    for i in range(1000001):
        f.write(\"SF:s%d.c\nDA:1,1\nend_of_record\n\" % i)" &&
	sg --json coverage --min 0 ok.info >out.json 2>err &&
	jq -e ".lines_found == 1000000 and .lines_hit == 1000000" out.json &&
	test "$(grep -c "SG302" err)" = 21 &&
	expect_grep "coverage names 999980 more sources that do not exist (only the first 20 are listed)" err &&
	expect_exit 2 sg coverage --min 0 big.info >out 2>&1 &&
	expect_grep "^big.info:3000001:1: error: more than 1000000 sources$" out
'

test_expect_success 'report --since: 200 runs are the trend, the 201st (oldest) is left out and said so' '
	project && for i in $(seq 200); do sg run -q >/dev/null 2>&1 || exit 1; done &&
	sg report --since 2000-01-01 --format json >t.json &&
	jq -e ".trends.truncated == false and (.trends.runs | length) == 200" t.json &&
	oldest=$(jq -r ".trends.runs[0].run_id" t.json) &&
	sg run -q >/dev/null 2>&1 &&
	sg report --since 2000-01-01 --format json >t.json &&
	jq -e ".trends.truncated == true and (.trends.runs | length) == 200" t.json &&
	jq -e "[.trends.runs[].run_id] | index(\"$oldest\") == null" t.json
'

test_done
