#!/usr/bin/env bash
# t1150-release-metrics: `specgate serve` watching what the local target
# deployed (docs/deploy.md, "Watching after deploy").  A release is
# deployed with the real binary, the service started on the loopback, and
# /metrics checked with promtool and against what this script reads
# itself: the release's cgroup files (cgroup v1 or v2) or /proc of its
# process group (setrlimit), its supervisor's state file (jq).  Then the
# release's service is killed (the supervisor restarts it: the restart is
# counted) and its supervisor stopped (the release is down).  Waits poll
# for a state; nothing asserts how long anything took.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/serve.sh"
. "$(dirname "$0")/local.sh"
trap 'while read -r p; do kill -KILL "$p" 2>/dev/null; done <"$SERVE_PIDS"; local_cleanup' EXIT

# value NAME{LABELS}: the sample's value in metrics.txt
value() {
	grep -v '^#' metrics.txt | grep -F "$1 " | awk '{print $2}'
}

# scrape: /metrics into metrics.txt, after the cached body expired (1 s)
scrape() {
	sleep 1.1 && get /metrics >metrics.txt
}

# until_metric SERIES WANT: scrape until the series has the value WANT
# (at most 60 tries)
until_metric() {
	for _ in $(seq 60); do
		scrape && [ "$(value "$1")" = "$2" ] && return 0
	done
	echo "$1 is not $2:" >&2
	grep -F "${1%%\{*}" metrics.txt >&2
	return 1
}

# cpu_ticks PGID: utime+stime+cutime+cstime of the group's live members
cpu_ticks() {
	local t=0 f
	for f in /proc/[0-9]*/stat; do
		f=$(sed 's/.*) //' "$f" 2>/dev/null) || continue
		set -- $f
		[ "${1:-Z}" != Z ] && [ "${3:-}" = "$P" ] || continue
		t=$((t + ${12} + ${13} + ${14} + ${15}))
	done
	echo $t
}

# rss_bytes PGID: resident memory of the group's live members
rss_bytes() {
	local r=0 f
	for f in /proc/[0-9]*/stat; do
		f=$(sed 's/.*) //' "$f" 2>/dev/null) || continue
		set -- $f
		[ "${1:-Z}" != Z ] && [ "${3:-}" = "$P" ] || continue
		r=$((r + ${22} * $(getconf PAGESIZE)))
	done
	echo $r
}

# what the release uses, read here: CPU in seconds, memory and its limit
# in bytes (sets CPU, MEM, LIMIT), by the mechanism deploy.json names
read_usage() {
	P=$(jq -r .pid .specgate/releases/$rel.state.json)
	case $mech in
	cgroup2)
		g=$(jq -r ".local.limits.cgroups[0]" $d) &&
		CPU=$(awk "/^usage_usec / {printf \"%.6f\", \$2 / 1e6}" $g/cpu.stat) &&
		MEM=$(cat $g/memory.current) && LIMIT=$(cat $g/memory.max) ;;
	cgroup1)
		c=$(jq -r ".local.limits.cgroups[0]" $d) &&
		m=$(jq -r ".local.limits.cgroups[1]" $d) &&
		if [ -f $c/cpuacct.usage ]; then
			CPU=$(awk "{printf \"%.6f\", \$1 / 1e9}" $c/cpuacct.usage)
		else
			CPU=$(awk -v t="$(P=$P cpu_ticks)" -v hz="$(getconf CLK_TCK)" "BEGIN {printf \"%.6f\", t / hz}")
		fi &&
		MEM=$(cat $m/memory.usage_in_bytes) && LIMIT=$(cat $m/memory.limit_in_bytes) ;;
	rlimit)
		CPU=$(awk -v t="$(cpu_ticks)" -v hz="$(getconf CLK_TCK)" "BEGIN {printf \"%.6f\", t / hz}") &&
		MEM=$(rss_bytes) && LIMIT=$((200 << 20)) ;;
	*) return 1 ;;
	esac
}

# the deployed project, shared by the tests below
P=
PROJ=$TRASH/project
mkdir -p "$PROJ"
LIMITS=
[ -n "$CGROUPS" ] || LIMITS='    limits: rlimit'

