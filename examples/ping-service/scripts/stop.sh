#!/bin/sh
# scripts/stop.sh - stop the deployed example service (SIGTERM; it
# finishes the requests in flight and exits 0).
set -eu
cd "$(dirname "$0")/.."
. scripts/service.sh
service_stop
