#!/usr/bin/env python3
# pty-run.py SPECGATE: run `specgate run` on a pseudo-terminal (t0720),
# print everything the terminal showed, and exit with specgate's status.
import os, pty, signal, sys

signal.alarm(60)  # a run that never ends must not hang the suite
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "run"])
out = b""
try:
    while True:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        out += chunk
except OSError:
    pass  # EIO: the child closed the terminal
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status))
