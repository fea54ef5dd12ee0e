/* SPDX-License-Identifier: MIT */
/*
 * gherkin.c - the Gherkin parser: a table-driven LL(1) state machine and
 * the builder that turns its rule events into the document tree.
 *
 * The grammar is Cucumber's (gherkin.berp), written here as productions:
 *
 *	Document	:= Feature?
 *	Feature		:= FeatureHeader Background? ScenarioDef* Rule*
 *	FeatureHeader	:= #Language? Tags? #FeatureLine DescriptionHelper
 *	Rule		:= RuleHeader Background? ScenarioDef*
 *	RuleHeader	:= Tags? #RuleLine DescriptionHelper
 *	Background	:= #BackgroundLine DescriptionHelper Step*
 *	ScenarioDef	:= Tags? Scenario
 *	Scenario	:= #ScenarioLine DescriptionHelper Step* ExamplesDef*
 *	ExamplesDef	:= Tags? Examples
 *	Examples	:= #ExamplesLine DescriptionHelper ExamplesTable?
 *	ExamplesTable	:= #TableRow+
 *	Step		:= #StepLine StepArg?
 *	StepArg		:= DataTable DocString? | DocString DataTable?
 *	DataTable	:= #TableRow+
 *	DocString	:= #DocStringSeparator #Other* #DocStringSeparator
 *	Tags		:= #TagLine+
 *	DescriptionHelper := #Empty* Description?
 *	Description	:= (#Other | #Comment)+
 *
 * with #Comment and #Empty allowed almost anywhere.  Each state of the
 * table below is a position in these productions, just after a token; its
 * transitions are tried in order, and the first whose token matches the
 * line (and whose lookahead agrees, see below) closes `nend` rules, opens
 * up to three and hands the token to the builder.  A tag line after a
 * scenario's steps is ambiguous - the tags of an Examples, of the next
 * scenario or of a Rule - so two transitions peek past the tag, comment and
 * blank lines for an #ExamplesLine or a #ScenarioLine.
 *
 * The table is the same automaton as Cucumber's generated parser, state by
 * state and in the same order, because the order decides both which token
 * a line becomes and the "expected: #EOF, #Comment, ..." list of an error.
 * Errors are recovered as Cucumber does: the line is skipped and the state
 * kept; parsing stops once more than SG_GHERKIN_MAX_ERRORS distinct
 * messages are recorded.  Nothing here recurses: the rule stack is at most
 * eight deep.
 *
 * The builder keeps one frame per open rule.  Tokens fill the frame on top;
 * closing a rule turns its frame into the public structs (arrays copied
 * once from the frame's reusable vectors into the document's arena) and
 * attaches them to the frame below.  Keywords and the language point into
 * the static dialect table; all other strings are copied into the arena.
 */
#include "specgate/gherkin.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "spec/gherkin_int.h"

enum gh_rule {
	R_NONE = 0,
	R_DOC,
	R_FEATURE,
	R_FHEAD, /* FeatureHeader */
	R_RULE,
	R_RHEAD, /* RuleHeader */
	R_BG,	 /* Background */
	R_SDEF,	 /* ScenarioDefinition: tags and a scenario */
	R_SCEN,
	R_EDEF, /* ExamplesDefinition: tags and an examples */
	R_EX,
	R_ETAB, /* ExamplesTable */
	R_STEP,
	R_DTAB, /* DataTable */
	R_DSTR, /* DocString */
	R_TAGS,
	R_DESC, /* Description */
};

enum { LA_NONE, LA_SCEN, LA_EX };

struct gh_trans {
	unsigned char tok;
	unsigned char la;	/* LA_*: peek for this line kind first */
	unsigned char nend;	/* rules to close */
	unsigned char open[3];	/* rules to open, 0-terminated */
	unsigned char next;	/* the next state */
};

#define GH_MAXTRANS 12
#define GH_END 42 /* the final state: the document is complete */

struct gh_state {
	unsigned char ntrans;
	struct gh_trans t[GH_MAXTRANS];
};

/* clang-format off */
#define T(tok, la, nend, o1, o2, o3, next)                                     \
	{GH_T##tok, la, nend, {o1, o2, o3}, next}

/* The transitions that leave a feature-level block for the next one. */
#define FEATURE_NEXT(n)                                                        \
	T(TAG, LA_SCEN, n, R_SDEF, R_TAGS, 0, 11),                             \
	    T(TAG, 0, n, R_RULE, R_RHEAD, R_TAGS, 22),                         \
	    T(SCENARIO, 0, n, R_SDEF, R_SCEN, 0, 12),                          \
	    T(RULE, 0, n, R_RULE, R_RHEAD, 0, 23)

/* The same inside a Rule (a Rule is closed by the next Rule). */
#define RULE_NEXT(n)                                                           \
	T(TAG, LA_SCEN, n, R_SDEF, R_TAGS, 0, 31),                             \
	    T(TAG, 0, n + 1, R_RULE, R_RHEAD, R_TAGS, 22),                     \
	    T(SCENARIO, 0, n, R_SDEF, R_SCEN, 0, 32),                          \
	    T(RULE, 0, n + 1, R_RULE, R_RHEAD, 0, 23)

/* After a scenario's steps: an Examples, or what FEATURE_NEXT allows. */
#define SCEN_NEXT(n)                                                           \
	T(TAG, LA_EX, n, R_EDEF, R_TAGS, 0, 18),                               \
	    T(TAG, LA_SCEN, n + 2, R_SDEF, R_TAGS, 0, 11),                     \
	    T(TAG, 0, n + 2, R_RULE, R_RHEAD, R_TAGS, 22),                     \
	    T(EXAMPLES, 0, n, R_EDEF, R_EX, 0, 19),                            \
	    T(SCENARIO, 0, n + 2, R_SDEF, R_SCEN, 0, 12),                      \
	    T(RULE, 0, n + 2, R_RULE, R_RHEAD, 0, 23)

/* The same for a scenario inside a Rule. */
#define RSCEN_NEXT(n)                                                          \
	T(TAG, LA_EX, n, R_EDEF, R_TAGS, 0, 38),                               \
	    T(TAG, LA_SCEN, n + 2, R_SDEF, R_TAGS, 0, 31),                     \
	    T(TAG, 0, n + 3, R_RULE, R_RHEAD, R_TAGS, 22),                     \
	    T(EXAMPLES, 0, n, R_EDEF, R_EX, 0, 39),                            \
	    T(SCENARIO, 0, n + 2, R_SDEF, R_SCEN, 0, 32),                      \
	    T(RULE, 0, n + 3, R_RULE, R_RHEAD, 0, 23)

#define NT(...) (sizeof((struct gh_trans[]){__VA_ARGS__}) /                   \
    sizeof(struct gh_trans))
