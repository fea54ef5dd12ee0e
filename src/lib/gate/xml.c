/* SPDX-License-Identifier: MIT */
/*
 * xml.c - the two XML readers of the gates: Cobertura coverage (what
 * gcovr --cobertura writes) and JUnit test results.  The only file that
 * includes libxml2.
 *
 * Both use libxml2's xmlTextReader, a pull parser: one node at a time,
 * the previous ones freed, so a JUnit file of a million test cases is read
 * in the memory of one test case.  (A DOM would hold them all; SAX would
 * mean a callback state machine for what is, with a pull parser, a loop.)
 *
 * Safety: the file is opened by sys/ and handed over as a descriptor; the
 * parser gets XML_PARSE_NONET and none of NOENT/DTDLOAD/DTDATTR, and the
 * external entity loader refuses everything, so no byte outside the file
 * is ever read (no XXE).  A document that declares entities in its
 * internal subset, or uses an entity reference, is refused outright: no
 * test report or coverage file needs them, and refusing them closes the
 * billion-laughs door without relying on libxml2's amplification limits.
 * gcovr's `<!DOCTYPE coverage SYSTEM "...dtd">` is fine: the DTD is named,
 * never fetched.  The first libxml2 error is reported with its line and
 * column; libxml2's own printing (the generic error function) is turned
 * off, since the core never prints.
 */
#include "gate/gate_int.h"

#include <libxml/xmlreader.h>

#include "sys/fs.h"

struct xr {
	xmlTextReaderPtr r;
	const char *path;
	struct sg_error *err;
	int fd;
};

static void
xr_error(void *arg, xmlErrorPtr e)
{
	struct xr *x = arg;
	char msg[256];
	size_t n;

	if (x->err && x->err->code)
		return;
	snprintf(msg, sizeof(msg), "%s", e && e->message ? e->message : "?");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	for (char *p = msg; *p; p++) /* one line: "...encoding !\nBytes: ..." */
		if (*p == '\n')
			*p = ' ';
	sg_error_set_at(x->err, SG_EINVAL, x->path, e ? (unsigned)e->line : 0,
	    e && e->int2 > 0 ? (unsigned)e->int2 : 0, "malformed XML: %s", msg);
}

/* libxml2's generic errors (encoding, I/O) would go to stderr. */
static void
silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static xmlParserInputPtr
no_entities(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

static int
xr_open(struct xr *x, const char *path, struct sg_error *err)
{
	int error;

	memset(x, 0, sizeof(*x));
	x->path = path;
	x->err = err;
	x->fd = -1;
	if ((error = sg_fs_open_read(&x->fd, path, 0, NULL, err)) < 0)
		return error;
	xmlSetExternalEntityLoader(no_entities);
	xmlSetGenericErrorFunc(NULL, silent);
	x->r = xmlReaderForFd(x->fd, path, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
		XML_PARSE_NOCDATA);
	if (!x->r)
		return sg_error_set(err, SG_EIO, "cannot read '%s' as XML",
		    path);
	xmlTextReaderSetStructuredErrorHandler(x->r, xr_error, x);
	return 0;
}

static void
xr_close(struct xr *x)
{
	if (x->r)
		xmlFreeTextReader(x->r);
	sg_fs_close(x->fd);
}

/*
 * The next node: 1, 0 at the end, or SG_EINVAL (malformed, or entities;
 * err set).
 */
static int
xr_next(struct xr *x)
{
	int rc = xmlTextReaderRead(x->r);
	int type;
	xmlNodePtr node;

	if (rc < 0) {
		if (!x->err || !x->err->code)
			sg_error_set_at(x->err, SG_EINVAL, x->path,
			    (unsigned)xmlTextReaderGetParserLineNumber(x->r),
			    (unsigned)xmlTextReaderGetParserColumnNumber(x->r),
			    "malformed XML");
		return SG_EINVAL;
	}
	if (rc == 0)
		return 0;
	type = xmlTextReaderNodeType(x->r);
	if (type == XML_READER_TYPE_ENTITY_REFERENCE ||
	    type == XML_READER_TYPE_ENTITY) {
		return sg_error_set_at(x->err, SG_EINVAL, x->path,
		    (unsigned)xmlTextReaderGetParserLineNumber(x->r), 0,
		    "entity references are not accepted");
	}
	if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
		/* not xmlTextReaderCurrentDoc(): that hands the doc over */
		node = xmlTextReaderCurrentNode(x->r);
		if (node && node->type == XML_DTD_NODE &&
		    ((xmlDtdPtr)node)->entities)
			return sg_error_set_at(x->err, SG_EINVAL, x->path,
			    (unsigned)xmlTextReaderGetParserLineNumber(x->r), 0,
			    "entity declarations are not accepted");
	}
	return 1;
}

