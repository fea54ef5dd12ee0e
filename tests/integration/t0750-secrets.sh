#!/usr/bin/env bash
# t0750-secrets: specgate's own secrets never reach a stage command
# (SPECGATE_KEY_PASSWORD is not in their environment, so a step that
# base64-encodes it gets nothing), and credentials in URLs (a health URL
# with user:password@ and ?token=, a command line, a command's output)
# and stage secrets are masked in every log, document, the store (sqlite3
# .dump), stderr, the API, /metrics and `specgate config`.  Checked with
# grep, jq, sqlite3 and curl.  The health service is python3's
# http.server on a free loopback port.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/intoto.sh"
. "$(dirname "$0")/serve.sh"

PW=$SPECGATE_KEY_PASSWORD
PW64=$(printf '%s\n' "$PW" | base64)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$TRASH/srv" && printf '{"status":"healthy","metrics":{"health_up":1}}\n' >"$TRASH/srv/healthz"
python3 -m http.server --bind 127.0.0.1 --directory "$TRASH/srv" "$PORT" \
    >"$TRASH/srv.log" 2>&1 &
echo $! >>"$SERVE_PIDS"
for _ in $(seq 50); do
	curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
	sleep 0.2
done
HEALTH="http://user:s3cret@127.0.0.1:$PORT/healthz?token=abc123xyz"

# nowhere WORD...: no file under the project (keys and the test's own
# scratch files left out) and no other file named holds any WORD.
nowhere() {
	local w
	for w in "$@"; do
		if grep -rlF -- "$w" . --exclude-dir=keys --exclude=yaml.txt \
		    --exclude=specgate.yaml --exclude=out.expect; then
			echo "found '$w' (files above)"; return 1
		fi
	done
}

test_expect_success 'the key passphrase never reaches a stage command' '
	CP_BUILD="{run: [\"env >envdump; echo \\\"\$SPECGATE_KEY_PASSWORD\\\" | base64\", \"mkdir -p build && cp src/app.c build/app\"]}" \
	    complete_project && grep -q envdump specgate.yaml &&
	expect_exit 3 sg run >out 2>err &&
	test -s envdump && grep -q "^SPECGATE_RUN_ID=" envdump &&
	! grep -q "^SPECGATE_KEY_PASSWORD=" envdump &&
	B=$(latest) && expect_grep "^Cg==$" $B/logs/build.log &&
	nowhere "$PW" "$PW64" &&
	! grep -qF "$PW" out err && ! grep -qF "$PW64" out err &&
	sqlite3 .specgate/state.db .dump >dump && ! grep -qF "$PW" dump &&
	sg verify $B --key .specgate/keys/specgate.pub >/dev/null
'

test_expect_success 'credentials in URLs are masked in logs, documents, store, stderr, API, metrics' '
	signed_project sandbox && cat >>specgate.yaml <<-EOF &&
	stages:
	  build:
	    run: ["echo fetching $HEALTH; curl -fsS \"$HEALTH\" -o /dev/null", "echo tok-VALUE-42 done"]
	    env: {API_TOKEN: tok-VALUE-42}
	  deploy:
	    run: ["curl -fsS \"$HEALTH\" -o /dev/null"]
	    health: {url: "$HEALTH"}
	EOF
	sg run >out 2>err && B=$(latest) &&
	jq -e ".health[0].ok and .health[0].http_status == 200" $B/deploy.json &&
	grep -q "Authorization: Basic\|GET /healthz?token=abc123xyz" "$TRASH/srv.log" &&
	jq -e ".health_url == \"http://user:[REDACTED]@127.0.0.1:$PORT/healthz?token=[REDACTED]\"" $B/deploy.json &&
	expect_grep "^\$ curl -fsS \"http://user:\[REDACTED\]@127.0.0.1:$PORT/healthz?token=\[REDACTED\]\" -o /dev/null$" $B/logs/deploy.log &&
	expect_grep "^fetching http://user:\[REDACTED\]@127.0.0.1:$PORT/healthz?token=\[REDACTED\]$" $B/logs/build.log &&
	expect_grep "^\$ echo \[REDACTED\] done$" $B/logs/build.log &&
	expect_grep "^-- health http://user:\[REDACTED\]@" $B/logs/deploy.log &&
	jq -e ".signed.command[2] | test(\"REDACTED\")" $B/links/deploy.*.link &&
	sqlite3 .specgate/state.db .dump >dump &&
	serve_start && get /api/v1/runs/$(basename $B) >api.json &&
	get /api/v1/runs >runs.json && get /metrics >metrics.txt && get / >dash.html &&
	serve_stop &&
	jq -e ".run.run_id" api.json >/dev/null &&
	for w in s3cret abc123xyz tok-VALUE-42; do
		nowhere "$w" || exit 1
		! grep -qF "$w" out err serve.out serve.err || { echo "$w in stdout/stderr"; exit 1; }
	done
'

test_expect_success 'a failing health URL with credentials: masked in the detail and stderr' '
	signed_project sandbox && cat >>specgate.yaml <<-EOF &&
	stages:
	  deploy:
	    run: ["true"]
	    retries: 0
	    health: {url: "http://admin:pw-XYZ-9@127.0.0.1:$PORT/nothing?access_token=tk-QRS-7"}
	EOF
	expect_exit 1 sg run >out 2>err &&
	expect_grep "deploy: failure (attempt 1 of 1 failed: health check http://admin:\[REDACTED\]@127.0.0.1:$PORT/nothing?access_token=\[REDACTED\] failed 3 times: HTTP 404" out &&
	jq -e ".stages[] | select(.stage == \"deploy\") | .detail | test(\"admin:\\\\[REDACTED\\\\]@\")" $(latest)/manifest.json &&
	nowhere pw-XYZ-9 tk-QRS-7 &&
	! grep -qF pw-XYZ-9 out err && ! grep -qF tk-QRS-7 out err
'

test_expect_success 'specgate config masks stage secrets, the store password and URL tokens' '
	project && cat >>specgate.yaml <<-\EOF &&
	store: postgres://app:db-PW-77@db.example/prod
	secrets: [SESSION_BLOB]
	stages:
	  deploy:
	    run: ["curl https://deploy.example/hook?sig=sig-HOOK-5"]
	    env: {GITHUB_TOKEN: gh-TOK-1, SESSION_BLOB: blob-BLOB-2, REGION: eu-west-1}
	    health: {url: "http://ops:hp-HP-3@127.0.0.1:1/healthz"}
	EOF
	sg config >yaml.txt && sg config --json >json.txt &&
	for w in db-PW-77 sig-HOOK-5 gh-TOK-1 blob-BLOB-2 hp-HP-3; do
		! grep -qF "$w" yaml.txt json.txt || { echo "$w shown"; exit 1; }
	done &&
	expect_grep "^store: \"\?postgres://app:\[REDACTED\]@db.example/prod" yaml.txt &&
	expect_grep "REGION: eu-west-1" yaml.txt &&
	jq -e ".\"stages.deploy.env\".value == {GITHUB_TOKEN: \"[REDACTED]\", SESSION_BLOB: \"[REDACTED]\", REGION: \"eu-west-1\"}" json.txt &&
	jq -e ".store.value == \"postgres://app:[REDACTED]@db.example/prod\"" json.txt &&
	SPECGATE_DATABASE_URL=postgres://u:env-PW-8@h/db sg config >env.txt &&
	! grep -qF env-PW-8 env.txt
'

test_done