#define S(...) {NT(__VA_ARGS__), {__VA_ARGS__}}

static const struct gh_state states[] = {
	/* 0: the start of the document */
	S(T(EOF, 0, 0, 0, 0, 0, GH_END),
	    T(LANGUAGE, 0, 0, R_FEATURE, R_FHEAD, 0, 1),
	    T(TAG, 0, 0, R_FEATURE, R_FHEAD, R_TAGS, 2),
	    T(FEATURE, 0, 0, R_FEATURE, R_FHEAD, 0, 3),
	    T(COMMENT, 0, 0, 0, 0, 0, 0), T(EMPTY, 0, 0, 0, 0, 0, 0)),
	/* 1: FeatureHeader, after # language */
	S(T(TAG, 0, 0, R_TAGS, 0, 0, 2), T(FEATURE, 0, 0, 0, 0, 0, 3),
	    T(COMMENT, 0, 0, 0, 0, 0, 1), T(EMPTY, 0, 0, 0, 0, 0, 1)),
	/* 2: FeatureHeader, in the feature's tags */
	S(T(TAG, 0, 0, 0, 0, 0, 2), T(FEATURE, 0, 1, 0, 0, 0, 3),
	    T(COMMENT, 0, 0, 0, 0, 0, 2), T(EMPTY, 0, 0, 0, 0, 0, 2)),
	/* 3: FeatureHeader, after Feature: */
	S(T(EOF, 0, 2, 0, 0, 0, GH_END), T(EMPTY, 0, 0, 0, 0, 0, 3),
	    T(COMMENT, 0, 0, R_DESC, 0, 0, 4),
	    T(BACKGROUND, 0, 1, R_BG, 0, 0, 5), FEATURE_NEXT(1),
	    T(OTHER, 0, 0, R_DESC, 0, 0, 4)),
	/* 4: FeatureHeader, in the description */
	S(T(EOF, 0, 3, 0, 0, 0, GH_END), T(COMMENT, 0, 0, 0, 0, 0, 4),
	    T(BACKGROUND, 0, 2, R_BG, 0, 0, 5), FEATURE_NEXT(2),
	    T(OTHER, 0, 0, 0, 0, 0, 4)),
	/* 5: Background, after Background: */
	S(T(EOF, 0, 2, 0, 0, 0, GH_END), T(EMPTY, 0, 0, 0, 0, 0, 5),
	    T(COMMENT, 0, 0, R_DESC, 0, 0, 6), T(STEP, 0, 0, R_STEP, 0, 0, 7),
	    FEATURE_NEXT(1), T(OTHER, 0, 0, R_DESC, 0, 0, 6)),
	/* 6: Background, in the description */
	S(T(EOF, 0, 3, 0, 0, 0, GH_END), T(COMMENT, 0, 0, 0, 0, 0, 6),
	    T(STEP, 0, 1, R_STEP, 0, 0, 7), FEATURE_NEXT(2),
	    T(OTHER, 0, 0, 0, 0, 0, 6)),
	/* 7: Background, after a step line */
	S(T(EOF, 0, 3, 0, 0, 0, GH_END), T(ROW, 0, 0, R_DTAB, 0, 0, 8),
	    T(DOCSEP, 0, 0, R_DSTR, 0, 0, 52), T(STEP, 0, 1, R_STEP, 0, 0, 7),
	    FEATURE_NEXT(2), T(COMMENT, 0, 0, 0, 0, 0, 7),
	    T(EMPTY, 0, 0, 0, 0, 0, 7)),
	/* 8: Background, a step's data table */
	S(T(EOF, 0, 4, 0, 0, 0, GH_END), T(ROW, 0, 0, 0, 0, 0, 8),
	    T(DOCSEP, 0, 1, R_DSTR, 0, 0, 9), T(STEP, 0, 2, R_STEP, 0, 0, 7),
	    FEATURE_NEXT(3), T(COMMENT, 0, 0, 0, 0, 0, 8),
	    T(EMPTY, 0, 0, 0, 0, 0, 8)),
	/* 9: Background, a doc string after a data table */
	S(T(DOCSEP, 0, 0, 0, 0, 0, 10), T(OTHER, 0, 0, 0, 0, 0, 9)),
	/* 10: Background, after that doc string */
	S(T(EOF, 0, 4, 0, 0, 0, GH_END), T(STEP, 0, 2, R_STEP, 0, 0, 7),
	    FEATURE_NEXT(3), T(COMMENT, 0, 0, 0, 0, 0, 10),
	    T(EMPTY, 0, 0, 0, 0, 0, 10)),
	/* 11: ScenarioDef, in the scenario's tags */
	S(T(TAG, 0, 0, 0, 0, 0, 11), T(SCENARIO, 0, 1, R_SCEN, 0, 0, 12),
	    T(COMMENT, 0, 0, 0, 0, 0, 11), T(EMPTY, 0, 0, 0, 0, 0, 11)),
	/* 12: Scenario, after Scenario: */
	S(T(EOF, 0, 3, 0, 0, 0, GH_END), T(EMPTY, 0, 0, 0, 0, 0, 12),
	    T(COMMENT, 0, 0, R_DESC, 0, 0, 13),
	    T(STEP, 0, 0, R_STEP, 0, 0, 14), SCEN_NEXT(0),
	    T(OTHER, 0, 0, R_DESC, 0, 0, 13)),
	/* 13: Scenario, in the description */
	S(T(EOF, 0, 4, 0, 0, 0, GH_END), T(COMMENT, 0, 0, 0, 0, 0, 13),
	    T(STEP, 0, 1, R_STEP, 0, 0, 14), SCEN_NEXT(1),
	    T(OTHER, 0, 0, 0, 0, 0, 13)),
	/* 14: Scenario, after a step line */
	S(T(EOF, 0, 4, 0, 0, 0, GH_END), T(ROW, 0, 0, R_DTAB, 0, 0, 15),
	    T(DOCSEP, 0, 0, R_DSTR, 0, 0, 49),
	    T(STEP, 0, 1, R_STEP, 0, 0, 14), SCEN_NEXT(1),
	    T(COMMENT, 0, 0, 0, 0, 0, 14), T(EMPTY, 0, 0, 0, 0, 0, 14)),
	/* 15: Scenario, a step's data table */
	S(T(EOF, 0, 5, 0, 0, 0, GH_END), T(ROW, 0, 0, 0, 0, 0, 15),
	    T(DOCSEP, 0, 1, R_DSTR, 0, 0, 16),
	    T(STEP, 0, 2, R_STEP, 0, 0, 14), SCEN_NEXT(2),
	    T(COMMENT, 0, 0, 0, 0, 0, 15), T(EMPTY, 0, 0, 0, 0, 0, 15)),
	/* 16: Scenario, a doc string after a data table */
	S(T(DOCSEP, 0, 0, 0, 0, 0, 17), T(OTHER, 0, 0, 0, 0, 0, 16)),
	/* 17: Scenario, after that doc string */
	S(T(EOF, 0, 5, 0, 0, 0, GH_END), T(STEP, 0, 2, R_STEP, 0, 0, 14),
	    SCEN_NEXT(2), T(COMMENT, 0, 0, 0, 0, 0, 17),
	    T(EMPTY, 0, 0, 0, 0, 0, 17)),
	/* 18: ExamplesDef, in the examples' tags */
	S(T(TAG, 0, 0, 0, 0, 0, 18), T(EXAMPLES, 0, 1, R_EX, 0, 0, 19),
	    T(COMMENT, 0, 0, 0, 0, 0, 18), T(EMPTY, 0, 0, 0, 0, 0, 18)),
	/* 19: Examples, after Examples: */
	S(T(EOF, 0, 5, 0, 0, 0, GH_END), T(EMPTY, 0, 0, 0, 0, 0, 19),
	    T(COMMENT, 0, 0, R_DESC, 0, 0, 20),
	    T(ROW, 0, 0, R_ETAB, 0, 0, 21), SCEN_NEXT(2),
	    T(OTHER, 0, 0, R_DESC, 0, 0, 20)),
	/* 20: Examples, in the description */
	S(T(EOF, 0, 6, 0, 0, 0, GH_END), T(COMMENT, 0, 0, 0, 0, 0, 20),
	    T(ROW, 0, 1, R_ETAB, 0, 0, 21), SCEN_NEXT(3),
	    T(OTHER, 0, 0, 0, 0, 0, 20)),
	/* 21: Examples, in the table */
	S(T(EOF, 0, 6, 0, 0, 0, GH_END), T(ROW, 0, 0, 0, 0, 0, 21),
	    SCEN_NEXT(3), T(COMMENT, 0, 0, 0, 0, 0, 21),
	    T(EMPTY, 0, 0, 0, 0, 0, 21)),
	/* 22: RuleHeader, in the rule's tags */
	S(T(TAG, 0, 0, 0, 0, 0, 22), T(RULE, 0, 1, 0, 0, 0, 23),
	    T(COMMENT, 0, 0, 0, 0, 0, 22), T(EMPTY, 0, 0, 0, 0, 0, 22)),
	/* 23: RuleHeader, after Rule: */
	S(T(EOF, 0, 3, 0, 0, 0, GH_END), T(EMPTY, 0, 0, 0, 0, 0, 23),
	    T(COMMENT, 0, 0, R_DESC, 0, 0, 24),
	    T(BACKGROUND, 0, 1, R_BG, 0, 0, 25), RULE_NEXT(1),
	    T(OTHER, 0, 0, R_DESC, 0, 0, 24)),
	/* 24: RuleHeader, in the description */
	S(T(EOF, 0, 4, 0, 0, 0, GH_END), T(COMMENT, 0, 0, 0, 0, 0, 24),
	    T(BACKGROUND, 0, 2, R_BG, 0, 0, 25), RULE_NEXT(2),
	    T(OTHER, 0, 0, 0, 0, 0, 24)),
	/* 25: Rule's Background, after Background: */
	S(T(EOF, 0, 3, 0, 0, 0, GH_END), T(EMPTY, 0, 0, 0, 0, 0, 25),
	    T(COMMENT, 0, 0, R_DESC, 0, 0, 26),
	    T(STEP, 0, 0, R_STEP, 0, 0, 27), RULE_NEXT(1),
	    T(OTHER, 0, 0, R_DESC, 0, 0, 26)),
	/* 26: Rule's Background, in the description */
	S(T(EOF, 0, 4, 0, 0, 0, GH_END), T(COMMENT, 0, 0, 0, 0, 0, 26),
	    T(STEP, 0, 1, R_STEP, 0, 0, 27), RULE_NEXT(2),
	    T(OTHER, 0, 0, 0, 0, 0, 26)),
	/* 27: Rule's Background, after a step line */
	S(T(EOF, 0, 4, 0, 0, 0, GH_END), T(ROW, 0, 0, R_DTAB, 0, 0, 28),
	    T(DOCSEP, 0, 0, R_DSTR, 0, 0, 46),
	    T(STEP, 0, 1, R_STEP, 0, 0, 27), RULE_NEXT(2),
	    T(COMMENT, 0, 0, 0, 0, 0, 27), T(EMPTY, 0, 0, 0, 0, 0, 27)),
	/* 28: Rule's Background, a step's data table */
	S(T(EOF, 0, 5, 0, 0, 0, GH_END), T(ROW, 0, 0, 0, 0, 0, 28),
	    T(DOCSEP, 0, 1, R_DSTR, 0, 0, 29),
	    T(STEP, 0, 2, R_STEP, 0, 0, 27), RULE_NEXT(3),
	    T(COMMENT, 0, 0, 0, 0, 0, 28), T(EMPTY, 0, 0, 0, 0, 0, 28)),
	/* 29: Rule's Background, a doc string after a data table */
	S(T(DOCSEP, 0, 0, 0, 0, 0, 30), T(OTHER, 0, 0, 0, 0, 0, 29)),
	/* 30: Rule's Background, after that doc string */
	S(T(EOF, 0, 5, 0, 0, 0, GH_END), T(STEP, 0, 2, R_STEP, 0, 0, 27),
	    RULE_NEXT(3), T(COMMENT, 0, 0, 0, 0, 0, 30),
	    T(EMPTY, 0, 0, 0, 0, 0, 30)),
	/* 31: Rule's ScenarioDef, in the scenario's tags */
	S(T(TAG, 0, 0, 0, 0, 0, 31), T(SCENARIO, 0, 1, R_SCEN, 0, 0, 32),
	    T(COMMENT, 0, 0, 0, 0, 0, 31), T(EMPTY, 0, 0, 0, 0, 0, 31)),
	/* 32: Rule's Scenario, after Scenario: */
	S(T(EOF, 0, 4, 0, 0, 0, GH_END), T(EMPTY, 0, 0, 0, 0, 0, 32),
	    T(COMMENT, 0, 0, R_DESC, 0, 0, 33),
	    T(STEP, 0, 0, R_STEP, 0, 0, 34), RSCEN_NEXT(0),
	    T(OTHER, 0, 0, R_DESC, 0, 0, 33)),
	/* 33: Rule's Scenario, in the description */
	S(T(EOF, 0, 5, 0, 0, 0, GH_END), T(COMMENT, 0, 0, 0, 0, 0, 33),
	    T(STEP, 0, 1, R_STEP, 0, 0, 34), RSCEN_NEXT(1),
	    T(OTHER, 0, 0, 0, 0, 0, 33)),
	/* 34: Rule's Scenario, after a step line */
	S(T(EOF, 0, 5, 0, 0, 0, GH_END), T(ROW, 0, 0, R_DTAB, 0, 0, 35),
	    T(DOCSEP, 0, 0, R_DSTR, 0, 0, 43),
	    T(STEP, 0, 1, R_STEP, 0, 0, 34), RSCEN_NEXT(1),
	    T(COMMENT, 0, 0, 0, 0, 0, 34), T(EMPTY, 0, 0, 0, 0, 0, 34)),
	/* 35: Rule's Scenario, a step's data table */
	S(T(EOF, 0, 6, 0, 0, 0, GH_END), T(ROW, 0, 0, 0, 0, 0, 35),
	    T(DOCSEP, 0, 1, R_DSTR, 0, 0, 36),
	    T(STEP, 0, 2, R_STEP, 0, 0, 34), RSCEN_NEXT(2),
	    T(COMMENT, 0, 0, 0, 0, 0, 35), T(EMPTY, 0, 0, 0, 0, 0, 35)),
	/* 36: Rule's Scenario, a doc string after a data table */
	S(T(DOCSEP, 0, 0, 0, 0, 0, 37), T(OTHER, 0, 0, 0, 0, 0, 36)),
	/* 37: Rule's Scenario, after that doc string */
	S(T(EOF, 0, 6, 0, 0, 0, GH_END), T(STEP, 0, 2, R_STEP, 0, 0, 34),
	    RSCEN_NEXT(2), T(COMMENT, 0, 0, 0, 0, 0, 37),
	    T(EMPTY, 0, 0, 0, 0, 0, 37)),
	/* 38: Rule's ExamplesDef, in the examples' tags */
	S(T(TAG, 0, 0, 0, 0, 0, 38), T(EXAMPLES, 0, 1, R_EX, 0, 0, 39),
	    T(COMMENT, 0, 0, 0, 0, 0, 38), T(EMPTY, 0, 0, 0, 0, 0, 38)),
	/* 39: Rule's Examples, after Examples: */
	S(T(EOF, 0, 6, 0, 0, 0, GH_END), T(EMPTY, 0, 0, 0, 0, 0, 39),
	    T(COMMENT, 0, 0, R_DESC, 0, 0, 40),
	    T(ROW, 0, 0, R_ETAB, 0, 0, 41), RSCEN_NEXT(2),
	    T(OTHER, 0, 0, R_DESC, 0, 0, 40)),
	/* 40: Rule's Examples, in the description */
	S(T(EOF, 0, 7, 0, 0, 0, GH_END), T(COMMENT, 0, 0, 0, 0, 0, 40),
	    T(ROW, 0, 1, R_ETAB, 0, 0, 41), RSCEN_NEXT(3),
	    T(OTHER, 0, 0, 0, 0, 0, 40)),
	/* 41: Rule's Examples, in the table */
	S(T(EOF, 0, 7, 0, 0, 0, GH_END), T(ROW, 0, 0, 0, 0, 0, 41),
	    RSCEN_NEXT(3), T(COMMENT, 0, 0, 0, 0, 0, 41),
	    T(EMPTY, 0, 0, 0, 0, 0, 41)),
	/* 42: the end; never looked up */
	S(T(EOF, 0, 0, 0, 0, 0, GH_END)),
	/* 43: Rule's Scenario, a step's doc string */
	S(T(DOCSEP, 0, 0, 0, 0, 0, 44), T(OTHER, 0, 0, 0, 0, 0, 43)),
	/* 44: Rule's Scenario, after a step's doc string */
	S(T(EOF, 0, 6, 0, 0, 0, GH_END), T(ROW, 0, 1, R_DTAB, 0, 0, 45),
	    T(STEP, 0, 2, R_STEP, 0, 0, 34), RSCEN_NEXT(2),
	    T(COMMENT, 0, 0, 0, 0, 0, 44), T(EMPTY, 0, 0, 0, 0, 0, 44)),
	/* 45: Rule's Scenario, a data table after a doc string */
	S(T(EOF, 0, 6, 0, 0, 0, GH_END), T(ROW, 0, 0, 0, 0, 0, 45),
	    T(STEP, 0, 2, R_STEP, 0, 0, 34), RSCEN_NEXT(2),
	    T(COMMENT, 0, 0, 0, 0, 0, 45), T(EMPTY, 0, 0, 0, 0, 0, 45)),
	/* 46: Rule's Background, a step's doc string */
	S(T(DOCSEP, 0, 0, 0, 0, 0, 47), T(OTHER, 0, 0, 0, 0, 0, 46)),
	/* 47: Rule's Background, after a step's doc string */
	S(T(EOF, 0, 5, 0, 0, 0, GH_END), T(ROW, 0, 1, R_DTAB, 0, 0, 48),
	    T(STEP, 0, 2, R_STEP, 0, 0, 27), RULE_NEXT(3),
	    T(COMMENT, 0, 0, 0, 0, 0, 47), T(EMPTY, 0, 0, 0, 0, 0, 47)),
	/* 48: Rule's Background, a data table after a doc string */
	S(T(EOF, 0, 5, 0, 0, 0, GH_END), T(ROW, 0, 0, 0, 0, 0, 48),
	    T(STEP, 0, 2, R_STEP, 0, 0, 27), RULE_NEXT(3),
	    T(COMMENT, 0, 0, 0, 0, 0, 48), T(EMPTY, 0, 0, 0, 0, 0, 48)),
	/* 49: Scenario, a step's doc string */
	S(T(DOCSEP, 0, 0, 0, 0, 0, 50), T(OTHER, 0, 0, 0, 0, 0, 49)),
	/* 50: Scenario, after a step's doc string */
	S(T(EOF, 0, 5, 0, 0, 0, GH_END), T(ROW, 0, 1, R_DTAB, 0, 0, 51),
	    T(STEP, 0, 2, R_STEP, 0, 0, 14), SCEN_NEXT(2),
	    T(COMMENT, 0, 0, 0, 0, 0, 50), T(EMPTY, 0, 0, 0, 0, 0, 50)),
	/* 51: Scenario, a data table after a doc string */
	S(T(EOF, 0, 5, 0, 0, 0, GH_END), T(ROW, 0, 0, 0, 0, 0, 51),
	    T(STEP, 0, 2, R_STEP, 0, 0, 14), SCEN_NEXT(2),
	    T(COMMENT, 0, 0, 0, 0, 0, 51), T(EMPTY, 0, 0, 0, 0, 0, 51)),
	/* 52: Background, a step's doc string */
	S(T(DOCSEP, 0, 0, 0, 0, 0, 53), T(OTHER, 0, 0, 0, 0, 0, 52)),
	/* 53: Background, after a step's doc string */
	S(T(EOF, 0, 4, 0, 0, 0, GH_END), T(ROW, 0, 1, R_DTAB, 0, 0, 54),
	    T(STEP, 0, 2, R_STEP, 0, 0, 7), FEATURE_NEXT(3),
	    T(COMMENT, 0, 0, 0, 0, 0, 53), T(EMPTY, 0, 0, 0, 0, 0, 53)),
	/* 54: Background, a data table after a doc string */
	S(T(EOF, 0, 4, 0, 0, 0, GH_END), T(ROW, 0, 0, 0, 0, 0, 54),
	    T(STEP, 0, 2, R_STEP, 0, 0, 7), FEATURE_NEXT(3),
	    T(COMMENT, 0, 0, 0, 0, 0, 54), T(EMPTY, 0, 0, 0, 0, 0, 54)),
};

