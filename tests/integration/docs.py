#!/usr/bin/env python3
# tests/integration/docs.py - run every console example of README.md and
# docs/ (t1900-docs.sh calls it), so that the docs cannot drift from the
# binary.
#
# A console block is a fenced block whose info string is `console`.  Its
# `$ ` lines are commands; the lines after a command, up to the next one,
# are the output it must print (stdout and stderr together).  An expected
# line matches an actual one when they are equal after trailing blanks are
# dropped; `...` in an expected line stands for any text.  A command shown
# with no output is only run.  A command must exit 0 unless the next
# command is `echo $?`, which shows its status.
#
# Each block runs in one bash session of its own, in a scratch copy of a
# project directory: examples/ping-service unless the line just before
# the block is an HTML comment `<!-- console: DIR -->` naming another one
# (relative to the repository), placed as in the repository next to a
# link to its tests/.  The session starts in that copy, with the
# binary under test first on PATH, no SPECGATE_* variable set, and a time
# limit; what it starts in the background is killed with it, and so are
# the releases the deploy stage's local target started (they outlive the
# session by design).  The example's deploy port is replaced by a free one
# in the copy, so that sessions running side by side do not collide.
#
# Output: TAP, one test per block, named by file and line.
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
DEFAULT_DIR = "examples/ping-service"
TIMEOUT = 300
IGNORE = shutil.ignore_patterns("reports", ".specgate", "build")


def doc_files():
    yield "README.md"
    for d, dirs, files in os.walk(os.path.join(ROOT, "docs")):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".md"):
                yield os.path.relpath(os.path.join(d, f), ROOT)


def blocks(path):
    """(line, dir, [(command, [expected lines])]) for each console block."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```console":
            i += 1
            continue
        start = i + 1
        ctx = DEFAULT_DIR
        m = i > 0 and re.match(r"<!--\s*console:\s*(\S+)\s*-->", lines[i - 1])
        if m:
            ctx = m.group(1)
        cmds = []
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            if lines[i].startswith("$ "):
                cmds.append((lines[i][2:], []))
            elif cmds:
                cmds[-1][1].append(lines[i])
            i += 1
        yield start, ctx, cmds
        i += 1


def matches(want, got):
    want = want.rstrip()
    got = got.rstrip()
    if "..." not in want:
        return want == got
    pat = ".*".join(re.escape(p) for p in want.split("..."))
    return re.fullmatch(pat, got, re.S) is not None


def script(cmds, outdir):
    """One bash script: each command's output and status into files."""
    s = ["exec </dev/null"]
    for n, (cmd, _) in enumerate(cmds):
        s.append("{ %s\n} >%s/%d.out 2>&1; __rc=$?; echo $__rc >%s/%d.rc; "
                 "(exit $__rc)" % (cmd, outdir, n, outdir, n))
    return "\n".join(s) + "\n"


def free_deploy_port(work):
    """The example deploys on a fixed port (18080): give the copy a free
    one, so that sessions running side by side do not take it from each
    other (the local target refuses a port another process holds)."""
    cfg = os.path.join(work, "specgate.yaml")
    if not os.path.exists(cfg):
        return
    with open(cfg, encoding="utf-8") as f:
        text = f.read()
    if "127.0.0.1:18080" not in text:
        return
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(text.replace("127.0.0.1:18080", "127.0.0.1:%d" % port))


def stop_releases(work):
    """A release the local target started outlives the session (its
    supervisor is in a session of its own): stop it and its service."""
    rel = os.path.join(work, ".specgate", "releases")
    if not os.path.isdir(rel):
        return
    states = []
    for name in os.listdir(rel):
        if not name.endswith(".state.json"):
            continue
        try:
            with open(os.path.join(rel, name)) as f:
                st = json.load(f)
            states.append((int(st["supervisor_pid"]), int(st["pid"])))
        except (OSError, ValueError, KeyError):
            pass
    # SIGTERM first: the supervisor stops its service and removes its
    # control groups; SIGKILL to whatever is left a second later.
    for sup, _ in states:
        try:
            os.kill(sup, signal.SIGTERM)
        except OSError:
            pass
    if states:
        time.sleep(1)
    for sup, pid in states:
        for kill, target in ((os.kill, sup), (os.killpg, pid)):
            try:
                kill(target, signal.SIGKILL)
            except OSError:
                pass


def run_block(specgate, ctx, cmds):
    """Returns a list of problems (empty: the block holds)."""
    tmp = tempfile.mkdtemp(prefix="specgate-docs.")
    try:
        # The copy sits where the project sits in the repository, beside
        # the repository's tests/ (read only), so that relative paths in
        # the docs, like ../../tests/data/..., hold.
        work = os.path.join(tmp, "repo", ctx.rstrip("/"))
        shutil.copytree(os.path.join(ROOT, ctx), work, symlinks=True,
                        ignore=IGNORE)
        free_deploy_port(work)
        if not os.path.exists(os.path.join(tmp, "repo", "tests")):
            os.symlink(os.path.join(ROOT, "tests"),
                       os.path.join(tmp, "repo", "tests"))
        outdir = os.path.join(tmp, "out")
        os.mkdir(outdir)
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        os.symlink(specgate, os.path.join(bindir, "specgate"))
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("SPECGATE")}
        env["PATH"] = bindir + ":" + env.get("PATH", "/usr/bin:/bin")
        env["HOME"] = tmp
        env["LC_ALL"] = "C.UTF-8"
        p = subprocess.Popen(["bash", "-c", script(cmds, outdir)], cwd=work,
                             env=env, start_new_session=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            p.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
        stop_releases(work)
        problems = []
        for n, (cmd, want) in enumerate(cmds):
            try:
                with open(os.path.join(outdir, "%d.rc" % n)) as f:
                    rc = int(f.read())
                with open(os.path.join(outdir, "%d.out" % n),
                          encoding="utf-8", errors="replace") as f:
                    got = f.read().split("\n")
            except (OSError, ValueError):
                problems.append("$ %s: did not finish" % cmd)
                break
            if got and got[-1] == "":
                got.pop()
            shown = n + 1 < len(cmds) and cmds[n + 1][0].strip() == "echo $?"
            if rc != 0 and not shown:
                problems.append("$ %s: exit %d" % (cmd, rc))
            while want and want[-1].strip() == "":
                want = want[:-1]
            if want and (len(want) != len(got) or
                         not all(matches(w, g) for w, g in zip(want, got))):
                problems.append("$ %s: output differs\n  want:\n%s\n  got:\n%s"
                                % (cmd, "\n".join("    " + w for w in want),
                                   "\n".join("    " + g for g in got)))
            elif not want and rc != 0 and got:
                problems.append("  " + "\n  ".join(got[-5:]))
        return problems
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    specgate = os.path.abspath(os.environ["SPECGATE"])
    n = 0
    failed = 0
    for path in doc_files():
        for line, ctx, cmds in blocks(path):
            if not cmds:
                continue
            n += 1
            problems = run_block(specgate, ctx, cmds)
            name = "%s:%d: %d commands (in %s)" % (path, line, len(cmds), ctx)
            if problems:
                failed += 1
                print("not ok %d - %s" % (n, name))
                for p in problems:
                    for ln in p.split("\n"):
                        print("#   " + ln)
            else:
                print("ok %d - %s" % (n, name))
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
