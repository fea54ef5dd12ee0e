#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# gen.py KIND [ARGS]: write a .feature file on stdout whose pickles expand
# far beyond its size, for the expansion caps (docs/limits.md, t0410).
#
#   outline ROWS STEPS CELL REPS  one Outline: STEPS steps each holding REPS
#                                 <a> placeholders, ROWS rows whose value is
#                                 CELL bytes: ROWS*STEPS*REPS*CELL bytes
#   laughs COLS                   one row, each column's value four times
#                                 the next column's placeholder: 4^COLS
#   scan COLS LEN                 a step "<xxx...x" (LEN bytes, never a
#                                 placeholder) and COLS header columns: each
#                                 row is searched COLS times
#   rows ROWS                     ROWS rows of a one-step Outline
import sys

TAG = "@resource:cpu=0.1,memory=128,storage=10,story_points=1\n"
out = sys.stdout
kind = sys.argv[1]
args = [int(a) for a in sys.argv[2:]]

if kind == "outline":
    rows, steps, cell, reps = args
    out.write(TAG + "Feature: attack\n  Scenario Outline: o <a>\n")
    for i in range(steps):
        kw = "Given" if i == 0 else ("When" if i == 1 else "Then")
        out.write("    %s s%d %s\n" % (kw, i, "<a>" * reps))
    out.write("    Examples:\n      | a |\n")
    for r in range(rows):
        out.write("      | %s |\n" % str(r).rjust(cell, "x"))
elif kind == "laughs":
    (ncols,) = args
    cols = ["c%d" % i for i in range(ncols)]
    vals = ["<%s>" % cols[i + 1] * 4 for i in range(ncols - 1)] + ["lol"]
    out.write(TAG + "Feature: laughs\n  Scenario Outline: o\n"
              "    Given <c0>\n    When w\n    Then t\n    Examples:\n")
    out.write("      | " + " | ".join(cols) + " |\n")
    out.write("      | " + " | ".join(vals) + " |\n")
elif kind == "scan":
    ncols, length = args
    out.write(TAG + "Feature: scan\n  Scenario Outline: o\n"
              "    Given <" + "x" * length + "\n    When w\n    Then t\n"
              "    Examples:\n")
    out.write("      |" + "|".join("c%d" % i for i in range(ncols)) + "|\n")
    out.write("      |" + "|".join("v" for i in range(ncols)) + "|\n")
elif kind == "rows":
    (rows,) = args
    out.write(TAG + "Feature: rows\n  Scenario Outline: o\n"
              "    Given <a>\n    When w\n    Then t\n"
              "    Examples:\n      | a |\n")
    for r in range(rows):
        out.write("      | %d |\n" % r)
else:
    sys.exit("gen.py: unknown kind " + kind)
