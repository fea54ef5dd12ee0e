#!/usr/bin/env bash
# t1130-abuse: bad input and load on the loopback (serve-abuse.py):
# malformed requests, huge headers and bodies, traversal; 200 slow clients
# sending a byte a second while /healthz keeps answering (its latency is
# printed, never asserted); 10,000 connections opened and dropped with the
# memory checked; the service still stops cleanly on SIGTERM.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/serve.sh"

ABUSE="$(dirname "$0")/serve-abuse.py"
[ "${ABUSE#/}" = "$ABUSE" ] && ABUSE="$PWD/$ABUSE"

abuse() {
	local port
	port=$(echo "$URL" | sed "s/.*:\([0-9]*\)\/$/\1/")
	python3 "$ABUSE" 127.0.0.1 "$port" "$SERVE_PID" "$1" >abuse.out 2>&1
	local rc=$?
	sed "s/^/# /" abuse.out >&3
	return $rc
}
exec 3>&1

# ASan's quarantine holds up to 256 MiB of freed memory: a bound of 128 MiB
# would measure ASan, not the service.
if ldd "$SPECGATE" | grep -q libasan; then
	export RSS_MAX_KB=$((512 * 1024))
fi

test_expect_success 'malformed requests get 4xx or a close; the service goes on' '
	project && sg run -q && serve_start && abuse malformed &&
	kill -0 $SERVE_PID && test "$(status /healthz)" = 200 && serve_stop
'

test_expect_success '200 slow clients, one byte a second: /healthz still answers' '
	project && sg run -q && serve_start && abuse slow &&
	test "$(status /healthz)" = 200 && serve_stop
'

test_expect_success '10,000 connections opened and dropped: memory bounded, still up' '
	project && sg run -q && serve_start && abuse churn &&
	test "$(status /healthz)" = 200 && serve_stop
'

test_expect_success 'the connection limit holds: the next one waits until one closes' '
	project && printf "serve: {connections: 4, timeout: 20s}\n" >>specgate.yaml &&
	serve_start && port=$(echo "$URL" | sed "s/.*:\([0-9]*\)\/$/\1/") &&
	python3 - "$port" <<-\EOF2 &&
	import socket, sys, time
	port = int(sys.argv[1])
	held = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
	time.sleep(0.3)
	s = socket.create_connection(("127.0.0.1", port), timeout=1.5)
	s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	try:
	    got = s.recv(100)
	except socket.timeout:
	    got = b""
	print("fifth connection while four are held:", got[:20])
	assert not got.startswith(b"HTTP/1.1 200"), "the limit was not applied"
	for h in held:
	    h.close()
	s.settimeout(10)
	got = s.recv(100)
	print("once they closed:", got[:20])
	assert got.startswith(b"HTTP/1.1 200"), got
	EOF2
	test "$(status /healthz)" = 200 && serve_stop
'

test_done
