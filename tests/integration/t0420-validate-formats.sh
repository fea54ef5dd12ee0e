#!/usr/bin/env bash
# t0420-validate-formats: `specgate validate --format sarif|github|junit`,
# the spec findings for CI.  SARIF is checked against the OASIS SARIF 2.1.0
# schema (tests/data/sarif, with ajv) and with jq; the workflow commands
# are decoded by a parser written here from GitHub's documented escaping;
# JUnit XML is checked by xmllint and read back with Python's ElementTree.
# The expected findings are those of tests/data/seed/README.md.
. "$(dirname "$0")/lib.sh"
SEED=$DATA/seed
AJV=$SG_TEST_ROOT/tools/ajv
if [ ! -d "$AJV/node_modules" ]; then
	(cd "$AJV" && npm ci --no-audit --no-fund --loglevel=error) >&2 ||
	    echo "# cannot install ajv (npm ci in $AJV)" >&2
fi
SCHEMA=$DATA/sarif/sarif-2.1.0.json
FINDINGS_MD=$SG_TEST_ROOT/../docs/findings.md

# seed: a project holding the seed files named
seed() {
	mkdir -p features && for f in "$@"; do cp "$SEED/$f" features/; done
}

test_expect_success 'sarif: valid SARIF 2.1.0 (OASIS schema), results on the .feature lines' '
	seed missing_then.feature untagged_ping.feature ping.feature &&
	sg validate --format sarif >out.sarif &&
	node "$AJV/validate-schema.js" "$SCHEMA" out.sarif &&
	test "$(jq -r .version out.sarif)" = 2.1.0 &&
	test "$(jq ".runs | length" out.sarif)" = 1 &&
	test "$(jq ".runs[0].results | length" out.sarif)" = 3 &&
	jq -r ".runs[0].results[] | [.ruleId, .level,
	    .locations[0].physicalLocation.artifactLocation.uri,
	    .locations[0].physicalLocation.artifactLocation.uriBaseId,
	    .locations[0].physicalLocation.region.startLine,
	    .locations[0].physicalLocation.region.startColumn] | @tsv" \
	    out.sarif >got &&
	printf "%s\t%s\t%s\t%s\t%s\t%s\n" \
	    SG101 warning features/missing_then.feature %SRCROOT% 2 3 \
	    SG123 warning features/missing_then.feature %SRCROOT% 2 3 \
	    SG101 warning features/untagged_ping.feature %SRCROOT% 6 3 >want &&
	diff want got &&
	jq -e ".runs[0].results[] | select(.ruleId == \"SG123\") |
	    .message.text | test(\"no Then step\")" out.sarif
'

test_expect_success 'sarif: a rule with metadata for every spec code of docs/findings.md' '
	seed ping.feature &&
	sg validate --format sarif >out.sarif &&
	sed -n "s/^| \(SG[01][0-9][0-9]\) | \([a-z-]*\) |.*/\1 \2/p" \
	    "$FINDINGS_MD" >want &&
	test "$(wc -l <want)" -ge 11 &&
	jq -r ".runs[0].tool.driver.rules[] | \"\(.id) \(.name)\"" \
	    out.sarif >got &&
	diff want got &&
	jq -e "[.runs[0].tool.driver.rules[] |
	    (.shortDescription.text | length > 0) and
	    (.help.text | length > 0) and
	    (.defaultConfiguration.level == \"warning\")] | all" out.sarif &&
	test "$(jq -r .runs[0].tool.driver.name out.sarif)" = specgate
'

test_expect_success 'sarif: ruleIndex names the rule of ruleId' '
	seed missing_then.feature untagged_ping.feature &&
	sg validate --format sarif >out.sarif &&
	jq -e ".runs[0] as \$r | [\$r.results[] |
	    \$r.tool.driver.rules[.ruleIndex].id == .ruleId] | all" out.sarif
'

test_expect_success 'sarif: compliance errors are level error, exit 1, still valid' '
	seed missing_then.feature three_features.feature &&
	expect_exit 1 sg --mode compliance validate --format sarif >out.sarif &&
	node "$AJV/validate-schema.js" "$SCHEMA" out.sarif &&
	jq -e "[.runs[0].results[].level] | unique == [\"error\"]" out.sarif &&
	jq -e ".runs[0].tool.driver.rules[0].defaultConfiguration.level ==
	    \"error\"" out.sarif &&
	jq -e "[.runs[0].results[] | select(.ruleId == \"SG001\") |
	    .locations[0].physicalLocation.region.startLine] ==
	    [10, 16, 17, 18, 19]" out.sarif
'

