#!/usr/bin/env bash
# t1140-smoke: `specgate smoke URL` against a real `specgate serve`:
# healthy (exit 0), unhealthy 503 (exit 1, what it saw each try),
# connection refused, retries until the service comes up, bad usage;
# against python3's http.server answering 200 with something that is not
# a healthy document; over https with a self-signed certificate (openssl)
# and with the URL's userinfo sent as Basic authentication (libcurl).
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

# serve_tls PORT [AUTH]: python3's TLS server on 127.0.0.1:PORT with a
# self-signed certificate (openssl) for 127.0.0.1, answering the healthy
# document; with AUTH ("user:password"), only to that Basic authorization
# (401 otherwise).
serve_tls() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
	    -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	    2>/dev/null || return 1
	cat >tls.py <<-\EOF
	import base64, http.server, ssl, sys
	port, auth = int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None
	tls = sys.argv[3] == "tls" if len(sys.argv) > 3 else True
	class H(http.server.BaseHTTPRequestHandler):
	    def do_GET(self):
	        want = "Basic " + base64.b64encode(auth.encode()).decode() if auth else None
	        ok = want is None or self.headers.get("Authorization") == want
	        body = b"{\"status\":\"healthy\",\"metrics\":{\"health_up\":1}}"
	        self.send_response(200 if ok else 401)
	        self.end_headers()
	        self.wfile.write(body if ok else b"{}")
	    def log_message(self, *a):
	        pass
	s = http.server.HTTPServer(("127.0.0.1", port), H)
	if tls:
	    c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
	    c.load_cert_chain("cert.pem", "key.pem")
	    s.socket = c.wrap_socket(s.socket, server_side=True)
	s.serve_forever()
	EOF
}

test_expect_success 'https: healthy with the certificate trusted, refused without' '
	port=$(free_port) && serve_tls || exit 1
	python3 tls.py $port "" tls >tls.log 2>&1 &
	hpid=$!
	for _ in $(seq 50); do curl -fsk https://127.0.0.1:$port/ >/dev/null && break; sleep 0.1; done
	SSL_CERT_FILE=$PWD/cert.pem "$SPECGATE" smoke --retries 0 "https://127.0.0.1:$port/healthz" >out &&
	grep -q "HTTP 200, healthy, health_up 1$" out &&
	expect_exit 1 env -u SSL_CERT_FILE "$SPECGATE" smoke --retries 0 "https://127.0.0.1:$port/healthz" >out &&
	grep -qi "certificate" out; rc=$?
	kill $hpid; [ $rc = 0 ]
'

test_expect_success 'the userinfo of the URL is sent as Basic authentication' '
	port=$(free_port) && serve_tls || exit 1
	python3 tls.py $port "probe:s3cret" plain >tls.log 2>&1 &
	hpid=$!
	for _ in $(seq 50); do curl -s http://127.0.0.1:$port/ >/dev/null && break; sleep 0.1; done
	"$SPECGATE" smoke --retries 0 "http://probe:s3cret@127.0.0.1:$port/healthz" >out &&
	grep -q "HTTP 200, healthy, health_up 1$" out &&
	expect_exit 1 "$SPECGATE" smoke --retries 0 "http://probe:wrong@127.0.0.1:$port/healthz" >out &&
	grep -q "HTTP 401" out; rc=$?
	kill $hpid; [ $rc = 0 ]
'

test_expect_success 'bad usage: another scheme, malformed URL, bad options' '
	expect_exit 2 "$SPECGATE" smoke ftp://127.0.0.1/healthz 2>err &&
	grep -q "not an http:// or https:// URL" err &&
	expect_exit 2 "$SPECGATE" smoke "http://:80/x" 2>err &&
	expect_exit 2 "$SPECGATE" smoke --retries x http://127.0.0.1/ 2>/dev/null &&
	expect_exit 2 "$SPECGATE" smoke --delay 5 http://127.0.0.1/ 2>/dev/null &&
	expect_exit 2 "$SPECGATE" smoke 2>/dev/null
'

test_done
