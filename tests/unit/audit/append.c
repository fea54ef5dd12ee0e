/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for appending to and reading the audit trail
 * (src/lib/audit/audit.c over the SQLite store): the head, chaining across
 * calls, all-or-nothing batches, what is stored, iteration with filters,
 * and the append-only triggers.
 */
#include "../../harness/store.h"

#define HASH_1 "95a280416350d62d7b10ea98ed8344711aac7dddb98f0f7df6ad060f4b7872ab"
#define HASH_2 "6b8d5b30a0809a64a218517fd9dd0110c2d96f6c9e203f1c4e31a9d4ef7701a5"
#define SHA_A "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

static void
empty_trail_has_the_genesis_head(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_audit_verify_result res;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_audit_head head;

	assert_int_equal(sg_audit_head(&head, f->st, &err), 0);
	assert_int_equal(head.seq, 0);
	assert_string_equal(head.hash, SG_AUDIT_GENESIS_HASH);
	assert_int_equal(sg_audit_verify(&res, f->st, NULL, 0, &err), 0);
	assert_int_equal(res.records, 0);
	assert_int_equal(res.bad_seq, 0);
	assert_int_equal(res.head.seq, 0);
}

/* The two records of tests/unit/audit/chain.c, appended one by one. */
static void
appends_chain_across_calls_like_the_recipe(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_audit_record r1 = {0, "2025-09-24T14:04:40Z",
	    "20250924140440", "005cc0262265", "preflight", "success",
	    "spec-validation-report.json", SHA_A, "sandbox", NULL, NULL,
	    SG_CP_SUCCESS, SG_MODE_SANDBOX};
	struct sg_audit_record r2 = {0, "2025-09-24T14:05:02Z",
	    "20250924140440", "005cc0262265", "validate", "retry", NULL, NULL,
	    "compliance", NULL, NULL, SG_CP_RETRY, SG_MODE_COMPLIANCE};
	struct sg_error err = SG_ERROR_INIT;
	struct sg_audit_head head;

	assert_int_equal(sg_audit_append(&head, f->st, &r1, 1, &err), 0);
	assert_int_equal(head.seq, 1);
	assert_string_equal(head.hash, HASH_1);
	/* A second connection sees and extends the same chain. */
	{
		struct sg_store *other = sg_test_store_open(f->dir);

		assert_int_equal(sg_audit_append(&head, other, &r2, 1, &err),
		    0);
		sg_store_close(other);
	}
	assert_int_equal(head.seq, 2);
	assert_string_equal(head.hash, HASH_2);
	assert_int_equal(sg_audit_head(&head, f->st, &err), 0);
	assert_int_equal(head.seq, 2);
	assert_string_equal(head.hash, HASH_2);
	/* Stored as the recipe reads them: "-" and "" for no output. */
	assert_int_equal(sg_test_sql_int(f->dir,
			     "SELECT count(*) FROM audit_records WHERE seq = 2 "
			     "AND output = '-' AND output_sha256 = '' AND "
			     "prev_hash = '" HASH_1 "' AND hash = '" HASH_2
			     "' AND ts = '2025-09-24T14:05:02Z'"),
	    1);
}

static void
a_batch_is_all_or_nothing(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_audit_record recs[5];
	struct sg_error err = SG_ERROR_INIT;
	struct sg_audit_head head;
	char bufs[5][64];

	sg_test_append(f->st, 1, 3);
	for (unsigned i = 0; i < 5; i++)
		recs[i] = sg_test_record(10 + i, bufs[i]);
	recs[3].stage = "tests";
	assert_int_equal(sg_audit_append(&head, f->st, recs, 5, &err),
	    SG_EINVAL);
	assert_non_null(strstr(err.message, "record 4 of 5"));
	assert_non_null(strstr(err.message, "stage"));
	sg_error_release(&err);
	assert_int_equal(sg_audit_head(&head, f->st, &err), 0);
	assert_int_equal(head.seq, 3);

	recs[3].stage = "deploy";
	assert_int_equal(sg_audit_append(&head, f->st, recs, 5, &err), 0);
	assert_int_equal(head.seq, 8);
	assert_int_equal(sg_test_sql_int(f->dir,
			     "SELECT count(*) FROM audit_records"),
	    8);
}

static void
a_failing_insert_rolls_the_batch_back(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_audit_record recs[3];
	struct sg_error err = SG_ERROR_INIT;
	struct sg_audit_head head;
	char bufs[3][64];

	sg_test_append(f->st, 1, 2);
	/* Fault injection: the store refuses the second record, seq 4. */
	sg_test_sql(f->dir,
	    "CREATE TRIGGER fail_4 BEFORE INSERT ON audit_records "
	    "WHEN NEW.seq = 4 BEGIN SELECT RAISE(ABORT, 'injected'); END");
	for (unsigned i = 0; i < 3; i++)
		recs[i] = sg_test_record(i, bufs[i]);
	assert_int_equal(sg_audit_append(&head, f->st, recs, 3, &err), SG_EIO);
	assert_non_null(strstr(err.message, "append to the audit trail"));
	assert_non_null(strstr(err.message, "injected"));
	assert_non_null(strstr(err.message, "state.db"));
	sg_error_release(&err);
	assert_int_equal(sg_audit_head(&head, f->st, &err), 0);
	assert_int_equal(head.seq, 2);
	assert_int_equal(sg_test_sql_int(f->dir,
			     "SELECT count(*) FROM audit_records"),
	    2);
	/* And the store works afterwards. */
	sg_test_sql(f->dir, "DROP TRIGGER fail_4");
	assert_int_equal(sg_audit_append(&head, f->st, recs, 3, &err), 0);
	assert_int_equal(head.seq, 5);
	assert_int_equal(sg_audit_verify(NULL, f->st, NULL, 0, &err), 0);
}

