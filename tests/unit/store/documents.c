/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for a run's stored bundle documents (sg_store_documents_put(),
 * sg_store_documents_foreach(), src/lib/store/store.c): bytes read back
 * exactly (NUL bytes included) in path order, the caps per document and
 * per run crossed by one byte (docs/limits.md), the documents and the
 * callback's writes as one transaction, malformed paths refused, and
 * sg_store_copy() carrying the documents.
 *
 * With SG_TEST_PG_URL set (t0550 does), the same tests run against that
 * PostgreSQL database (tests/harness/store.h).
 */
#define SG_TEST_STORE_PG
#include "../../harness/store.h"

#define FEAT "005cc0262265"
#define RUN "20250924140440"

/* What foreach saw: the paths and bytes, concatenated. */
struct seen {
	struct sg_buf paths;
	struct sg_buf bytes;
	size_t n;
	size_t total;
};

static int
seen_cb(const char *path, const void *data, size_t len, void *payload)
{
	struct seen *s = payload;

	sg_buf_printf(&s->paths, "%s;", path);
	if (len < 64)
		sg_buf_put(&s->bytes, data, len);
	s->n++;
	s->total += len;
	return 0;
}

static void
seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	sg_buf_init(&s->paths, 0);
	sg_buf_init(&s->bytes, 0);
}

static void
seen_release(struct seen *s)
{
	sg_buf_release(&s->paths);
	sg_buf_release(&s->bytes);
}

