#!/usr/bin/env bash
# t0910-junit: `specgate junit` on JUnit XML written by real producers
# (pytest --junitxml, cmocka's XML output) with the totals checked against
# an independent count (Python's xml.etree), scenarios mapped to tests by
# @test:<glob> tags and by folded names, the gate in both modes, and bad
# input: malformed XML, entities (no XXE), odd structure, and a million
# test cases in bounded memory.
. "$(dirname "$0")/lib.sh"

# asan_small CMD...: run CMD with ASan's quarantine of freed memory small,
# so that peak RSS measures the program, not the sanitizer (a no-op for
# the normal build)
asan_small() { ASAN_OPTIONS="quarantine_size_mb=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}" "$@"; }

PY=/usr/bin/python3

# etree_counts FILE...: "tests failed errors skipped", counted by Python
etree_counts() {
	$PY - "$@" <<'PY'
import sys, xml.etree.ElementTree as ET
t = f = e = s = 0
for p in sys.argv[1:]:
    for tc in ET.parse(p).getroot().iter("testcase"):
        t += 1
        kids = [c.tag for c in tc]
        if "failure" in kids: f += 1
        elif "error" in kids: e += 1
        elif "skipped" in kids: s += 1
print(t, f, e, s)
PY
}

# spec FILE: a features/ directory with scenarios for the mapping tests
spec() {
	mkdir -p features && cat >features/ping.feature <<-'G'
	Feature: Ping
	  Background:
	    Given the service is running

	  @resource:cpu=0.1,memory=128,storage=10,story_points=1
	  Scenario: Service   responds to PING
	    When I call GET /v1/ping
	    Then I receive a 200 OK

	  @resource:cpu=0.1,memory=128,storage=10,story_points=1 @test:tests.test_ping.test_health*
	  Scenario: Health
	    When I call GET /healthz
	    Then I receive a 200 OK

	  @resource:cpu=0.1,memory=128,storage=10,story_points=1
	  Scenario: Nobody tests this
	    When nothing
	    Then nothing
	G
}

pytests() {
	mkdir -p tests && cat >tests/test_ping.py <<-'P'
	import pytest
	def test_service_responds_to_ping():
	    assert True
	def test_health_ok():
	    assert 1 == 1
	def test_health_slow():
	    assert 1 == 2, "too slow"
	@pytest.mark.skip(reason="later")
	def test_later():
	    pass
	def test_broken_fixture(nosuch):
	    pass
	P
	$PY -m pytest -q -p no:cacheprovider --junitxml=junit.xml tests >/dev/null 2>&1
	test -s junit.xml
}

test_expect_success 'pytest --junitxml: the totals are what xml.etree counts' '
	pytests &&
	sg junit junit.xml >out &&
	read t f e s <<-EOF &&
	$(etree_counts junit.xml)
	EOF
	test "$t $f $e $s" = "5 1 1 1" &&
	expect_grep "^tests: $t ($((t - f - e - s)) passed, $f failed, $e errors, $s skipped) in 1 file$" out &&
	expect_grep "failed: tests.test_ping.test_health_slow: AssertionError: too slow" out &&
	expect_grep "error: tests.test_ping.test_broken_fixture" out
'

test_expect_success 'cmocka XML output (CMOCKA_MESSAGE_OUTPUT=xml) is read as cmocka wrote it' '
	cat >t.c <<-C &&
	#include <stdarg.h>
	#include <stddef.h>
	#include <stdint.h>
	#include <setjmp.h>
	#include <cmocka.h>
	static void ok1(void **s) { (void)s; assert_int_equal(1, 1); }
	static void ok2(void **s) { (void)s; assert_true(1); }
	static void bad(void **s) { (void)s; assert_int_equal(1, 2); }
	static void skip_me(void **s) { (void)s; skip(); }
	int main(void) {
		const struct CMUnitTest tests[] = { cmocka_unit_test(ok1),
		    cmocka_unit_test(ok2), cmocka_unit_test(bad),
		    cmocka_unit_test(skip_me) };
		return cmocka_run_group_tests_name("grp", tests, NULL, NULL);
	}
	C
	cc -o t t.c -lcmocka &&
	{ CMOCKA_MESSAGE_OUTPUT=xml CMOCKA_XML_FILE=cm.xml ./t >/dev/null 2>&1; true; } &&
	test -s cm.xml &&
	read t f e s <<-EOF &&
	$(etree_counts cm.xml)
	EOF
	test "$t" = 4 &&
	sg junit cm.xml >out &&
	expect_grep "^tests: 4 ($((t - f - e - s)) passed, $f failed, $e errors, $s skipped) in 1 file$" out &&
	test "$f" = 1