/* clang-format on */

static const char *const tok_names[GH_TCOUNT] = {
	[GH_TEOF] = "#EOF",
	[GH_TEMPTY] = "#Empty",
	[GH_TCOMMENT] = "#Comment",
	[GH_TTAG] = "#TagLine",
	[GH_TFEATURE] = "#FeatureLine",
	[GH_TRULE] = "#RuleLine",
	[GH_TBACKGROUND] = "#BackgroundLine",
	[GH_TSCENARIO] = "#ScenarioLine",
	[GH_TEXAMPLES] = "#ExamplesLine",
	[GH_TSTEP] = "#StepLine",
	[GH_TDOCSEP] = "#DocStringSeparator",
	[GH_TROW] = "#TableRow",
	[GH_TLANGUAGE] = "#Language",
	[GH_TOTHER] = "#Other",
};

/* The builder's record of one open rule (see the comment at the top). */
struct gh_frame {
	struct gh_vec a; /* children, steps, rows or tags */
	struct gh_vec b; /* examples */
	/* start_rule() clears what follows */
	enum gh_rule rule;
	bool seen; /* the rule's keyword line was built */
	struct sg_loc loc;
	const char *keyword;
	const char *name; /* title or step text */
	const char *language;
	enum sg_step_kind kind;
	const char *media_type;
	const char *description;
	const struct sg_gh_tag *tags;
	size_t ntags;
	const struct sg_gh_table *table;
	const struct sg_gh_docstring *docstring;
	const struct sg_gh_row *rows; /* Examples: from its table */
	size_t nrows;
	bool has_table;
	struct sg_gh_scenario *scenario; /* ScenarioDef: from its Scenario */
	struct sg_gh_examples examples;	 /* ExamplesDef: from its Examples */
	bool has_examples;
	size_t lines; /* Description, DocString: lines so far */
	size_t keep;  /* Description: bytes up to its last non-blank line */
};

