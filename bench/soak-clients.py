#!/usr/bin/env python3
# bench/soak-clients.py - the misbehaving side of bench/soak.sh, on the
# loopback, for a fixed time: slow clients, dropped connections and a
# /healthz probe.  Every loop is bounded in time and rate.
#
# usage: soak-clients.py PORT SECONDS
#   - SLOW clients (default 100) from 127.0.0.2 and up (50 per address,
#     under serve.connections_per_client), each sending a request one byte
#     a second; when the server closes one (header deadline or reserve), it
#     connects again, at most once a second each;
#   - DROPS connections a second (default 20) from 127.0.0.10: half close
#     at once, half after sending part of a request line;
#   - a GET /healthz from 127.0.0.1 every PROBE_MS (default 500 ms) on a
#     new connection, with a 5 s deadline.
# Prints one line of figures and "probes N, non-200 M"; exits 1 when a
# probe did not get 200.
import os
import socket
import statistics
import sys
import threading
import time

PORT, SECONDS = int(sys.argv[1]), float(sys.argv[2])
SLOW = int(os.environ.get("SLOW", 100))
DROPS = float(os.environ.get("DROPS", 20))
PROBE_MS = float(os.environ.get("PROBE_MS", 500))
END = time.monotonic() + SECONDS
stop = threading.Event()
stats = {"reconnects": 0, "drops": 0}
lock = threading.Lock()


def slow_clients():
    req = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 4000
    socks = [None] * SLOW
    pos = [0] * SLOW
    last = [0.0] * SLOW
    while not stop.is_set() and time.monotonic() < END:
        now = time.monotonic()
        for i in range(SLOW):
            if socks[i] is None:
                if now - last[i] < 1.0:
                    continue
                last[i] = now
                try:
                    socks[i] = socket.create_connection(
                        ("127.0.0.1", PORT), timeout=2,
                        source_address=(f"127.0.0.{2 + i // 50}", 0))
                    socks[i].setblocking(False)
                    pos[i] = 0
                    with lock:
                        stats["reconnects"] += 1
                except OSError:
                    socks[i] = None
                continue
            try:
                socks[i].send(req[pos[i]:pos[i] + 1])
                pos[i] = (pos[i] + 1) % len(req)
                if socks[i].recv(1) == b"":
                    raise OSError("closed")
            except BlockingIOError:
                pass
            except OSError:
                socks[i].close()
                socks[i] = None
        stop.wait(1.0)
    for s in socks:
        if s:
            s.close()


def droppers():
    n = 0
    while not stop.is_set() and time.monotonic() < END:
        try:
            s = socket.create_connection(("127.0.0.1", PORT), timeout=2,
                                         source_address=("127.0.0.10", 0))
            if n % 2:
                s.send(b"GET /api/v1/ru")
            s.close()
            n += 1
        except OSError:
            pass
        stop.wait(1.0 / DROPS)
    with lock:
        stats["drops"] = n


def probe():
    t = time.monotonic()
    try:
        s = socket.create_connection(("127.0.0.1", PORT), timeout=5)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        r = b""
        while True:
            c = s.recv(65536)
            if not c:
                break
            r += c
        s.close()
        status = int(r.split(b" ", 2)[1]) if r.startswith(b"HTTP/1.") else 0
    except OSError:
        status = 0
    return status, (time.monotonic() - t) * 1000


threads = [threading.Thread(target=slow_clients), threading.Thread(target=droppers)]
for t in threads:
    t.start()
lat, bad = [], 0
while time.monotonic() < END:
    st, ms = probe()
    lat.append(ms)
    if st != 200:
        bad += 1
        print(f"probe {len(lat)}: /healthz answered {st or 'nothing'}", flush=True)
    time.sleep(PROBE_MS / 1000)
stop.set()
for t in threads:
    t.join()
lat.sort()
print(f"slow clients {SLOW} ({stats['reconnects']} connections), dropped "
      f"connections {stats['drops']}; /healthz probes {len(lat)}, non-200 {bad}, "
      f"median {statistics.median(lat):.2f} ms, p99 {lat[int(len(lat) * 0.99) - 1]:.2f} ms, "
      f"max {lat[-1]:.2f} ms")
sys.exit(1 if bad else 0)
