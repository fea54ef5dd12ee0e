/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/lib/spec: the Gherkin parser (node locations, CRLF,
 * languages, table escapes, doc strings, errors, UTF-8 checks), the pickle
 * compiler and the NDJSON writer.  Expected values were checked against
 * Cucumber's JavaScript parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "specgate/gherkin.h"
#include "util/util.h"

static struct sg_gh_document *
parse(const char *text)
{
	struct sg_gh_document *doc = NULL;
	struct sg_error err = SG_ERROR_INIT;

	assert_int_equal(sg_gherkin_parse(&doc, "t.feature", text,
			     strlen(text), NULL, &err),
	    0);
	assert_non_null(doc);
	return doc;
}

static void
assert_loc(struct sg_loc loc, unsigned line, unsigned column)
{
	assert_int_equal(loc.line, line);
	assert_int_equal(loc.column, column);
}

static const char full[] =
    "# a comment\n"
    "@ft1 @ft2\n"
    "Feature: Full\n"
    "  Feature description\n"
    "\n"
    "  Background: bg\n"
    "    Given a background step\n"
    "\n"
    "  @st\n"
    "  Scenario Outline: outline <x>\n"
    "    When I use <x>\n"
    "      | a  |   b |\n"
    "      | <x> | 2 |\n"
    "    Then a doc string\n"
    "      ```json\n"
    "      {\"x\": \"<x>\"}\n"
    "      ```\n"
    "\n"
    "    @et\n"
    "    Examples: first\n"
    "      | x |\n"
    "      | 1 |\n"
    "      | 2 |\n"
    "\n"
    "  Rule: a rule\n"
    "    Example: in the rule\n"
    "      * a star step\n";

static void
locations_of_every_node(void **state)
{
	struct sg_gh_document *doc;
	const struct sg_gh_feature *f;
	const struct sg_gh_background *bg;
	const struct sg_gh_scenario *sc;
	const struct sg_gh_examples *ex;
	const struct sg_gh_rule *r;

	(void)state;
	doc = parse(full);
	f = doc->feature;
	assert_int_equal(doc->nerrors, 0);
	assert_int_equal(doc->ncomments, 1);
	assert_loc(doc->comments[0].loc, 1, 1);
	assert_string_equal(doc->comments[0].text, "# a comment");
	assert_loc(f->loc, 3, 1);
	assert_string_equal(f->language, "en");
	assert_string_equal(f->keyword, "Feature");
	assert_string_equal(f->name, "Full");
	assert_string_equal(f->description, "  Feature description");
	assert_int_equal(f->ntags, 2);
	assert_loc(f->tags[0].loc, 2, 1);
	assert_loc(f->tags[1].loc, 2, 6);
	assert_string_equal(f->tags[1].name, "@ft2");
	assert_int_equal(f->nchildren, 3);

	assert_int_equal(f->children[0].type, SG_GH_BACKGROUND);
	bg = f->children[0].u.background;
	assert_loc(bg->loc, 6, 3);
	assert_string_equal(bg->name, "bg");
	assert_loc(bg->steps[0].loc, 7, 5);
	assert_string_equal(bg->steps[0].keyword, "Given ");
	assert_int_equal(bg->steps[0].kind, SG_STEP_CONTEXT);

	assert_int_equal(f->children[1].type, SG_GH_SCENARIO);
	sc = f->children[1].u.scenario;
	assert_loc(sc->loc, 10, 3);
	assert_string_equal(sc->keyword, "Scenario Outline");
	assert_loc(sc->tags[0].loc, 9, 3);
	assert_int_equal(sc->nsteps, 2);
	assert_loc(sc->steps[0].table->loc, 12, 7);
	assert_loc(sc->steps[0].table->rows[0].cells[0].loc, 12, 9);
	assert_loc(sc->steps[0].table->rows[0].cells[1].loc, 12, 16);
	assert_string_equal(sc->steps[0].table->rows[0].cells[1].value, "b");
	assert_loc(sc->steps[1].docstring->loc, 15, 7);
	assert_string_equal(sc->steps[1].docstring->delimiter, "```");
	assert_string_equal(sc->steps[1].docstring->media_type, "json");
	assert_string_equal(sc->steps[1].docstring->content, "{\"x\": \"<x>\"}");
	assert_int_equal(sc->nexamples, 1);
	ex = &sc->examples[0];
	assert_loc(ex->loc, 20, 5);
	assert_loc(ex->tags[0].loc, 19, 5);
	assert_loc(ex->header->loc, 21, 7);
	assert_int_equal(ex->nbody, 2);
	assert_loc(ex->body[1].loc, 23, 7);
	assert_loc(ex->body[1].cells[0].loc, 23, 9);

	assert_int_equal(f->children[2].type, SG_GH_RULE);
	r = f->children[2].u.rule;
	assert_loc(r->loc, 25, 3);
	assert_string_equal(r->name, "a rule");
	sc = r->children[0].u.scenario;
	assert_loc(sc->loc, 26, 5);
	assert_string_equal(sc->steps[0].keyword, "* ");
	assert_int_equal(sc->steps[0].kind, SG_STEP_UNKNOWN);
	sg_gherkin_document_free(doc);
}

