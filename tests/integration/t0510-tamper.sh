#!/usr/bin/env bash
# t0510-tamper: `specgate audit verify` finds any single-byte change to any
# file of a bundle (active or archived), any edited field of any audit
# record, deleted, swapped and inserted records, and files or bundles added
# or removed - exit 4, naming the file or the sequence number.  Tampering
# goes through the file system and the sqlite3 shell, as an attacker's would.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"

# setup: three runs, one of them archived; a pristine copy to restore.
setup() {
	project && printf "retention: {active_runs: 2}\n" >>specgate.yaml &&
	for i in 1 2 3; do sg run -q || return 1; done &&
	sg audit verify >/dev/null &&
	cp -a reports reports.orig && cp -a .specgate specgate.orig
}

restore() {
	rm -rf reports .specgate && cp -a reports.orig reports &&
	cp -a specgate.orig .specgate
}

# flip FILE OFFSET: replace the byte at OFFSET with a different one.
flip() {
	local old new
	old=$(od -An -tx1 -j "$2" -N1 "$1" | tr -d " \n")
	if [ "$old" = 78 ]; then new='\x79'; else new='\x78'; fi
	printf "$new" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# sql STATEMENT: on the trail, with the append-only triggers dropped.
sql() {
	sqlite3 .specgate/state.db "DROP TRIGGER IF EXISTS audit_records_no_update;
	    DROP TRIGGER IF EXISTS audit_records_no_delete; $1"
}

# detected WHAT: audit verify exits 4 and its output mentions WHAT.
detected() {
	local rc
	sg audit verify >v.out 2>&1
	rc=$?
	if [ "$rc" != 4 ] || ! grep -q -- "$1" v.out; then
		echo "not detected (exit $rc, wanted '$1'):"; cat v.out
		return 1
	fi
}

test_expect_success 'one byte changed anywhere in any file of a bundle' '
	setup || exit 1
	for b in reports/*/latest reports/archive/*/*/*; do
		b=$(cd $b && pwd -P) || exit 1
		for f in $(cd $b && find . -type f | sed "s|^\./||"); do
			size=$(stat -c %s $b/$f)
			for off in 0 1 $((size / 3)) $((size / 2)) $((size - 2)) $((size - 1)); do
				flip $b/$f $off && detected "$(basename $f)" || {
					echo "file $f offset $off"; exit 1; }
				restore || exit 1
			done
		done
	done
	sg audit verify >/dev/null
'

test_expect_success 'a file added to, or removed from, a bundle' '
	setup &&
	b=$(echo reports/*/latest) && echo x >$b/extra.txt &&
	detected "extra.txt.*not in the manifest" && restore &&
	rm $b/logs/preflight.log && detected "preflight.log.*missing" && restore &&
	rm $b/manifest.json && detected "manifest.json" && restore &&
	ln -s /etc/passwd $b/logs/link && detected "logs/link" && restore
'

test_expect_success 'a whole bundle removed, or renamed to another run' '
	setup && f=reports/$(sg id) && rid=$(readlink $f/latest) &&
	rm -rf $f/$rid $f/latest && detected "bundle is missing" &&
	restore && ids=($(run_ids)) &&
	mv $f/${ids[0]} $f/x && mv $f/${ids[1]} $f/${ids[0]} &&
	mv $f/x $f/${ids[1]} && detected "audit record"
'

test_expect_success 'any field of any audit record edited' '
	setup && n=$(sg audit log | wc -l) &&
	for seq in 1 7 $n; do
		for set in "ts = '\''2001-01-01T00:00:00Z'\''" \
		    "run_id = '\''20010101000000'\''" \
		    "feature_id = '\''aaaaaaaaaaaa'\''" "stage = '\''deploy'\''" \
		    "status = '\''retry'\''" "output = '\''x.json'\''" \
		    "output_sha256 = '\''$(printf %064d 0)'\''" \
		    "mode = '\''compliance'\''" \
		    "prev_hash = '\''$(printf %064d 1)'\''" \
		    "hash = '\''$(printf %064d 2)'\''"; do
			sql "UPDATE audit_records SET $set WHERE seq = $seq" &&
			detected "audit record $seq" || { echo "$set at $seq"; exit 1; }
			restore
		done
	done
'

test_expect_success 'records deleted, swapped, inserted' '
	setup && n=$(sg audit log | wc -l) &&
	sql "DELETE FROM audit_records WHERE seq = 4" &&
	detected "audit record 4 is missing" && restore &&
	sql "DELETE FROM audit_records WHERE seq = $n" && detected "seal" && restore &&
	sql "DELETE FROM audit_records WHERE seq >= $((n - 5))" &&
	detected "audit record $((n - 5))" && restore &&
	sql "UPDATE audit_records SET seq = -1 WHERE seq = 8;
	     UPDATE audit_records SET seq = 8 WHERE seq = 9;
	     UPDATE audit_records SET seq = 9 WHERE seq = -1" &&
	detected "audit record 8" && restore &&
	sql "UPDATE audit_records SET seq = seq + 1000 WHERE seq >= 5;
	     UPDATE audit_records SET seq = seq - 999 WHERE seq >= 1000;
	     INSERT INTO audit_records SELECT 5, ts, run_id, feature_id, stage,
	         status, output, output_sha256, mode, prev_hash, hash
	         FROM audit_records WHERE seq = 4" &&
	detected "audit record 5"
'

test_expect_success 'the trail rewritten consistently is caught by the heads' '
	setup && n=$(sg audit log | wc -l) &&
	sql "DELETE FROM audit_records WHERE seq > 6" &&
	detected "audit record 7" && restore &&
	rm -rf .specgate && detected "audit" && restore
'

test_expect_success 'latest pointing out of its feature is reported' '
	setup && ln -sfn /tmp reports/$(sg id)/latest &&
	detected "latest"
'

test_done