'

test_expect_success 'scenarios map by @test:<glob> and by folded name; uncovered and failing are findings' '
	spec && pytests &&
	cat >named.xml <<-X &&
	<testsuites><testsuite name="s"><testcase classname="x" name="  service RESPONDS   to ping "/></testsuite></testsuites>
	X
	sg junit junit.xml named.xml >out &&
	expect_grep "^spec coverage: 1 of 3 scenarios (33.3%)$" out &&
	expect_grep "^features/ping.feature:11:3: warning: scenario .Health.: 1 of its 2 tests failed \[SG311 test-failed\]" out &&
	expect_grep "^features/ping.feature:16:3: warning: scenario .Nobody tests this. has no passing test.*\[SG312 scenario-uncovered\]" out &&
	sg --json junit junit.xml named.xml >doc.json &&
	test "$(jq -r .schema doc.json)" = specgate/spec-coverage/v1 &&
	test "$(jq -r .feature_id doc.json)" = "$(sg id)" &&
	test "$(jq .run_id doc.json)" = null &&
	test "$(jq -r .mode doc.json)" = sandbox &&
	jq -e ".timestamp | test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$\")" doc.json &&
	test "$(jq -c "[.scenarios[] | [.name, .covered, .matched, .passed, .failed]]" doc.json)" = \
	    "[[\"Service   responds to PING\",true,1,1,0],[\"Health\",false,2,1,1],[\"Nobody tests this\",false,0,0,0]]" &&
	test "$(jq -c "[.scenarios[1].tests[] | [.id, .status]]" doc.json)" = \
	    "[[\"tests.test_ping.test_health_ok\",\"passed\"],[\"tests.test_ping.test_health_slow\",\"failed\"]]" &&
	test "$(jq -c ".spec_coverage" doc.json)" = "{\"covered\":1,\"percent\":33.3,\"scenarios\":3,\"uncovered\":2}" &&
	test "$(jq -r .result doc.json)" = warning
'

test_expect_success 'compliance: failing tests and uncovered scenarios are errors (exit 1)' '
	spec && pytests &&
	expect_exit 1 sg --mode compliance junit junit.xml >out &&
	expect_grep "error: scenario .Health." out &&
	sed -i "s/assert 1 == 2, \"too slow\"/assert True/" tests/test_ping.py &&
	cat >named.xml <<-X &&
	<testsuite name="s"><testcase name="service responds to ping"/><testcase name="Nobody tests this"/></testsuite>
	X
	$PY -m pytest -q -p no:cacheprovider --junitxml=junit.xml tests >/dev/null 2>&1;
	sg --mode compliance junit junit.xml named.xml >out &&
	expect_grep "^spec coverage: 3 of 3 scenarios (100.0%)$" out
'

test_expect_success 'a skipped test alone does not cover; a failure outweighs a skip' '
	spec &&
	cat >s.xml <<-X &&
	<testsuites>
	  <testsuite name="outer"><testsuite name="inner">
	    <testcase name="Service responds to ping"><skipped/></testcase>
	    <testcase name="Nobody tests this"><skipped message="x"/><failure message="boom">trace</failure></testcase>
	  </testsuite></testsuite>
	</testsuites>
	X
	sg --json junit s.xml >doc.json &&
	test "$(jq -c "[.scenarios[] | [.covered, .matched, .failed]]" doc.json)" = "[[false,1,0],[false,0,0],[false,1,1]]" &&
	test "$(jq -c .tests doc.json)" = "{\"errors\":0,\"failed\":1,\"files\":1,\"passed\":0,\"skipped\":1,\"total\":2}"
'

test_expect_success 'without a spec, junit prints the totals only' '
	pytests && sg junit junit.xml >out &&
	expect_grep "^tests: 5 " out && ! grep -q "spec coverage" out
'

test_expect_success 'malformed XML: exit 2 with file:line:col' '
	printf "<testsuites>\n  <testsuite name=\"a\">\n    <testcase name=\"x\">\n  </testsuite>\n" >bad.xml &&
	expect_exit 2 sg junit bad.xml 2>err &&
	expect_grep "^bad.xml:4:[0-9]*: error: malformed XML: " err &&
	printf "" >empty.xml && expect_exit 2 sg junit empty.xml 2>err &&
	expect_grep "^empty.xml:" err &&
	printf "<html><body/></html>" >h.xml && expect_exit 2 sg junit h.xml 2>err &&
	expect_grep "not JUnit XML: the root element is <html>" err &&
	printf "<testsuite>\xff\xfe</testsuite>" >enc.xml && expect_exit 2 sg junit enc.xml 2>err &&
	expect_grep "^enc.xml:1:" err &&
	expect_exit 2 sg junit nosuch.xml 2>err && expect_grep "does not exist" err
