/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/audit/chain.c and the pure parts of audit.c: the
 * canonical bytes and hashes against vectors computed independently with
 * printf and sha256sum (the recipe of docs/internals/audit.md), the field
 * rules, and the checkpoint line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "audit/chain.h"
#include "specgate/audit.h"

#define SHA_A "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
/*
 * Z=$(printf '0%.0s' $(seq 64))
 * printf '%s%s\n' "$Z" "1|2025-09-24T14:04:40Z|...|sandbox" | sha256sum
 */
#define HASH_1 "95a280416350d62d7b10ea98ed8344711aac7dddb98f0f7df6ad060f4b7872ab"
#define HASH_2 "6b8d5b30a0809a64a218517fd9dd0110c2d96f6c9e203f1c4e31a9d4ef7701a5"

static struct sg_audit_record
record1(void)
{
	struct sg_audit_record r = {
		.seq = 1,
		.timestamp = "2025-09-24T14:04:40Z",
		.run_id = "20250924140440",
		.feature_id = "005cc0262265",
		.stage = "preflight",
		.status = "success",
		.output = "spec-validation-report.json",
		.output_sha256 = SHA_A,
		.mode = "sandbox",
	};

	return r;
}

static struct sg_audit_record
record2(void)
{
	struct sg_audit_record r = {
		.seq = 2,
		.timestamp = "2025-09-24T14:05:02Z",
		.run_id = "20250924140440",
		.feature_id = "005cc0262265",
		.stage = "validate",
		.status = "retry",
		.output = "-",
		.output_sha256 = "",
		.mode = "compliance",
	};

	return r;
}

static void
canonical_bytes_are_one_pipe_separated_line(void **state)
{
	struct sg_audit_record r = record1();
	char buf[SG_AUDIT__CANON_MAX + 1];
	const char *bad;
	size_t n;

	(void)state;
	n = sg_audit__encode(buf, &r, &bad);
	assert_null(bad);
	buf[n] = '\0';
	assert_string_equal(buf,
	    "1|2025-09-24T14:04:40Z|20250924140440|005cc0262265|preflight|"
	    "success|spec-validation-report.json|" SHA_A "|sandbox\n");
	r = record2();
	r.seq = 18446744073709551615u;
	n = sg_audit__encode(buf, &r, &bad);
	buf[n] = '\0';
	assert_string_equal(buf,
	    "18446744073709551615|2025-09-24T14:05:02Z|20250924140440|"
	    "005cc0262265|validate|retry|-||compliance\n");
}

static void
hashes_match_the_shell_recipe(void **state)
{
	struct sg_audit_record r1 = record1();
	struct sg_audit_record r2 = record2();
	struct sg_error err = SG_ERROR_INIT;
	char hash[SG_AUDIT_HASH_SIZE];

	(void)state;
	assert_int_equal(sg_audit_record_hash(hash, SG_AUDIT_GENESIS_HASH, &r1,
			     &err),
	    0);
	assert_string_equal(hash, HASH_1);
	assert_int_equal(sg_audit_record_hash(hash, HASH_1, &r2, &err), 0);
	assert_string_equal(hash, HASH_2);
	/* NULL or "" output is stored, and hashed, as "-". */
	r2.output = NULL;
	r2.output_sha256 = NULL;
	assert_int_equal(sg_audit_record_hash(hash, HASH_1, &r2, &err), 0);
	assert_string_equal(hash, HASH_2);
	r2.output = "";
	assert_int_equal(sg_audit_record_hash(hash, HASH_1, &r2, &err), 0);
	assert_string_equal(hash, HASH_2);
	sg_error_release(&err);
}

static void
every_field_changes_the_hash(void **state)
{
	const char **fields[8];
	struct sg_audit_record r = record1();
	struct sg_error err = SG_ERROR_INIT;
	char hash[SG_AUDIT_HASH_SIZE];
	const char *alt[8] = {"2025-09-24T14:04:41Z", "20250924140440-2",
	    "005cc0262266", "validate", "warning", "spec.json",
	    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a09",
	    "compliance"};

	(void)state;
	fields[0] = &r.timestamp;
	fields[1] = &r.run_id;
	fields[2] = &r.feature_id;
	fields[3] = &r.stage;
	fields[4] = &r.status;
	fields[5] = &r.output;
	fields[6] = &r.output_sha256;
	fields[7] = &r.mode;
	for (int i = 0; i < 8; i++) {
		const char *keep = *fields[i];

		*fields[i] = alt[i];
		assert_int_equal(sg_audit_record_hash(hash,
				     SG_AUDIT_GENESIS_HASH, &r, &err),
		    0);
		assert_string_not_equal(hash, HASH_1);
		*fields[i] = keep;
	}
	r.seq = 2;
	assert_int_equal(sg_audit_record_hash(hash, SG_AUDIT_GENESIS_HASH, &r,
			     &err),
	    0);
	assert_string_not_equal(hash, HASH_1);
	r.seq = 1;
	assert_int_equal(sg_audit_record_hash(hash, HASH_2, &r, &err), 0);
	assert_string_not_equal(hash, HASH_1);
	sg_error_release(&err);
}