static void
columns_count_code_points(void **state)
{
	/* "é" is two bytes, one column; U+3000 is indentation */
	struct sg_gh_document *doc;
	const struct sg_gh_scenario *sc;

	(void)state;
	doc = parse(
	    "Feature: é\n"
	    "\xe3\x80\x80Scenario: s\n"
	    "  @é @b\n"
	    "  Scenario: t\n");
	assert_int_equal(doc->nerrors, 0);
	sc = doc->feature->children[0].u.scenario;
	assert_loc(sc->loc, 2, 2);
	sc = doc->feature->children[1].u.scenario;
	assert_loc(sc->tags[1].loc, 3, 6);
	sg_gherkin_document_free(doc);
}

static void
crlf_is_a_line_end(void **state)
{
	struct sg_gh_document *doc;
	const struct sg_gh_scenario *sc;

	(void)state;
	doc = parse(
	    "Feature: f\r\n"
	    "  desc\r\n"
	    "\r\n"
	    "  Scenario: s\r\n"
	    "    Given x\r\n"
	    "      \"\"\"\r\n"
	    "      a\r\n"
	    "      b\r\n"
	    "      \"\"\"\r\n");
	assert_int_equal(doc->nerrors, 0);
	assert_string_equal(doc->feature->name, "f");
	assert_string_equal(doc->feature->description, "  desc");
	sc = doc->feature->children[0].u.scenario;
	assert_loc(sc->loc, 4, 3);
	assert_string_equal(sc->steps[0].text, "x");
	assert_string_equal(sc->steps[0].docstring->content, "a\nb");
	sg_gherkin_document_free(doc);
}

static void
a_language_header_changes_the_keywords(void **state)
{
	struct sg_gh_document *doc;
	const struct sg_gh_scenario *sc;
	const struct sg_pickle *p;
	size_t n;

	(void)state;
	doc = parse(
	    "# language: fr\n"
	    "Fonctionnalité: F\n"
	    "  Scénario: S\n"
	    "    Soit a\n"
	    "    Et b\n"
	    "    Alors c\n");
	assert_int_equal(doc->nerrors, 0);
	assert_string_equal(doc->feature->language, "fr");
	assert_string_equal(doc->feature->keyword, "Fonctionnalité");
	sc = doc->feature->children[0].u.scenario;
	assert_string_equal(sc->keyword, "Scénario");
	assert_string_equal(sc->steps[1].keyword, "Et ");
	assert_int_equal(sc->steps[1].kind, SG_STEP_CONJUNCTION);
	assert_int_equal(sg_gherkin_pickles(&p, &n, doc), 0);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].language, "fr");
	assert_int_equal(p[0].steps[1].type, SG_STEP_CONTEXT);
	assert_int_equal(p[0].steps[2].type, SG_STEP_OUTCOME);
	sg_gherkin_document_free(doc);
	assert_true(sg_gherkin_has_language("ja"));
	assert_true(sg_gherkin_has_language("en-pirate"));
	assert_false(sg_gherkin_has_language("xx"));
}