static bool
is_elem(struct xr *x, const char *name)
{
	const xmlChar *n = xmlTextReaderConstLocalName(x->r);

	return n && !strcmp((const char *)n, name);
}

/* An attribute as a malloc'd string ("" when absent); free(). */
static char *
attr(struct xr *x, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(x->r, (const xmlChar *)name);
	char *s = sg_xstrdup(v ? (const char *)v : "");

	xmlFree(v);
	return s;
}

static unsigned
xr_line(struct xr *x)
{
	return (unsigned)xmlTextReaderGetParserLineNumber(x->r);
}

static int
root_is(struct xr *x, const char *const *names, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (is_elem(x, names[i]))
			return 0;
	return sg_error_set_at(x->err, SG_EINVAL, x->path, xr_line(x), 0,
	    "not %s: the root element is <%s>", what,
	    (const char *)xmlTextReaderConstLocalName(x->r));
}

/* --- Cobertura ------------------------------------------------------------ */

/* condition-coverage="50% (1/2)" -> covered 1, total 2. */
static bool
conditions(const char *s, uint64_t *covered, uint64_t *total)
{
	const char *p = strchr(s, '(');
	const char *slash;
	const char *end;

	if (!p || !(slash = strchr(p, '/')) || !(end = strchr(slash, ')')))
		return false;
	return sg_gate__parse_u64(p + 1, (size_t)(slash - p - 1), covered) &&
	    sg_gate__parse_u64(slash + 1, (size_t)(end - slash - 1), total) &&
	    *covered <= *total;
}

static int
cob_line(struct xr *x, struct cov_src *src)
{
	char *num = attr(x, "number");
	char *hits = attr(x, "hits");
	char *branch = attr(x, "branch");
	char *cond = attr(x, "condition-coverage");
	uint64_t line, h, covered, total;
	int error = 0;

	if (!sg_gate__parse_u64(num, strlen(num), &line) || line > UINT32_MAX ||
	    !sg_gate__parse_u64(hits, strlen(hits), &h)) {
		error = sg_error_set_at(x->err, SG_EINVAL, x->path, xr_line(x),
		    0, "<line> needs number and hits as unsigned integers");
		goto out;
	}
	sg_gate__cov_line(src, (uint32_t)line, h);
	if (!strcmp(branch, "true") && cond[0]) {
		if (!conditions(cond, &covered, &total)) {
			error = sg_error_set_at(x->err, SG_EINVAL, x->path,
			    xr_line(x), 0,
			    "condition-coverage '%s' is not 'P%% (covered/total)'",
			    cond);
			goto out;
		}
		if (total)
			sg_gate__cov_branch(src, (uint32_t)line, 0, 0, covered,
			    total);
	}
out:
	free(num);
	free(hits);
	free(branch);
	free(cond);
	return error;
}

