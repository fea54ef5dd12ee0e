#!/usr/bin/env bash
# t1110-metrics: /metrics against `promtool check metrics` and a real
# Prometheus scraping the service on the loopback; figures compared with
# what the store says through other tools (specgate's CLI JSON, sqlite3).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/serve.sh"

# A free loopback TCP port (the kernel's choice), for Prometheus.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# value NAME{LABELS}: the sample's value in metrics.txt
value() {
	grep -v '^#' metrics.txt | grep -F "$1 " | awk '{print $2}'
}

test_expect_success 'promtool check metrics passes; every family has HELP and TYPE' '
	runs_project && serve_start && get /metrics -D h >metrics.txt &&
	grep -qi "^content-type: text/plain; version=0.0.4" h &&
	promtool check metrics <metrics.txt &&
	for f in health_up specgate_build_info specgate_runs specgate_stage_duration_seconds \
	    specgate_stage_attempts_total specgate_stage_retries_total specgate_gate_results \
	    specgate_approvals_waiting specgate_audit_records specgate_audit_verify_ok \
	    specgate_checkpoints_total process_resident_memory_bytes process_open_fds \
	    process_start_time_seconds; do
		grep -q "^# HELP $f " metrics.txt && grep -q "^# TYPE $f " metrics.txt || { echo "$f"; exit 1; }
	done &&
	test "$(grep -c "^# TYPE" metrics.txt)" = "$(grep -c "^# HELP" metrics.txt)" &&
	test -z "$(grep -v "^#" metrics.txt | sed "s/ [^ ]*$//" | sort | uniq -d)" &&
	serve_stop
'

test_expect_success 'the figures are the store'"'"'s' '
	runs_project && serve_start && get /metrics >metrics.txt &&
	test "$(value health_up)" = 1 &&
	grep -q "^specgate_build_info{version=\"$(sg version | cut -d" " -f2)\",commit=\"[0-9a-f]*\"} 1$" metrics.txt &&
	test "$(value "specgate_runs{mode=\"sandbox\",status=\"success\"}")" = 2 &&
	test "$(value "specgate_runs{mode=\"compliance\",status=\"success\"}")" = 1 &&
	test "$(value "specgate_runs{mode=\"compliance\",status=\"failure\"}")" = 1 &&
	test "$(value specgate_approvals_waiting)" = 0 &&
	n=$(sg --json audit log | jq length) &&
	test "$(value specgate_audit_records)" = "$n" &&
	test "$(value specgate_audit_verify_ok)" = 1 &&
	for st in preflight validate audit; do
		for s in success skipped failure; do
			want=$(sqlite3 .specgate/state.db "select count(*) from audit_records where stage=\"$st\" and status=\"$s\"") &&
			test "$(value "specgate_checkpoints_total{stage=\"$st\",status=\"$s\"}")" = "$want" || exit 1
		done
	done &&
	test "$(value "specgate_stage_duration_seconds_bucket{stage=\"preflight\",le=\"+Inf\"}")" = \
	    "$(value "specgate_stage_duration_seconds_count{stage=\"preflight\"}")" &&
	test "$(value "specgate_stage_duration_seconds_count{stage=\"preflight\"}")" = 4 &&
	test "$(value "specgate_stage_duration_seconds_count{stage=\"validate\"}")" = 1 &&
	test "$(value "specgate_stage_attempts_total{stage=\"preflight\"}")" = 4 &&
	test "$(value "specgate_stage_retries_total{stage=\"preflight\"}")" = 0 &&
	for o in pass:success warning:warning fail:failure; do
		want=$(sqlite3 .specgate/state.db "select count(*) from audit_records where stage=\"preflight\" and status=\"${o#*:}\" and output=\"spec-validation-report.json\"") &&
		test "$(value "specgate_gate_results{gate=\"spec\",outcome=\"${o%:*}\"}")" = "$want" || exit 1
	done &&
	test "$(value "specgate_gate_results{gate=\"spec\",outcome=\"pass\"}")" -gt 0 &&
	rss=$(value process_resident_memory_bytes) && test "$rss" -gt 100000 &&
	test "$(value process_open_fds)" -gt 2 &&
	start=$(value process_start_time_seconds) && now=$(date +%s) &&
	awk -v s="$start" -v n="$now" "BEGIN { exit !(s > n - 600 && s <= n + 1) }" &&
	serve_stop
'

test_expect_success 'label values from the store are escaped; promtool still passes' '
	project && sg run -q &&
	cat >ins.sql <<-\EOF2 &&
	insert into runs (feature_id, run_id, mode, status, started_at)
	values ('"'"'aaaaaaaaaaaa'"'"', '"'"'20200101000000'"'"', '"'"'we"ird\mo'"'"'|| char(10) || '"'"'de'"'"',
	    '"'"'success'"'"', '"'"'2020-01-01T00:00:00Z'"'"');
	EOF2
	cat >want.txt <<-\EOF2 &&
	specgate_runs{mode="we\"ird\\mo\nde",status="success"} 1
	EOF2
	sqlite3 .specgate/state.db <ins.sql &&
	serve_start && get /metrics >metrics.txt &&
	promtool check metrics <metrics.txt &&
	grep -qxFf want.txt metrics.txt &&
	serve_stop
'

test_expect_success 'a real Prometheus scrapes the service: health_up is 1' '
	runs_project && serve_start && pport=$(free_port) &&
	target=$(echo "$URL" | sed "s|^http://||; s|/$||") &&
	cat >prom.yml <<-EOF2 &&
	global: {scrape_interval: 1s, evaluation_interval: 1s}
	scrape_configs:
	  - job_name: specgate
	    static_configs: [{targets: ["$target"]}]
	EOF2
	promtool check config prom.yml &&
	{ prometheus --config.file=prom.yml --storage.tsdb.path=tsdb \
	    --web.listen-address=127.0.0.1:$pport >prom.log 2>&1 & } &&
	ppid=$! && echo $ppid >>"$SERVE_PIDS" &&
	v= && for _ in $(seq 1 60); do
		v=$(curl -sS --max-time 2 "http://127.0.0.1:$pport/api/v1/query?query=health_up" 2>/dev/null |
		    jq -r ".data.result[0].value[1] // empty" 2>/dev/null) &&
		[ "$v" = 1 ] && break
		sleep 1
	done &&
	echo "health_up from Prometheus: $v" && test "$v" = 1 &&
	r=$(curl -sS "http://127.0.0.1:$pport/api/v1/query" --data-urlencode "query=sum(specgate_runs)" |
	    jq -r ".data.result[0].value[1]") && test "$r" = 4 &&
	u=$(curl -sS "http://127.0.0.1:$pport/api/v1/query?query=up" | jq -r ".data.result[0].value[1]") &&
	test "$u" = 1 &&
	kill $ppid && wait $ppid; serve_stop
'

test_done
