#!/usr/bin/env bash
# t0870-deploy-health: stages.deploy.health.url is probed after the deploy
# commands succeed (3 tries, 2 s apart); a failing check fails the attempt,
# so the rollback runs; deploy.json records the commands and the probes.
# Healthy is what `specgate smoke` calls healthy: HTTP 200 and the seed's
# document with "status": "healthy" and "metrics": {"health_up": 1}.
# The service is python3's http.server on a free loopback port; the bundle
# is read with jq.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$TRASH/srv" &&
printf '{"status":"healthy","metrics":{"health_up":1}}\n' >"$TRASH/srv/healthz" &&
printf '{"status":"healthy"}\n' >"$TRASH/srv/no-health-up"
python3 -m http.server --bind 127.0.0.1 --directory "$TRASH/srv" "$PORT" \
    >"$TRASH/srv.log" 2>&1 &
SRV=$!
trap 'kill $SRV 2>/dev/null; rm -rf "$TRASH"' EXIT
for _ in $(seq 50); do
	curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
	sleep 0.2
done

# deploy PATH: a deploy stage whose health URL is PATH on the server
deploy() {
	project && cat >>specgate.yaml <<-EOF
	stages:
	  deploy:
	    run: ["echo deployed >>deployed"]
	    rollback: ["echo rolled >>rolled"]
	    health: {url: "http://127.0.0.1:$PORT$1"}
	    retries: 0
	EOF
}

test_expect_success 'a healthy service: deploy succeeds; deploy.json says so' '
	deploy /healthz && sg run >out 2>&1 &&
	expect_grep "^deploy: success" out && test ! -e rolled &&
	d=reports/$(sg id)/latest/deploy.json &&
	jq -e ".schema == \"specgate/deploy/v1\" and .mode == \"sandbox\" and .attempts == 1" $d &&
	jq -e ".health | length == 1 and .[0].ok and .[0].http_status == 200" $d &&
	jq -e ".commands[0].command == \"echo deployed >>deployed\" and .commands[0].exit_code == 0" $d &&
	jq -e ".health_url == \"http://127.0.0.1:$PORT/healthz\"" $d &&
	expect_grep "^-- health .*: ok: HTTP 200" reports/$(sg id)/latest/logs/deploy.log &&
	bundle_ok reports/$(sg id)/latest
'

test_expect_success 'a failing health check fails the attempt and the rollback runs' '
	deploy /nothing-here && expect_exit 1 sg run >out 2>&1 &&
	test "$(cat deployed)" = deployed && test "$(cat rolled)" = rolled &&
	expect_grep "^deploy: failure (attempt 1 of 1 failed: health check .* failed 3 times: HTTP 404" out &&
	expect_grep "^deploy: rolled_back" out &&
	d=reports/$(sg id)/latest/deploy.json &&
	jq -e "[.health[] | select(.ok | not) | .http_status] == [404, 404, 404]" $d &&
	jq -e "[.health[].try] == [1, 2, 3]" $d
'

test_expect_success 'a 200 without health_up is not healthy (as for specgate smoke)' '
	deploy /no-health-up && expect_exit 1 sg run >out 2>&1 &&
	d=reports/$(sg id)/latest/deploy.json &&
	jq -e "[.health[] | select(.ok | not) | .http_status] == [200, 200, 200]" $d &&
	jq -e ".health[0].summary == \"HTTP 200, healthy, health_up missing\"" $d
'

test_expect_success 'no answer at all is a failing check too' '
	project && cat >>specgate.yaml <<-EOF &&
	stages:
	  deploy:
	    run: ["true"]
	    health: {url: "http://127.0.0.1:1/healthz"}
	    retries: 0
	EOF
	expect_exit 1 sg run >out 2>&1 &&
	d=reports/$(sg id)/latest/deploy.json &&
	jq -e "[.health[].http_status] == [0, 0, 0]" $d
'

test_done
