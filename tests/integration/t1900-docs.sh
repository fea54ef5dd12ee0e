#!/usr/bin/env bash
# t1900-docs: every console example of README.md and docs/ runs as written
# and prints what it shows (tests/integration/docs.py).
set -u
: "${SPECGATE:?}"
exec python3 "$(dirname "$0")/docs.py"
