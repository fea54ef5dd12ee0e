#!/usr/bin/env bash
# t1140-smoke: `specgate smoke URL` against a real `specgate serve`:
# healthy (exit 0), unhealthy 503 (exit 1, what it saw each try),
# connection refused, retries until the service comes up, bad usage; and
# against python3's http.server answering 200 with something that is not
# a healthy document.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/serve.sh"

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

test_expect_success 'healthy: exit 0 at the first try' '
	project && serve_start &&
	sg smoke "${URL}healthz" >out &&
	grep -q "^try 1/3: ${URL}healthz: HTTP 200, healthy, health_up 1$" out &&
	test "$(wc -l <out)" = 1 && serve_stop
'

test_expect_success 'unhealthy (503): every try reported, exit 1' '
	project && printf "serve: {min_free_mb: 999999999}\n" >>specgate.yaml && serve_start &&
	expect_exit 1 "$SPECGATE" smoke --retries 2 --delay 100ms "${URL}healthz" >out &&
	test "$(grep -c "HTTP 503, unhealthy, health_up 0: reports: .*below" out)" = 3 &&
	grep -q "^unhealthy after 3 tries$" out && serve_stop
'

test_expect_success 'connection refused: exit 1 with the reason' '
	port=$(free_port) &&
	expect_exit 1 "$SPECGATE" smoke --retries 1 --delay 10ms "http://127.0.0.1:$port/healthz" >out &&
	test "$(grep -c "cannot connect to 127.0.0.1:$port: Connection refused" out)" = 2
'

test_expect_success 'retries until the service comes up' '
	project && port=$(free_port) || exit 1
	"$SPECGATE" smoke --retries 20 --delay 300ms "http://127.0.0.1:$port/healthz" >out &
	spid=$!
	sleep 1
	"$SPECGATE" serve --listen 127.0.0.1:$port >serve.out 2>serve.err &
	SERVE_PID=$!
	echo $SERVE_PID >>"$SERVE_PIDS"
	wait $spid && grep -q "Connection refused" out &&
	grep -q "HTTP 200, healthy, health_up 1$" out && serve_stop
'

test_expect_success 'a 200 that is not a healthy document is not healthy' '
	mkdir www && echo "<html>hello</html>" >www/healthz &&
	port=$(free_port) &&
	{ python3 -m http.server --bind 127.0.0.1 --directory www $port >/dev/null 2>&1 & } &&
	hpid=$! && echo $hpid >>"$SERVE_PIDS" &&
	for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done &&
	expect_exit 1 "$SPECGATE" smoke --retries 0 "http://127.0.0.1:$port/healthz" >out &&
	grep -q "HTTP 200, not JSON, health_up missing" out &&
	echo "{\"status\":\"healthy\",\"metrics\":{\"health_up\":0}}" >www/healthz &&
	expect_exit 1 "$SPECGATE" smoke --retries 0 "http://127.0.0.1:$port/healthz" >out &&
	grep -q "HTTP 200, healthy, health_up 0" out &&
	kill $hpid
'

test_expect_success 'bad usage: https, malformed URL, bad options' '
	expect_exit 2 "$SPECGATE" smoke https://127.0.0.1/healthz 2>err &&
	grep -q "not a plain http:// URL" err &&
	expect_exit 2 "$SPECGATE" smoke "http://:80/x" 2>err &&
	expect_exit 2 "$SPECGATE" smoke --retries x http://127.0.0.1/ 2>/dev/null &&
	expect_exit 2 "$SPECGATE" smoke --delay 5 http://127.0.0.1/ 2>/dev/null &&
	expect_exit 2 "$SPECGATE" smoke 2>/dev/null
'

test_done