'

test_expect_success 'entities: an external entity is never read, internal ones are refused' '
	echo SECRET-XXE >secret.txt &&
	cat >xxe.xml <<-X &&
	<?xml version="1.0"?>
	<!DOCTYPE testsuite [<!ENTITY x SYSTEM "file://$PWD/secret.txt">]>
	<testsuite><testcase name="&x;"/></testsuite>
	X
	expect_exit 2 sg junit xxe.xml >out 2>err &&
	expect_grep "entit" err && ! grep -q SECRET out err &&
	cat >lol.xml <<-X &&
	<?xml version="1.0"?>
	<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
	<testsuite><testcase name="&c;"/></testsuite>
	X
	expect_exit 2 sg junit lol.xml 2>err && expect_grep "entit" err
'

test_expect_success 'failures are reported at the line of their <testcase> start tag' '
	cat >lines.xml <<-X &&
	<?xml version="1.0"?>
	<testsuite name="s">
	  <testcase classname="c" name="first"><failure message="one"/></testcase>
	  <testcase classname="c" name="ok"/>
	  <testcase classname="c" name="fine">
	  </testcase>
	  <testcase classname="c"
	      name="second"><error message="two"/></testcase>
	</testsuite>
	X
	test "$(wc -l <lines.xml)" = 9 &&
	sg junit lines.xml >out &&
	grep -e ": failed: " -e ": error: " out >got &&
	printf "%s\n" "lines.xml:3: failed: c.first: one" "lines.xml:7: error: c.second: two" >want &&
	cmp want got
'

test_expect_success 'failure lines in a 5,000-line file and past line 65535' '
	$PY - <<-\PY &&
	fail = {10, 1500, 4000}
	with open("long.xml", "w") as f:
	    f.write("<testsuite name=\"s\">\n")
	    for n in range(2, 5000):
	        if n in fail:
	            f.write("<testcase classname=\"c\" name=\"t%d\"><failure message=\"m\"/></testcase>\n" % n)
	        else:
	            f.write("<testcase classname=\"c\" name=\"t%d\"/>\n" % n)
	    f.write("</testsuite>\n")
	with open("huge.xml", "w") as f:
	    f.write("<testsuite name=\"s\">\n")
	    for n in range(2, 70001):
	        f.write("<testcase name=\"t%d\">%s</testcase>\n" % (n, "<failure/>" if n in (3, 65535, 65536, 70000) else ""))
	    f.write("</testsuite>\n")
	PY
	test "$(wc -l <long.xml)" = 5000 &&
	sg junit long.xml >out &&
	sed -n "s/^long.xml:\([0-9]*\): failed: .*/\1/p" out >got &&
	printf "10\n1500\n4000\n" >want && cmp want got &&
	grep -n "<failure" long.xml | cut -d: -f1 | cmp want - &&
	sg junit huge.xml >out &&
	sed -n "s/^huge.xml:\([0-9]*\): failed: .*/\1/p" out >got &&
	printf "3\n65535\n65536\n70000\n" >want && cmp want got
'

# hostile KIND N: a JUnit (or Cobertura, KIND cob-*) file of one shape
hostile() {
	$PY - "$@" <<-\PY
	import sys
	kind, n = sys.argv[1], int(sys.argv[2])
	w = open(kind + ".xml", "w").write
	attrs = lambda k, p="a": " ".join("%s%d=\"1\"" % (p, i) for i in range(k))
	if kind == "attrs":
	    w("<testsuite name=\"s\">\n<testcase name=\"t\" %s/></testsuite>\n" % attrs(n))
	elif kind == "cob-attrs":
	    w("<coverage>\n<packages><package %s/></packages></coverage>\n" % attrs(n))
	elif kind == "ns":
	    w("<testsuite name=\"s\" %s>\n" % attrs(200, "xmlns:a"))
	    w("<x>\n<testcase name=\"t\" %s/></x></testsuite>\n" % attrs(n, "xmlns:b"))
	elif kind == "depth":
	    w("<testsuite name=\"s\">\n" + "<a>" * n + "</a>" * n + "</testsuite>\n")
	elif kind == "name":
	    w("<testsuite name=\"s\">\n<testcase %s=\"1\"/></testsuite>\n" % ("x" * n))
	elif kind == "tag":
	    w("<testsuite name=\"s\">\n<testcase name=\"%s\"/></testsuite>\n" % ("x" * n))
	PY
}

