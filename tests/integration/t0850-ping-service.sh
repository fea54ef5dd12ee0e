#!/usr/bin/env bash
# t0850-ping-service: the example service of examples/ping-service, copied
# into a scratch git repository, built with its own Makefile and tested
# with its own tests (curl + jq), whose JUnit XML is checked with xmllint
# against the scenarios specgate reads from its features; then deployed on
# a free loopback port and rolled back with its scripts, and deployed by
# `specgate run` with the local target, its /healthz judged healthy by
# `specgate smoke` and its /metrics checked by promtool.  The example's
# spec stays valid and keeps its feature id.
. "$(dirname "$0")/lib.sh"

EX=$SG_TEST_ROOT/../examples/ping-service
export GIT_CONFIG_NOSYSTEM=1 HOME=$TRASH
git config --global init.defaultBranch main
git config --global user.name "Test User"
git config --global user.email test@example.com

# copy: the example's committed sources in ./ping, a git repository
copy() {
	mkdir ping &&
	(cd "$EX" && tar cf - --exclude=./build --exclude=./reports \
	    --exclude=./.specgate .) | (cd ping && tar xf -) &&
	cd ping && git init -q && git add -A && git commit -qm example
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

test_expect_success 'the example spec is valid in both modes and keeps its id' '
	copy && sg validate >out && expect_grep "0 errors, 0 warnings" out &&
	sg --mode compliance validate >/dev/null &&
	sg --mode compliance config >/dev/null 2>err && test ! -s err &&
	test "$(sg id)" = 83be0e33dc8b
'

test_expect_success 'make builds it with the commit fixed in; make lint passes' '
	copy && make -s >/dev/null && test -x build/ping-service &&
	test "$(cat build/commit)" = "$(git rev-parse --short=12 HEAD)" &&
	make -s lint
'

test_expect_success 'its own tests pass and write JUnit XML that names every scenario' '
	copy && make -s test >out && expect_grep "^1..8$" out &&
	x=build/test-results/ping-service.xml &&
	xmllint --noout "$x" &&
	test "$(xmllint --xpath "string(//testsuite/@tests)" "$x")" = 8 &&
	test "$(xmllint --xpath "count(//testcase)" "$x")" = 8 &&
	test "$(xmllint --xpath "count(//failure)" "$x")" = 0 &&
	for f in features/*.feature; do sg pickles "$f" || return 1; done |
	    jq -r "select(.pickle) | .pickle.name" | sort -u >scenarios &&
	test -s scenarios &&
	while read -r s; do
		xmllint --xpath "//testcase[starts-with(@name, \"$s\")]" "$x" >/dev/null ||
		{ echo "no test for scenario: $s"; return 1; }
	done <scenarios
'

test_expect_success 'a failing service gives failures in the JUnit XML and exit 1' '
	copy && make -s >/dev/null &&
	printf "#!/bin/sh\nexit 3\n" >broken && chmod +x broken &&
	expect_exit 1 env PING_BIN=./broken tests/run.sh >out &&
	x=build/test-results/ping-service.xml && xmllint --noout "$x" &&
	test "$(xmllint --xpath "count(//failure)" "$x")" = 8
'

test_expect_success 'the service answers the spec on loopback and stops on SIGTERM' '
	copy && make -s >/dev/null || return 1
	build/ping-service --listen 127.0.0.1:0 --port-file port 2>log &
	pid=$!
	trap "kill \$pid 2>/dev/null" EXIT
	for i in $(seq 100); do test -s port && break; sleep 0.1; done &&
	p=$(cat port) &&
	curl -fsS "http://127.0.0.1:$p/v1/ping" >ping.json &&
	jq -e ".pong == true and .service == \"ping-service\"" ping.json &&
	test "$(jq -r .commit ping.json)" = "$(git rev-parse --short=12 HEAD)" &&
	curl -fsS "http://127.0.0.1:$p/healthz" | jq -e ".status == \"healthy\"" &&
	test "$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$p/nope")" = 404 &&
	kill -TERM $pid && wait $pid
'

test_expect_success 'deploy, redeploy, rollback to the previous release, rollback to stopped' '
	copy && make -s >/dev/null && export PING_PORT=$(free_port) &&
	scripts/deploy.sh >out && expect_grep "is healthy" out &&
	curl -fsS "http://127.0.0.1:$PING_PORT/healthz" | jq -e ".status == \"healthy\"" &&
	first=$(cat build/run/ping-service.pid) &&
	git commit -q --allow-empty -m second && make -s >/dev/null &&
	scripts/deploy.sh >/dev/null &&
	test "$(curl -fsS "http://127.0.0.1:$PING_PORT/v1/ping" | jq -r .commit)" = "$(git rev-parse --short=12 HEAD)" &&
	! kill -0 "$first" 2>/dev/null &&
	scripts/rollback.sh >out && expect_grep "previous release is back" out &&
	test "$(curl -fsS "http://127.0.0.1:$PING_PORT/v1/ping" | jq -r .commit)" = "$(git rev-parse --short=12 HEAD~1)" &&
	scripts/rollback.sh >out && expect_grep "service is stopped" out &&
	! curl -fsS "http://127.0.0.1:$PING_PORT/healthz" 2>/dev/null
'
test_expect_success 'specgate run deploys it with the local target; smoke calls it healthy' '
	copy && port=$(free_port) && sed -i "s/18080/$port/" specgate.yaml &&
	sg run >out 2>&1 && expect_grep "^deploy: success" out &&
	d=reports/$(sg id)/latest/deploy.json &&
	jq -e ".target == \"local\" and .local.limits.cpu == 0.2 and .local.limits.memory_mb == 256" $d &&
	sg smoke "http://127.0.0.1:$port/healthz" >smoke &&
	expect_grep "HTTP 200, healthy, health_up 1" smoke &&
	curl -fsS "http://127.0.0.1:$port/healthz" | jq -e ".release == \"$(jq -r .run_id $d)\"" &&
	curl -fsS "http://127.0.0.1:$port/metrics" >metrics &&
	promtool check metrics <metrics &&
	grep -qx "ping_up 1" metrics
'

# whatever happened, leave no service running
for d in "$TRASH"/*/ping; do [ -d "$d" ] && (cd "$d" && scripts/stop.sh 2>/dev/null); done
# (a supervisor stops its service and removes its control groups on SIGTERM)
for r in "$TRASH"/*/ping/.specgate/releases/*.state.json; do
	[ -f "$r" ] && kill "$(jq -r .supervisor_pid "$r")" 2>/dev/null
done
sleep 1
for r in "$TRASH"/*/ping/.specgate/releases/*.state.json; do
	[ -f "$r" ] || continue
	kill -9 "$(jq -r .supervisor_pid "$r")" -- "-$(jq -r .pid "$r")" 2>/dev/null
done

test_done