static void
the_default_language_is_an_option(void **state)
{
	static const char text[] = "Funcionalidade: F\n  Cenário: S\n"
				   "    Dado a\n";
	struct sg_gherkin_options opts = SG_GHERKIN_OPTIONS_INIT;
	struct sg_gh_document *doc = NULL;
	struct sg_error err = SG_ERROR_INIT;

	(void)state;
	opts.default_language = "pt";
	assert_int_equal(sg_gherkin_parse(&doc, "p", text, sizeof(text) - 1,
			     &opts, &err),
	    0);
	assert_int_equal(doc->nerrors, 0);
	assert_string_equal(doc->feature->language, "pt");
	assert_string_equal(doc->feature->children[0].u.scenario->name, "S");
	sg_gherkin_document_free(doc);
	opts.default_language = "xx";
	assert_int_equal(sg_gherkin_parse(&doc, "p", text, sizeof(text) - 1,
			     &opts, &err),
	    SG_EINVAL);
	assert_null(doc);
	sg_error_release(&err);
}

static void
an_unknown_language_is_a_parse_error(void **state)
{
	struct sg_gh_document *doc;

	(void)state;
	doc = parse("#language:xx\nFeature: f\n");
	assert_int_equal(doc->nerrors, 1);
	assert_string_equal(doc->errors[0].message,
	    "(1:1): Language not supported: xx");
	assert_null(doc->feature);
	sg_gherkin_document_free(doc);
}

static void
table_cells_are_unescaped(void **state)
{
	struct sg_gh_document *doc;
	const struct sg_gh_row *row;

	(void)state;
	doc = parse(
	    "Feature: f\n"
	    "  Scenario: s\n"
	    "    Given t\n"
	    "      | a\\|b | c\\nd | e\\\\f | g\\h |  \\n | ü |\n");
	assert_int_equal(doc->nerrors, 0);
	row = &doc->feature->children[0].u.scenario->steps[0].table->rows[0];
	assert_int_equal(row->ncells, 6);
	assert_string_equal(row->cells[0].value, "a|b");
	assert_string_equal(row->cells[1].value, "c\nd");
	assert_string_equal(row->cells[2].value, "e\\f");
	assert_string_equal(row->cells[3].value, "g\\h");
	assert_string_equal(row->cells[4].value, "\n");
	assert_string_equal(row->cells[5].value, "ü");
	assert_loc(row->cells[0].loc, 4, 9);
	assert_loc(row->cells[1].loc, 4, 16);
	assert_loc(row->cells[3].loc, 4, 30);
	assert_loc(row->cells[4].loc, 4, 37);
	assert_loc(row->cells[5].loc, 4, 42);
	sg_gherkin_document_free(doc);
}

static void
inconsistent_cells_are_an_error(void **state)
{
	struct sg_gh_document *doc;

	(void)state;
	doc = parse(
	    "Feature: f\n"
	    "  Scenario: s\n"
	    "    Given t\n"
	    "      | a | b |\n"
	    "      | a |\n");
	assert_int_equal(doc->nerrors, 1);
	assert_string_equal(doc->errors[0].message,
	    "(5:7): inconsistent cell count within the table");
	assert_loc(doc->errors[0].loc, 5, 7);
	sg_gherkin_document_free(doc);
}

