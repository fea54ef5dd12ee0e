#!/usr/bin/env bash
# t1210-snippets: the snippets of the template data model (`specgate
# generate --data`) against Cucumber's own expression generator,
# @cucumber/cucumber-expressions (tests/tools/cucumber-expressions, pinned
# by its package-lock.json, installed on first use): every step of the
# Gherkin conformance corpus and of tests/data/snippets (numbers, signs,
# strings with escapes, symbols and Unicode punctuation around
# parameters, characters outside the BMP, escaped ( { /) must get the
# same expression and parameter names, and the expression parsed back by
# the peer must match the step with the values the model gives.
. "$(dirname "$0")/lib.sh"

CX=$SG_TEST_ROOT/tools/cucumber-expressions
if [ ! -f "$CX/node_modules/@cucumber/cucumber-expressions/package.json" ]; then
	(cd "$CX" && npm ci --no-audit --no-fund --loglevel=error) >&2 ||
	    echo "# cannot install cucumber-expressions (npm ci in $CX)" >&2
fi

test_expect_success 'every step of the conformance corpus: the peer agrees' '
	n=0 &&
	for f in "$DATA"/gherkin/good/*.feature "$DATA"/seed/*ping.feature \
	    "$DATA"/seed/three_features.feature; do
		b=$(basename "$f" .feature) &&
		sg -q generate --data "$f" >"$b.json" &&
		n=$((n + 1)) || return 1
	done &&
	test "$n" -ge 40 &&
	node "$CX/compare.js" *.json >out &&
	cat out &&
	tail -n 1 out | grep -E "^[0-9]{3,} steps, 0 differ$"
'

test_expect_success 'the hard cases: the peer agrees, parameters were found' '
	sg -q generate --data "$DATA/snippets/tricky.feature" >m.json &&
	node "$CX/compare.js" m.json >out &&
	cat out &&
	grep -x "32 steps, 0 differ" out &&
	jq -e "[.features[].scenarios[].steps[].snippet.parameters[]] |
	    (map(select(.type == \"int\")) | length) > 30 and
	    (map(select(.type == \"float\")) | length) > 8 and
	    (map(select(.type == \"string\")) | length) > 15" m.json
'

test_expect_success 'the comparison fails on a wrong expression' '
	sg -q generate --data "$DATA/snippets/tricky.feature" >m.json &&
	jq ".features[0].scenarios[0].steps[0].snippet.expression =
	    \"I have {float} cukes in my belly\"" m.json >bad.json &&
	expect_exit 1 node "$CX/compare.js" bad.json >out &&
	grep "1 differ" out
'

test_done
