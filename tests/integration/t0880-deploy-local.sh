#!/usr/bin/env bash
# t0880-deploy-local: the deploy stage's built-in local target
# (docs/deploy.md) through the real binary: a release directory with the
# build's exact bytes (sha256sum), the `current` link, the previous
# release stopped, limits the kernel reports (the cgroup files,
# /proc/PID/limits), a port held by another process (the deploy fails and
# nothing is stopped), a release that keeps crashing (the supervisor's
# restart limit), a rollback to the previous release that is health-checked,
# a release past its memory limit killed, a CPU-bound release held to its
# quota (measured from /proc/PID/stat), and a supervisor killed with -9.
# deploy.json is read with jq; the processes with ps and /proc.
# The service is a python3 http.server script that serves the seed's
# health document on $SPECGATE_PORT.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/intoto.sh"
. "$(dirname "$0")/local.sh"
trap local_cleanup EXIT

test_expect_success 'target local without start is a config error with its position' '
	local_project 1 && expect_exit 2 sg run >out 2>&1 &&
	expect_grep "specgate.yaml:[0-9]*:[0-9]*: .*stages.deploy.start. must say how to start" out
'

test_expect_success 'a release: exact bytes, current link, its own process group, deploy.json' '
	port=$(free_port) && local_project $port &&
	echo "    start: \"exec python3 dist/svc.py\"" >>specgate.yaml &&
	sg run >out 2>&1 && expect_grep "^deploy: success" out &&
	d=$(dj) && rel=$(jq -r .run_id $d) &&
	jq -e ".target == \"local\" and .local.release == \"$rel\" and .local.previous == null" $d &&
	test "$(readlink .specgate/releases/current)" = "$rel" &&
	cmp dist/svc.py .specgate/releases/$rel/dist/svc.py &&
	test "$(jq -r ".local.artifacts[] | select(.path == \"dist/svc.py\") | .sha256" $d)" = \
	    "$(sha256sum <.specgate/releases/$rel/dist/svc.py | cut -d" " -f1)" &&
	pid=$(svc_pid) && alive $pid &&
	test "$(ps -o pgid= -p $pid | tr -d " ")" = "$pid" &&
	test "$(ps -o ppid= -p $pid | tr -d " ")" = "$(jq -r .local.supervisor_pid $d)" &&
	curl -fsS http://127.0.0.1:$port/healthz | jq -e ".release == \"$rel\"" &&
	jq -e ".health[-1].ok and .health[-1].http_status == 200" $d &&
	jq -e ".state == \"running\" and .pid == $pid" .specgate/releases/$rel.state.json
'

if [ -n "$CGROUPS" ]; then
test_expect_success 'limits: the cgroup files hold the declared cpu and memory' '
	port=$(free_port) && local_project $port 0.3 200 &&
	echo "    start: \"exec python3 dist/svc.py\"" >>specgate.yaml &&
	sg run >out 2>&1 && d=$(dj) && pid=$(svc_pid) &&
	jq -e ".local.limits.cpu == 0.3 and .local.limits.memory_mb == 200" $d &&
	mech=$(jq -r .local.mechanism $d) &&
	case $mech in
	cgroup1)
		cpu=$(jq -r ".local.limits.cgroups[0]" $d) &&
		mem=$(jq -r ".local.limits.cgroups[1]" $d) &&
		test "$(cat $cpu/cpu.cfs_quota_us)" = 30000 &&
		test "$(cat $cpu/cpu.cfs_period_us)" = 100000 &&
		test "$(cat $mem/memory.limit_in_bytes)" = $((200 << 20)) &&
		grep -qx $pid $mem/cgroup.procs && grep -qx $pid $cpu/cgroup.procs ;;
	cgroup2)
		g=$(jq -r ".local.limits.cgroups[0]" $d) &&
		test "$(cat $g/cpu.max)" = "30000 100000" &&
		test "$(cat $g/memory.max)" = $((200 << 20)) &&
		grep -qx $pid $g/cgroup.procs ;;
	*) false ;;
	esac
'
else
	skip 'limits: the cgroup files hold the declared cpu and memory' 'no writable cgroup hierarchy (needs root)'
fi

