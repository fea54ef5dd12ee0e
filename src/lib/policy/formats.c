/* SPDX-License-Identifier: MIT */
/*
 * formats.c - the spec findings of a validation in the formats CI reads
 * (`specgate validate --format sarif|github|junit`, docs/ci.md):
 *
 *   - SARIF 2.1.0, one run whose driver carries a rule for every spec
 *     finding code (SG001, SG1xx), so that code scanning shows each
 *     finding on its .feature line with the code's help beside it;
 *   - GitHub workflow commands, one `::error` or `::warning` a finding,
 *     which the runner turns into annotations on the pull request;
 *   - JUnit XML, one test case per .feature file, which GitLab, Jenkins
 *     and the test-report actions show: errors are failures, warnings go
 *     to system-out, a file skipped for a parse error is skipped.
 *
 * Paths are relative to the root of the git work tree that holds the
 * project (else to the project root, the directory of specgate.yaml), not
 * to the working directory: code scanning and annotations name files from
 * the repository's root, and the same validation then gives the same
 * document wherever it ran.  A file outside that tree keeps its absolute
 * path (a file: URI in SARIF).
 *
 * Rejected: a SARIF rule per gate code as well (SG3xx): `validate` never
 * reports them, and a rule table that lists what a tool cannot find makes
 * code scanning show rules that never fire.
 *
 * Every string that goes out is made valid for its format here: file names
 * are bytes (a byte that is not UTF-8 becomes U+FFFD in JSON and XML),
 * XML 1.0 forbids most control characters, and workflow commands end at a
 * newline, so %, CR and LF (and in properties ',' and ':') are escaped as
 * GitHub documents.
 */
#include "specgate/validate.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "specgate/sg.h"
#include "sys/fs.h"
#include "sys/path.h"
#include "util/util.h"

/* What each spec finding code is about and what to do (docs/findings.md). */
static const struct {
	enum sg_finding_code code;
	const char *summary;
	const char *help;
} rule_table[] = {
	{SG_F_PARSE_ERROR, "The .feature file does not parse as Gherkin.",
	    "Fix the Gherkin at the token the parser did not expect (column 0 "
	    "is the end of the file). In sandbox the file is skipped; in "
	    "compliance it is an error."},
	{SG_F_MISSING_RESOURCE, "A scenario has no @resource tag.",
	    "Add @resource:cpu=..,memory=..,storage=..,story_points=.. on the "
	    "Scenario, its Examples, its Rule or the Feature; the nearest one "
	    "wins."},
	{SG_F_INVALID_RESOURCE, "A @resource tag does not follow the grammar.",
	    "Give cpu, memory, storage and story_points, in any order, each "
	    "exactly once and nothing else: cpu=0.5 or 500m, memory=128, "
	    "128Mi or 1Gi (likewise storage), story_points=3. The message "
	    "names the bad part."},
	{SG_F_DUPLICATE_RESOURCE, "Two @resource tags on one level.",
	    "Keep one @resource tag per level (Feature, Rule, Scenario, "
	    "Examples)."},
	{SG_F_CPU_RANGE, "The cpu of a scenario is outside the mode's range.",
	    "Use a value inside policy.<mode>.cpu of specgate.yaml."},
	{SG_F_MEMORY_RANGE,
	    "The memory of a scenario is outside the mode's range.",
	    "Use a value inside policy.<mode>.memory of specgate.yaml."},
	{SG_F_STORAGE_RANGE,
	    "The storage of a scenario is outside the mode's range.",
	    "Use a value inside policy.<mode>.storage of specgate.yaml."},
	{SG_F_POINTS_RANGE,
	    "The story points of a scenario are outside the mode's range.",
	    "Use a value inside policy.<mode>.story_points of specgate.yaml, "
	    "or split the scenario."},
	{SG_F_MISSING_GIVEN, "A scenario has no Given step.",
	    "Add a Given (the Given steps of a Background count)."},
	{SG_F_MISSING_WHEN, "A scenario has no When step.", "Add a When."},
	{SG_F_MISSING_THEN, "A scenario has no Then step.",
	    "Add a Then: the outcome the scenario expects."},
};