static void
doc_strings_lose_their_indentation(void **state)
{
	struct sg_gh_document *doc;
	const struct sg_gh_scenario *sc;

	(void)state;
	doc = parse(
	    "Feature: f\n"
	    "  Scenario: s\n"
	    "    Given t\n"
	    "      \"\"\"  text/plain  \n"
	    "      line one\n"
	    "        indented\n"
	    "    less indented\n"
	    "\n"
	    "      \\\"\\\"\\\" and \\\"\\\"\\\"\n"
	    "      \"\"\"\n"
	    "    And u\n"
	    "      ```\n"
	    "      \\`\\`\\`\n"
	    "      \"\"\"\n"
	    "      ```\n");
	assert_int_equal(doc->nerrors, 0);
	sc = doc->feature->children[0].u.scenario;
	assert_string_equal(sc->steps[0].docstring->media_type, "text/plain");
	assert_string_equal(sc->steps[0].docstring->delimiter, "\"\"\"");
	/* only the first escaped separator of a line is unescaped */
	assert_string_equal(sc->steps[0].docstring->content,
	    "line one\n"
	    "  indented\n"
	    "less indented\n"
	    "\n"
	    "\"\"\" and \\\"\\\"\\\"");
	assert_null(sc->steps[1].docstring->media_type);
	assert_string_equal(sc->steps[1].docstring->content, "```\n\"\"\"");
	sg_gherkin_document_free(doc);
}

static void
descriptions_lose_trailing_blank_lines(void **state)
{
	struct sg_gh_document *doc;

	(void)state;
	doc = parse(
	    "Feature: f\n"
	    "  first\n"
	    "  # not part of it\n"
	    "\n"
	    "  second  \n"
	    "   \n"
	    "\n"
	    "  Scenario: s\n");
	assert_int_equal(doc->nerrors, 0);
	assert_string_equal(doc->feature->description,
	    "  first\n\n  second  ");
	assert_int_equal(doc->ncomments, 1);
	sg_gherkin_document_free(doc);
}

static void
parse_errors_match_cucumber(void **state)
{
	struct sg_gh_document *doc;

	(void)state;
	doc = parse(
	    "Feature: f\n"
	    "  Scenario: s\n"
	    "    Given x\n"
	    "    @a b\n"
	    "    \"\"\"\n");
	assert_int_equal(doc->nerrors, 3);
	assert_string_equal(doc->errors[0].message,
	    "(4:5): A tag may not contain whitespace");
	assert_string_equal(doc->errors[1].message,
	    "(4:5): expected: #EOF, #TableRow, #DocStringSeparator, "
	    "#StepLine, #TagLine, #ExamplesLine, #ScenarioLine, #RuleLine, "
	    "#Comment, #Empty, got '@a b'");
	assert_string_equal(doc->errors[2].message,
	    "(6:0): unexpected end of file, expected: #DocStringSeparator, "
	    "#Other");
	assert_loc(doc->errors[2].loc, 6, 0);
	sg_gherkin_document_free(doc);
}

static void
parsing_stops_after_eleven_errors(void **state)
{
	struct sg_buf b;
	struct sg_gh_document *doc;

	(void)state;
	sg_buf_init(&b, 0);
	for (int i = 0; i < 50; i++)
		sg_buf_printf(&b, "bad line %d\n", i);
	doc = parse(b.ptr);
	assert_int_equal(doc->nerrors, SG_GHERKIN_MAX_ERRORS + 1);
	assert_string_equal(doc->errors[10].message,
	    "(11:1): expected: #EOF, #Language, #TagLine, #FeatureLine, "
	    "#Comment, #Empty, got 'bad line 10'");
	sg_gherkin_document_free(doc);
	sg_buf_release(&b);
}

