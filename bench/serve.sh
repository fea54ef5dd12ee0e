#!/bin/bash
# bench/serve.sh - requests per second and latency of `specgate serve`
# against nginx serving static files of the same sizes, in the same go:
# wrk on the loopback, 64 connections, 10 s per measurement (issue #7:
# at least 0.7x nginx's requests per second, p99 no worse, under 8 MB
# resident idle).
#
# 1. A project with 3 real runs (specgate run) in bench/out/serve/.
# 2. specgate -q serve on a free port (no access log: nginx's is off too).
#    Its /healthz and /metrics bodies are saved as static files, and nginx
#    (a temporary config, `daemon off`, one worker per CPU, on another
#    free loopback port) serves those files.
# 3. For each of /healthz and /metrics: wrk against specgate, then against
#    nginx's copy, alternating, ROUNDS times (default 3); the medians of
#    requests/s and p99 latency, and the ratio specgate/nginx.
# 4. Resident memory of specgate idle (before) and after the load.
#
# Environment: ROUNDS (3), DURATION (10s), CONNS (64), THREADS (2), BUILD.
# Needs wrk, nginx, jq (tools/install-deps).  Noisy on a shared machine:
# read the ratio, not the absolute numbers.
set -eu
cd "$(dirname "$0")/.."
here=$PWD
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
BUILD=${BUILD:-$PWD/build}
SG=$BUILD/specgate
out=$PWD/bench/out/serve
rm -rf "$out"
mkdir -p "$out/project/features" "$out/www" "$out/nginx"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

cd "$out/project"
cp "$here/tests/data/seed/ping.feature" features/ 2>/dev/null ||
	printf '@resource:cpu=0.1,memory=128,storage=10,story_points=1\nFeature: P\n  Scenario: s\n    Given a\n    When b\n    Then c\n' >features/p.feature
printf 'project: bench\n' >specgate.yaml
for _ in 1 2 3; do "$SG" -q run; done
"$SG" -q serve --listen 127.0.0.1:0 >serve.out 2>serve.err &
pids+=($!)
sgpid=$!
for _ in $(seq 100); do
	url=$(sed -n 's/^listening on //p' serve.out)
	[ -n "$url" ] && break
	sleep 0.1
done
sleep 0.5
idle=$(rss_kb "$sgpid")
curl -sS "${url}healthz" >"$out/www/healthz"
curl -sS "${url}metrics" >"$out/www/metrics"

nport=$(free_port)
cat >"$out/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $out/nginx/nginx.pid;
error_log $out/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $out/nginx/body;
	proxy_temp_path $out/nginx/proxy;
	fastcgi_temp_path $out/nginx/fastcgi;
	uwsgi_temp_path $out/nginx/uwsgi;
	scgi_temp_path $out/nginx/scgi;
	default_type application/octet-stream;
	server {
		listen 127.0.0.1:$nport;
		root $out/www;
	}
}
EOF
nginx -c "$out/nginx/nginx.conf" -p "$out/nginx" &
pids+=($!)
for _ in $(seq 100); do
	curl -s -o /dev/null "http://127.0.0.1:$nport/healthz" && break
	sleep 0.1
done

# run URL -> "requests/s p99_ms" (wrk's latency distribution)
run() {
	wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$1" >"$out/wrk.txt"
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$out/wrk.txt")
	p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000}
		else if (v ~ /ms$/) sub(/ms$/,"",v); else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}
		print v}' "$out/wrk.txt")
	errs=$(awk '/Non-2xx|Socket errors/' "$out/wrk.txt")
	[ -z "$errs" ] || echo "  $1: $errs" >&2
	echo "$rps $p99"
}

median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

echo "wrk -t$THREADS -c$CONNS -d$DURATION, $ROUNDS rounds, alternating; $(nproc) CPUs"
for path in healthz metrics; do
	: >"$out/sg.$path"
	: >"$out/ng.$path"
	for _ in $(seq "$ROUNDS"); do
		run "${url}$path" >>"$out/sg.$path"
		run "http://127.0.0.1:$nport/$path" >>"$out/ng.$path"
	done
	s_rps=$(cut -d' ' -f1 "$out/sg.$path" | median)
	n_rps=$(cut -d' ' -f1 "$out/ng.$path" | median)
	s_p99=$(cut -d' ' -f2 "$out/sg.$path" | median)
	n_p99=$(cut -d' ' -f2 "$out/ng.$path" | median)
	printf '/%-8s %6s bytes  specgate %9.0f req/s p99 %7.2f ms | nginx %9.0f req/s p99 %7.2f ms | ratio %.2fx\n' \
	    "$path" "$(stat -c %s "$out/www/$path")" "$s_rps" "$s_p99" "$n_rps" "$n_p99" \
	    "$(echo "$s_rps / $n_rps" | bc -l)"
done
echo "specgate resident memory: idle ${idle} kB, after the load $(rss_kb "$sgpid") kB"