test_expect_success 'a deployed release is up, with its cgroup'"'"'s or /proc'"'"'s figures; promtool passes' '
	cd "$PROJ" && port=$(free_port) && local_project $port 0.3 200 &&
	echo "    start: \"exec python3 dist/svc.py\"" >>specgate.yaml &&
	{ [ -z "$LIMITS" ] || echo "$LIMITS" >>specgate.yaml; } &&
	printf "serve:\n  release_probe: 1s\n" >>specgate.yaml &&
	sg run >out 2>&1 && expect_grep "^deploy: success" out &&
	d=$(dj) && rel=$(jq -r .run_id $d) && mech=$(jq -r .local.mechanism $d) &&
	echo "$rel" >../rel && echo "$mech" >../mech && echo "$d" >../dj &&
	serve_start && echo "$URL" >../url && echo "$SERVE_PID" >../serve.pid &&
	scrape && promtool check metrics <metrics.txt &&
	for f in specgate_release_up specgate_release_current specgate_release_restarts_total \
	    specgate_release_cpu_seconds_total specgate_release_memory_bytes \
	    specgate_release_memory_limit_bytes; do
		grep -q "^# HELP $f " metrics.txt && grep -q "^# TYPE $f " metrics.txt || { echo "$f"; exit 1; }
	done &&
	l="{release=\"$rel\",environment=\"\"}" &&
	test "$(value "specgate_release_up$l")" = 1 &&
	test "$(value "specgate_release_current$l")" = 1 &&
	test "$(value "specgate_release_restarts_total$l")" = 0 &&
	read_usage && cpu0=$CPU && mem0=$MEM &&
	scrape && read_usage &&
	echo "read: cpu $cpu0..$CPU memory $mem0/$MEM limit $LIMIT" &&
	grep "^specgate_release_" metrics.txt &&
	test "$(value "specgate_release_memory_limit_bytes$l")" = "$LIMIT" &&
	test "$LIMIT" = $((200 << 20)) &&
	m=$(value "specgate_release_memory_bytes$l") &&
	awk -v m="$m" -v a="$mem0" -v b="$MEM" "BEGIN { lo = a < b ? a : b; hi = a > b ? a : b; exit !(m > 0 && m >= lo / 2 && m <= hi * 2) }" &&
	c=$(value "specgate_release_cpu_seconds_total$l") &&
	awk -v c="$c" -v a="$cpu0" -v b="$CPU" "BEGIN { exit !(c > 0 && c >= a && c <= b) }"
'

test_expect_success 'the release killed: its supervisor restarts it, and the restart is counted' '
	cd "$PROJ" && rel=$(cat ../rel) && URL=$(cat ../url) &&
	l="{release=\"$rel\",environment=\"\"}" &&
	st=.specgate/releases/$rel.state.json && old=$(jq -r .pid $st) &&
	kill -9 "$old" &&
	for _ in $(seq 100); do
		jq -e ".restarts == 1 and .state == \"running\"" $st >/dev/null && break
		sleep 0.2
	done &&
	jq -e ".restarts == 1 and .state == \"running\" and .pid != $old" $st &&
	until_metric "specgate_release_restarts_total$l" 1 &&
	until_metric "specgate_release_up$l" 1 &&
	promtool check metrics <metrics.txt
'

test_expect_success 'the release stopped: up 0, and no figures for it' '
	cd "$PROJ" && rel=$(cat ../rel) && URL=$(cat ../url) &&
	l="{release=\"$rel\",environment=\"\"}" &&
	sup=$(jq -r .supervisor_pid .specgate/releases/$rel.json) &&
	kill -TERM "$sup" &&
	for _ in $(seq 100); do alive "$sup" || break; sleep 0.2; done &&
	! alive "$sup" &&
	jq -e ".state == \"stopped\"" .specgate/releases/$rel.state.json &&
	until_metric "specgate_release_up$l" 0 &&
	test "$(value "specgate_release_current$l")" = 1 &&
	test "$(value "specgate_release_restarts_total$l")" = 1 &&
	! grep -q "^specgate_release_memory_bytes" metrics.txt &&
	! grep -q "^specgate_release_cpu_seconds_total" metrics.txt &&
	promtool check metrics <metrics.txt &&
	kill -TERM "$(cat ../serve.pid)"
'

if [ -n "$CGROUPS" ]; then
test_expect_success 'setrlimit: the figures of /proc of the release'"'"'s process group' '
	port=$(free_port) && local_project $port 0.3 200 &&
	printf "    start: \"exec python3 dist/svc.py\"\n    limits: rlimit\n" >>specgate.yaml &&
	sg run >out 2>&1 && expect_grep "^deploy: success" out &&
	d=$(dj) && rel=$(jq -r .run_id $d) && mech=$(jq -r .local.mechanism $d) &&
	test "$mech" = rlimit && l="{release=\"$rel\",environment=\"\"}" &&
	serve_start && read_usage && cpu0=$CPU && mem0=$MEM &&
	scrape && read_usage && promtool check metrics <metrics.txt &&
	test "$(value "specgate_release_up$l")" = 1 &&
	test "$(value "specgate_release_memory_limit_bytes$l")" = $((200 << 20)) &&
	m=$(value "specgate_release_memory_bytes$l") &&
	awk -v m="$m" -v a="$mem0" -v b="$MEM" "BEGIN { lo = a < b ? a : b; hi = a > b ? a : b; exit !(m > 0 && m >= lo / 2 && m <= hi * 2) }" &&
	c=$(value "specgate_release_cpu_seconds_total$l") &&
	awk -v c="$c" -v a="$cpu0" -v b="$CPU" "BEGIN { exit !(c > 0 && c >= a && c <= b) }" &&
	serve_stop
'
fi

test_done