test_expect_success 'limits: setrlimit when asked (RLIMIT_AS in /proc/PID/limits)' '
	port=$(free_port) && local_project $port 0.2 256 &&
	printf "    start: \"exec python3 dist/svc.py\"\n    limits: rlimit\n" >>specgate.yaml &&
	sg run >out 2>&1 && d=$(dj) && pid=$(svc_pid) &&
	jq -e ".local.mechanism == \"rlimit\" and .local.limits.cgroups == []" $d &&
	grep "^Max address space" /proc/$pid/limits >lim &&
	test "$(awk "{print \$4, \$5}" lim)" = "$((256 << 20)) $((256 << 20))"
'

test_expect_success 'the next deploy stops the previous release and records it' '
	port=$(free_port) && local_project $port &&
	echo "    start: \"exec python3 dist/svc.py\"" >>specgate.yaml &&
	sg run >out 2>&1 && first=$(jq -r .run_id $(dj)) && old=$(svc_pid) &&
	echo v2 >src/version && sleep 1 &&
	sg run >out 2>&1 && expect_grep "^deploy: success" out && d=$(dj) &&
	jq -e ".local.previous == \"$first\" and .local.previous_stopped" $d &&
	! alive $old && alive $(svc_pid) &&
	curl -fsS http://127.0.0.1:$port/healthz | jq -e ".version == \"v2\"" &&
	test "$(readlink .specgate/releases/current)" = "$(jq -r .run_id $d)"
'

test_expect_success 'a port held by another process: the deploy fails, nothing is stopped' '
	port=$(free_port) && local_project $port &&
	echo "    start: \"exec python3 dist/svc.py\"" >>specgate.yaml &&
	mkdir srv && printf "{\"status\":\"healthy\",\"metrics\":{\"health_up\":1}}" >srv/healthz || exit 1
	python3 -m http.server --bind 127.0.0.1 --directory srv $port >srv.log 2>&1 &
	holder=$!
	for _ in $(seq 50); do curl -fs http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.1; done &&
	expect_exit 1 sg run >out 2>&1; rc=$?; kill $holder; [ $rc = 0 ] &&
	expect_grep "^deploy: failure (attempt 1 of 1 failed: port $port is held by pid $holder (python3)" out &&
	! grep "^deploy: success" out && d=$(dj) &&
	jq -e ".local.pid == 0 and .local.supervisor_pid == 0 and .health == []" $d &&
	jq -e ".local.rollback.status == \"none\"" $d &&
	test ! -e .specgate/releases/current
'

test_expect_success 'a port taken while the previous release runs: it keeps running' '
	port=$(free_port) && local_project $port &&
	echo "    start: \"exec python3 dist/svc.py\"" >>specgate.yaml &&
	sg run >out 2>&1 && first=$(jq -r .run_id $(dj)) && old=$(svc_pid) &&
	port2=$(free_port) && sed -i "s/:$port\//:$port2\//" specgate.yaml || exit 1
	python3 -m http.server --bind 127.0.0.1 $port2 >srv.log 2>&1 &
	holder=$!
	for _ in $(seq 50); do curl -fs http://127.0.0.1:$port2/ >/dev/null && break; sleep 0.1; done &&
	expect_exit 1 sg run >out 2>&1; rc=$?; kill $holder; [ $rc = 0 ] &&
	expect_grep "port $port2 is held by pid $holder" out &&
	alive $old && test "$(readlink .specgate/releases/current)" = "$first" &&
	jq -e ".local.previous_stopped == false and .local.rollback.status == \"untouched\"" $(dj)
'

test_expect_success 'a release that keeps crashing: restarted up to the limit, then the deploy fails' '
	port=$(free_port) && local_project $port &&
	printf "    start: \"echo crashing; exit 3\"\n    restarts: 2\n" >>specgate.yaml &&
	expect_exit 1 sg run >out 2>&1 &&
	expect_grep "^deploy: failure (attempt 1 of 1 failed: health check .* failed 3 times" out &&
	rel=$(jq -r .run_id $(dj)) && st=.specgate/releases/$rel.state.json &&
	jq -e ".state == \"failed\" and .restarts == 2 and .restart_limit == 2 and .last_exit == \"exit 3\"" $st &&
	test "$(grep -c "^crashing$" .specgate/releases/$rel.log)" = 3 &&
	expect_grep "restart limit 2 reached, giving up" .specgate/releases/$rel.log
