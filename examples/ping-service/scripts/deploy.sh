#!/bin/sh
# scripts/deploy.sh - the deploy stage of the example: install the binary
# just built as the current release (keeping the one before as the
# previous release, for scripts/rollback.sh), restart the service on
# loopback, and check /healthz with retries.  Exits 1 (after stopping what
# it started) when the service does not become healthy.
#
# Environment: PING_PORT (default 18080, the port of specgate.yaml's
# deploy health URL), PING_HEALTH_TRIES (default 10, one second apart).
set -eu
cd "$(dirname "$0")/.."
. scripts/service.sh

[ -x build/ping-service ] || { echo "deploy: build/ping-service is not built" >&2; exit 1; }
mkdir -p "$REL"
service_stop
if [ -x "$REL/current" ]; then
	cp -p "$REL/current" "$REL/previous.tmp" && mv "$REL/previous.tmp" "$REL/previous"
fi
cp -p build/ping-service "$REL/current.tmp" && mv "$REL/current.tmp" "$REL/current"
service_start "$REL/current"
if ! service_healthy; then
	echo "deploy: the service is not healthy on port $PORT" >&2
	tail -n 20 "$LOG" >&2 || true
	service_stop
	exit 1
fi
echo "deploy: ping-service $(cat build/commit) is healthy on http://127.0.0.1:$PORT/"