static void
invalid_utf8_is_located(void **state)
{
	static const char text[] = "Feature: x\n  Scenario: \xc3\xa9\xc3(\n";
	static const char nul[] = "Feature: x\n\n\tab\0c\n";
	struct sg_gh_document *doc = NULL;
	struct sg_error err = SG_ERROR_INIT;

	(void)state;
	assert_int_equal(sg_gherkin_parse(&doc, "u.feature", text,
			     sizeof(text) - 1, NULL, &err),
	    SG_EINVAL);
	assert_null(doc);
	assert_string_equal(err.file, "u.feature");
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 14);
	sg_error_release(&err);
	assert_int_equal(sg_gherkin_parse(&doc, "n.feature", nul,
			     sizeof(nul) - 1, NULL, &err),
	    SG_EINVAL);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 4);
	sg_error_release(&err);
	/* overlong, surrogate, above U+10FFFF, truncated */
	assert_int_equal(sg_gherkin_parse(&doc, "o", "\xc0\xaf", 2, NULL,
			     &err),
	    SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(sg_gherkin_parse(&doc, "s", "\xed\xa0\x80", 3, NULL,
			     &err),
	    SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(sg_gherkin_parse(&doc, "h", "\xf4\x90\x80\x80", 4,
			     NULL, &err),
	    SG_EINVAL);
	sg_error_release(&err);
	assert_int_equal(sg_gherkin_parse(&doc, "t", "ab\xe2\x82", 4, NULL,
			     &err),
	    SG_EINVAL);
	assert_int_equal(err.column, 3);
	sg_error_release(&err);
}

static void
outlines_expand_per_row(void **state)
{
	struct sg_gh_document *doc;
	const struct sg_pickle *p;
	size_t n;

	(void)state;
	doc = parse(full);
	assert_int_equal(sg_gherkin_pickles(&p, &n, doc), 0);
	assert_int_equal(n, 3);
	assert_string_equal(p[0].name, "outline 1");
	assert_loc(p[0].loc, 22, 7);
	assert_ptr_equal(p[0].row, &p[0].examples->body[0]);
	assert_int_equal(p[0].ntags, 4);
	assert_string_equal(p[0].tags[0].name, "@ft1");
	assert_string_equal(p[0].tags[2].name, "@st");
	assert_string_equal(p[0].tags[3].name, "@et");
	assert_ptr_equal(p[0].tags[3].source, &p[0].examples->tags[0]);
	assert_int_equal(p[0].nsteps, 3);
	assert_true(p[0].steps[0].from_background);
	assert_string_equal(p[0].steps[1].text, "I use 1");
	assert_int_equal(p[0].steps[1].type, SG_STEP_ACTION);
	assert_string_equal(p[0].steps[1].table[1][0], "1");
	assert_int_equal(p[0].steps[1].nrows, 2);
	assert_int_equal(p[0].steps[1].ncols, 2);
	assert_string_equal(p[0].steps[2].docstring, "{\"x\": \"1\"}");
	assert_string_equal(p[0].steps[2].media_type, "json");
	assert_string_equal(p[1].name, "outline 2");
	assert_string_equal(p[2].name, "in the rule");
	assert_non_null(p[2].rule);
	assert_null(p[2].examples);
	assert_int_equal(p[2].ntags, 2);
	assert_int_equal(p[2].nsteps, 2);
	assert_string_equal(sg_step_kind_name(p[2].steps[1].type), "Unknown");
	sg_gherkin_document_free(doc);
}

static void
placeholders_are_replaced_column_by_column(void **state)
{
	struct sg_gh_document *doc;
	const struct sg_pickle *p;
	size_t n;

	(void)state;
	doc = parse(
	    "Feature: f\n"
	    "  Scenario Outline: <a> <b> <a>\n"
	    "    Given $ <c>\n"
	    "    Examples:\n"
	    "      | a   | b | c  |\n"
	    "      | <b> | x | $& |\n"
	    "    Examples: no table\n"
	    "    Examples: no rows\n"
	    "      | a |\n");
	assert_int_equal(sg_gherkin_pickles(&p, &n, doc), 0);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].name, "x x x");
	assert_string_equal(p[0].steps[0].text, "$ $&");
	sg_gherkin_document_free(doc);
}

static void
ndjson_is_cucumbers(void **state)
{
	struct sg_gh_document *doc;
	char *out;
	size_t len;

	(void)state;
	doc = parse(
	    "@t\n"
	    "Feature: f\n"
	    "  Scenario: s \"q\" \\\n"
	    "    Given a\tb\n");
	assert_int_equal(sg_gherkin_to_ndjson(&out, &len, doc), 0);
	assert_string_equal(out,
	    "{\"pickle\":{\"astNodeIds\":[\"1\"],\"id\":\"4\","
	    "\"language\":\"en\",\"location\":{\"column\":3,\"line\":3},"
	    "\"name\":\"s \\\"q\\\" \\\\\",\"steps\":[{\"astNodeIds\":[\"0\"],"
	    "\"id\":\"3\",\"text\":\"a\\tb\",\"type\":\"Context\"}],"
	    "\"tags\":[{\"astNodeId\":\"2\",\"name\":\"@t\"}],"
	    "\"uri\":\"t.feature\"}}\n");
	assert_int_equal(len, strlen(out));
	free(out);
	sg_gherkin_document_free(doc);
	doc = parse("Feature: f\n  Scenario:\n    Given x\n    \"\"\"\n");
	assert_int_equal(sg_gherkin_to_ndjson(&out, &len, doc), 0);
	assert_string_equal(out,
	    "{\"parseError\":{\"message\":\"(5:0): unexpected end of file, "
	    "expected: #DocStringSeparator, #Other\",\"source\":"
	    "{\"location\":{\"line\":5},\"uri\":\"t.feature\"}}}\n");
	free(out);
	sg_gherkin_document_free(doc);
}

