/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for sg_audit_verify() against tampering: a trail of 10
 * records is edited behind the library's back with raw SQL, as an attacker
 * with the file would (dropping the append-only triggers first), and
 * verification must name the first bad sequence number and the kind of
 * fault: each field edited, a record deleted (first, middle, last), two
 * swapped, one inserted (naively, with a valid hash, with the rest of the
 * trail rewritten), and the expected heads of the bundle manifests.
 */
#include "../../harness/store.h"

#define N 10

struct fixture {
	char *dir;
	struct sg_store *st;
	char hash[N + 1][SG_AUDIT_HASH_SIZE]; /* hash[seq] as appended */
};

static int
keep_hash(const struct sg_audit_record *rec, void *payload)
{
	struct fixture *f = payload;

	if (rec->seq <= N)
		snprintf(f->hash[rec->seq], SG_AUDIT_HASH_SIZE, "%s",
		    rec->hash);
	return 0;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct sg_error err = SG_ERROR_INIT;

	f->dir = sg_test_tmpdir();
	f->st = sg_test_store_open(f->dir);
	sg_test_append(f->st, 1, N);
	assert_int_equal(sg_audit_foreach(f->st, NULL, keep_hash, f, &err), 0);
	/* The attacker's first move. */
	sg_test_sql(f->dir, "DROP TRIGGER audit_records_no_update;"
			    "DROP TRIGGER audit_records_no_delete");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	sg_store_close(f->st);
	sg_test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/*
 * Verify against nheads expected heads and check the outcome: bad_seq 0
 * means "must pass".
 */
static void
expect(struct fixture *f, const struct sg_audit_head *heads, size_t nheads,
    uint64_t bad_seq, unsigned faults)
{
	struct sg_audit_verify_result res;
	struct sg_error err = SG_ERROR_INIT;
	char seq[32];
	int error;

	error = sg_audit_verify(&res, f->st, heads, nheads, &err);
	if (!bad_seq) {
		if (error)
			fail_msg("verify failed: %s", err.message);
		assert_int_equal(res.bad_seq, 0);
		assert_int_equal(res.faults, 0);
		return;
	}
	if (error != SG_EVERIFY)
		fail_msg("verify returned %d, expected SG_EVERIFY", error);
	if (res.bad_seq != bad_seq || res.faults != faults)
		fail_msg("bad_seq %llu faults %#x, expected %llu %#x: %s",
		    (unsigned long long)res.bad_seq, res.faults,
		    (unsigned long long)bad_seq, faults, err.message);
	/* The message names the sequence number. */
	snprintf(seq, sizeof(seq), "record %llu", (unsigned long long)bad_seq);
	if (!strstr(err.message, seq))
		fail_msg("message does not name %s: %s", seq, err.message);
	assert_int_equal(res.records, bad_seq - 1);
	sg_error_release(&err);
}

static void
untouched_trail_verifies(void **state)
{
	struct fixture *f = *state;
	struct sg_audit_verify_result res;
	struct sg_error err = SG_ERROR_INIT;

	assert_int_equal(sg_audit_verify(&res, f->st, NULL, 0, &err), 0);
	assert_int_equal(res.records, N);
	assert_int_equal(res.head.seq, N);
	assert_string_equal(res.head.hash, f->hash[N]);
}

static void
each_edited_field_is_found(void **state)
{
	static const char *const edits[] = {
		"ts = '2025-09-24T14:00:06Z'",
		"run_id = '20250924140440-2'",
		"feature_id = '005cc0262265'",
		"stage = 'deploy'",
		"status = 'failure'",
		"output = 'other.json'",
		"output_sha256 = ''",
		"mode = 'compliance'",
	};
	struct fixture *f = *state;
	char sql[256];
	char undo[512];

	for (size_t i = 0; i < SG_ARRAY_SIZE(edits); i++) {
		/* Keep the original record 5 aside and put it back after. */
		sg_test_sql(f->dir, "CREATE TABLE keep AS SELECT * FROM "
				    "audit_records WHERE seq = 5");
		snprintf(sql, sizeof(sql),
		    "UPDATE audit_records SET %s WHERE seq = 5", edits[i]);
		sg_test_sql(f->dir, sql);
		expect(f, NULL, 0, 5, SG_AUDIT_FAULT_HASH);
		snprintf(undo, sizeof(undo),
		    "DELETE FROM audit_records WHERE seq = 5;"
		    "INSERT INTO audit_records SELECT * FROM keep;"
		    "DROP TABLE keep");
		sg_test_sql(f->dir, undo);
		expect(f, NULL, 0, 0, 0);
	}
}

static void
edited_hashes_and_numbers_are_found(void **state)
{
	struct fixture *f = *state;
	char sql[256];

	/* Its own hash replaced by the next record's. */
	snprintf(sql, sizeof(sql),
	    "UPDATE audit_records SET hash = '%s' WHERE seq = 5", f->hash[6]);
	sg_test_sql(f->dir, sql);
	expect(f, NULL, 0, 5, SG_AUDIT_FAULT_HASH);
	snprintf(sql, sizeof(sql),
	    "UPDATE audit_records SET hash = '%s' WHERE seq = 5", f->hash[5]);
	sg_test_sql(f->dir, sql);

	/* Its prev_hash pointed elsewhere. */
	snprintf(sql, sizeof(sql),
	    "UPDATE audit_records SET prev_hash = '%s' WHERE seq = 5",
	    f->hash[3]);
	sg_test_sql(f->dir, sql);
	expect(f, NULL, 0, 5, SG_AUDIT_FAULT_HASH | SG_AUDIT_FAULT_LINK);
	snprintf(sql, sizeof(sql),
	    "UPDATE audit_records SET prev_hash = '%s' WHERE seq = 5",
	    f->hash[4]);
	sg_test_sql(f->dir, sql);
	expect(f, NULL, 0, 0, 0);

	/* Its sequence number moved out of the way: a gap at 5. */
	sg_test_sql(f->dir, "UPDATE audit_records SET seq = 50 WHERE seq = 5");
	expect(f, NULL, 0, 5, SG_AUDIT_FAULT_GAP);
}

static void
malformed_values_are_found(void **state)
{
	struct fixture *f = *state;

	sg_test_sql(f->dir,
	    "UPDATE audit_records SET status = 'bogus' WHERE seq = 7");
	expect(f, NULL, 0, 7, SG_AUDIT_FAULT_FIELD);
	sg_test_sql(f->dir,
	    "UPDATE audit_records SET status = 'failure' WHERE seq = 7");
	expect(f, NULL, 0, 7, SG_AUDIT_FAULT_HASH);
	/* The same bytes as a BLOB are the same record. */
	sg_test_sql(f->dir, "UPDATE audit_records SET stage = "
			    "CAST(stage AS BLOB) WHERE seq = 4");
	expect(f, NULL, 0, 7, SG_AUDIT_FAULT_HASH);
	sg_test_sql(f->dir, "UPDATE audit_records SET status = 'warning' "
			    "WHERE seq = 7");
	expect(f, NULL, 0, 0, 0);
	/* The right text with a NUL and more behind it is not. */
	sg_test_sql(f->dir, "UPDATE audit_records SET output = output || "
			    "char(0) || 'x' WHERE seq = 3");
	expect(f, NULL, 0, 3, SG_AUDIT_FAULT_FIELD);
}

static void
deleted_records_are_found(void **state)
{
	struct fixture *f = *state;

	sg_test_sql(f->dir, "DELETE FROM audit_records WHERE seq = 5");
	expect(f, NULL, 0, 5, SG_AUDIT_FAULT_GAP);
	sg_test_sql(f->dir, "DELETE FROM audit_records WHERE seq = 1");
	expect(f, NULL, 0, 1, SG_AUDIT_FAULT_GAP);
}

static void
deleted_and_renumbered_records_are_found(void **state)
{
	struct fixture *f = *state;

	sg_test_sql(f->dir, "DELETE FROM audit_records WHERE seq = 5;"
			    "UPDATE audit_records SET seq = -(seq - 1) "
			    "WHERE seq > 5;"
			    "UPDATE audit_records SET seq = -seq WHERE seq < 0");
	expect(f, NULL, 0, 5, SG_AUDIT_FAULT_HASH | SG_AUDIT_FAULT_LINK);
}

static void
deleting_the_tail_needs_an_expected_head(void **state)
{
	struct fixture *f = *state;
	struct sg_audit_head heads[2];

	heads[0].seq = 4;
	memcpy(heads[0].hash, f->hash[4], SG_AUDIT_HASH_SIZE);
	heads[1].seq = N;
	memcpy(heads[1].hash, f->hash[N], SG_AUDIT_HASH_SIZE);
	sg_test_sql(f->dir, "DELETE FROM audit_records WHERE seq >= 9");
	/* A shorter chain is still a chain... */
	expect(f, NULL, 0, 0, 0);
	/* ...but the manifest of the last run knew record 10. */
	expect(f, heads, 2, 9, SG_AUDIT_FAULT_TRUNCATED);
	expect(f, heads, 1, 0, 0);
}

static void
swapped_records_are_found(void **state)
{
	struct fixture *f = *state;

	sg_test_sql(f->dir, "UPDATE audit_records SET seq = -3 WHERE seq = 3;"
			    "UPDATE audit_records SET seq = 3 WHERE seq = 4;"
			    "UPDATE audit_records SET seq = 4 WHERE seq = -3");
	expect(f, NULL, 0, 3, SG_AUDIT_FAULT_HASH | SG_AUDIT_FAULT_LINK);
}

/* Shift records >= from up by one, leaving a hole at `from`. */
static void
make_room(struct fixture *f, unsigned from)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
	    "UPDATE audit_records SET seq = -(seq + 1) WHERE seq >= %u;"
	    "UPDATE audit_records SET seq = -seq WHERE seq < 0",
	    from);
	sg_test_sql(f->dir, sql);
}

