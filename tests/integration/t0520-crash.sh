#!/usr/bin/env bash
# t0520-crash: `specgate run` killed with SIGKILL at any moment leaves no
# incomplete bundle under a final name, a `latest` that names a complete
# bundle, and a trail that `audit verify` accepts; the next run succeeds
# and closes (or publishes) what the dead ones left.
#
# Two ways to pick the moment: strace's fault injection kills the run at
# the K-th call of each system call that makes something durable or
# visible (fsync, fdatasync, mkdirat, renameat2, renameat, symlinkat,
# openat2), one run per call, so that every step of the publishing order
# is hit exactly; and 100 kills after a random delay within the time a run
# takes on this machine (measured first), for whatever lies between.  Bundles are checked with jq and sha256sum (bundle.sh), not
# with specgate.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"

# active_bundles_ok: the bundles under reports/<fid>/ not checked yet (a
# complete bundle never changes), and latest names one of them.
declare -A checked
active_bundles_ok() {
	local d l
	for d in $(find reports -mindepth 2 -maxdepth 2 -type d \
		-regextype posix-extended -regex 'reports/[0-9a-f]{12}/[0-9]{14}(-[0-9]+)?'); do
		[ -n "${checked[$d]:-}" ] && continue
		bundle_ok "$d" || return 1
		checked[$d]=1
	done
	for l in reports/[0-9a-f]*/latest; do
		[ -e "$l" ] || [ ! -L "$l" ] || { echo "$l dangles"; return 1; }
		[ -L "$l" ] || continue
		[ -n "${checked[$(dirname $l)/$(readlink $l)]:-}" ] ||
			{ echo "$l names an unchecked bundle"; return 1; }
	done
}

# after_crash WHAT: the invariants, and the trail verified.
after_crash() {
	active_bundles_ok || { echo "after $1"; return 1; }
	sg audit verify >v.out 2>&1 || { echo "after $1:"; cat v.out; return 1; }
}

# recovered: the next run succeeds and nothing is left running or staged.
recovered() {
	sg run -q || return 1
	sg --json runs | jq -e '[.[] | select(.status == "running")] | length == 0' >/dev/null ||
		{ echo "runs left running:"; sg runs; return 1; }
	[ -z "$(find reports -name '.staging-*')" ] ||
		{ echo "staging left:"; find reports -name '.*'; return 1; }
	sg audit verify >v.out || { cat v.out; return 1; }
	bundles_ok
}

if command -v strace >/dev/null 2>&1 &&
    strace -f -qq -o /dev/null -e trace=none true 2>/dev/null; then
	test_expect_success 'killed at every durable step (strace fault injection)' '
		project && printf "retention: {active_runs: 3}\n" >>specgate.yaml &&
		sg run -q && kills=0 &&
		for call in fsync fdatasync mkdirat renameat2 renameat symlinkat openat2; do
			n=$(strace -f -qq -o /dev/stdout -e trace=$call "$SPECGATE" run -q |
			    grep -c "^[0-9]* *$call(") &&
			for k in $(seq 1 $n); do
				# (strace injects only into traced calls)
				strace -f -qq -o /dev/null -e trace=$call \
				    -e inject=$call:signal=KILL:when=$k \
				    "$SPECGATE" run -q >/dev/null 2>&1
				rc=$?
				[ $rc = 137 ] && kills=$((kills + 1))
				after_crash "$call #$k" || exit 1
			done
		done &&
		echo "$kills runs killed" && test "$kills" -ge 20 &&
		recovered
	'
else
	echo "ok 1 - killed at every durable step # SKIP strace cannot trace here"
	_n=1
fi

# usecs: a run's wall time in microseconds, measured on this machine now,
# so that the random delays below fall inside a run however fast it is.
usecs() {
	local t0 t1
	t0=$(date +%s%N) && sg run -q && t1=$(date +%s%N) &&
	echo $(( (t1 - t0) / 1000 ))
}

test_expect_success '100 SIGKILLs at random moments' '
	project && printf "retention: {active_runs: 5}\n" >>specgate.yaml &&
	us=$(usecs) && us2=$(usecs) && us=$(( (us + us2) / 2 )) &&
	echo "a run takes about $us us" &&
	for i in $(seq 1 100); do
		"$SPECGATE" run -q >/dev/null 2>&1 &
		pid=$!
		d=$(( RANDOM * us / 32768 ))
		sleep "$(printf "%d.%06d" $((d / 1000000)) $((d % 1000000)))"
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
		active_bundles_ok || { echo "after kill $i"; exit 1; }
		if [ $((i % 20)) = 0 ]; then
			sg audit verify >v.out 2>&1 || { echo "after kill $i:"; cat v.out; exit 1; }
		fi
	done &&
	sg audit verify >v.out && bundles_ok && recovered &&
	sg --json runs | jq -r ".[].status" | sort | uniq -c
'

test_done