static void
empty_and_blank_documents(void **state)
{
	struct sg_gh_document *doc;
	const struct sg_pickle *p;
	size_t n;

	(void)state;
	doc = parse("");
	assert_null(doc->feature);
	assert_int_equal(doc->nerrors, 0);
	assert_int_equal(sg_gherkin_pickles(&p, &n, doc), 0);
	assert_int_equal(n, 0);
	sg_gherkin_document_free(doc);
	doc = parse("  \n# only a comment\n\t");
	assert_null(doc->feature);
	assert_int_equal(doc->ncomments, 1);
	sg_gherkin_document_free(doc);
	sg_gherkin_document_free(NULL);
}

/* Strings longer than the first pool chunk (found by fuzzing). */
static void
long_strings_in_a_small_document(void **state)
{
	struct sg_buf b;
	struct sg_gh_document *doc;
	const struct sg_gh_scenario *sc;

	(void)state;
	sg_buf_init(&b, 0);
	sg_buf_puts(&b, "@t\nFeature: f\n  Scenario: s\n    Given ");
	for (int i = 0; i < 3000; i++)
		sg_buf_putc(&b, 'a' + i % 26);
	sg_buf_puts(&b, "\n      | ");
	for (int i = 0; i < 70000; i++)
		sg_buf_putc(&b, 'x');
	sg_buf_puts(&b, " |\n");
	doc = parse(b.ptr);
	assert_int_equal(doc->nerrors, 0);
	sc = doc->feature->children[0].u.scenario;
	assert_int_equal(strlen(sc->steps[0].text), 3000);
	assert_int_equal(strlen(sc->steps[0].table->rows[0].cells[0].value),
	    70000);
	assert_string_equal(doc->feature->tags[0].name, "@t");
	sg_gherkin_document_free(doc);
	sg_buf_release(&b);
}

static int
count_pickle(const struct sg_pickle *p, void *payload, struct sg_error *err)
{
	(void)p;
	(void)err;
	(*(size_t *)payload)++;
	return 0;
}

/* Each cap, crossed at the row whose pickle crosses it, named. */
static void
expansion_caps_are_located(void **state)
{
	const char *text = "Feature: f\n"
			   "  Background:\n"
			   "    Given b\n"
			   "  Scenario Outline: o <a>\n"
			   "    When w <a><a>\n"
			   "    Then t\n"
			   "    Examples:\n"
			   "      | a |\n"
			   "      | 1 |\n"
			   "      | 22 |\n"
			   "      | 333 |\n";
	struct sg_gh_document *doc = parse(text);
	struct sg_pickle_limits lim = SG_PICKLE_LIMITS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	size_t n = 0;

	(void)state;
	assert_int_equal(sg_gherkin_pickles_each(doc, &lim, count_pickle, &n,
			     &err), 0);
	assert_int_equal(n, 3);
	lim.max_pickles = 2;
	assert_int_equal(sg_gherkin_pickles_each(doc, &lim, NULL, NULL, &err),
	    SG_ETOOBIG);
	assert_int_equal(err.line, 11);
	assert_int_equal(err.column, 7);
	assert_non_null(strstr(err.message, "cap of 2 pickles"));
	assert_non_null(strstr(err.message, "[max-pickles]"));
	sg_error_release(&err);
	/* 3 steps a pickle, the background's included */
	lim = (struct sg_pickle_limits)SG_PICKLE_LIMITS_INIT;
	lim.max_steps = 8;
	assert_int_equal(sg_gherkin_pickles_each(doc, &lim, NULL, NULL, &err),
	    SG_ETOOBIG);
	assert_int_equal(err.line, 11);
	assert_non_null(strstr(err.message, "[max-pickle-steps]"));
	sg_error_release(&err);
	/* texts: "o 1" "b" "w 11" "t" = 9 bytes; then 12, then 15 */
	lim = (struct sg_pickle_limits)SG_PICKLE_LIMITS_INIT;
	lim.max_bytes = 20;
	assert_int_equal(sg_gherkin_pickles_each(doc, &lim, NULL, NULL, &err),
	    SG_ETOOBIG);
	assert_int_equal(err.line, 10);
	assert_non_null(strstr(err.message, "cap of 20 bytes"));
	sg_error_release(&err);
	lim.max_bytes = 36;
	assert_int_equal(sg_gherkin_pickles_each(doc, &lim, NULL, NULL, &err),
	    0);
	sg_gherkin_document_free(doc);
}