/* Insert a forged record at seq with the given prev_hash and hash. */
static void
forge(struct fixture *f, unsigned seq, const char *prev, const char *hash)
{
	char sql[1024];

	snprintf(sql, sizeof(sql),
	    "INSERT INTO audit_records VALUES (%u, '2025-09-24T15:00:00Z', "
	    "'20250924140440', '005cc0262265', 'deploy', 'approved', '-', '', "
	    "'compliance', '%s', '%s')",
	    seq, prev, hash);
	sg_test_sql(f->dir, sql);
}

/* The hash the forged record of forge() must have after prev. */
static void
forged_hash(char *out, unsigned seq, const char *prev)
{
	struct sg_audit_record r = {seq, "2025-09-24T15:00:00Z",
	    "20250924140440", "005cc0262265", "deploy", "approved", "-", "",
	    "compliance", NULL, NULL, SG_CP_APPROVED, SG_MODE_COMPLIANCE};
	struct sg_error err = SG_ERROR_INIT;

	assert_int_equal(sg_audit_record_hash(out, prev, &r, &err), 0);
}

static void
a_naively_inserted_record_is_found(void **state)
{
	struct fixture *f = *state;

	make_room(f, 5);
	forge(f, 5, f->hash[4], f->hash[5]);
	expect(f, NULL, 0, 5, SG_AUDIT_FAULT_HASH);
}