static int
cob_element(struct xr *x, struct cov_acc *a, struct cov_src **src,
    int *class_depth)
{
	int depth = xmlTextReaderDepth(x->r);
	char *s;

	if (is_elem(x, "source")) {
		xmlChar *t = xmlTextReaderReadString(x->r);

		if (t) {
			s = sg_xstrdup((const char *)t);
			xmlFree(t);
			a->sources.items = sg_xreallocarray(a->sources.items,
			    a->sources.n + 1, sizeof(char *));
			a->sources.items[a->sources.n++] = s;
		}
	} else if (is_elem(x, "class")) {
		s = attr(x, "filename");
		if (!s[0]) {
			free(s);
			return sg_error_set_at(x->err, SG_EINVAL, x->path,
			    xr_line(x), 0, "<class> without a filename");
		}
		*src = sg_gate__cov_src(a, s);
		free(s);
		if (!*src)
			return sg_error_set_at(x->err, SG_ETOOBIG, x->path,
			    xr_line(x), 0, "more than %u sources",
			    SG_GATE_MAX_COV_FILES);
		*class_depth = depth;
	} else if (is_elem(x, "line") && *src && depth == *class_depth + 2) {
		/* class > lines > line; method lines repeat them: skipped */
		return cob_line(x, *src);
	}
	return 0;
}

int
sg_gate__cobertura_read(struct cov_acc *a, const char *path,
    struct sg_error *err)
{
	static const char *const roots[] = {"coverage"};
	struct xr x;
	struct cov_src *src = NULL;
	int class_depth = -10;
	bool seen_root = false;
	int rc;
	int error;

	if ((error = xr_open(&x, path, err)) < 0)
		goto out;
	while ((rc = xr_next(&x)) > 0) {
		if (xmlTextReaderNodeType(x.r) != XML_READER_TYPE_ELEMENT)
			continue;
		if (!seen_root) {
			seen_root = true;
			if ((error = root_is(&x, roots, 1,
				 "Cobertura XML")) < 0)
				goto out;
		}
		if (xmlTextReaderDepth(x.r) <= class_depth)
			src = NULL;
		if ((error = cob_element(&x, a, &src, &class_depth)) < 0)
			goto out;
	}
	error = rc;
	if (!error && !seen_root)
		error = sg_error_set_at(err, SG_EINVAL, path, 0, 0,
		    "no XML element");
out:
	xr_close(&x);
	return error;
}

/* --- JUnit ---------------------------------------------------------------- */

#define SUITE_DEPTH 64

struct junit {
	struct xr x;
	struct sg_test_totals *totals;
	sg_test_cb cb;
	void *payload;
	char *suites[SUITE_DEPTH]; /* names by nesting, innermost last */
	int suite_depths[SUITE_DEPTH];
	size_t nsuites;
	struct sg_test_case tc;
	int case_depth; /* -1: not in a test case */
	char *classname, *name, *message;
};

static void
case_reset(struct junit *j)
{
	free(j->classname);
	free(j->name);
	free(j->message);
	j->classname = j->name = j->message = NULL;
	j->case_depth = -1;
}

static int
case_emit(struct junit *j)
{
	struct sg_test_totals *t = j->totals;
	int error = 0;

	j->tc.classname = j->classname;
	j->tc.name = j->name;
	j->tc.message = j->message ? j->message : "";
	j->tc.suite = j->nsuites ? j->suites[j->nsuites - 1] : "";
	t->tests++;
	switch (j->tc.status) {
	case SG_TEST_PASSED:
		t->passed++;
		break;
	case SG_TEST_FAILED:
		t->failed++;
		break;
	case SG_TEST_ERROR:
		t->errors++;
		break;
	case SG_TEST_SKIPPED:
		t->skipped++;
		break;
	}
	if (j->cb)
		error = j->cb(&j->tc, j->payload);
	case_reset(j);
	return error;
}

static void
case_start(struct junit *j, int depth)
{
	char *time = attr(&j->x, "time");
	char *end;

	case_reset(j);
	memset(&j->tc, 0, sizeof(j->tc));
	j->tc.file = j->x.path;
	j->tc.line = xr_line(&j->x);
	j->classname = attr(&j->x, "classname");
	j->name = attr(&j->x, "name");
	j->tc.time = strtod(time, &end);
	if (end == time || *end || !(j->tc.time >= 0 && j->tc.time < 1e12))
		j->tc.time = 0;
	free(time);
	j->case_depth = depth;
}