test_expect_success 'sarif: paths are relative to the project root, wherever it runs' '
	mkdir -p features/deep && cp "$SEED/untagged_ping.feature" features/deep/ &&
	printf "mode: sandbox\n" >specgate.yaml &&
	sg validate --format sarif >root.sarif &&
	(cd features/deep && sg validate --format sarif) >sub.sarif &&
	cmp root.sarif sub.sarif &&
	test "$(jq -r ".runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri" sub.sarif)" = features/deep/untagged_ping.feature
'

test_expect_success 'paths are relative to the git work tree holding the project' '
	git init -q . && mkdir -p svc/features &&
	cp "$SEED/untagged_ping.feature" svc/features/ &&
	printf "mode: sandbox\n" >svc/specgate.yaml &&
	(cd svc && sg validate --format sarif) >out.sarif &&
	test "$(jq -r ".runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri" out.sarif)" = svc/features/untagged_ping.feature &&
	(cd svc/features && sg validate --format github) >out &&
	expect_grep "^::warning file=svc/features/untagged_ping.feature,line=6,col=3," out &&
	(cd svc && sg validate --format junit) >out.xml &&
	expect_grep "name=\"svc/features/untagged_ping.feature\"" out.xml
'

test_expect_success 'sarif: odd file names become valid URI references' '
	mkdir -p "features/dir one" &&
	cp "$SEED/untagged_ping.feature" "features/dir one/été 100%.feature" &&
	sg validate --format sarif >out.sarif &&
	node "$AJV/validate-schema.js" "$SCHEMA" out.sarif &&
	uri=$(jq -r ".runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri" out.sarif) &&
	test "$uri" = "features/dir%20one/%C3%A9t%C3%A9%20100%25.feature" &&
	test "$(python3 -c "import sys, urllib.parse; print(urllib.parse.unquote(sys.argv[1]))" "$uri")" = "features/dir one/été 100%.feature"
'

test_expect_success 'sarif: the schema check can fail (a result without a message)' '
	seed untagged_ping.feature &&
	sg validate --format sarif >out.sarif &&
	jq "del(.runs[0].results[0].message)" out.sarif >bad.sarif &&
	! node "$AJV/validate-schema.js" "$SCHEMA" bad.sarif >out &&
	expect_grep "message" out
'

# gh_parse FILE: decode workflow commands (GitHub's "Workflow commands"
# escaping: data %25 %0D %0A; properties also %3A %2C) into
# "command<TAB>key=value;...<TAB>message" lines; other lines are kept as
# "log<TAB><TAB>line".
gh_parse() {
	python3 - "$1" <<-\EOF
	import re, sys
	def unesc(s, prop):
	    s = s.replace("%0D", "\r").replace("%0A", "\n")
	    if prop:
	        s = s.replace("%3A", ":").replace("%2C", ",")
	    return s.replace("%25", "%")
	for line in open(sys.argv[1], encoding="utf-8"):
	    line = line.rstrip("\n")
	    m = re.match(r"^::([a-z]+) ([^:]*)::(.*)$", line)
	    if not m:
	        print("log\t\t" + line)
	        continue
	    props = []
	    for kv in m.group(2).split(","):
	        k, v = kv.split("=", 1)
	        props.append(k + "=" + unesc(v, True))
	    print(m.group(1) + "\t" + ";".join(props) + "\t" + unesc(m.group(3), False))
	EOF
}

test_expect_success 'github: one annotation a finding, at file, line and column' '
	seed missing_then.feature untagged_ping.feature ping.feature &&
	sg validate --format github >out &&
	gh_parse out >got &&
	grep -v "^log" got | cut -f1,2 >cmds &&
	printf "%s\t%s\n" \
	    warning "file=features/missing_then.feature;line=2;col=3;title=SG101 missing-resource-tag" \
	    warning "file=features/missing_then.feature;line=2;col=3;title=SG123 missing-then" \
	    warning "file=features/untagged_ping.feature;line=6;col=3;title=SG101 missing-resource-tag" >want &&
	diff want cmds &&
	expect_grep "^log		3 files, 3 scenarios: 0 errors, 3 warnings" got
'

test_expect_success 'github: errors in compliance (exit 1); -q prints only the annotations' '
	seed missing_then.feature &&
	expect_exit 1 sg --mode compliance validate -q --format github >out &&
	test "$(grep -c "^::error file=features/missing_then.feature,line=2,col=3,title=SG1" out)" = 2 &&
	test "$(wc -l <out)" = 2
'