/* The streamed NDJSON is the whole one, byte for byte. */
static int
append(const char *data, size_t len, void *payload, struct sg_error *err)
{
	(void)err;
	return sg_buf_put(payload, data, len);
}

static void
streamed_ndjson_is_the_same(void **state)
{
	struct sg_gh_document *doc = parse(
	    "@t\nFeature: f\n  Background:\n    Given b\n"
	    "  Rule: r\n    Scenario Outline: o\n      When <x> \"<y>\"\n"
	    "        | <x> | z |\n"
	    "      Examples:\n        | x | y |\n        | 1 | <x> |\n"
	    "        | 2 | 3 |\n");
	struct sg_error err = SG_ERROR_INIT;
	struct sg_buf b;
	char *whole;
	size_t len;

	(void)state;
	sg_buf_init(&b, 0);
	assert_int_equal(sg_gherkin_to_ndjson(&whole, &len, doc), 0);
	assert_int_equal(sg_gherkin_write_ndjson(doc, NULL, append, &b, &err),
	    0);
	assert_int_equal(b.len, len);
	assert_memory_equal(b.ptr, whole, len);
	free(whole);
	sg_buf_release(&b);
	sg_gherkin_document_free(doc);
}

/* A 4^12 cascade stops at the byte cap: nothing is written. */
static void
geometric_placeholders_stop_at_the_cap(void **state)
{
	struct sg_buf t;
	struct sg_gh_document *doc;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_buf b;
	struct sg_pickle_limits lim = SG_PICKLE_LIMITS_INIT;

	(void)state;
	sg_buf_init(&t, 0);
	sg_buf_puts(&t, "Feature: f\n  Scenario Outline: o\n    Given <c0>\n"
			"    Examples:\n      |");
	for (int i = 0; i < 13; i++)
		sg_buf_printf(&t, " c%d |", i);
	sg_buf_puts(&t, "\n      |");
	for (int i = 0; i < 12; i++)
		sg_buf_printf(&t, " <c%d><c%d><c%d><c%d> |", i + 1, i + 1,
		    i + 1, i + 1);
	sg_buf_puts(&t, " lol |\n");
	doc = parse(t.ptr);
	sg_buf_init(&b, 0);
	lim.max_bytes = 1 << 20;
	assert_int_equal(sg_gherkin_write_ndjson(doc, &lim, append, &b, &err),
	    SG_ETOOBIG);
	assert_int_equal(b.len, 0);
	assert_int_equal(err.line, 6);
	assert_non_null(strstr(err.message, "[max-pickle-bytes]"));
	sg_error_release(&err);
	sg_buf_release(&b);
	sg_buf_release(&t);
	sg_gherkin_document_free(doc);
}