#define NRULES SG_ARRAY_SIZE(rule_table)

static int
rule_index(enum sg_finding_code code)
{
	for (size_t i = 0; i < NRULES; i++)
		if (rule_table[i].code == code)
			return (int)i;
	return -1;
}

static const char *
level_word(enum sg_severity s)
{
	return s == SG_SEV_ERROR ? "error" : "warning";
}

/* s as a JSON string, each byte not part of valid UTF-8 as U+FFFD. */
static json_t *
jstr(const char *s)
{
	struct sg_buf b;
	json_t *j;

	sg_buf_init(&b, 0);
	sg_buf_put_utf8(&b, s, strlen(s));
	j = json_string(b.ptr);
	sg_buf_release(&b);
	return j;
}

/*
 * Where paths are relative to: the root of the git work tree holding the
 * project (the nearest directory, from the project root up, with a .git
 * entry), else the project root; canonical.  Code scanning and workflow
 * annotations name files from the repository's root, which is not the
 * project's when specgate.yaml lives in a subdirectory.
 */
static char *
base_of(const char *root)
{
	char *croot = NULL;
	char *dir;

	if (sg_path_realpath(&croot, root, NULL) < 0)
		return sg_xstrdup(root);
	dir = sg_xstrdup(croot);
	for (;;) {
		char *git = sg_xasprintf("%s/.git", strcmp(dir, "/") ? dir : "");
		bool found = sg_fs_exists(git);
		char *slash = strrchr(dir, '/');

		free(git);
		if (found) {
			free(croot);
			return dir;
		}
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	free(dir);
	return croot;
}

/*
 * The path of a spec file relative to base (canonical), or its absolute
 * path when it is outside (*outside true).  The directory is made
 * canonical, not the file: a symbolic link named on the command line is
 * shown where it is, not where it points.
 */
static char *
project_path(const char *base, const char *path, bool *outside)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? sg_xstrndup(path, (size_t)(slash - path + 1))
			  : sg_xstrdup(".");
	const char *name = slash ? slash + 1 : path;
	char *cdir = NULL;
	char *abs;
	char *rel = NULL;

	*outside = false;
	if (sg_path_realpath(&cdir, dir, NULL) < 0) {
		/* gone since it was read: show it as it was opened */
		rel = sg_xstrdup(path);
		goto out;
	}
	abs = sg_xasprintf("%s%s%s", cdir, strcmp(cdir, "/") ? "/" : "",
	    name);
	sg_path_relative(&rel, base, abs);
	if (!strcmp(rel, "..") || !strncmp(rel, "../", 3)) {
		free(rel);
		rel = abs;
		*outside = true;
	} else {
		free(abs);
	}
out:
	free(dir);
	free(cdir);
	return rel;
}

/* A URI reference for a path: unreserved characters and '/' kept. */
static char *
uri_of(const char *path, bool absolute)
{
	static const char hex[] = "0123456789ABCDEF";
	struct sg_buf b;

	sg_buf_init(&b, 0);
	if (absolute)
		sg_buf_puts(&b, "file://");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			sg_buf_putc(&b, *p);
		} else {
			sg_buf_putc(&b, '%');
			sg_buf_putc(&b, hex[*p >> 4]);
			sg_buf_putc(&b, hex[*p & 15]);
		}
	}
	return sg_buf_detach(&b, NULL);
}

static json_t *
sarif_rules(enum sg_mode mode)
{
	json_t *rules = json_array();

	for (size_t i = 0; i < NRULES; i++) {
		enum sg_finding_code c = rule_table[i].code;
		char *md = sg_xasprintf("**%s %s**: %s\n\n%s", sg_finding_id(c),
		    sg_finding_name(c), rule_table[i].summary,
		    rule_table[i].help);

		json_array_append_new(rules,
		    json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s, s:s}, "
			      "s:{s:s}, s:{s:[s, s]}}",
			"id", sg_finding_id(c), "name", sg_finding_name(c),
			"shortDescription", "text", rule_table[i].summary,
			"fullDescription", "text", rule_table[i].help, "help",
			"text", rule_table[i].help, "markdown", md,
			"defaultConfiguration", "level",
			mode == SG_MODE_COMPLIANCE ? "error" : "warning",
			"properties", "tags", "specgate", "spec"));
		free(md);
	}
	return rules;
}