'

test_expect_success 'rollback: a failing release is replaced by the previous one, which is health-checked' '
	port=$(free_port) && local_project $port &&
	echo "    start: \"exec python3 dist/svc.py\"" >>specgate.yaml &&
	sg run >out 2>&1 && first=$(jq -r .run_id $(dj)) && old=$(svc_pid) &&
	sed -i "s|exec python3 dist/svc.py|exit 1|" specgate.yaml &&
	printf "    restarts: 0\n" >>specgate.yaml && sleep 1 &&
	expect_exit 1 sg run >out 2>&1 && d=$(dj) &&
	expect_grep "^deploy: rolled_back (rollback: release $first restored and healthy" out &&
	jq -e ".local.previous == \"$first\" and .local.previous_stopped" $d &&
	jq -e ".local.rollback.status == \"restored\" and .local.rollback.to == \"$first\"" $d &&
	jq -e "[.health[] | select(.attempt == 0)] | length >= 1 and .[-1].ok" $d &&
	test "$(readlink .specgate/releases/current)" = "$first" &&
	new=$(jq -r .local.rollback.pid $d) && ! alive $old && alive $new &&
	curl -fsS http://127.0.0.1:$port/healthz | jq -e ".release == \"$first\"" &&
	expect_grep "^== deploy: rollback ==" reports/$(sg id)/latest/logs/deploy-rollback.log
'

test_expect_success 'rollback with no previous release: stopped, recorded, current removed' '
	port=$(free_port) && local_project $port &&
	printf "    start: \"exit 1\"\n    restarts: 0\n" >>specgate.yaml &&
	expect_exit 1 sg run >out 2>&1 &&
	expect_grep "^deploy: rolled_back (rollback: no previous release to restore" out &&
	jq -e ".local.rollback.status == \"none\"" $(dj) &&
	test ! -e .specgate/releases/current
'

if [ -n "$CGROUPS" ]; then
test_expect_success 'memory: a release past its limit is killed; the deploy fails and rolls back' '
	port=$(free_port) && local_project $port 0.5 128 &&
	echo "    start: \"exec python3 dist/svc.py\"" >>specgate.yaml &&
	sg run >out 2>&1 && first=$(jq -r .run_id $(dj)) &&
	sed -i "s|exec python3 dist/svc.py|python3 -c \\\\\"b = bytearray(300 << 20); import time; time.sleep(60)\\\\\"|" specgate.yaml &&
	printf "    restarts: 1\n" >>specgate.yaml && sleep 1 &&
	expect_exit 1 sg run >out 2>&1 && rel=$(jq -r .run_id $(dj)) &&
	jq -e ".last_exit == \"exit 137\" or .last_exit == \"signal 9\"" .specgate/releases/$rel.state.json &&
	jq -e ".local.rollback.status == \"restored\"" $(dj) &&
	test "$(readlink .specgate/releases/current)" = "$first"
'

test_expect_success 'cpu: a CPU-bound release is held near its quota (measured)' '
	port=$(free_port) && local_project $port 0.5 128 &&
	busy_start &&
	sg run >out 2>&1 && expect_grep "^deploy: success" out &&
	rel=$(jq -r .run_id $(dj)) && b=$(cat .specgate/releases/$rel/busy.pid) &&
	t0=$(awk "{print \$14 + \$15}" /proc/$b/stat) && sleep 3 &&
	t1=$(awk "{print \$14 + \$15}" /proc/$b/stat) &&
	cores=$(awk "BEGIN { print ($t1 - $t0) / $(getconf CLK_TCK) / 3 }") &&
	echo "busy loop: $cores cores under a 0.5 quota" &&
	echo "$cores" | awk "{ exit !(\$1 > 0.05 && \$1 < 0.6) }"
'
else
	skip 'memory: a release past its limit is killed' 'no writable cgroup hierarchy (needs root)'
	skip 'cpu: a CPU-bound release is held near its quota' 'no writable cgroup hierarchy (needs root)'
fi