test_expect_success 'github: %, comma and colon are escaped as GitHub documents' '
	mkdir -p features &&
	cat >"features/a,b:c.feature" <<-\EOF &&
	Feature: f
	  Scenario: 100% done, really: yes
	    Given a
	    When b
	    Then c
	EOF
	sg validate --format github >out &&
	expect_grep "^::warning file=features/a%2Cb%3Ac.feature,line=2,col=3,title=SG101 missing-resource-tag::scenario .100%25 done, really: yes." out &&
	gh_parse out >got &&
	expect_grep "file=features/a,b:c.feature;line=2;col=3;title=SG101 missing-resource-tag	scenario .100% done, really: yes. has no resource tag" got
'

# junit_check FILE: xmllint, then print "tests failures skipped" of the
# suite and one "name result" line per test case, checking that the counts
# agree with the test cases.
junit_check() {
	xmllint --noout "$1" &&
	python3 - "$1" <<-\EOF
	import sys, xml.etree.ElementTree as ET
	root = ET.parse(sys.argv[1]).getroot()
	assert root.tag == "testsuites", root.tag
	suites = root.findall("testsuite")
	assert len(suites) == 1
	s = suites[0]
	cases = s.findall("testcase")
	fails = [c for c in cases if c.find("failure") is not None]
	skips = [c for c in cases if c.find("skipped") is not None]
	for e in (root, s):
	    assert int(e.get("tests")) == len(cases), (e.get("tests"), len(cases))
	    assert int(e.get("failures")) == len(fails)
	    assert int(e.get("skipped")) == len(skips)
	    assert int(e.get("errors")) == 0
	print(len(cases), len(fails), len(skips))
	for c in cases:
	    f = c.find("failure")
	    r = "failure:" + f.get("type") if f is not None else \
	        "skipped" if c.find("skipped") is not None else "pass"
	    out = c.find("system-out")
	    n = len(out.text.strip().split("\n")) if out is not None else 0
	    print(c.get("name"), r, "warnings=%d" % n)
	EOF
}

test_expect_success 'junit: a test case per file; warnings pass, a parse error is skipped' '
	seed missing_then.feature untagged_ping.feature ping.feature three_features.feature &&
	sg validate --format junit >out.xml &&
	junit_check out.xml >got &&
	cat >want <<-\EOF &&
	4 0 1
	features/missing_then.feature pass warnings=2
	features/ping.feature pass warnings=0
	features/three_features.feature skipped warnings=5
	features/untagged_ping.feature pass warnings=1
	EOF
	diff want got
'

test_expect_success 'junit: errors are failures in compliance (exit 1)' '
	seed missing_then.feature ping.feature three_features.feature &&
	expect_exit 1 sg --mode compliance validate --format junit >out.xml &&
	junit_check out.xml >got &&
	cat >want <<-\EOF &&
	3 2 0
	features/missing_then.feature failure:SG101 warnings=0
	features/ping.feature pass warnings=0
	features/three_features.feature failure:SG001 warnings=0
	EOF
	diff want got &&
	python3 -c "
import xml.etree.ElementTree as ET
c = [c for c in ET.parse(\"out.xml\").getroot().iter(\"testcase\")
     if c.get(\"name\") == \"features/missing_then.feature\"][0]
t = c.find(\"failure\").text
assert \"missing_then.feature:2:3: error:\" in t and \"[SG123 missing-then]\" in t, t
"
'

test_expect_success 'junit: markup in names is escaped (well-formed XML)' '
	mkdir -p features &&
	cat >"features/a&b.feature" <<-\EOF &&
	Feature: f
	  Scenario: <x> & "y" ]]> done
	    Given a
	    When b
	EOF
	expect_exit 1 sg --mode compliance validate --format junit >out.xml &&
	junit_check out.xml >got &&
	expect_grep "^features/a&b.feature failure:SG101" got &&
	python3 -c "
import xml.etree.ElementTree as ET
f = ET.parse(\"out.xml\").getroot().find(\".//failure\")
assert \"<x> & \\\"y\\\" ]]> done\" in f.get(\"message\"), f.get(\"message\")
"
'

test_expect_success 'a file that cannot be checked: nothing on stdout, exit 2' '
	seed ping.feature &&
	printf "Feature: x\0\n" >features/bin.feature &&
	expect_exit 2 sg validate --format sarif >out 2>err &&
	test ! -s out &&
	expect_grep "bin.feature:1:" err
'

test_expect_success '--format: a bad word is usage (with a suggestion); --json conflicts' '
	seed ping.feature &&
	expect_exit 2 sg validate --format sraif 2>err &&
	expect_grep "did you mean .sarif." err &&
	expect_exit 2 sg --json validate --format junit 2>err &&
	expect_grep "json" err &&
	sg validate --format json >a.json && jq -e .feature_id a.json &&
	sg validate --format text >t && expect_grep "0 errors, 0 warnings" t
'

test_done