#define GH_MAXDEPTH 10

struct gh_parser {
	struct gh_doc *doc;
	struct gh_scanner scan;
	struct gh_lexer lx;
	struct gh_line line;
	struct gh_vec comments;
	struct gh_vec errors;
	struct sg_buf text; /* the open Description's or DocString's text */
	struct sg_buf msg;
	struct gh_frame frames[GH_MAXDEPTH];
	size_t depth;
	bool stopped; /* too many errors */
};

#define GH_POOL_MIN 1024u
#define GH_POOL_MAX (64u << 10)

char *
sg_gherkin__pool_reserve(struct gh_doc *d, size_t n)
{
	size_t size;

	if (d->pool_left >= n)
		return d->pool;
	if (n >= GH_POOL_MAX / 4) {
		size = n; /* a block of its own */
	} else {
		/* small documents get small chunks */
		d->pool_chunk = d->pool_chunk ? 2 * d->pool_chunk : GH_POOL_MIN;
		if (d->pool_chunk > GH_POOL_MAX)
			d->pool_chunk = GH_POOL_MAX;
		while (d->pool_chunk < n)
			d->pool_chunk *= 2;
		size = d->pool_chunk;
	}
	d->pool = sg_arena_alloc_raw(&d->arena, size);
	d->pool_left = size;
	return d->pool;
}