/* <failure>, <error> or <skipped> inside the test case. */
static void
case_child(struct junit *j)
{
	enum sg_test_status st;

	if (is_elem(&j->x, "failure"))
		st = SG_TEST_FAILED;
	else if (is_elem(&j->x, "error"))
		st = SG_TEST_ERROR;
	else if (is_elem(&j->x, "skipped"))
		st = SG_TEST_SKIPPED;
	else
		return;
	/* a failure or an error outweighs a skip; the first one's message */
	if (j->tc.status == SG_TEST_PASSED ||
	    (j->tc.status == SG_TEST_SKIPPED && st != SG_TEST_SKIPPED)) {
		j->tc.status = st;
		free(j->message);
		j->message = attr(&j->x, "message");
	}
}

static int
junit_element(struct junit *j)
{
	int depth = xmlTextReaderDepth(j->x.r);
	bool empty = xmlTextReaderIsEmptyElement(j->x.r) == 1;

	if (j->case_depth >= 0 && depth > j->case_depth) {
		case_child(j);
	} else if (is_elem(&j->x, "testsuite") && !empty) {
		if (j->nsuites == SUITE_DEPTH)
			return sg_error_set_at(j->x.err, SG_ETOOBIG, j->x.path,
			    xr_line(&j->x), 0,
			    "test suites nested more than %d deep",
			    SUITE_DEPTH);
		j->suites[j->nsuites] = attr(&j->x, "name");
		j->suite_depths[j->nsuites++] = depth;
	} else if (is_elem(&j->x, "testcase")) {
		case_start(j, depth);
		if (empty)
			return case_emit(j);
	}
	return 0;
}

static int
junit_end(struct junit *j)
{
	int depth = xmlTextReaderDepth(j->x.r);

	if (j->case_depth >= 0 && depth == j->case_depth)
		return case_emit(j);
	if (j->nsuites && j->suite_depths[j->nsuites - 1] == depth)
		free(j->suites[--j->nsuites]);
	return 0;
}

static int
junit_file(struct junit *j, const char *path, struct sg_error *err)
{
	static const char *const roots[] = {"testsuites", "testsuite"};
	bool seen_root = false;
	int type;
	int rc;
	int error;

	j->case_depth = -1;
	if ((error = xr_open(&j->x, path, err)) < 0)
		goto out;
	while ((rc = xr_next(&j->x)) > 0) {
		type = xmlTextReaderNodeType(j->x.r);
		if (type == XML_READER_TYPE_ELEMENT) {
			if (!seen_root && (error = root_is(&j->x, roots, 2,
					       "JUnit XML")) < 0)
				goto out;
			seen_root = true;
			error = junit_element(j);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			error = junit_end(j);
		}
		if (error < 0)
			goto out;
	}
	error = rc;
	if (!error && !seen_root)
		error = sg_error_set_at(err, SG_EINVAL, path, 0, 0,
		    "no XML element");
out:
	case_reset(j);
	while (j->nsuites)
		free(j->suites[--j->nsuites]);
	xr_close(&j->x);
	return error;
}

int
sg_junit_read(struct sg_test_totals *totals, const char *const *paths,
    size_t npaths, sg_test_cb cb, void *payload, struct sg_error *err)
{
	struct junit j;
	int error = 0;

	memset(totals, 0, sizeof(*totals));
	memset(&j, 0, sizeof(j));
	j.totals = totals;
	j.cb = cb;
	j.payload = payload;
	for (size_t i = 0; i < npaths && !error; i++) {
		error = junit_file(&j, paths[i], err);
		totals->nfiles += !error;
	}
	return error;
}

const char *
sg_test_status_name(enum sg_test_status st)
{
	static const char *const names[] = {"passed", "failed", "error",
	    "skipped"};

	return (unsigned)st < SG_ARRAY_SIZE(names) ? names[st] : "unknown";
}