static void
a_well_forged_inserted_record_breaks_the_next_link(void **state)
{
	struct fixture *f = *state;
	char hash[SG_AUDIT_HASH_SIZE];

	make_room(f, 5);
	forged_hash(hash, 5, f->hash[4]);
	forge(f, 5, f->hash[4], hash);
	/* Record 5 is a perfect fake; the old record 5, now 6, is not. */
	expect(f, NULL, 0, 6, SG_AUDIT_FAULT_HASH | SG_AUDIT_FAULT_LINK);
}

/* Rewrite every hash from seq `from` on, as the recipe computes them. */
struct rechain {
	char prev[SG_AUDIT_HASH_SIZE];
	uint64_t from;
	char sql[1 << 14];
};

static int
rechain_cb(const struct sg_audit_record *rec, void *payload)
{
	struct rechain *rc = payload;
	struct sg_error err = SG_ERROR_INIT;
	char hash[SG_AUDIT_HASH_SIZE];
	size_t n;

	if (rec->seq < rc->from) {
		snprintf(rc->prev, sizeof(rc->prev), "%s", rec->hash);
		return 0;
	}
	assert_int_equal(sg_audit_record_hash(hash, rc->prev, rec, &err), 0);
	n = strlen(rc->sql);
	snprintf(rc->sql + n, sizeof(rc->sql) - n,
	    "UPDATE audit_records SET prev_hash = '%s', hash = '%s' "
	    "WHERE seq = %llu;",
	    rc->prev, hash, (unsigned long long)rec->seq);
	memcpy(rc->prev, hash, sizeof(hash));
	return 0;
}