static void
malformed_fields_are_named(void **state)
{
	static const struct {
		size_t offset;
		const char *value;
		const char *field;
	} bad[] = {
		{offsetof(struct sg_audit_record, timestamp),
		    "2025-09-24 14:04:40Z", "timestamp"},
		{offsetof(struct sg_audit_record, timestamp),
		    "2025-13-24T14:04:40Z", "timestamp"},
		{offsetof(struct sg_audit_record, timestamp),
		    "2025-09-24T14:04:40", "timestamp"},
		{offsetof(struct sg_audit_record, run_id), "2025092414044",
		    "run_id"},
		{offsetof(struct sg_audit_record, run_id), "20250924140440-1",
		    "run_id"},
		{offsetof(struct sg_audit_record, run_id), "20250924140440-02",
		    "run_id"},
		{offsetof(struct sg_audit_record, run_id),
		    "20250924140440-1234567", "run_id"},
		{offsetof(struct sg_audit_record, feature_id), "005CC0262265",
		    "feature_id"},
		{offsetof(struct sg_audit_record, feature_id), "005cc026226",
		    "feature_id"},
		{offsetof(struct sg_audit_record, stage), "test", "stage"},
		{offsetof(struct sg_audit_record, status), "failed", "status"},
		{offsetof(struct sg_audit_record, output), "a|b", "output"},
		{offsetof(struct sg_audit_record, output), "a\"b", "output"},
		{offsetof(struct sg_audit_record, output), "a\\b", "output"},
		{offsetof(struct sg_audit_record, output), "a\nb", "output"},
		{offsetof(struct sg_audit_record, output), "caf\xc3\xa9",
		    "output"},
		{offsetof(struct sg_audit_record, output_sha256), "abc",
		    "output_sha256"},
		{offsetof(struct sg_audit_record, output_sha256),
		    "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
		    "output_sha256"},
		{offsetof(struct sg_audit_record, mode), "Sandbox", "mode"},
		{offsetof(struct sg_audit_record, mode), NULL, "mode"},
	};
	char hash[SG_AUDIT_HASH_SIZE];
	char longname[SG_AUDIT_OUTPUT_MAX + 2];

	(void)state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(bad); i++) {
		struct sg_audit_record r = record1();
		struct sg_error err = SG_ERROR_INIT;

		memcpy((char *)&r + bad[i].offset, &bad[i].value,
		    sizeof(bad[i].value));
		assert_string_equal(sg_audit__check_fields(&r, false),
		    bad[i].field);
		assert_int_equal(sg_audit_record_hash(hash,
				     SG_AUDIT_GENESIS_HASH, &r, &err),
		    SG_EINVAL);
		assert_non_null(strstr(err.message, bad[i].field));
		sg_error_release(&err);
	}
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	{
		struct sg_audit_record r = record1();

		r.output = longname;
		assert_string_equal(sg_audit__check_fields(&r, false),
		    "output");
		longname[SG_AUDIT_OUTPUT_MAX] = '\0';
		assert_null(sg_audit__check_fields(&r, false));
		/* A digest for no output is a contradiction. */
		r.output = "-";
		assert_string_equal(sg_audit__check_fields(&r, false),
		    "output_sha256");
		/* Stored records also need their two hashes. */
		r = record1();
		r.prev_hash = SG_AUDIT_GENESIS_HASH;
		r.hash = "0";
		assert_string_equal(sg_audit__check_fields(&r, true), "hash");
		r.prev_hash = NULL;
		assert_string_equal(sg_audit__check_fields(&r, true),
		    "prev_hash");
	}
}

static void
stages_and_statuses_are_the_product_lists(void **state)
{
	static const char *const stages[] = {"preflight", "validate",
	    "generate", "build", "deploy", "audit"};
	static const char *const statuses[] = {"success", "warning",
	    "failure", "retry", "skipped", "cancelled", "awaiting_approval",
	    "approved", "rolled_back", "resumed", "rendered"};

	(void)state;
	for (size_t i = 0; i < SG_ARRAY_SIZE(stages); i++)
		assert_true(sg_audit_stage_is_valid(stages[i]));
	for (size_t i = 0; i < SG_ARRAY_SIZE(statuses); i++)
		assert_true(sg_audit_status_is_valid(statuses[i]));
	assert_false(sg_audit_stage_is_valid("Preflight"));
	assert_false(sg_audit_stage_is_valid(NULL));
	assert_false(sg_audit_status_is_valid("running"));
	assert_false(sg_audit_status_is_valid(""));
}