static void
bytes_read_back_in_path_order(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	static const char bin[] = {'a', '\0', 'b', '\n', '\xff'};
	struct sg_store_document d[] = {
		{"manifest.json", "{}", 2, false},
		{"links/build.0123abcd.link", bin, sizeof(bin), false},
		{"empty.json", "", 0, false},
	};
	struct seen s;
	size_t stored = 0;

	seen_init(&s);
	assert_int_equal(sg_store_documents_put(&stored, f->st, FEAT, RUN, d,
	    3, NULL, NULL, &err), 0);
	assert_int_equal(stored, 3);
	assert_true(d[0].stored && d[1].stored && d[2].stored);
	assert_int_equal(sg_store_documents_foreach(f->st, FEAT, RUN, seen_cb,
	    &s, &err), 0);
	assert_string_equal(s.paths.ptr,
	    "empty.json;links/build.0123abcd.link;manifest.json;");
	assert_int_equal(s.bytes.len, sizeof(bin) + 2);
	assert_memory_equal(s.bytes.ptr, bin, sizeof(bin));
	assert_memory_equal(s.bytes.ptr + sizeof(bin), "{}", 2);
	/* another run has none; the same run twice is refused */
	seen_release(&s);
	seen_init(&s);
	assert_int_equal(sg_store_documents_foreach(f->st, FEAT,
	    "20250924140441", seen_cb, &s, &err), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(sg_store_documents_put(NULL, f->st, FEAT, RUN, d, 1,
	    NULL, NULL, &err), SG_EIO);
	seen_release(&s);
	sg_error_release(&err);
}

static void
caps_are_crossed_by_one_byte(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	char *big = calloc(1, SG_STORE_DOCUMENT_MAX + 1);
	struct sg_store_document d[] = {
		{"over.json", big, SG_STORE_DOCUMENT_MAX + 1, true},
		{"a.json", big, SG_STORE_DOCUMENT_MAX, false},
		{"b.json", big, SG_STORE_DOCUMENT_MAX, false},
		{"c.json", big, SG_STORE_DOCUMENT_MAX, false},
		{"d.json", big, SG_STORE_DOCUMENT_MAX - 1, false},
		{"e.json", "x", 1, false},
		{"f.json", "y", 1, false},
	};
	struct seen s;
	size_t stored = 0;

	/* 4 + 4 + 4 + (4 MiB - 1) + 1 = the run's cap exactly; then one more */
	assert_int_equal(SG_STORE_RUN_DOCUMENTS_MAX, 4 * SG_STORE_DOCUMENT_MAX);
	seen_init(&s);
	assert_non_null(big);
	assert_int_equal(sg_store_documents_put(&stored, f->st, FEAT, RUN, d,
	    7, NULL, NULL, &err), 0);
	assert_int_equal(stored, 5);
	assert_false(d[0].stored);
	assert_true(d[1].stored && d[2].stored && d[3].stored && d[4].stored &&
	    d[5].stored);
	assert_false(d[6].stored);
	assert_int_equal(sg_store_documents_foreach(f->st, FEAT, RUN, seen_cb,
	    &s, &err), 0);
	assert_string_equal(s.paths.ptr, "a.json;b.json;c.json;d.json;e.json;");
	assert_int_equal(s.total, SG_STORE_RUN_DOCUMENTS_MAX);
	seen_release(&s);
	free(big);
	sg_error_release(&err);
}

static int
failing_cb(struct sg_store *st, void *payload, struct sg_error *err)
{
	struct sg_audit_record r;

	(void)payload;
	memset(&r, 0, sizeof(r));
	r.timestamp = "2025-09-24T14:04:40Z";
	r.run_id = RUN;
	r.feature_id = FEAT;
	r.stage = "audit";
	r.status = "success";
	r.output = "manifest.json";
	r.output_sha256 =
	    "0000000000000000000000000000000000000000000000000000000000000000";
	r.mode = "sandbox";
	if (sg_audit_append_in_txn(NULL, st, &r, 1, err) < 0)
		fail_msg("append in the transaction: %s", err->message);
	return sg_error_set(err, SG_EIO, "the seal failed");
}

static int
sealing_cb(struct sg_store *st, void *payload, struct sg_error *err)
{
	struct sg_audit_record r;

	(void)payload;
	memset(&r, 0, sizeof(r));
	r.timestamp = "2025-09-24T14:04:40Z";
	r.run_id = RUN;
	r.feature_id = FEAT;
	r.stage = "audit";
	r.status = "success";
	r.output = "manifest.json";
	r.output_sha256 =
	    "0000000000000000000000000000000000000000000000000000000000000000";
	r.mode = "sandbox";
	return sg_audit_append_in_txn(NULL, st, &r, 1, err);
}

static void
documents_and_seal_are_one_transaction(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_store_document d[] = {{"manifest.json", "{}", 2, false}};
	struct sg_audit_head head;
	struct seen s;

	seen_init(&s);
	assert_int_equal(sg_store_documents_put(NULL, f->st, FEAT, RUN, d, 1,
	    failing_cb, NULL, &err), SG_EIO);
	assert_string_equal(err.message, "the seal failed");
	assert_false(d[0].stored);
	sg_error_release(&err);
	assert_int_equal(sg_store_documents_foreach(f->st, FEAT, RUN, seen_cb,
	    &s, &err), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(sg_audit_head(&head, f->st, &err), 0);
	assert_int_equal(head.seq, 0);
	/* and committed together */
	assert_int_equal(sg_store_documents_put(NULL, f->st, FEAT, RUN, d, 1,
	    sealing_cb, NULL, &err), 0);
	assert_int_equal(sg_audit_head(&head, f->st, &err), 0);
	assert_int_equal(head.seq, 1);
	assert_int_equal(sg_store_documents_foreach(f->st, FEAT, RUN, seen_cb,
	    &s, &err), 0);
	assert_int_equal(s.n, 1);
	seen_release(&s);
	sg_error_release(&err);
}

static void
malformed_paths_are_refused(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	static const char *const bad[] = {"", "/etc/passwd", "../x.json",
	    "links/../../x", "a//b", "a/./b", "links/", "a\nb"};
	struct sg_store_document d[2];
	struct seen s;

	seen_init(&s);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d[0] = (struct sg_store_document){"manifest.json", "{}", 2,
		    false};
		d[1] = (struct sg_store_document){bad[i], "x", 1, false};
		assert_int_equal(sg_store_documents_put(NULL, f->st, FEAT, RUN,
		    d, 2, NULL, NULL, &err), SG_EINVAL);
		assert_non_null(strstr(err.message, "invalid document path"));
		sg_error_release(&err);
	}
	d[1] = d[0];
	assert_int_equal(sg_store_documents_put(NULL, f->st, FEAT, RUN, d, 2,
	    NULL, NULL, &err), SG_EINVAL);
	assert_non_null(strstr(err.message, "given twice"));
	sg_error_release(&err);
	assert_int_equal(sg_store_documents_put(NULL, f->st, "nope", RUN, d, 1,
	    NULL, NULL, &err), SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(sg_store_documents_foreach(f->st, FEAT, RUN, seen_cb,
	    &s, &err), 0);
	assert_int_equal(s.n, 0);
	seen_release(&s);
	sg_error_release(&err);
}

static void
copy_carries_the_documents(void **state)
{
	struct sg_test_store_fixture *f = *state;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_store_options opts = SG_STORE_OPTIONS_INIT;
	struct sg_store_copy_stats stats;
	struct sg_run_new run = SG_RUN_NEW_INIT;
	static const char bin[] = {'\0', '\x01', '\xfe'};
	struct sg_store_document d[] = {
		{"manifest.json", "{\"a\": 1}", 8, false},
		{"x.json.sig", bin, sizeof(bin), false},
	};
	struct sg_store *dst = NULL;
	char id[SG_RUN_ID_SIZE];
	struct seen s;

	seen_init(&s);
	run.feature_id = FEAT;
	run.mode = SG_MODE_SANDBOX;
	run.started = (time_t)1758722680;
	assert_int_equal(sg_store_run_create(id, f->st, &run, &err), 0);
	assert_int_equal(sg_store_documents_put(NULL, f->st, FEAT, id, d, 2,
	    NULL, NULL, &err), 0);
	opts.root = f->dir;
	assert_int_equal(sg_store_open(&dst, "sqlite:copy.db", &opts, &err), 0);
	assert_int_equal(sg_store_copy(&stats, dst, f->st, &err), 0);
	assert_int_equal(stats.documents, 2);
	assert_int_equal(sg_store_documents_foreach(dst, FEAT, id, seen_cb, &s,
	    &err), 0);
	assert_string_equal(s.paths.ptr, "manifest.json;x.json.sig;");
	assert_memory_equal(s.bytes.ptr, "{\"a\": 1}", 8);
	assert_memory_equal(s.bytes.ptr + 8, bin, sizeof(bin));
	sg_store_close(dst);
	seen_release(&s);
	sg_error_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		SG_TEST_STORE_CASE(bytes_read_back_in_path_order),
		SG_TEST_STORE_CASE(caps_are_crossed_by_one_byte),
		SG_TEST_STORE_CASE(documents_and_seal_are_one_transaction),
		SG_TEST_STORE_CASE(malformed_paths_are_refused),
		SG_TEST_STORE_CASE(copy_carries_the_documents),
	};

	return cmocka_run_group_tests_name("store/documents", tests, NULL,
	    NULL);
}