static json_t *
sarif_result(const struct sg_finding *f, const char *base)
{
	json_t *res;
	json_t *loc;
	json_t *region = json_object();
	bool outside;
	char *path = project_path(base, f->file, &outside);
	char *uri = uri_of(path, outside);
	int ri = rule_index(f->code);

	loc = json_pack("{s:o}", "uri", json_string(uri));
	if (!outside)
		json_object_set_new(loc, "uriBaseId", json_string("%SRCROOT%"));
	if (f->loc.line)
		json_object_set_new(region, "startLine",
		    json_integer(f->loc.line));
	if (f->loc.line && f->loc.column)
		json_object_set_new(region, "startColumn",
		    json_integer(f->loc.column));
	res = json_pack("{s:s, s:s, s:{s:o}}", "ruleId", sg_finding_id(f->code),
	    "level", level_word(f->severity), "message", "text",
	    jstr(f->message));
	if (ri >= 0)
		json_object_set_new(res, "ruleIndex", json_integer(ri));
	if (json_object_size(region))
		json_object_set_new(res, "locations",
		    json_pack("[{s:{s:o, s:o}}]", "physicalLocation",
			"artifactLocation", loc, "region", region));
	else
		json_object_set_new(res, "locations",
		    json_pack("[{s:{s:o}}]", "physicalLocation",
			"artifactLocation", loc)),
		    json_decref(region);
	free(uri);
	free(path);
	return res;
}

int
sg_validation_sarif(char **out, const struct sg_validation *v,
    const char *root, struct sg_error *err)
{
	json_t *doc;
	json_t *results = json_array();
	json_t *run;
	char *base = base_of(root);

	*out = NULL;
	for (size_t i = 0; i < v->result.nfindings; i++)
		json_array_append_new(results,
		    sarif_result(&v->result.findings[i], base));
	free(base);
	run = json_pack("{s:{s:{s:s, s:s, s:s, s:o}}, s:o, s:s, s:{s:{s:s}}}",
	    "tool", "driver", "name", "specgate", "version", sg_version(),
	    "semanticVersion", sg_version(), "rules", sarif_rules(v->mode),
	    "results", results, "columnKind", "unicodeCodePoints",
	    "properties", "specgate", "mode", sg_mode_name(v->mode));
	if (v->feature_id[0])
		json_object_set_new(json_object_get(json_object_get(run,
					"properties"), "specgate"),
		    "feature_id", json_string(v->feature_id));
	doc = json_pack("{s:s, s:s, s:[o]}", "$schema",
	    "https://json.schemastore.org/sarif-2.1.0.json", "version",
	    "2.1.0", "runs", run);
	if (!doc)
		return sg_error_set(err, SG_EIO,
		    "cannot build the SARIF document");
	*out = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!*out)
		return sg_error_set(err, SG_EIO,
		    "cannot serialise the SARIF document");
	return 0;
}

/*
 * Workflow command escaping: data escapes %, CR and LF; a property value
 * also ',' and ':' (which end or split a property).
 */
static void
gh_escape(struct sg_buf *b, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			sg_buf_puts(b, "%25");
		else if (*s == '\r')
			sg_buf_puts(b, "%0D");
		else if (*s == '\n')
			sg_buf_puts(b, "%0A");
		else if (property && *s == ':')
			sg_buf_puts(b, "%3A");
		else if (property && *s == ',')
			sg_buf_puts(b, "%2C");
		else
			sg_buf_putc(b, *s);
	}
}

