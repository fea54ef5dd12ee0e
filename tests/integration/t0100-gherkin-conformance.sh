#!/usr/bin/env bash
# t0100-gherkin-conformance: `specgate pickles` against Cucumber's own
# conformance data (tests/data/gherkin, MIT, see its LICENSE).  Each good
# feature must give the pickles of its .pickles.ndjson and each bad one the
# parse errors of its .errors.ndjson, compared after normalising both sides
# with jq: ids dropped (they depend on the id generator), the uri reduced to
# its basename (Cucumber ran from another directory), keys sorted.
. "$(dirname "$0")/lib.sh"

GHERKIN=$DATA/gherkin

# normalise FILE: one JSON document per line, comparable with diff.
normalise() {
	jq -cS 'walk(if type == "object" then
			del(.id, .astNodeIds, .astNodeId)
			| if has("uri") then .uri |= (split("/") | last)
			  else . end
		else . end)' "$1"
}

# conforms FEATURE EXPECTED STATUS: pickles of FEATURE match EXPECTED.
conforms() {
	expect_exit "$3" sg pickles "$1" >out 2>err &&
	normalise out >got &&
	normalise "$2" >want &&
	diff -u want got
}

for f in "$GHERKIN"/good/*.feature; do
	n=$(basename "$f")
	test_expect_success "good/$n gives Cucumber's pickles" "
		conforms '$f' '$f.pickles.ndjson' 0
	"
done

for f in "$GHERKIN"/bad/*.feature; do
	n=$(basename "$f")
	test_expect_success "bad/$n gives Cucumber's parse errors" "
		conforms '$f' '$f.errors.ndjson' 2
	"
done

test_expect_success 'a file that is not UTF-8 exits 2 with file:line:col' '
	printf "Feature: caf\351\n" >latin1.feature &&
	expect_exit 2 sg pickles latin1.feature >out 2>err &&
	expect_grep "^latin1.feature:1:13: error: invalid UTF-8" err &&
	test ! -s out
'

test_expect_success 'an invalid byte is located by line and code point' '
	printf "Feature: \303\251t\303\251\n  Scenario: x \200\n" >bad.feature &&
	expect_exit 2 sg pickles bad.feature 2>err &&
	expect_grep "^bad.feature:2:15: error: invalid UTF-8 (byte 0x80)" err
'

test_expect_success 'a binary file exits 2 with file:line:col' '
	printf "\177ELF\002\001\001\000\000\000\000\000" >bin.feature &&
	expect_exit 2 sg pickles bin.feature >out 2>err &&
	expect_grep "^bin.feature:1:[0-9]*: error: " err &&
	test ! -s out
'

test_expect_success 'a missing file exits 2 with a message naming it' '
	expect_exit 2 sg pickles nosuch.feature 2>err &&
	expect_grep "nosuch.feature" err
'

test_expect_success 'CRLF and a UTF-8 BOM parse like LF' '
	printf "Feature: f\nScenario: s\nGiven g\n" >lf.feature &&
	printf "\357\273\277Feature: f\r\nScenario: s\r\nGiven g\r\n" >crlf.feature &&
	sg pickles lf.feature | sed "s/lf.feature//" >lf.out &&
	sg pickles crlf.feature | sed "s/crlf.feature//" >crlf.out &&
	diff lf.out crlf.out
'

test_expect_success 'the uri is the path as given' '
	mkdir -p d && printf "Feature: f\nScenario: s\n" >d/x.feature &&
	sg pickles ./d/x.feature >out &&
	expect_grep "\"uri\":\"./d/x.feature\"" out
'

test_expect_success 'pickles without FILE is a usage error' '
	expect_exit 2 sg pickles 2>err && expect_grep "^usage: specgate pickles FILE" err
'

test_done
