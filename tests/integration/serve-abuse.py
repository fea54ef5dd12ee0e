#!/usr/bin/env python3
# tests/integration/serve-abuse.py - bad input and load against a running
# `specgate serve`, on the loopback, every loop bounded (t1130-abuse.sh).
#
# usage: serve-abuse.py HOST PORT PID CHECK [ARGS]
#   CHECK: malformed | slow [N SECONDS HOLD] | churn | nul
# Prints what it measured; exits 1 when the service stopped answering
# /healthz with 200, answered nonsense, or its memory grew without bound.
# Timings are printed, never asserted (the machine is shared).
# Slow clients connect from 127.0.0.2 and up (SLOW_PER_ADDR each), so
# that the per-client limit counts them apart from the prober (127.0.0.1).
import os
import socket
import statistics
import sys
import threading
import time

HOST, PORT, PID, CHECK = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ARGS = sys.argv[5:]
SLOW_PER_ADDR = int(os.environ.get("SLOW_PER_ADDR", 50))
# The resident-memory bound after the churn, in kB (t1130 raises it for
# ASan builds, whose quarantine keeps freed blocks, up to 256 MiB).
RSS_MAX_KB = int(os.environ.get("RSS_MAX_KB", 128 * 1024))


def rss_kb():
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def exchange(data, timeout=5.0):
    """Send data, return what came back until close/timeout (bytes)."""
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    try:
        try:
            s.sendall(data)
        except OSError:
            pass
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        s.close()


def healthz():
    """(status, milliseconds) of one GET /healthz on a new connection."""
    t = time.monotonic()
    r = exchange(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    ms = (time.monotonic() - t) * 1000
    status = int(r.split(b" ", 2)[1]) if r.startswith(b"HTTP/1.") else 0
    return status, ms


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def malformed():
    cases = {
        "garbage line": (b"GARBAGE\r\n\r\n", (400, 0)),
        "no version": (b"GET /healthz\r\n\r\n", (400, 505, 0)),
        "bad version": (b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", (505, 400)),
        "header without colon": (b"GET /healthz HTTP/1.1\r\nHost x\r\n\r\n", (400, 200)),
        "no host (HTTP/1.1)": (b"GET /healthz HTTP/1.1\r\n\r\n", (400, 0, 200)),
        "binary": (bytes(range(256)) * 4 + b"\r\n\r\n", (400, 0)),
        "huge header 64 KiB": (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 65536 + b"\r\n\r\n", (431, 413, 400, 0)),
        "huge request line": (b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", (414, 431, 400, 0)),
        "10000 headers": (b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 10000 + b"\r\n", (431, 413, 400, 0)),
        "body on GET past the cap": (b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n" + b"x" * 200000, (413, 400, 0)),
        "traversal": (b"GET /api/v1/runs/..%2f..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", (400,)),
        "NUL in path": (b"GET /api/v1/runs/20250101000000%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", (400,)),
        "raw NUL in path": (b"GET /api/v1/runs/20250101000000\x00/../../junk HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", (400,)),
        "raw control byte in path": (b"GET /healthz\x01 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", (400,)),
        "raw NUL in query": (b"GET /healthz?a=\x00b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", (400,)),
    }
    for name, (data, want) in cases.items():
        r = exchange(data)
        status = int(r.split(b" ", 2)[1]) if r.startswith(b"HTTP/1.") else 0
        print(f"{name}: {status or 'closed'}")
        if status not in want:
            fail(f"{name}: got {status}, want one of {want}")
        st, ms = healthz()
        if st != 200:
            fail(f"after {name}: /healthz answered {st}")
    print("malformed: ok")


def open_fds():
    return len(os.listdir(f"/proc/{PID}/fd"))


def closed_by_server(s):
    """True when the server closed s (end of input or reset)."""
    s.setblocking(False)
    try:
        return s.recv(4096) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def slow(n=1000, seconds=4.0, hold=0.0):
    """n clients sending a request one byte a second, from 127.0.0.2 and
    up; /healthz polled from 127.0.0.1 for `seconds`.  With hold > 0 (the
    serve.header_timeout in use), check that after hold seconds plus a
    margin the server has closed every one of them."""
    req = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
    socks = []
    t0 = time.monotonic()
    for i in range(n):
        src = f"127.0.0.{2 + i // SLOW_PER_ADDR}"
        s = socket.create_connection((HOST, PORT), timeout=5,
                                     source_address=(src, 0))
        socks.append(s)
    setup = time.monotonic() - t0
    stop = threading.Event()

    def dribble():
        i = 0
        while not stop.is_set() and i < len(req):
            for s in socks:
                try:
                    s.send(req[i:i + 1])
                except OSError:
                    pass
            i += 1
            stop.wait(1.0)

    t = threading.Thread(target=dribble)
    t.start()
    lat = []
    fds = open_fds()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        st, ms = healthz()
        if st != 200:
            stop.set()
            fail(f"/healthz answered {st} with {n} slow clients")
        lat.append(ms)
        fds = max(fds, open_fds())
        time.sleep(0.05)
    held = sum(1 for s in socks if not closed_by_server(s))
    print(f"slow clients: {n} from {(n + SLOW_PER_ADDR - 1) // SLOW_PER_ADDR} "
          f"addresses (connected in {setup:.2f} s), a byte a second; after "
          f"{seconds} s {held} still open, the service had up to {fds} "
          f"descriptors open; /healthz answered {len(lat)} times, median "
          f"{statistics.median(lat):.2f} ms, max {max(lat):.2f} ms "
          f"(target < 100 ms)")
    if hold > 0:
        if held < n:
            stop.set()
            fail(f"only {held} of {n} slow clients were held before the deadline")
        deadline = t0 + hold + 2.0
        while time.monotonic() < deadline:
            open_ = [s for s in socks if not closed_by_server(s)]
            if not open_:
                break
            time.sleep(0.2)
        left = sum(1 for s in socks if not closed_by_server(s))
        print(f"after the {hold} s header deadline: {n - left} of {n} closed "
              f"by the server, {time.monotonic() - t0:.2f} s after the first "
              f"connected; /healthz {healthz()[0]}")
        if left:
            stop.set()
            fail(f"{left} slow connections still open after the deadline")
    stop.set()
    t.join()
    for s in socks:
        s.close()


def churn(n=10000):
    before = rss_kb()
    refused = 0
    for i in range(n):
        try:
            s = socket.create_connection((HOST, PORT), timeout=5)
            if i % 2:
                s.send(b"GET /hea")
            s.close()
        except OSError:
            refused += 1
    st, ms = healthz()
    after = rss_kb()
    print(f"churn: {n} connections opened and dropped ({refused} refused); "
          f"/healthz {st} in {ms:.2f} ms; RSS {before} kB -> {after} kB")
    if st != 200:
        fail(f"/healthz answered {st} after the churn")
    if after > RSS_MAX_KB:
        fail(f"RSS grew to {after} kB (bound {RSS_MAX_KB} kB)")


def nul():
    """A raw NUL in the request target: 400, nothing served."""
    r = exchange(b"GET /api/v1/runs/" + ARGS[0].encode() +
                 b"\x00/../../junk HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, _, body = r.partition(b"\r\n\r\n")
    print("raw NUL:", head.split(b"\r\n")[0], body)
    if not r.startswith(b"HTTP/1.1 400 ") or b'"bad_request"' not in body:
        fail("a raw NUL in the path was not refused with 400 bad_request")


if CHECK == "slow":
    slow(*(float(a) if i else int(a) for i, a in enumerate(ARGS)))
else:
    {"malformed": malformed, "churn": churn, "nul": nul}[CHECK]()