void
sg_gherkin__pool_commit(struct gh_doc *d, size_t n)
{
	d->pool += n;
	d->pool_left -= n;
}

char *
sg_gherkin__strdup(struct gh_doc *d, const char *s, size_t n)
{
	char *r;

	r = sg_gherkin__pool_reserve(d, n + 1);
	memcpy(r, s, n);
	r[n] = '\0';
	sg_gherkin__pool_commit(d, n + 1);
	return r;
}

static char *
adup(struct gh_parser *p, const char *s, size_t n)
{
	return sg_gherkin__strdup(p->doc, s, n);
}

/* Errors */

static void
add_error_msg(struct gh_parser *p, unsigned line, unsigned column)
{
	struct sg_gh_parse_error *e;
	size_t n = GH_VEC_N(&p->errors, struct sg_gh_parse_error);

	if (p->stopped)
		return;
	for (size_t i = 0; i < n; i++) {
		e = GH_VEC_AT(&p->errors, struct sg_gh_parse_error, i);
		if (!strcmp(e->message, p->msg.ptr))
			return;
	}
	e = sg_gherkin__vec_push(&p->errors, sizeof(*e));
	e->loc.line = line;
	e->loc.column = column;
	e->message = adup(p, p->msg.ptr, p->msg.len);
	if (n + 1 > SG_GHERKIN_MAX_ERRORS)
		p->stopped = true;
}

static void add_error(struct gh_parser *p, unsigned line, unsigned column,
    const char *fmt, ...) SG_PRINTF(4, 5);