static void
the_trail_refuses_update_and_delete(void **state)
{
	struct sg_test_store_fixture *f = *state;
	char path[4096];
	sqlite3 *db;
	char *msg = NULL;

	sg_test_append(f->st, 1, 2);
	snprintf(path, sizeof(path), "%s/state.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db,
				 "UPDATE audit_records SET status = 'success'",
				 NULL, NULL, &msg),
	    SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	msg = NULL;
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_records",
				 NULL, NULL, &msg),
	    SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	sqlite3_close(db);
}

/* Collects "seq,seq,..." into a 1024-byte buffer. */
static int
collect(const struct sg_audit_record *rec, void *payload)
{
	char *out = payload;
	size_t n = strlen(out);

	snprintf(out + n, 1024 - n, "%s%llu", n ? "," : "",
	    (unsigned long long)rec->seq);
	return 0;
}

static int
stop_at_three(const struct sg_audit_record *rec, void *payload)
{
	(void)payload;
	return rec->seq == 3 ? 7 : 0;
}

static void
foreach_filters_in_sequence_order(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_audit_filter filter = SG_AUDIT_FILTER_INIT;
	struct sg_error err = SG_ERROR_INIT;
	char got[1024];

	/* sg_test_record(i): run_id -2 when i % 3 == 0; FEAT2 when i % 5 ==
	 * 0; stage/status cycle over 6. */
	sg_test_append(f->st, 1, 20);
	got[0] = '\0';
	assert_int_equal(sg_audit_foreach(f->st, NULL, collect, got, &err), 0);
	assert_string_equal(got, "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,"
				 "18,19,20");

	got[0] = '\0';
	filter.feature_id = "aaaaaaaaaaaa";
	assert_int_equal(sg_audit_foreach(f->st, &filter, collect, got, &err),
	    0);
	assert_string_equal(got, "5,10,15,20");

	got[0] = '\0';
	filter.run_id = "20250924140440-2";
	assert_int_equal(sg_audit_foreach(f->st, &filter, collect, got, &err),
	    0);
	assert_string_equal(got, "15");

	got[0] = '\0';
	filter = (struct sg_audit_filter)SG_AUDIT_FILTER_INIT;
	filter.stage = "preflight";
	assert_int_equal(sg_audit_foreach(f->st, &filter, collect, got, &err),
	    0);
	assert_string_equal(got, "6,12,18");

	got[0] = '\0';
	filter.stage = NULL;
	filter.status = "warning";
	filter.after_seq = 7;
	filter.limit = 2;
	assert_int_equal(sg_audit_foreach(f->st, &filter, collect, got, &err),
	    0);
	assert_string_equal(got, "13,19");

	got[0] = '\0';
	filter = (struct sg_audit_filter)SG_AUDIT_FILTER_INIT;
	filter.after_seq = 18;
	assert_int_equal(sg_audit_foreach(f->st, &filter, collect, got, &err),
	    0);
	assert_string_equal(got, "19,20");

	assert_int_equal(sg_audit_foreach(f->st, NULL, stop_at_three, NULL,
			     &err),
	    7);
	/* The store is usable after a stopped iteration. */
	sg_test_append(f->st, 21, 1);
	sg_error_release(&err);
}

/* Formats every record as a checkpoint line; checks the first. */
static int
first_line(const struct sg_audit_record *rec, void *payload)
{
	char *out = payload;

	sg_audit_format_line(out, SG_AUDIT_LINE_SIZE, rec);
	return 1;
}

static void
stored_records_format_as_checkpoint_lines(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	char line[SG_AUDIT_LINE_SIZE];

	sg_test_append(f->st, 1, 2);
	assert_int_equal(sg_audit_foreach(f->st, NULL, first_line, line, &err),
	    1);
	assert_string_equal(line,
	    "2025-09-24T14:00:01Z | 20250924140440 | 005cc0262265 | validate "
	    "| warning | spec-validation-report.json");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		SG_TEST_STORE_CASE(empty_trail_has_the_genesis_head),
		SG_TEST_STORE_CASE(appends_chain_across_calls_like_the_recipe),
		SG_TEST_STORE_CASE(a_batch_is_all_or_nothing),
		SG_TEST_STORE_CASE(a_failing_insert_rolls_the_batch_back),
		SG_TEST_STORE_CASE(the_trail_refuses_update_and_delete),
		SG_TEST_STORE_CASE(foreach_filters_in_sequence_order),
		SG_TEST_STORE_CASE(stored_records_format_as_checkpoint_lines),
	};

	return cmocka_run_group_tests_name("audit/append", tests, NULL, NULL);
}
