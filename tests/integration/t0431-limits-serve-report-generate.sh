#!/usr/bin/env bash
# t0431-limits-serve-report-generate: more caps of docs/limits.md crossed
# by one byte or one level, each next to the largest input that passes:
# the health probe's headers and body (smoke, against small python3
# servers), an idle connection to serve (serve.timeout), a bundle file read
# by `specgate report`, the approved artifacts.json read by `resume`,
# and the template walker's depth and the size of an
# existing output that `generate` compares.  Large files are sparse.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/serve.sh"

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# pyserve PORT: a server whose GET /N answers a healthy document with an
# X-Pad header of N bytes; GET /file/NAME answers www/NAME.
pyserve() {
	cat >hs.py <<-\PY
	import http.server, sys
	class H(http.server.BaseHTTPRequestHandler):
	    def do_GET(self):
	        if self.path.startswith("/file/"):
	            b = open("www/" + self.path[6:], "rb").read()
	            pad = 0
	        else:
	            b = b'{"status":"healthy","metrics":{"health_up":1}}'
	            pad = int(self.path.strip("/"))
	        self.send_response(200)
	        if pad:
	            self.send_header("X-Pad", "a" * pad)
	        self.send_header("Content-Length", str(len(b)))
	        self.end_headers()
	        self.wfile.write(b)
	    def log_message(self, *a):
	        pass
	http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
	PY
	python3 hs.py "$1" >/dev/null 2>&1 &
	echo $! >>"$SERVE_PIDS"
	for _ in $(seq 50); do
		curl -s -o /dev/null "http://127.0.0.1:$1/1" && return 0
		sleep 0.1
	done
	return 1
}

test_expect_success 'smoke: a body of 1 MiB is read, one byte more fails the try' '
	mkdir www && python3 -c "
d = b\"{\\\"status\\\":\\\"healthy\\\",\\\"metrics\\\":{\\\"health_up\\\":1}}\"
open(\"www/ok\", \"wb\").write(d + b\" \" * (1048576 - len(d)))
open(\"www/big\", \"wb\").write(d + b\" \" * (1048577 - len(d)))" &&
	test $(stat -c %s www/ok) = 1048576 &&
	port=$(free_port) && pyserve $port &&
	sg smoke --retries 0 "http://127.0.0.1:$port/file/ok" >out &&
	expect_grep "HTTP 200, healthy, health_up 1$" out &&
	expect_exit 1 "$SPECGATE" smoke --retries 0 "http://127.0.0.1:$port/file/big" >out &&
	expect_grep "/file/big: the response is over 1048576 bytes$" out &&
	expect_grep "^unhealthy after 1 try$" out
'

# The status line and the other headers take about 150 bytes: a 16,000-byte
# header is under the 16 KiB cap, 16,300 is over it, and 200,000 is past
# libcurl's own 100 KiB line buffer (which fails before our count).
test_expect_success 'smoke: headers over 16 KiB fail the try, named with the cap' '
	port=$(free_port) && pyserve $port &&
	sg smoke --retries 0 "http://127.0.0.1:$port/16000" >out &&
	expect_grep "HTTP 200, healthy, health_up 1$" out &&
	for n in 16300 200000; do
		expect_exit 1 "$SPECGATE" smoke --retries 0 "http://127.0.0.1:$port/$n" >out &&
		expect_grep "/$n: the response.s headers are over 16384 bytes$" out || return 1
	done
'

test_expect_success 'serve: an idle connection is closed at serve.timeout' '
	project && printf "serve: {timeout: 1s, header_timeout: 1h}\n" >>specgate.yaml &&
	serve_start && port=${URL#http://127.0.0.1:} && port=${port%/} &&
	python3 -c "
import socket, sys, time
s = socket.create_connection((\"127.0.0.1\", $port))
s.settimeout(20)
t = time.monotonic()
try:
    d = s.recv(1)
except socket.timeout:
    sys.exit(\"still open after 20 s\")
except ConnectionResetError:
    d = b\"\"
sys.exit(0 if d == b\"\" else \"got data\")" &&
	test "$(status healthz)" = 200 && serve_stop
'

test_expect_success 'report: a bundle file over 64 MiB: exit 2, named with the cap' '
	project && sg run -q && B=$(ls -d reports/*/2*) &&
	sg report --format md >/dev/null &&
	truncate -s 67108865 "$B/checkpoints.log" &&
	expect_exit 2 sg report --format md >out 2>err && test ! -s out &&
	expect_grep "checkpoints.log.* is too large (67108865 bytes; the limit is 67108864)" err
'

test_expect_success 'generate: a set 9 directory levels deep is refused, 8 are walked' '
	mkdir -p features tpl/feature/d2/d3/d4/d5/d6/d7 &&
	printf "Feature: x\n  Scenario: y\n    Given z\n" >features/a.feature &&
	printf "// {{header}}\nint x;\n" >tpl/feature/x.c.mustache &&
	sg generate --templates tpl --out out >/dev/null && test -f out/x.c &&
	rm -rf out && mkdir tpl/feature/d2/d3/d4/d5/d6/d7/d8 &&
	expect_exit 2 sg generate --templates tpl --out out 2>err &&
	expect_grep "tpl/feature/d2/d3/d4/d5/d6/d7/d8. is nested too deeply (the limit is 8 levels)" err &&
	test ! -e out
'

# The file keeps its header either way: only its size decides.
test_expect_success 'generate: an existing output of 64 MiB is compared, one byte more is the user'"'"'s' '
	mkdir -p features tpl/feature &&
	printf "Feature: x\n  Scenario: y\n    Given z\n" >features/a.feature &&
	printf "// {{header}}\nint x;\n" >tpl/feature/x.c.mustache &&
	sg generate --templates tpl --out out >/dev/null && cp out/x.c want &&
	truncate -s 67108864 out/x.c &&
	sg generate --templates tpl --out out >/dev/null && cmp want out/x.c &&
	truncate -s 67108865 out/x.c &&
	sg generate --templates tpl --out out >err 2>&1 &&
	expect_grep "out/x.c: warning: .*left as it is, not regenerated \[SG401 user-file-kept\]" err &&
	test $(stat -c %s out/x.c) = 67108865
'

test_expect_success 'resume: an artifacts.json over 16 MiB: exit 2, no continuation run' '
	project compliance &&
	sg keygen -q --no-password >/dev/null 2>&1 &&
	sg keygen -q --no-password --out alice >/dev/null 2>&1 &&
	PROFILE_APPROVALS="{required: 1, keys: [alice.pub]}" compliance_profile &&
	expect_exit 3 sg run >/dev/null 2>&1 &&
	R=$(run_ids) && sg approve "$R" --key alice.key >/dev/null &&
	truncate -s 16777217 reports/*/"$R"/artifacts.json &&
	expect_exit 2 sg resume "$R" >out 2>err &&
	expect_grep "$R/artifacts.json. is too large (16777217 bytes; the limit is 16777216)" err &&
	test "$(run_ids)" = "$R"
'

test_done