static void
add_error(struct gh_parser *p, unsigned line, unsigned column,
    const char *fmt, ...)
{
	va_list ap;

	sg_buf_truncate(&p->msg, 0);
	sg_buf_printf(&p->msg, "(%u:%u): ", line, column);
	va_start(ap, fmt);
	sg_buf_vprintf(&p->msg, fmt, ap);
	va_end(ap);
	add_error_msg(p, line, column);
}

static void
unexpected(struct gh_parser *p, const struct gh_state *st,
    const struct gh_line *l)
{
	bool seen[GH_TCOUNT] = {false};
	const char *sep = "";
	const char *text;
	size_t len;
	unsigned column = l->eof ? 0 : l->indent + 1;

	sg_buf_truncate(&p->msg, 0);
	sg_buf_printf(&p->msg, "(%u:%u): %sexpected: ", l->lineno, column,
	    l->eof ? "unexpected end of file, " : "");
	for (size_t i = 0; i < st->ntrans; i++) {
		unsigned t = st->t[i].tok;

		if (seen[t])
			continue;
		seen[t] = true;
		sg_buf_puts(&p->msg, sep);
		sg_buf_puts(&p->msg, tok_names[t]);
		sep = ", ";
	}
	if (!l->eof) {
		text = l->p;
		len = l->len;
		sg_gherkin__trim(&text, &len);
		sg_buf_puts(&p->msg, ", got '");
		sg_buf_put(&p->msg, text, len);
		sg_buf_putc(&p->msg, '\'');
	}
	add_error_msg(p, l->lineno, column);
}

/* Rules */

static void
start_rule(struct gh_parser *p, enum gh_rule rule)
{
	struct gh_frame *f;

	if (p->depth == GH_MAXDEPTH)
		SG_BUG("gherkin rule stack overflow");
	f = &p->frames[p->depth++];
	memset(&f->rule, 0, sizeof(*f) - offsetof(struct gh_frame, rule));
	f->rule = rule;
	f->a.len = 0;
	f->b.len = 0;
	f->description = "";
	if (rule == R_DESC || rule == R_DSTR)
		sg_buf_truncate(&p->text, 0);
}

static void *
vec_dup(struct gh_parser *p, const struct gh_vec *v, size_t size, size_t *n)
{
	*n = v->len / size;
	return sg_arena_memdup(&p->doc->arena, v->p, *n, size);
}

static void
add_child(struct gh_frame *parent, enum sg_gh_child_type type,
    const void *node)
{
	struct sg_gh_child *c;

	c = sg_gherkin__vec_push(&parent->a, sizeof(*c));
	c->type = type;
	switch (type) {
	case SG_GH_BACKGROUND:
		c->u.background = node;
		break;
	case SG_GH_SCENARIO:
		c->u.scenario = node;
		break;
	case SG_GH_RULE:
		c->u.rule = node;
		break;
	}
}

/* Rows of a table, or NULL after an "inconsistent cell count" error. */
static struct sg_gh_row *
end_rows(struct gh_parser *p, struct gh_frame *f, size_t *n)
{
	struct sg_gh_row *rows;

	rows = vec_dup(p, &f->a, sizeof(*rows), n);
	for (size_t i = 1; i < *n; i++) {
		if (rows[i].ncells != rows[0].ncells) {
			add_error(p, rows[i].loc.line, rows[i].loc.column,
			    "inconsistent cell count within the table");
			return NULL;
		}
	}
	return rows;
}

static void
end_scenario(struct gh_parser *p, struct gh_frame *f, struct gh_frame *up)
{
	struct sg_gh_scenario *s;

	s = sg_arena_alloc(&p->doc->arena, sizeof(*s));
	s->loc = f->loc;
	s->keyword = f->keyword;
	s->name = f->name;
	s->description = f->description;
	s->steps = vec_dup(p, &f->a, sizeof(*s->steps), &s->nsteps);
	s->examples = vec_dup(p, &f->b, sizeof(*s->examples), &s->nexamples);
	up->scenario = s;
}

static void
end_step(struct gh_parser *p, struct gh_frame *f, struct gh_frame *up)
{
	struct sg_gh_step *s;

	(void)p;
	s = sg_gherkin__vec_push(&up->a, sizeof(*s));
	s->loc = f->loc;
	s->keyword = f->keyword;
	s->kind = f->kind;
	s->text = f->name;
	s->docstring = f->docstring;
	s->table = f->table;
}

static void
end_examples(struct gh_parser *p, struct gh_frame *f, struct gh_frame *up)
{
	struct sg_gh_examples *e = &up->examples;

	(void)p;
	e->loc = f->loc;
	e->keyword = f->keyword;
	e->name = f->name;
	e->description = f->description;
	if (f->has_table && f->nrows) {
		e->header = &f->rows[0];
		e->body = f->nrows > 1 ? &f->rows[1] : NULL;
		e->nbody = f->nrows - 1;
	}
	up->has_examples = true;
}

static void
end_header(struct gh_frame *f, struct gh_frame *up)
{
	up->seen = f->seen;
	up->loc = f->loc;
	up->keyword = f->keyword;
	up->name = f->name;
	up->language = f->language;
	up->description = f->description;
	up->tags = f->tags;
	up->ntags = f->ntags;
}

static void
end_rule_node(struct gh_parser *p, struct gh_frame *f, struct gh_frame *up)
{
	struct sg_gh_rule *r;

	if (!f->seen)
		return;
	r = sg_arena_alloc(&p->doc->arena, sizeof(*r));
	r->loc = f->loc;
	r->tags = f->tags;
	r->ntags = f->ntags;
	r->keyword = f->keyword;
	r->name = f->name;
	r->description = f->description;
	r->children = vec_dup(p, &f->a, sizeof(*r->children), &r->nchildren);
	add_child(up, SG_GH_RULE, r);
}

static void
end_feature(struct gh_parser *p, struct gh_frame *f)
{
	struct sg_gh_feature *ft;

	if (!f->seen)
		return;
	ft = sg_arena_alloc(&p->doc->arena, sizeof(*ft));
	ft->loc = f->loc;
	ft->tags = f->tags;
	ft->ntags = f->ntags;
	ft->language = f->language;
	ft->keyword = f->keyword;
	ft->name = f->name;
	ft->description = f->description;
	ft->children = vec_dup(p, &f->a, sizeof(*ft->children),
	    &ft->nchildren);
	p->doc->pub.feature = ft;
}