/* `# encoding:` as Cucumber reads it; lines and columns kept. */
static void
encoding_header_converts(void **state)
{
	const char latin1[] = "\n# language: fr\n  #  ENCODING : latin1\n"
			      "Fonctionnalit\351: caf\351\n";
	const char *text;
	size_t len;
	char *owned;
	struct sg_error err = SG_ERROR_INIT;

	(void)state;
	assert_int_equal(sg_gherkin_decode(&text, &len, &owned, "t.feature",
			     latin1, strlen(latin1), 1024, &err), 0);
	assert_non_null(owned);
	assert_string_equal(text, "\n# language: fr\n  #  ENCODING : latin1\n"
				  "Fonctionnalit\303\251: caf\303\251\n");
	free(owned);
	/* not before a non-comment line; UTF-8 named: no copy */
	assert_int_equal(sg_gherkin_decode(&text, &len, &owned, "t.feature",
			     "Feature: x\n# encoding: latin1\n", 30, 1024,
			     &err), 0);
	assert_null(owned);
	assert_int_equal(sg_gherkin_decode(&text, &len, &owned, "t.feature",
			     "# encoding: UTF-8\n", 18, 1024, &err), 0);
	assert_null(owned);
	assert_int_equal(sg_gherkin_decode(&text, &len, &owned, "t.feature",
			     "\n\n #encoding:nope-1\n", 20, 1024, &err),
	    SG_EINVAL);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 12);
	sg_error_release(&err);
	assert_int_equal(sg_gherkin_decode(&text, &len, &owned, "t.feature",
			     "# encoding: ascii\nab\351\n", 21, 1024, &err),
	    SG_EINVAL);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 3);
	sg_error_release(&err);
}

static void
a_hundred_thousand_scenarios(void **state)
{
	struct sg_buf b;
	struct sg_gh_document *doc;
	const struct sg_pickle *p;
	size_t n;

	(void)state;
	sg_buf_init(&b, 0);
	sg_buf_puts(&b, "Feature: big\n");
	for (int i = 0; i < 100000; i++)
		sg_buf_printf(&b,
		    "  @t%d\n  Scenario: s%d\n    Given a\n    When b\n"
		    "    Then c\n",
		    i, i);
	doc = parse(b.ptr);
	assert_int_equal(doc->nerrors, 0);
	assert_int_equal(doc->feature->nchildren, 100000);
	assert_loc(doc->feature->children[99999].u.scenario->loc, 499998, 3);
	assert_int_equal(sg_gherkin_pickles(&p, &n, doc), 0);
	assert_int_equal(n, 100000);
	assert_string_equal(p[99999].name, "s99999");
	sg_gherkin_document_free(doc);
	sg_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(locations_of_every_node),
		cmocka_unit_test(columns_count_code_points),
		cmocka_unit_test(crlf_is_a_line_end),
		cmocka_unit_test(a_language_header_changes_the_keywords),
		cmocka_unit_test(the_default_language_is_an_option),
		cmocka_unit_test(an_unknown_language_is_a_parse_error),
		cmocka_unit_test(table_cells_are_unescaped),
		cmocka_unit_test(inconsistent_cells_are_an_error),
		cmocka_unit_test(doc_strings_lose_their_indentation),
		cmocka_unit_test(descriptions_lose_trailing_blank_lines),
		cmocka_unit_test(parse_errors_match_cucumber),
		cmocka_unit_test(parsing_stops_after_eleven_errors),
		cmocka_unit_test(invalid_utf8_is_located),
		cmocka_unit_test(outlines_expand_per_row),
		cmocka_unit_test(placeholders_are_replaced_column_by_column),
		cmocka_unit_test(ndjson_is_cucumbers),
		cmocka_unit_test(empty_and_blank_documents),
		cmocka_unit_test(long_strings_in_a_small_document),
		cmocka_unit_test(a_hundred_thousand_scenarios),
		cmocka_unit_test(expansion_caps_are_located),
		cmocka_unit_test(streamed_ndjson_is_the_same),
		cmocka_unit_test(geometric_placeholders_stop_at_the_cap),
		cmocka_unit_test(encoding_header_converts),
	};

	return cmocka_run_group_tests_name("gherkin", tests, NULL, NULL);
}
