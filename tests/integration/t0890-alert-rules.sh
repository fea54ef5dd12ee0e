#!/usr/bin/env bash
# t0890-alert-rules: the Prometheus alerting rules of examples/prometheus/
# pass `promtool check rules` and their unit tests (`promtool test rules`:
# a service down for a minute, a failed deploy, a failed rollback, an
# approval waiting a day, a release down, a release above 90 % of its
# memory limit), and the specgate series they use are what a
# real `specgate serve` exports after a real failed deploy (scraped with
# curl, the exposition checked with `promtool check metrics`).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/serve.sh"

RULES=$SG_TEST_ROOT/../examples/prometheus

test_expect_success 'promtool check rules' '
	promtool check rules "$RULES/specgate-alerts.yml" >out &&
	expect_grep "SUCCESS: 7 rules found" out
'

test_expect_success 'promtool test rules' '
	cp "$RULES"/specgate-alerts.yml "$RULES"/specgate-alerts.test.yml . &&
	promtool test rules specgate-alerts.test.yml
'

test_expect_success 'the series the rules use are exported by specgate serve' '
	project && cat >>specgate.yaml <<-EOF &&
	stages:
	  deploy:
	    run: ["false"]
	    retries: 0
	EOF
	expect_exit 1 sg run >out 2>&1 && serve_start &&
	curl -fsS "${URL}metrics" >metrics && serve_stop &&
	promtool check metrics <metrics &&
	grep -qx "specgate_checkpoints_total{stage=\"deploy\",status=\"failure\"} 1" metrics &&
	grep -qx "specgate_checkpoints_total{stage=\"deploy\",status=\"rolled_back\"} 0" metrics &&
	grep -qx "specgate_approvals_waiting 0" metrics &&
	grep -qx "specgate_store_up 1" metrics &&
	for m in $(grep -o "specgate_[a-z_]*" "$RULES/specgate-alerts.yml" | sort -u); do
		case $m in
		# families of deployed releases: none here, so no samples
		# (t1150 has them); the family must be there all the same
		specgate_release_*) grep -q "^# TYPE $m " metrics ;;
		*) grep -q "^$m" metrics ;;
		esac || { echo "not exported: $m"; exit 1; }
	done
'

test_done
