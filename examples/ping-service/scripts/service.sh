# scripts/service.sh - sourced by deploy.sh, rollback.sh and stop.sh: where
# the releases, the pid file and the log live, and starting, stopping and
# health-checking the service.  The service is started with `setsid -f`
# and its output goes to a log file, so it holds none of the deploy
# command's descriptors: the pipeline runner sees the command end.
PORT=${PING_PORT:-18080}
TRIES=${PING_HEALTH_TRIES:-10}
REL=build/release
PID=build/run/ping-service.pid
LOG=build/run/ping-service.log

service_stop() {
	[ -f "$PID" ] || return 0
	p=$(cat "$PID")
	if kill -TERM "$p" 2>/dev/null; then
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$p" 2>/dev/null || true
	fi
	rm -f "$PID"
}

service_start() {
	mkdir -p build/run
	rm -f build/run/port
	setsid -f sh -c 'echo $$ > "$1.tmp" && mv "$1.tmp" "$1" && exec "$2" --listen "127.0.0.1:$3"' \
	    sh "$PID" "$1" "$PORT" </dev/null >>"$LOG" 2>&1
	i=0
	while [ ! -s "$PID" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

service_healthy() {
	curl -fsS --retry "$TRIES" --retry-delay 1 --retry-connrefused \
	    --max-time 5 "http://127.0.0.1:$PORT/healthz" >/dev/null
}
