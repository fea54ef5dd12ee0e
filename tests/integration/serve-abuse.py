#!/usr/bin/env python3
# tests/integration/serve-abuse.py - bad input and load against a running
# `specgate serve`, on the loopback, every loop bounded (t1130-abuse.sh).
#
# usage: serve-abuse.py HOST PORT PID CHECK
#   CHECK: malformed | slow | churn
# Prints what it measured; exits 1 when the service stopped answering
# /healthz with 200, answered nonsense, or its memory grew without bound.
# Timings are printed, never asserted (the machine is shared).
import os
import socket
import statistics
import sys
import threading
import time

HOST, PORT, PID, CHECK = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
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


def slow(n=200, seconds=4):
    req = b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
    socks = []
    for _ in range(n):
        s = socket.create_connection((HOST, PORT), timeout=5)
        socks.append(s)
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
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        st, ms = healthz()
        if st != 200:
            stop.set()
            fail(f"/healthz answered {st} with {n} slow clients")
        lat.append(ms)
        time.sleep(0.1)
    stop.set()
    t.join()
    for s in socks:
        s.close()
    lat.sort()
    print(f"slow clients: {n} sending a byte a second for {seconds} s; "
          f"/healthz answered {len(lat)} times, median {statistics.median(lat):.2f} ms, "
          f"max {lat[-1]:.2f} ms (target < 100 ms)")


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


{"malformed": malformed, "slow": slow, "churn": churn}[CHECK]()
