#!/bin/bash
# bench/soak.sh - `specgate serve` under a bounded mixed load for a long
# time, on the loopback (issue #12): does its memory or its descriptor
# count grow, and does every /healthz probe get 200?
#
# 1. A project with 3 real runs (specgate run) in bench/out/soak/.
# 2. specgate -q serve on a free port, default limits.
# 3. For SOAK_SECONDS (default 1800): wrk, one thread and WRK_CONNS (4)
#    connections each waiting WRK_DELAY_MS (5) ms between requests,
#    rotating over /healthz, /metrics, /api/v1/runs, one run, the audit
#    trail and the dashboard (a bounded rate, so the machine stays
#    usable); bench/soak-clients.py: 100 slow clients that reconnect when
#    closed, 20 dropped connections a second, a /healthz probe every
#    0.5 s.
# 4. The serve process's resident memory and open descriptors (from
#    /proc/PID), split into sockets and others, sampled after WARMUP
#    seconds (default 60) and every SAMPLE seconds (30) until the end;
#    after the load stops, the sockets again once the connections have
#    closed.
# 5. Verdict: RSS at the end within 10 % of after warm-up; no more
#    non-socket descriptors at the end than the most seen in the first
#    half after warm-up (the store pools up to 16 idle connections, opened
#    as concurrency peaks: a leak keeps growing); the sockets back to
#    where they were before the load; every probe answered 200.
#    Exit 0 when all hold, 1 otherwise.
#
# Environment: SOAK_SECONDS, WARMUP, SAMPLE, WRK_CONNS, WRK_DELAY_MS,
# BUILD; soak-clients.py's SLOW, DROPS, PROBE_MS.  Needs wrk, jq, python3.
# Run it under `nice`: it is meant to share the machine.
set -eu
cd "$(dirname "$0")/.."
here=$PWD
SOAK_SECONDS=${SOAK_SECONDS:-1800}
WARMUP=${WARMUP:-60}
SAMPLE=${SAMPLE:-30}
WRK_CONNS=${WRK_CONNS:-4}
WRK_DELAY_MS=${WRK_DELAY_MS:-5}
BUILD=${BUILD:-$PWD/build}
SG=$BUILD/specgate
out=$PWD/bench/out/soak
rm -rf "$out"
mkdir -p "$out/project/features"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# "sockets others" among the descriptors of pid $1
fds() {
	ls -l "/proc/$1/fd" 2>/dev/null |
	    awk '/-> socket:/ {s++} / -> / {n++} END {print s + 0, n - s}'
}

cd "$out/project"
printf '@resource:cpu=0.1,memory=128,storage=10,story_points=1\nFeature: P\n  Scenario: s\n    Given a service\n    When I call GET /ping\n    Then I receive a 200 OK\n' >features/p.feature
printf 'project: soak\n' >specgate.yaml
for _ in 1 2 3; do "$SG" -q run; done
rid=$("$SG" --json runs | jq -r '.[0].run_id')
"$SG" -q serve --listen 127.0.0.1:0 >serve.out 2>serve.err &
sgpid=$!
pids+=("$sgpid")
for _ in $(seq 100); do
	url=$(sed -n 's/^listening on //p' serve.out)
	[ -n "$url" ] && break
	sleep 0.1