static void
checkpoint_line_is_exact(void **state)
{
	struct sg_audit_record r = record1();
	char line[SG_AUDIT_LINE_SIZE];
	char small[20];
	size_t n;

	(void)state;
	n = sg_audit_format_line(line, sizeof(line), &r);
	assert_string_equal(line,
	    "2025-09-24T14:04:40Z | 20250924140440 | 005cc0262265 | "
	    "preflight | success | spec-validation-report.json");
	assert_int_equal(n, strlen(line));
	r = record2();
	sg_audit_format_line(line, sizeof(line), &r);
	assert_string_equal(line,
	    "2025-09-24T14:05:02Z | 20250924140440 | 005cc0262265 | "
	    "validate | retry | -");
	r.output = NULL;
	sg_audit_format_line(line, sizeof(line), &r);
	assert_string_equal(line + strlen(line) - 4, " | -");
	r.output = "";
	sg_audit_format_line(line, sizeof(line), &r);
	assert_string_equal(line + strlen(line) - 4, " | -");
	/* Cut short like snprintf: the return value says how long. */
	n = sg_audit_format_line(small, sizeof(small), &r);
	assert_true(n >= sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

static void
longest_record_fits_its_buffers(void **state)
{
	struct sg_audit_record r = record1();
	char out[SG_AUDIT_OUTPUT_MAX + 1];
	char line[SG_AUDIT_LINE_SIZE];
	char canon[SG_AUDIT__CANON_MAX];
	const char *bad;

	(void)state;
	memset(out, 'x', SG_AUDIT_OUTPUT_MAX);
	out[SG_AUDIT_OUTPUT_MAX] = '\0';
	r.output = out;
	r.run_id = "20250924140440-999999";
	r.status = "awaiting_approval";
	r.mode = "compliance";
	r.seq = UINT64_MAX;
	assert_null(sg_audit__check_fields(&r, false));
	assert_true(sg_audit_format_line(line, sizeof(line), &r) <
	    sizeof(line));
	assert_true(sg_audit__encode(canon, &r, &bad) < sizeof(canon));
	assert_null(bad);
}

static void
verifier_rejects_malformed_heads(void **state)
{
	struct sg_audit_head heads[2] = {{3, HASH_1}, {0, HASH_2}};
	struct sg_audit__verifier v;
	struct sg_error err = SG_ERROR_INIT;

	(void)state;
	assert_int_equal(sg_audit__verifier_init(&v, heads, 2, &err),
	    SG_EINVAL);
	sg_audit__verifier_release(&v);
	sg_error_release(&err);
	heads[1].seq = 4;
	heads[1].hash[10] = 'X';
	assert_int_equal(sg_audit__verifier_init(&v, heads, 2, &err),
	    SG_EINVAL);
	assert_non_null(strstr(err.message, "head 2"));
	sg_audit__verifier_release(&v);
	sg_error_release(&err);
}

static void
verifier_walks_a_chain_in_memory(void **state)
{
	struct sg_audit_record r1 = record1();
	struct sg_audit_record r2 = record2();
	struct sg_audit_head heads[1] = {{2, HASH_2}};
	struct sg_audit__verifier v;
	struct sg_error err = SG_ERROR_INIT;

	(void)state;
	r1.prev_hash = SG_AUDIT_GENESIS_HASH;
	r1.hash = HASH_1;
	r2.prev_hash = HASH_1;
	r2.hash = HASH_2;
	assert_int_equal(sg_audit__verifier_init(&v, heads, 1, &err), 0);
	assert_int_equal(sg_audit__verifier_step(&v, &r1, &err), 0);
	assert_int_equal(sg_audit__verifier_step(&v, &r2, &err), 0);
	assert_int_equal(sg_audit__verifier_finish(&v, &err), 0);
	assert_int_equal(v.res.records, 2);
	assert_int_equal(v.res.head.seq, 2);
	assert_string_equal(v.res.head.hash, HASH_2);
	sg_audit__verifier_release(&v);

	/* The same two, but record 2 first: out of order. */
	assert_int_equal(sg_audit__verifier_init(&v, NULL, 0, &err), 0);
	assert_int_equal(sg_audit__verifier_step(&v, &r2, &err), SG_EVERIFY);
	assert_int_equal(v.res.bad_seq, 1);
	assert_int_equal(v.res.faults, SG_AUDIT_FAULT_GAP);
	sg_audit__verifier_release(&v);
	sg_error_release(&err);

	assert_int_equal(sg_audit__verifier_init(&v, NULL, 0, &err), 0);
	assert_int_equal(sg_audit__verifier_step(&v, &r1, &err), 0);
	assert_int_equal(sg_audit__verifier_step(&v, &r1, &err), SG_EVERIFY);
	assert_int_equal(v.res.bad_seq, 1);
	assert_int_equal(v.res.faults, SG_AUDIT_FAULT_ORDER);
	sg_audit__verifier_release(&v);
	sg_error_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canonical_bytes_are_one_pipe_separated_line),
		cmocka_unit_test(hashes_match_the_shell_recipe),
		cmocka_unit_test(every_field_changes_the_hash),
		cmocka_unit_test(malformed_fields_are_named),
		cmocka_unit_test(stages_and_statuses_are_the_product_lists),
		cmocka_unit_test(checkpoint_line_is_exact),
		cmocka_unit_test(longest_record_fits_its_buffers),
		cmocka_unit_test(verifier_rejects_malformed_heads),
		cmocka_unit_test(verifier_walks_a_chain_in_memory),
	};

	return cmocka_run_group_tests_name("audit/chain", tests, NULL, NULL);
}