test_expect_success 'XML shapes that make libxml2 slow are refused at their tag (exit 2)' '
	hostile attrs 50000 && expect_exit 2 sg junit attrs.xml 2>err &&
	cmp - err <<-\E &&
	attrs.xml:2:1: error: an element with more than 256 attributes
	E
	hostile attrs 200000 && expect_exit 2 sg junit attrs.xml 2>err &&
	expect_grep "^attrs.xml:2:1: error: an element with more than 256 attributes$" err &&
	hostile cob-attrs 50000 && expect_exit 2 sg coverage cob-attrs.xml 2>err &&
	expect_grep "^cob-attrs.xml:2:11: error: an element with more than 256 attributes$" err &&
	hostile ns 100 && expect_exit 2 sg junit ns.xml 2>err &&
	expect_grep "^ns.xml:3:1: error: more than 256 namespace declarations in scope$" err &&
	hostile depth 300 && expect_exit 2 sg junit depth.xml 2>err &&
	expect_grep "^depth.xml:2:766: error: elements nested more than 256 deep$" err &&
	hostile name 100000 && expect_exit 2 sg junit name.xml 2>err &&
	expect_grep "^name.xml:2:4107: error: a name longer than 4096 bytes$" err &&
	hostile tag 9000000 && expect_exit 2 sg junit tag.xml 2>err &&
	expect_grep "^tag.xml:2:1: error: a start tag longer than 8388608 bytes$" err &&
	printf "\377\376<\0t\0/\0>\0" >u16.xml && expect_exit 2 sg junit u16.xml 2>err &&
	expect_grep "^u16.xml:1:1: error: a UTF-16 or UTF-32 document" err
'

test_expect_success 'the XML caps are not crossed at their limit' '
	hostile attrs 255 && sg junit attrs.xml >out &&
	expect_grep "^tests: 1 " out &&
	hostile ns 56 && sg junit ns.xml >out &&
	hostile depth 255 && sg junit depth.xml >out &&
	hostile name 4096 && sg junit name.xml >out &&
	hostile tag 8000000 && sg junit tag.xml >out &&
	cat >ok.xml <<-\X &&
	<?xml version="1.0"?>
	<!DOCTYPE testsuite [ <!ELEMENT testsuite ANY> <!-- a comment with <tags> and "quotes -->
	  <!ATTLIST testsuite name CDATA "a>b"> <?pi <x> ?> ]>
	<testsuite name="s"><!-- <testcase name="no"/> --><?pi <testcase?>
	  <testcase name="q" classname="&lt;a&gt; /> b"><![CDATA[ <testcase> ]]]></testcase>
	  <testcase
	     name = "late" ><failure message="m"/></testcase>
	</testsuite>
	X
	sg junit ok.xml >out &&
	expect_grep "^tests: 2 (1 passed, 1 failed" out &&
	expect_grep "^ok.xml:6: failed: late: m$" out
'

test_expect_success 'a million test cases: right totals, bounded memory (peak RSS)' '
	spec &&
	sed -i "s/@test:tests.test_ping.test_health\*/@test:big.*/" features/ping.feature &&
	awk "BEGIN { print \"<testsuites><testsuite name=\\\"big\\\">\";
	    for (i = 0; i < 1000000; i++)
	        printf \"<testcase classname=\\\"big\\\" name=\\\"t%d\\\" time=\\\"0.001\\\"%s\n\", i,
	            (i % 1000 == 7) ? \"><failure message=\\\"f\\\"/></testcase>\" : \"/>\";
	    print \"</testsuite></testsuites>\" }" >big.xml &&
	test "$(grep -c "<testcase" big.xml)" = 1000000 &&
	asan_small /usr/bin/time -v "$SPECGATE" --json junit big.xml >doc.json 2>time.txt &&
	test "$(jq .tests.total doc.json)" = 1000000 &&
	test "$(jq .tests.failed doc.json)" = 1000 &&
	test "$(jq ".scenarios[1].matched" doc.json)" = 1000000 &&
	test "$(jq ".scenarios[1].tests | length" doc.json)" = 1000 &&
	test "$(jq ".scenarios[1].tests_truncated" doc.json)" = true &&
	rss=$(sed -n "s/.*Maximum resident set size (kbytes): //p" time.txt) &&
	echo "peak RSS ${rss} kB for $(stat -c %s big.xml) bytes of JUnit" &&
	test "$rss" -lt 65536
'

test_done
