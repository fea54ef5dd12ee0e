#!/usr/bin/env bash
# t1130-abuse: bad input and load on the loopback (serve-abuse.py):
# malformed requests, huge headers and bodies, traversal, a raw NUL in the
# path; 1,000 slow clients sending a byte a second from 20 loopback
# addresses while /healthz keeps answering (its latency is printed, never
# asserted) and closed at the header deadline; the reserve and the
# per-client limit; 10,000 connections opened and dropped with the memory
# checked; the service still stops cleanly on SIGTERM.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/serve.sh"

ABUSE="$(dirname "$0")/serve-abuse.py"
[ "${ABUSE#/}" = "$ABUSE" ] && ABUSE="$PWD/$ABUSE"

abuse() {
	local port
	port=$(echo "$URL" | sed "s/.*:\([0-9]*\)\/$/\1/")
	python3 "$ABUSE" 127.0.0.1 "$port" "$SERVE_PID" "$@" >abuse.out 2>&1
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

test_expect_success 'a raw NUL in the path is 400, and the access log keeps the rest' '
	project && sg run -q && serve_start && rid=$(sg --json runs | jq -r ".[0].run_id") &&
	test "$(status /api/v1/runs/$rid)" = 200 && abuse nul "$rid" &&
	serve_stop &&
	grep -F "path=\"/api/v1/runs/$rid\\x00/../../junk\" status=400" serve.err
'

# 1,000 slow clients, 50 from each of 127.0.0.2-21 (under the per-client
# limit of 64), all held (connections: 2000), then closed by the server
# at the 5 s header deadline although each sends a byte a second.
test_expect_success '1,000 slow clients: /healthz answers while they are held; closed at the header deadline' '
	project && sg run -q &&
	printf "serve: {connections: 2000, header_timeout: 5s}\n" >>specgate.yaml &&
	serve_start && abuse slow 1000 3 5 &&
	test "$(status /healthz)" = 200 && serve_stop &&
	grep -q "closed [0-9]* connections whose request headers took over 5000 ms" serve.err
'

# With the default limits (256 connections, 32 in reserve) the slow
# clients that waited longest are shed so that new requests get in.
test_expect_success '1,000 slow clients, default limits: the reserve keeps /healthz answering' '
	project && sg run -q && serve_start && abuse slow 1000 4 &&
	test "$(status /healthz)" = 200 && serve_stop &&
	grep -q "to keep 32 connections free" serve.err
'

test_expect_success 'connections per client address: the ones past the limit are closed at once' '
	project && printf "serve: {connections_per_client: 10}\n" >>specgate.yaml &&
	serve_start && port=$(echo "$URL" | sed "s/.*:\([0-9]*\)\/$/\1/") &&
	python3 - "$port" <<-\EOF2 &&
	import socket, sys, time
	port = int(sys.argv[1])
	socks = [socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.9", 0)) for _ in range(30)]
	time.sleep(0.5)
	closed = 0
	for s in socks:
	    s.settimeout(0.2)
	    try:
	        closed += s.recv(10) == b""
	    except socket.timeout:
	        pass
	    except OSError:
	        closed += 1
	print("30 connections from 127.0.0.9, 10 allowed:", closed, "closed by the server")
	assert closed == 20, closed
	s = socket.create_connection(("127.0.0.1", port), timeout=5)
	s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	assert s.recv(100).startswith(b"HTTP/1.1 200"), "another address was refused"
	EOF2
	serve_stop && grep -q "refused 20 " serve.err
'

test_expect_success '10,000 connections opened and dropped: memory bounded, still up' '
	project && sg run -q && serve_start && abuse churn &&
	test "$(status /healthz)" = 200 && serve_stop
'

# The four held connections have sent their headers (their bodies are
# pending): requests in progress are never shed to make room.
test_expect_success 'the connection limit holds: the next one waits until one closes' '
	project && printf "serve: {connections: 4, timeout: 20s}\n" >>specgate.yaml &&
	serve_start && port=$(echo "$URL" | sed "s/.*:\([0-9]*\)\/$/\1/") &&
	python3 - "$port" <<-\EOF2 &&
	import socket, sys, time
	port = int(sys.argv[1])
	held = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
	for h in held:
	    h.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n")
	time.sleep(1.5)
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