# approved PORT: a compliance project whose run waits for one approval,
# approved by .profile/alice; its deploy is the local target.  $R is the
# waiting run.
approved() {
	signed_project compliance && svc_files &&
	PROFILE_BUILD="{run: [\"mkdir -p dist && cp src/svc.py src/version dist/\"], artifacts: [dist/svc.py, dist/version]}" \
	PROFILE_DEPLOY="{target: local, retries: 0, start: \"exec python3 dist/svc.py\", health: {url: \"http://127.0.0.1:$1/healthz\"}}" \
	    compliance_profile &&
	expect_exit 3 sg run >run.out 2>&1 && R=$(run_ids) &&
	sg approve "$R" --key .profile/alice.key >/dev/null
}

test_expect_success 'compliance: resume deploys exactly the approved bytes' '
	port=$(free_port) && approved $port &&
	sg resume "$R" >out 2>&1 && expect_grep "^deploy: success" out &&
	d=$(dj) && jq -e ".mode == \"compliance\" and .local.release != \"$R\"" $d &&
	jq -S "[.local.artifacts[] | {path, sha256}]" $d >deployed &&
	jq -S "[.artifacts[] | select(.stage == \"build\") | {path, sha256}]" \
	    reports/$(sg id)/$R/artifacts.json >approved &&
	cmp deployed approved && test "$(jq length deployed)" = 2 &&
	rel=$(jq -r .local.release $d) &&
	(cd .specgate/releases/$rel && jq -r ".[] | \"\(.sha256)  \(.path)\"" ../../../approved | sha256sum -c) &&
	expect_grep "^-- the artifacts approved in run $R" reports/$(sg id)/latest/logs/deploy.log
'

test_expect_success 'compliance: an artifact changed after the approval is not deployed' '
	port=$(free_port) && approved $port &&
	echo "# changed" >>dist/svc.py &&
	# resume re-hashes the approved artifacts before it creates anything
	# (t0740-release); the local target checks its copies again (below)
	expect_exit 4 sg resume "$R" >out 2>&1 &&
	expect_grep "dist/svc.py: approved with SHA-256 " out &&
	test ! -e .specgate/releases/current &&
	! ls .specgate/releases 2>/dev/null | grep -q .
'

test_expect_success 'old releases are removed: the 5 newest are kept, and the current one' '
	port=$(free_port) && local_project $port &&
	echo "    start: \"exec python3 dist/svc.py\"" >>specgate.yaml &&
	mkdir -p .specgate/releases &&
	for i in 1 2 3 4 5 6 7; do
		mkdir .specgate/releases/2000010100000$i &&
		echo log >.specgate/releases/2000010100000$i.log || return 1
	done &&
	sg run >out 2>&1 && expect_grep "^deploy: success" out &&
	rel=$(jq -r .run_id $(dj)) &&
	test "$(cd .specgate/releases && ls -d 2*/ | tr -d / | tr "\n" " ")" = \
	    "20000101000003 20000101000004 20000101000005 20000101000006 20000101000007 $rel " &&
	test ! -e .specgate/releases/20000101000001.log &&
	expect_grep "^-- old release 20000101000002 removed" reports/$(sg id)/latest/logs/deploy.log
'

test_expect_success 'kill -9 of the supervisor: the next deploy still stops the old service' '
	port=$(free_port) && local_project $port &&
	echo "    start: \"exec python3 dist/svc.py\"" >>specgate.yaml &&
	sg run >out 2>&1 && old=$(svc_pid) &&
	kill -9 $(jq -r .local.supervisor_pid $(dj)) && sleep 0.5 && alive $old &&
	sg run >out 2>&1 && expect_grep "^deploy: success" out &&
	! alive $old && alive $(svc_pid)
'

test_expect_success 'kill -9 of the release: the supervisor restarts it' '
	port=$(free_port) && local_project $port &&
	echo "    start: \"exec python3 dist/svc.py\"" >>specgate.yaml &&
	sg run >out 2>&1 && old=$(svc_pid) && rel=$(jq -r .run_id $(dj)) &&
	kill -9 $old && st=.specgate/releases/$rel.state.json &&
	for _ in $(seq 50); do jq -e ".state == \"running\" and .pid != $old" $st >/dev/null && break; sleep 0.2; done &&
	jq -e ".restarts == 1 and .last_exit == \"signal 9\"" $st &&
	for _ in $(seq 50); do curl -fs http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.2; done &&
	curl -fsS http://127.0.0.1:$port/healthz | jq -e ".release == \"$rel\""
'

test_done