static void
rewrite_from(struct fixture *f, uint64_t from)
{
	struct rechain *rc = calloc(1, sizeof(*rc));
	struct sg_error err = SG_ERROR_INIT;

	rc->from = from;
	assert_int_equal(sg_audit_foreach(f->st, NULL, rechain_cb, rc, &err),
	    0);
	sg_test_sql(f->dir, rc->sql);
	free(rc);
}

static void
a_rewritten_trail_fails_the_expected_heads(void **state)
{
	struct fixture *f = *state;
	struct sg_audit_head heads[3];

	heads[0].seq = 3;
	memcpy(heads[0].hash, f->hash[3], SG_AUDIT_HASH_SIZE);
	heads[1].seq = 7;
	memcpy(heads[1].hash, f->hash[7], SG_AUDIT_HASH_SIZE);
	heads[2].seq = N;
	memcpy(heads[2].hash, f->hash[N], SG_AUDIT_HASH_SIZE);
	expect(f, heads, 3, 0, 0);

	/* Edit record 5 and recompute every hash after it. */
	sg_test_sql(f->dir,
	    "UPDATE audit_records SET status = 'success' WHERE seq = 5");
	rewrite_from(f, 5);
	expect(f, NULL, 0, 0, 0);
	expect(f, heads, 1, 0, 0);
	expect(f, heads, 3, 7, SG_AUDIT_FAULT_HEAD);
	/* Heads come in any order. */
	{
		struct sg_audit_head rev[3] = {heads[2], heads[0], heads[1]};

		expect(f, rev, 3, 7, SG_AUDIT_FAULT_HEAD);
	}
	expect(f, heads + 2, 1, N, SG_AUDIT_FAULT_HEAD);
}

static void
an_insert_with_the_rest_rewritten_fails_the_heads(void **state)
{
	struct fixture *f = *state;
	struct sg_audit_head head;
	char hash[SG_AUDIT_HASH_SIZE];

	head.seq = 6;
	memcpy(head.hash, f->hash[6], SG_AUDIT_HASH_SIZE);
	make_room(f, 5);
	forged_hash(hash, 5, f->hash[4]);
	forge(f, 5, f->hash[4], hash);
	/* Renumbering changed the later records: recompute them too. */
	rewrite_from(f, 6);
	expect(f, NULL, 0, 0, 0);
	expect(f, &head, 1, 6, SG_AUDIT_FAULT_HEAD);
}

static void
heads_beyond_the_end_and_wrong_heads(void **state)
{
	struct fixture *f = *state;
	struct sg_audit_head head;
	struct sg_error err = SG_ERROR_INIT;

	head.seq = 12;
	memcpy(head.hash, f->hash[1], SG_AUDIT_HASH_SIZE);
	expect(f, &head, 1, N + 1, SG_AUDIT_FAULT_TRUNCATED);
	head.seq = 2;
	expect(f, &head, 1, 2, SG_AUDIT_FAULT_HEAD);
	head.seq = 1;
	expect(f, &head, 1, 0, 0);
	head.hash[0] = 'G';
	assert_int_equal(sg_audit_verify(NULL, f->st, &head, 1, &err),
	    SG_EINVAL);
	sg_error_release(&err);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(untouched_trail_verifies),
		T(each_edited_field_is_found),
		T(edited_hashes_and_numbers_are_found),
		T(malformed_values_are_found),
		T(deleted_records_are_found),
		T(deleted_and_renumbered_records_are_found),
		T(deleting_the_tail_needs_an_expected_head),
		T(swapped_records_are_found),
		T(a_naively_inserted_record_is_found),
		T(a_well_forged_inserted_record_breaks_the_next_link),
		T(a_rewritten_trail_fails_the_expected_heads),
		T(an_insert_with_the_rest_rewritten_fails_the_heads),
		T(heads_beyond_the_end_and_wrong_heads),
	};
#undef T

	return cmocka_run_group_tests_name("audit/tamper", tests, NULL, NULL);
}
