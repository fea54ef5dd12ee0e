#!/bin/sh
# scripts/rollback.sh - the deploy stage's rollback: stop the service and,
# when there is a previous release, put it back and start it (checking
# /healthz as deploy does).  With no previous release the service stays
# stopped: nothing was running before the first deploy.
set -eu
cd "$(dirname "$0")/.."
. scripts/service.sh

service_stop
if [ -x "$REL/previous" ]; then
	mv "$REL/previous" "$REL/current"
	service_start "$REL/current"
	service_healthy || { echo "rollback: the previous release is not healthy" >&2; exit 1; }
	echo "rollback: the previous release is back on port $PORT"
else
	rm -f "$REL/current"
	echo "rollback: no previous release; the service is stopped"
fi
