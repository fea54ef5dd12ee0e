#!/usr/bin/env python3
# pty-keygen.py SPECGATE: run `specgate keygen --out tty` on a pseudo-
# terminal (t0600), answer both passphrase prompts with "pty secret", print
# what the terminal showed and exit with the status of specgate.
import os, pty, signal, sys

signal.alarm(30)  # a prompt that never comes must not hang the suite
# collect everything the terminal shows
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "keygen", "--out", "tty"])
out = b""
def expect(word):
    global out
    while word not in out:
        chunk = os.read(fd, 1024)
        if not chunk:
            sys.exit("no prompt %r in %r" % (word, out))
        out += chunk
expect(b"New passphrase: ")
os.write(fd, b"pty secret\n")
expect(b"Repeat it: ")
os.write(fd, b"pty secret\n")
try:
    while True:
        chunk = os.read(fd, 1024)
        if not chunk:
            break
        out += chunk
except OSError:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