int
sg_validation_github(char **out, const struct sg_validation *v,
    const char *root, struct sg_error *err)
{
	struct sg_buf b;
	char *base = base_of(root);

	sg_buf_init(&b, 0);
	for (size_t i = 0; i < v->result.nfindings; i++) {
		const struct sg_finding *f = &v->result.findings[i];
		bool outside;
		char *path = project_path(base, f->file, &outside);
		char *title = sg_xasprintf("%s %s", sg_finding_id(f->code),
		    sg_finding_name(f->code));

		sg_buf_printf(&b, "::%s file=", level_word(f->severity));
		gh_escape(&b, path, true);
		if (f->loc.line)
			sg_buf_printf(&b, ",line=%u", f->loc.line);
		if (f->loc.line && f->loc.column)
			sg_buf_printf(&b, ",col=%u", f->loc.column);
		sg_buf_puts(&b, ",title=");
		gh_escape(&b, title, true);
		sg_buf_puts(&b, "::");
		gh_escape(&b, f->message, false);
		sg_buf_putc(&b, '\n');
		free(title);
		free(path);
	}
	free(base);
	(void)err;
	*out = sg_buf_detach(&b, NULL);
	return 0;
}

/* An attribute value (newlines kept as references, not normalised away). */
static void
xml_escape(struct sg_buf *b, const char *str)
{
	sg_buf_xml_escape(b, str, SG_XML_CLEAN | SG_XML_ATTR);
}

/* One finding as the text output prints it, for the JUnit bodies. */
static void
junit_line(struct sg_buf *b, const char *path, const struct sg_finding *f)
{
	char *line = sg_xasprintf("%s:%u:%u: %s: %s [%s %s]", path,
	    f->loc.line, f->loc.column, level_word(f->severity), f->message,
	    sg_finding_id(f->code), sg_finding_name(f->code));

	sg_buf_xml_escape(b, line, SG_XML_CLEAN);
	sg_buf_putc(b, '\n');
	free(line);
}

struct file_slot {
	const char *path;
	size_t index;
};

static int
slot_cmp(const void *a, const void *b)
{
	return strcmp(((const struct file_slot *)a)->path,
	    ((const struct file_slot *)b)->path);
}

/*
 * The test case of one file: its findings are order[start[idx]] up to
 * order[start[idx + 1]], in the order they were found.
 */
static void
junit_case(struct sg_buf *b, const struct sg_validation *v, size_t idx,
    const char *base, const size_t *order, const size_t *start)
{
	const struct sg_validated_file *file = &v->files[idx];
	const struct sg_finding *first_error = NULL;
	size_t nwarn = 0;
	bool outside;
	char *path = project_path(base, file->path, &outside);

	for (size_t k = start[idx]; k < start[idx + 1]; k++) {
		const struct sg_finding *f = &v->result.findings[order[k]];

		if (f->severity != SG_SEV_ERROR)
			nwarn++;
		else if (!first_error)
			first_error = f;
	}
	sg_buf_puts(b, "    <testcase classname=\"specgate.validate\" name=\"");
	xml_escape(b, path);
	sg_buf_puts(b, "\" file=\"");
	xml_escape(b, path);
	sg_buf_printf(b, "\" assertions=\"%zu\" time=\"0\">\n",
	    file->nscenarios);
	if (first_error) {
		sg_buf_puts(b, "      <failure type=\"");
		xml_escape(b, sg_finding_id(first_error->code));
		sg_buf_puts(b, "\" message=\"");
		xml_escape(b, first_error->message);
		sg_buf_puts(b, "\">");
		for (size_t k = start[idx]; k < start[idx + 1]; k++)
			if (v->result.findings[order[k]].severity ==
			    SG_SEV_ERROR)
				junit_line(b, path,
				    &v->result.findings[order[k]]);
		sg_buf_puts(b, "</failure>\n");
	} else if (file->status == SG_FILE_PARSE_ERROR) {
		sg_buf_puts(b, "      <skipped message=\"the file does not "
			       "parse (SG001): skipped in sandbox\"/>\n");
	}
	if (nwarn) {
		sg_buf_puts(b, "      <system-out>");
		for (size_t k = start[idx]; k < start[idx + 1]; k++)
			if (v->result.findings[order[k]].severity !=
			    SG_SEV_ERROR)
				junit_line(b, path,
				    &v->result.findings[order[k]]);
		sg_buf_puts(b, "</system-out>\n");
	}
	sg_buf_puts(b, "    </testcase>\n");
	free(path);
}