done
[ -n "$url" ] || { echo "serve did not start" >&2; cat serve.err >&2; exit 1; }
port=${url##*:}
port=${port%/}
sleep 0.5
read -r sock0 other0 <<<"$(fds "$sgpid")"
rss0=$(rss_kb "$sgpid")

cat >"$out/mix.lua" <<EOF
local paths = {"/healthz", "/metrics", "/api/v1/runs", "/api/v1/runs/$rid",
	"/api/v1/audit?limit=50", "/"}
local i = 0
request = function()
	i = i % #paths + 1
	return wrk.format("GET", paths[i])
end
delay = function() return $WRK_DELAY_MS end
EOF
wrk -t1 -c"$WRK_CONNS" -d"${SOAK_SECONDS}s" --timeout 10s --latency \
	-s "$out/mix.lua" "$url" >"$out/wrk.txt" 2>&1 &
pids+=($!)
wrkpid=$!
python3 "$here/bench/soak-clients.py" "$port" "$SOAK_SECONDS" \
	>"$out/clients.txt" 2>&1 &
pids+=($!)
clipid=$!

echo "t_s rss_kb sockets other_fds" >"$out/samples.txt"
start=$(date +%s)
sleep "$WARMUP"
read -r sockw otherw <<<"$(fds "$sgpid")"
rssw=$(rss_kb "$sgpid")
echo "$WARMUP $rssw $sockw $otherw" >>"$out/samples.txt"
# The most non-socket descriptors seen in the first half after warm-up:
# the store keeps up to 16 idle connections, opened as concurrency peaks,
# so a leak is growth past what the first half reached.
half=$((WARMUP + (SOAK_SECONDS - WARMUP) / 2))
otherh=$otherw
rss1=$rssw
sock1=$sockw
other1=$otherw
while :; do
	now=$(date +%s)
	left=$((start + SOAK_SECONDS - now))
	[ "$left" -gt 3 ] || break
	sleep $((left - 3 < SAMPLE ? left - 3 : SAMPLE))
	read -r sock1 other1 <<<"$(fds "$sgpid")"
	rss1=$(rss_kb "$sgpid")
	t=$(($(date +%s) - start))
	echo "$t $rss1 $sock1 $other1" >>"$out/samples.txt"
	[ "$t" -gt "$half" ] || [ "$other1" -le "$otherh" ] || otherh=$other1
done
wait "$wrkpid" || true
clients_ok=0
wait "$clipid" && clients_ok=1
# Once the load stopped, every connection closes within the header
# deadline (10 s) at most.
for _ in $(seq 150); do
	read -r sock2 other2 <<<"$(fds "$sgpid")"
	[ "$sock2" -le "$sock0" ] && break
	sleep 0.1
done
kill -TERM "$sgpid"
wait "$sgpid" || true

echo "soak: ${SOAK_SECONDS} s, warm-up ${WARMUP} s, wrk -t1 -c$WRK_CONNS with ${WRK_DELAY_MS} ms between requests"
sed -n '/Latency  /p;/requests in/p;/Requests\/sec/p;/Non-2xx/p;/Socket errors/p' "$out/wrk.txt" | sed 's/^/  wrk: /'
sed 's/^/  clients: /' "$out/clients.txt"
echo "  samples (t_s rss_kb sockets other_fds):"
sed 's/^/    /' "$out/samples.txt"
echo "  RSS: idle $rss0 kB, after warm-up $rssw kB, at the end $rss1 kB"
echo "  descriptors: idle $sock0 sockets + $other0 others; after warm-up $sockw + $otherw; first half at most $otherh others; at the end $sock1 + $other1; load stopped $sock2 + $other2"
echo "  serve's log: $(grep -c . serve.err) lines; last: $(tail -1 serve.err)"
verdict=PASS
if [ $((rss1 * 100)) -gt $((rssw * 110)) ]; then
	echo "  FAIL: RSS grew by more than 10 % after warm-up"
	verdict=FAIL
fi
if [ "$other1" -gt "$otherh" ] || [ "$other2" -gt "$otherh" ]; then
	echo "  FAIL: non-socket descriptors grew past the first half's $otherh"
	verdict=FAIL
fi
if [ "$sock2" -gt "$sock0" ]; then
	echo "  FAIL: $sock2 sockets open after the load stopped (idle: $sock0)"
	verdict=FAIL
fi
if [ "$clients_ok" != 1 ]; then
	echo "  FAIL: a /healthz probe did not get 200"
	verdict=FAIL
fi
echo "verdict: $verdict"
[ "$verdict" = PASS ]