/* Close the rule on top and attach what it built to the one below. */
static void
end_rule(struct gh_parser *p)
{
	struct gh_frame *f = &p->frames[p->depth - 1];
	struct gh_frame *up = p->depth > 1 ? f - 1 : NULL;
	struct sg_gh_background *bg;
	struct sg_gh_docstring *ds;
	struct sg_gh_table *tb;
	struct sg_gh_row *rows;
	size_t n;

	switch (f->rule) {
	case R_DESC:
		up->description = adup(p, p->text.ptr, f->keep);
		break;
	case R_TAGS:
		up->tags = vec_dup(p, &f->a, sizeof(*up->tags), &up->ntags);
		break;
	case R_DSTR:
		ds = sg_arena_alloc(&p->doc->arena, sizeof(*ds));
		ds->loc = f->loc;
		ds->delimiter = f->keyword;
		ds->media_type = f->media_type;
		ds->content = adup(p, p->text.ptr, p->text.len);
		up->docstring = ds;
		break;
	case R_DTAB:
		rows = end_rows(p, f, &n);
		if (!rows)
			break;
		tb = sg_arena_alloc(&p->doc->arena, sizeof(*tb));
		tb->loc = rows[0].loc;
		tb->rows = rows;
		tb->nrows = n;
		up->table = tb;
		break;
	case R_ETAB:
		rows = end_rows(p, f, &n);
		if (!rows)
			break;
		up->rows = rows;
		up->nrows = n;
		up->has_table = true;
		break;
	case R_STEP:
		end_step(p, f, up);
		break;
	case R_EX:
		end_examples(p, f, up);
		break;
	case R_EDEF:
		if (f->has_examples) {
			f->examples.tags = f->tags;
			f->examples.ntags = f->ntags;
			*(struct sg_gh_examples *)sg_gherkin__vec_push(&up->b,
			    sizeof(f->examples)) = f->examples;
		}
		break;
	case R_SCEN:
		end_scenario(p, f, up);
		break;
	case R_SDEF:
		if (f->scenario) {
			f->scenario->tags = f->tags;
			f->scenario->ntags = f->ntags;
			add_child(up, SG_GH_SCENARIO, f->scenario);
		}
		break;
	case R_BG:
		bg = sg_arena_alloc(&p->doc->arena, sizeof(*bg));
		bg->loc = f->loc;
		bg->keyword = f->keyword;
		bg->name = f->name;
		bg->description = f->description;
		bg->steps = vec_dup(p, &f->a, sizeof(*bg->steps), &bg->nsteps);
		add_child(up, SG_GH_BACKGROUND, bg);
		break;
	case R_FHEAD:
	case R_RHEAD:
		end_header(f, up);
		break;
	case R_RULE:
		end_rule_node(p, f, up);
		break;
	case R_FEATURE:
		end_feature(p, f);
		break;
	default:
		break;
	}
	p->depth--;
}

/* Tokens */

/* The cells and their text go straight to the arena and the pool. */
static void
build_row(struct gh_parser *p, struct gh_frame *f, const struct gh_token *t)
{
	struct sg_gh_row *row;
	struct sg_gh_cell *cells;
	size_t n;
	char *text;
	size_t used;

	n = sg_gherkin__row_count(t->line);
	cells = sg_arena_calloc(&p->doc->arena, n, sizeof(*cells));
	text = sg_gherkin__pool_reserve(p->doc, t->line->len + 1);
	if (sg_gherkin__row_cells(t->line, cells, text, &used) != n)
		SG_BUG("table row cells miscounted");
	sg_gherkin__pool_commit(p->doc, used);
	row = sg_gherkin__vec_push(&f->a, sizeof(*row));
	row->loc = t->loc;
	row->cells = n ? cells : NULL;
	row->ncells = n;
}

/* Room for one tag per '@', then the vector keeps what was used. */
static void
build_tags(struct gh_parser *p, struct gh_frame *f, const struct gh_token *t)
{
	const char *s = t->line->p + t->line->trim;
	const char *e = t->line->p + t->line->len;
	size_t max = 0;
	unsigned col;
	long n;
	struct sg_gh_tag *tags;
	char *text;
	size_t used;

	while ((s = memchr(s, '@', (size_t)(e - s)))) {
		max++;
		s++;
	}
	tags = sg_gherkin__vec_push(&f->a, max * sizeof(*tags));
	text = sg_gherkin__pool_reserve(p->doc, t->line->len + max);
	n = sg_gherkin__tags(t->line, tags, text, &used, &col);
	if (n < 0)
		SG_BUG("a tag line that matched no longer parses");
	f->a.len -= (max - (size_t)n) * sizeof(*tags);
	sg_gherkin__pool_commit(p->doc, used);
}

static void
build_other(struct gh_parser *p, struct gh_frame *f, const struct gh_token *t)
{
	if (f->lines++)
		sg_buf_putc(&p->text, '\n');
	sg_gherkin__put_other(&p->text, t);
	/* a description loses its trailing blank lines */
	if (t->line->trim < t->line->len)
		f->keep = p->text.len;
}

static void
build(struct gh_parser *p, const struct gh_token *t)
{
	struct gh_frame *f = &p->frames[p->depth - 1];
	struct sg_gh_comment *c;

	switch (t->type) {
	case GH_TCOMMENT:
		c = sg_gherkin__vec_push(&p->comments, sizeof(*c));
		c->loc = t->loc;
		c->text = adup(p, t->text, t->text_len);
		return;
	case GH_TTAG:
		build_tags(p, f, t);
		return;
	case GH_TROW:
		build_row(p, f, t);
		return;
	case GH_TOTHER:
		build_other(p, f, t);
		return;
	case GH_TDOCSEP:
		if (f->seen)
			return; /* the closing separator */
		f->media_type = t->text_len ? adup(p, t->text, t->text_len) :
					      NULL;
		break;
	case GH_TFEATURE:
	case GH_TRULE:
	case GH_TBACKGROUND:
	case GH_TSCENARIO:
	case GH_TEXAMPLES:
	case GH_TSTEP:
		f->name = adup(p, t->text, t->text_len);
		break;
	default:
		return; /* #Empty, #Language, #EOF: nothing to keep */
	}
	f->seen = true;
	f->loc = t->loc;
	f->keyword = t->keyword;
	f->kind = t->kind;
	f->language = t->language;
}

/* The state machine */

static bool
match(struct gh_parser *p, unsigned type, const struct gh_line *l,
    struct gh_token *t)
{
	enum gh_match m;

