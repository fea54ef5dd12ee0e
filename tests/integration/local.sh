# tests/integration/local.sh - helpers of the tests that deploy with the
# local target (t0880, t1150), sourced after lib.sh: a project whose
# deploy is the local target, its python3 service, the latest deploy.json,
# and the cleanup that stops every release a test left running.

# Stop every release a test left running (their records say how): SIGTERM
# to the supervisors (they stop their service and remove their groups),
# then SIGKILL to what is left, and the groups of the supervisors killed
# with -9 by the tests removed.
local_cleanup() {
	local r
	for r in "$TRASH"/*/.specgate/releases/*.state.json; do
		[ -f "$r" ] && kill "$(jq -r .supervisor_pid "$r")" 2>/dev/null
	done
	sleep 1
	for r in "$TRASH"/*/.specgate/releases/*.state.json; do
		[ -f "$r" ] || continue
		kill -9 "$(jq -r .supervisor_pid "$r")" 2>/dev/null
		kill -9 -- "-$(jq -r .pid "$r")" 2>/dev/null
	done
	sleep 0.2
	for r in "$TRASH"/*/.specgate/releases/*.json; do
		case $r in *.state.json) continue ;; esac
		[ -f "$r" ] && jq -r ".cgroups[]" "$r" | xargs -r rmdir 2>/dev/null
	done
	[ -z "${HOLDER:-}" ] || kill "$HOLDER" 2>/dev/null
	rm -rf "$TRASH"
}

skip() {
	_n=$((_n + 1))
	echo "ok $_n - $1 # SKIP $2"
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# cgroups need root and a writable hierarchy with cpu and memory.
CGROUPS=
if [ "$(id -u)" = 0 ] && { [ -w /sys/fs/cgroup/memory ] ||
    grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; }; then
	CGROUPS=yes
fi

# local_project PORT [CPU MEMORY]: a project whose build copies the
# service into out/ and whose deploy is the local target on PORT.  More
# keys of stages.deploy can be appended to specgate.yaml.
local_project() {
	mkdir -p features src &&
	cat >features/svc.feature <<-EOF &&
	@resource:cpu=${2:-0.2},memory=${3:-128},storage=10,story_points=1
	Feature: Service
	  Scenario: it answers
	    Given the service is running
	    When I call GET /healthz
	    Then I receive a 200 OK
	EOF
	svc_files &&
	cat >specgate.yaml <<-EOF
	project: t
	mode: sandbox
	retry: {retries: 0, interval: 1s}
	stages:
	  build:
	    run: ["mkdir -p dist && cp src/svc.py src/version dist/"]
	    artifacts: ["dist/svc.py", "dist/version"]
	  deploy:
	    target: local
	    health: {url: "http://127.0.0.1:$1/healthz"}
	EOF
}

# svc_files: src/svc.py (the service) and src/version.
svc_files() {
	mkdir -p src &&
	cat >src/svc.py <<-\EOF &&
	import http.server, json, os
	VERSION = open(os.path.join(os.path.dirname(__file__), "version")).read().strip()
	class H(http.server.BaseHTTPRequestHandler):
	    def do_GET(self):
	        doc = {"status": "healthy", "metrics": {"health_up": 1},
	               "version": VERSION, "release": os.environ["SPECGATE_RELEASE_ID"]}
	        body = json.dumps(doc).encode()
	        self.send_response(200 if self.path == "/healthz" else 404)
	        self.send_header("Content-Type", "application/json")
	        self.end_headers()
	        self.wfile.write(body)
	    def log_message(self, *a):
	        pass
	http.server.HTTPServer(("127.0.0.1", int(os.environ["SPECGATE_PORT"])), H).serve_forever()
	EOF
	echo v1 >src/version
}

# a start command that runs a busy loop beside the service, in its group
busy_start() {
	echo "    start: 'sh -c \"while :; do :; done\" & echo \$! >busy.pid; exec python3 dist/svc.py'" >>specgate.yaml
}

# the latest deploy.json
dj() { echo "reports/$(sg id)/latest/deploy.json"; }
# the service's pid of the latest deploy
svc_pid() { jq -r .local.pid "$(dj)"; }

alive() { kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" | cut -c1)" != Z ]; }