int
sg_validation_junit(char **out, const struct sg_validation *v,
    const char *root, const char *timestamp, struct sg_error *err)
{
	struct sg_buf b;
	struct sg_buf cases;
	struct file_slot *slots;
	size_t *owner, *order, *start, *fill;
	size_t nf = v->result.nfindings;
	size_t nfail = 0, nskip = 0;
	char *head;
	char *base = base_of(root);

	slots = sg_xcalloc(v->nfiles + 1, sizeof(*slots));
	owner = sg_xcalloc(nf + 1, sizeof(*owner));
	order = sg_xcalloc(nf + 1, sizeof(*order));
	start = sg_xcalloc(v->nfiles + 2, sizeof(*start));
	fill = sg_xcalloc(v->nfiles + 1, sizeof(*fill));
	for (size_t i = 0; i < v->nfiles; i++) {
		slots[i].path = v->files[i].path;
		slots[i].index = i;
	}
	qsort(slots, v->nfiles, sizeof(*slots), slot_cmp);
	/*
	 * Each finding to its file (a finding names the path as opened),
	 * then a counting sort by file that keeps each file's order.
	 */
	for (size_t i = 0; i < nf; i++) {
		struct file_slot key = {v->result.findings[i].file, 0};
		struct file_slot *hit = v->nfiles
		    ? bsearch(&key, slots, v->nfiles, sizeof(*slots), slot_cmp)
		    : NULL;

		owner[i] = hit ? hit->index : SIZE_MAX;
		if (hit)
			start[hit->index + 1]++;
	}
	for (size_t i = 0; i < v->nfiles; i++)
		start[i + 1] += start[i];
	for (size_t i = 0; i < nf; i++)
		if (owner[i] != SIZE_MAX)
			order[start[owner[i]] + fill[owner[i]]++] = i;
	sg_buf_init(&cases, 0);
	for (size_t i = 0; i < v->nfiles; i++) {
		bool failed = false;

		if (v->files[i].status == SG_FILE_UNREADABLE)
			continue;
		for (size_t k = start[i]; k < start[i + 1]; k++)
			if (v->result.findings[order[k]].severity ==
			    SG_SEV_ERROR)
				failed = true;
		if (failed)
			nfail++;
		else if (v->files[i].status == SG_FILE_PARSE_ERROR)
			nskip++;
		junit_case(&cases, v, i, base, order, start);
	}
	head = sg_xasprintf("tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
			    "skipped=\"%zu\" time=\"0\"",
	    v->nfiles - v->nunreadable, nfail, nskip);
	sg_buf_init(&b, 0);
	sg_buf_printf(&b,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"specgate validate\" %s>\n"
	    "  <testsuite name=\"specgate validate\" %s timestamp=\"",
	    head, head);
	xml_escape(&b, timestamp);
	sg_buf_puts(&b, "\">\n    <properties>\n"
			"      <property name=\"mode\" value=\"");
	xml_escape(&b, sg_mode_name(v->mode));
	sg_buf_puts(&b, "\"/>\n");
	if (v->feature_id[0])
		sg_buf_printf(&b,
		    "      <property name=\"feature_id\" value=\"%s\"/>\n",
		    v->feature_id);
	sg_buf_puts(&b, "    </properties>\n");
	sg_buf_put(&b, cases.ptr, cases.len);
	sg_buf_puts(&b, "  </testsuite>\n</testsuites>\n");
	sg_buf_release(&cases);
	free(head);
	free(slots);
	free(owner);
	free(order);
	free(start);
	free(fill);
	free(base);
	(void)err;
	*out = sg_buf_detach(&b, NULL);
	return 0;
}
