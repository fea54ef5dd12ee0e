# tests/integration/serve.sh - helpers of the t11NN service tests, sourced
# after lib.sh and bundle.sh.  The service is started on a free loopback
# port (--listen 127.0.0.1:0; it prints the address it got) and always
# stopped: every pid is recorded, and the script's exit kills what is left.

SERVE_PIDS="$TRASH/serve.pids"
: >"$SERVE_PIDS"
trap 'while read -r p; do kill -KILL "$p" 2>/dev/null; done <"$SERVE_PIDS"; rm -rf "$TRASH"' EXIT

# serve_start [ARGS...]: start `specgate $SERVE_FLAGS serve` here;
# sets URL (http://127.0.0.1:PORT/, with the slash) and SERVE_PID.  Output
# goes to serve.out and serve.err.  Waits at most 10 s for the address.
serve_start() {
	"$SPECGATE" ${SERVE_FLAGS:-} serve --listen 127.0.0.1:0 "$@" \
	    >serve.out 2>serve.err &
	SERVE_PID=$!
	echo "$SERVE_PID" >>"$SERVE_PIDS"
	for _ in $(seq 1 100); do
		URL=$(sed -n 's/^listening on //p' serve.out)
		[ -n "$URL" ] && return 0
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "serve did not start:" >&2
	cat serve.err >&2
	return 1
}

# serve_stop: SIGTERM, and fail unless it exits 0 within 15 s.
serve_stop() {
	local rc
	kill -TERM "$SERVE_PID" || return 1
	for _ in $(seq 1 150); do
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$SERVE_PID"
	rc=$?
	[ "$rc" -eq 0 ] || { echo "serve exited $rc" >&2; cat serve.err >&2; return 1; }
}

# runs_project: a project with four real runs: two sandbox, one
# compliance (up to build), and a compliance run of a broken spec that
# fails.  Compliance needs a signing key: one, for both projects; a git
# repository, where preflight claims the feature branch; and a complete
# compliance profile (bundle.sh), added after the sandbox runs.
runs_project() {
	export SPECGATE_KEY_PASSWORD=serve-tests &&
	project && git init -q && sg keygen -q >/dev/null 2>&1 &&
	sg run -q && sg run -q && compliance_profile &&
	sg --mode compliance run -q --to build &&
	mkdir -p bad/features && (
		cd bad && printf 'project: bad\nreports: ../reports\nstore: sqlite:../.specgate/state.db\nsigning: {key: ../.specgate/keys/specgate.key}\n' >specgate.yaml &&
		printf '@resource:cpu=0.1,memory=128,storage=10,story_points=1\nFeature: Bad\n  Scenario: no outcome\n    Given a thing\n    When it runs\n' >features/bad.feature &&
		compliance_profile &&
		expect_exit 1 "$SPECGATE" --mode compliance run -q
	)
}

# get PATH [CURL-ARGS...]: GET $URL/PATH, body on stdout, fail on no answer
get() {
	local p=$1
	shift
	curl -sS --max-time 10 "$@" "$URL${p#/}"
}

# status PATH [CURL-ARGS...]: the HTTP status of GET $URL/PATH
status() {
	local p=$1
	shift
	curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "$@" "$URL${p#/}"
}
