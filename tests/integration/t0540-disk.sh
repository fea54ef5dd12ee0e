#!/usr/bin/env bash
# t0540-disk: a full disk and a read-only reports directory give a clear
# error and exit 5, leave no bundle (and no staging directory) behind, and
# keep the trail consistent (`audit verify` passes); the next run on a
# healthy disk succeeds.  The full disk is a 64 KiB tmpfs as the reports
# root, filled to several levels so that the failure lands on different
# files; read-only is a read-only remount of it, an immutable directory
# (chattr +i) and an unprivileged user (setpriv).  Cases that need root or
# a facility this machine lacks print "ok N - ... # SKIP why".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"

# Tests run in subshells: what they mount or make immutable is found again
# here, under $TRASH, deepest first.
cleanup() {
	local m
	for m in $(awk -v t="$TRASH/" 'index($2, t) == 1 { print $2 }' /proc/mounts |
	    sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
	[ "$(id -u)" != 0 ] || chattr -R -i "$TRASH" 2>/dev/null
	rm -rf "$TRASH"
}
trap cleanup EXIT

# skip DESC WHY: a skipped test in TAP.
skip() {
	_n=$((_n + 1))
	echo "ok $_n - $1 # SKIP $2"
}

# a tmpfs of 64 KiB can be mounted here
can_mount() {
	local d=$TRASH/probe
	mkdir -p "$d" && mount -t tmpfs -o size=64k tmpfs "$d" 2>/dev/null &&
	    umount "$d"
}

# clean_after_failure: nothing under a final name, no staging left, the
# trail verified, no run left running.
clean_after_failure() {
	bundles_ok reports &&
	test -z "$(find reports -name ".staging-*" -o -name ".new-*")" &&
	sg audit verify >v.out 2>&1 || { cat v.out; return 1; }
	sg --json runs | jq -e "all(.[]; .status != \"running\")" >/dev/null
}

if can_mount; then
	test_expect_success 'a full reports disk: exit 5, no bundle, trail consistent' '
		project && mkdir reports && mount -t tmpfs -o size=64k tmpfs reports &&
		sg run -q &&
		failed=0 &&
		for free in 0 4 8 12 16 20; do
			rm -f reports/fill &&
			avail=$(df -k --output=avail reports | tail -1) &&
			pages=$(( (avail - free) / 4 )) &&
			{ [ "$pages" -le 0 ] || dd if=/dev/zero of=reports/fill bs=4k \
			    count=$pages status=none 2>/dev/null; true; } &&
			sg run -q 2>err; rc=$?
			if [ $rc = 5 ]; then
				failed=$((failed + 1))
				grep -q "No space left on device" err || { cat err; exit 1; }
			elif [ $rc != 0 ]; then
				echo "exit $rc with $free KiB free"; cat err; exit 1
			fi
			clean_after_failure || { echo "with $free KiB free"; exit 1; }
		done &&
		echo "$failed runs failed for lack of space" && test $failed -ge 3 &&
		rm -f reports/fill && sg run -q && bundles_ok reports &&
		sg audit verify >/dev/null
	'

	test_expect_success 'a read-only reports file system: exit 5' '
		project && mkdir reports && mount -t tmpfs -o size=64k tmpfs reports &&
		sg run -q && mount -o remount,ro reports &&
		expect_exit 5 sg run -q 2>err &&
		expect_grep "Read-only file system" err &&
		clean_after_failure && mount -o remount,rw reports && sg run -q
	'
else
	skip 'a full reports disk: exit 5, no bundle, trail consistent' \
	    'cannot mount a tmpfs here (not root?)'
	skip 'a read-only reports file system: exit 5' \
	    'cannot mount a tmpfs here (not root?)'
fi

if [ "$(id -u)" = 0 ] && mkdir -p "$TRASH/ci" && chattr +i "$TRASH/ci" 2>/dev/null &&
    chattr -i "$TRASH/ci"; then
	test_expect_success 'an immutable reports directory (chattr +i): exit 5' '
		project && sg run -q && chattr +i reports/$(sg id) &&
		expect_exit 5 sg run -q 2>err &&
		expect_grep "Operation not permitted" err &&
		clean_after_failure &&
		chattr -i reports/$(sg id) && sg run -q
	'
else
	skip 'an immutable reports directory (chattr +i): exit 5' \
	    'chattr +i needs root and a file system that supports it'
fi

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	test_expect_success 'a reports directory the user may not write: exit 5' '
		chmod 755 "$TRASH" . && project && sg run -q &&
		chmod -R a+rwX . && chmod 755 reports reports/* &&
		as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; } &&
		expect_exit 5 as_nobody "$SPECGATE" run -q 2>err &&
		expect_grep "Permission denied" err &&
		as_nobody "$SPECGATE" audit verify >/dev/null &&
		clean_after_failure
	'
else
	skip 'a reports directory the user may not write: exit 5' \
	    'setpriv needs root'
fi

test_done