	m = sg_gherkin__match(&p->lx, type, l, t);
	if (m != GH_FAIL)
		return m == GH_YES;
	sg_buf_truncate(&p->msg, 0);
	sg_buf_printf(&p->msg, "(%u:%u): %s", l->lineno, t->err_column,
	    t->err_what);
	if (type != GH_TLANGUAGE) {
		add_error_msg(p, l->lineno, t->err_column);
		return false;
	}
	/*
	 * Cucumber's error shares its location with the token, which then
	 * matches as a #Comment (column 1): the message keeps the column the
	 * line had when the language was refused, the location says 1.
	 */
	sg_buf_put(&p->msg, t->text, t->text_len);
	add_error_msg(p, l->lineno, 1);
	return false;
}

/* Does a line of kind `want` come after tag, comment and blank lines? */
static bool
lookahead(struct gh_parser *p, unsigned want)
{
	struct gh_scanner sc = p->scan;
	struct gh_line l;
	struct gh_token t;

	for (;;) {
		sg_gherkin__scanner_next(&sc, &l);
		if (match(p, want, &l, &t))
			return true;
		if (p->stopped)
			return false;
		if (match(p, GH_TEMPTY, &l, &t) ||
		    match(p, GH_TCOMMENT, &l, &t))
			continue;
		if (!match(p, GH_TTAG, &l, &t))
			return false;
	}
}

static unsigned
step(struct gh_parser *p, unsigned state)
{
	const struct gh_state *st = &states[state];
	struct gh_token tok;
	unsigned may;

	may = sg_gherkin__candidates(&p->lx, &p->line);
	for (size_t i = 0; i < st->ntrans; i++) {
		const struct gh_trans *t = &st->t[i];

		if (!(may & 1u << t->tok))
			continue;
		if (!match(p, t->tok, &p->line, &tok)) {
			if (p->stopped)
				return state;
			continue;
		}
		if (t->la && !lookahead(p, t->la == LA_SCEN ? GH_TSCENARIO :
							      GH_TEXAMPLES)) {
			if (p->stopped)
				return state;
			continue;
		}
		for (unsigned k = 0; k < t->nend && !p->stopped; k++)
			end_rule(p);
		if (p->stopped)
			return state; /* too many errors: the tree is dropped */
		for (unsigned k = 0; k < 3 && t->open[k]; k++)
			start_rule(p, t->open[k]);
		build(p, &tok);
		return t->next;
	}
	unexpected(p, st, &p->line);
	return state;
}

static void
parse(struct gh_parser *p)
{
	unsigned state = 0;

	start_rule(p, R_DOC);
	do {
		sg_gherkin__scanner_next(&p->scan, &p->line);
		state = step(p, state);
	} while (!p->line.eof && !p->stopped);
}

static void
finish(struct gh_parser *p)
{
	struct sg_gh_document *d = &p->doc->pub;

	d->errors = vec_dup(p, &p->errors, sizeof(*d->errors), &d->nerrors);
	d->comments = vec_dup(p, &p->comments, sizeof(*d->comments),
	    &d->ncomments);
	if (d->nerrors)
		d->feature = NULL; /* incomplete; Cucumber gives none either */
}

static void
parser_release(struct gh_parser *p)
{
	for (size_t i = 0; i < GH_MAXDEPTH; i++) {
		sg_gherkin__vec_release(&p->frames[i].a);
		sg_gherkin__vec_release(&p->frames[i].b);
	}
	sg_gherkin__vec_release(&p->comments);
	sg_gherkin__vec_release(&p->errors);
	sg_buf_release(&p->text);
	sg_buf_release(&p->msg);
	sg_gherkin__lexer_release(&p->lx);
}

/* The line and column (in code points) of byte `off`. */
static void
position(const char *data, size_t off, unsigned *line, unsigned *column)
{
	const char *bol = data;
	const char *p = data;
	const char *nl;
	unsigned n = 1;

	while ((nl = memchr(p, '\n', (size_t)(data + off - p)))) {
		n++;
		p = nl + 1;
		bol = p;
	}
	*line = n;
	*column = (unsigned)sg_gherkin__count_cp(bol, (size_t)(data + off -
							  bol)) +
	    1;
}

static int
check_text(const char *uri, const char *data, size_t len,
    struct sg_error *err)
{
	size_t bad;
	unsigned line;
	unsigned column;

	bad = sg_gherkin__utf8_check(data, len);
	if (bad == len)
		return 0;
	position(data, bad, &line, &column);
	if (!data[bad])
		return sg_error_set_at(err, SG_EINVAL, uri, line, column,
		    "NUL byte: not a text file");
	return sg_error_set_at(err, SG_EINVAL, uri, line, column,
	    "invalid UTF-8 (byte 0x%02x)", (unsigned char)data[bad]);
}

int
sg_gherkin_parse(struct sg_gh_document **out, const char *uri,
    const char *data, size_t len, const struct sg_gherkin_options *opts,
    struct sg_error *err)
{
	struct gh_parser *p = NULL;
	const char *lang = opts && opts->default_language ?
	    opts->default_language :
	    "en";
	int error;

	*out = NULL;
	if (!uri)
		uri = "";
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) {
		data += 3;
		len -= 3;
	}
	if ((error = check_text(uri, data, len, err)) < 0)
		goto out;
	p = sg_xcalloc(1, sizeof(*p));
	if (sg_gherkin__lexer_init(&p->lx, lang) < 0) {
		error = sg_error_set(err, SG_EINVAL, "unknown language '%s'",
		    lang);
		goto out;
	}
	p->doc = sg_xcalloc(1, sizeof(*p->doc));
	sg_arena_init(&p->doc->arena);
	p->doc->pub.uri = adup(p, uri, strlen(uri));
	sg_buf_init(&p->text, 0);
	sg_buf_init(&p->msg, 0);
	sg_gherkin__scanner_init(&p->scan, data, len);
	parse(p);
	finish(p);
	*out = &p->doc->pub;
	p->doc = NULL;
out:
	if (p) {
		parser_release(p);
		free(p);
	}
	return error;
}

void
sg_gherkin_document_free(struct sg_gh_document *doc)
{
	struct gh_doc *d;

	if (!doc)
		return;
	d = gh_doc_of(doc);
	sg_arena_release(&d->arena);
	free(d);
}

const char *
sg_step_kind_name(enum sg_step_kind kind)
{
	switch (kind) {
	case SG_STEP_CONTEXT:
		return "Context";
	case SG_STEP_ACTION:
		return "Action";
	case SG_STEP_OUTCOME:
		return "Outcome";
	case SG_STEP_CONJUNCTION:
		return "Conjunction";
	default:
		return "Unknown";
	}
}

bool
sg_gherkin_has_language(const char *lang)
{
	return lang && sg_dialect_find(lang);
}
