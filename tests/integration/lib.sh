# tests/integration/lib.sh - the shared helper of the integration scripts,
# after git's test-lib.sh.  Each script sources it, then calls
#
#	test_expect_success 'what it checks' '
#		commands; the last status decides
#	'
#
# and ends with test_done.  Each test runs in a fresh scratch directory
# ($TRASH, removed at the end) under `set -e`-like && chains of its own; the
# output is TAP so that tests/run can count it.  $SPECGATE is the binary.
set -u
: "${SPECGATE:?set SPECGATE to the specgate binary}"
: "${SG_TEST_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
DATA=$SG_TEST_ROOT/data
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/specgate-test.XXXXXX")
trap 'rm -rf "$TRASH"' EXIT
_n=0
_fail=0
unset $(env | sed -n 's/^\(SPECGATE_[A-Z_]*\)=.*/\1/p' | grep -v '^SPECGATE$') 2>/dev/null || true

sg() { "$SPECGATE" "$@"; }

# test_expect_success DESC BODY: BODY runs in a subshell in a new directory.
test_expect_success() {
	local desc=$1 body=$2 dir out rc
	_n=$((_n + 1))
	dir="$TRASH/$_n"
	mkdir -p "$dir"
	out="$TRASH/$_n.out"
	(cd "$dir" && eval "$body") >"$out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "ok $_n - $desc"
	else
		echo "not ok $_n - $desc"
		sed 's/^/#   /' "$out" | tail -n 40
		_fail=$((_fail + 1))
	fi
}

# expect_exit CODE CMD...: run CMD, fail unless it exits with CODE.
expect_exit() {
	local want=$1 rc
	shift
	"$@"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "expected exit $want, got $rc: $*" >&2
		return 1
	fi
}

# expect_grep PATTERN FILE: like grep -q, but shows FILE when it fails.
expect_grep() {
	if ! grep -q -- "$1" "$2"; then
		echo "'$1' not found in $2:" >&2
		cat "$2" >&2
		return 1
	fi
}

test_done() {
	echo "1..$_n"
	[ "$_fail" -eq 0 ]
}
