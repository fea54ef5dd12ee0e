#!/usr/bin/env bash
# t0920-sarif: `specgate sarif` on the real SARIF of clang's static
# analyzer run on a deliberately buggy C file (counts checked against jq),
# the SAST gate in both modes and thresholds, the effective-level rules
# (result level, the rule's default by index, by id, in an extension, kind,
# suppressions), and bad input: malformed JSON with line and column, a
# wrong version, deep nesting, a result over the cap, and a large log in
# bounded memory.
. "$(dirname "$0")/lib.sh"

# asan_small CMD...: run CMD with ASan's quarantine of freed memory small,
# so that peak RSS measures the program, not the sanitizer (a no-op for
# the normal build)
asan_small() { ASAN_OPTIONS="quarantine_size_mb=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}" "$@"; }

SRC=$DATA/gates

analyze() {
	cp "$SRC/buggy.c" . &&
	clang --analyze --analyzer-output sarif -o buggy.sarif buggy.c 2>/dev/null &&
	test -s buggy.sarif
}

# sarif RESULTS [RULES] [EXTENSIONS]: a minimal SARIF 2.1.0 log
sarif() {
	printf '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t", "rules": [%s]}, "extensions": [%s]}, "results": [%s]}]}\n' \
	    "${2:-}" "${3:-}" "$1"
}

test_expect_success 'clang --analyze: the counts are what jq counts in its SARIF' '
	analyze &&
	n=$(jq "[.runs[].results[]] | length" buggy.sarif) &&
	test "$n" -ge 3 &&
	sg sarif buggy.sarif >out &&
	expect_grep "^results: $n (" out &&
	for r in $(jq -r ".runs[].results[].ruleId" buggy.sarif | sort -u); do
		c=$(jq --arg r "$r" "[.runs[].results[] | select(.ruleId == \$r)] | length" buggy.sarif) &&
		expect_grep "^rule $r: .* $c warning" out || exit 1
	done &&
	for r in unix.Malloc core.NullDereference core.DivideZero; do
		expect_grep "^rule $r: " out || exit 1
	done &&
	expect_grep "^file file://.*/buggy.c: 0 error, $n warning" out
'

test_expect_success 'the gate on real SARIF: fail_on warning fails compliance, error passes' '
	analyze &&
	sg --mode compliance sarif buggy.sarif >out &&
	expect_grep "^at .error. or above: 0$" out &&
	expect_exit 1 sg --mode compliance sarif --fail-on warning buggy.sarif >out &&
	expect_grep "error: 3 SAST results at .warning. or above (gates.sast.fail_on) \[SG321 sast-threshold\]" out &&
	sg sarif --fail-on warning buggy.sarif >out &&
	expect_grep "warning: 3 SAST results" out &&
	printf "gates:\n  sast: {fail_on: note}\n" >specgate.yaml &&
	expect_exit 1 sg --mode compliance sarif buggy.sarif >out &&
	expect_grep "at .note. or above" out
'

test_expect_success 'sast-summary document: schema, header, counts by level, rule and file' '
	analyze &&
	sg --json sarif --fail-on warning buggy.sarif >doc.json &&
	test "$(jq -r .schema doc.json)" = specgate/sast-summary/v1 &&
	test "$(jq -r .mode doc.json)" = sandbox &&
	test "$(jq .run_id doc.json)" = null && test "$(jq -r .feature_id doc.json)" = null &&
	test "$(jq .present doc.json)" = true &&
	test "$(jq -c .by_level doc.json)" = "{\"error\":0,\"none\":0,\"note\":0,\"warning\":3}" &&
	test "$(jq .at_or_above_fail_on doc.json)" = 3 &&
	test "$(jq -r ".by_rule | map(.rule) | join(\",\")" doc.json)" = "core.DivideZero,core.NullDereference,unix.Malloc" &&
	test "$(jq -r ".tools[0]" doc.json)" = "$(jq -r ".runs[0].tool.driver.name" buggy.sarif)" &&
	test "$(jq -r .result doc.json)" = warning &&
	test "$(jq -r ".findings[0].code" doc.json)" = SG321
'

test_expect_success 'effective level: result, rule default by index and by id, else warning' '
	sarif "{\"ruleId\": \"A\", \"level\": \"note\"}, {\"ruleIndex\": 0}, {\"ruleId\": \"B\"}, {\"ruleId\": \"C\"}, {\"rule\": {\"index\": 1}}, {\"ruleId\": \"nope\"}, {}" \
	    "{\"id\": \"A\", \"defaultConfiguration\": {\"level\": \"error\"}}, {\"id\": \"B\", \"defaultConfiguration\": {\"level\": \"note\"}}, {\"id\": \"C\", \"defaultConfiguration\": {}}" >l.sarif &&
	sg --json sarif l.sarif >doc.json &&
	test "$(jq -c .by_level doc.json)" = "{\"error\":1,\"none\":0,\"note\":3,\"warning\":3}" &&
	test "$(jq -c "[.by_rule[] | [.rule, .error, .warning, .note]]" doc.json)" = \
	    "[[\"\",0,1,0],[\"A\",1,0,1],[\"B\",0,0,2],[\"C\",0,1,0],[\"nope\",0,1,0]]"
'

test_expect_success 'effective level: a rule of an extension (rule.toolComponent.index)' '
	sarif "{\"rule\": {\"id\": \"X\", \"index\": 0, \"toolComponent\": {\"index\": 0}}}, {\"ruleId\": \"X\"}" \
	    "{\"id\": \"X\", \"defaultConfiguration\": {\"level\": \"note\"}}" \
	    "{\"name\": \"ext\", \"rules\": [{\"id\": \"X\", \"defaultConfiguration\": {\"level\": \"error\"}}]}" >e.sarif &&
	sg --json sarif e.sarif >doc.json &&
	test "$(jq -c .by_level doc.json)" = "{\"error\":1,\"none\":0,\"note\":1,\"warning\":0}"
'

test_expect_success 'results before the tool in a run still get the rule defaults' '
	printf "{\"runs\": [{\"results\": [{\"ruleIndex\": 0}], \"tool\": {\"driver\": {\"name\": \"t\", \"rules\": [{\"id\": \"R\", \"defaultConfiguration\": {\"level\": \"error\"}}]}}}], \"version\": \"2.1.0\"}" >o.sarif &&
	sg --json sarif o.sarif >doc.json &&
	test "$(jq .by_level.error doc.json)" = 1 && test "$(jq -r ".by_rule[0].rule" doc.json)" = R
'

test_expect_success 'kind other than fail is level none; suppressions' '
	sarif "{\"kind\": \"pass\", \"ruleId\": \"A\"}, {\"level\": \"error\", \"suppressions\": [{\"kind\": \"inSource\"}]}, {\"level\": \"error\", \"suppressions\": [{\"kind\": \"external\", \"status\": \"accepted\"}]}, {\"level\": \"error\", \"suppressions\": [{\"kind\": \"external\", \"status\": \"rejected\"}]}, {\"level\": \"error\", \"suppressions\": [{\"kind\": \"external\", \"status\": \"underReview\"}]}, {\"level\": \"error\", \"suppressions\": []}" \
	    "{\"id\": \"A\", \"defaultConfiguration\": {\"level\": \"error\"}}" >s.sarif &&
	sg --json sarif s.sarif >doc.json &&
	test "$(jq .suppressed doc.json)" = 2 && test "$(jq .results doc.json)" = 4 &&
	test "$(jq -c .by_level doc.json)" = "{\"error\":3,\"none\":1,\"note\":0,\"warning\":0}"
'

test_expect_success 'an empty log counts no result and passes compliance' '
	sarif "" >empty.sarif &&
	sg --mode compliance sarif empty.sarif >out &&
	expect_grep "^results: 0 " out
'

test_expect_success 'malformed JSON: exit 2 with file:line:col' '
	printf "{\"version\": \"2.1.0\",\n \"runs\": [\n  {\"results\": [1 2]}]}\n" >bad.sarif &&
	expect_exit 2 sg sarif bad.sarif 2>err &&
	expect_grep "^bad.sarif:3:[0-9]*: error: malformed SARIF" err &&
	printf "{\"version\": \"2.1.0\",\n \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\" \"rules\": []}}}]}\n" >bad2.sarif &&
	expect_exit 2 sg sarif bad2.sarif 2>err &&
	expect_grep "^bad2.sarif:2:[0-9]*: error: malformed SARIF" err &&
	printf "{\"version\": \"2.1.0\", \"runs\": [], \"x\": [tru]}" >bad3.sarif &&
	expect_exit 2 sg sarif bad3.sarif 2>err &&
	expect_grep "^bad3.sarif:1:[0-9]*: error: malformed SARIF: unexpected character" err &&
	printf "{\"version\": \"2.1.0\", \"runs\": []} {}" >bad4.sarif &&
	expect_exit 2 sg sarif bad4.sarif 2>err && expect_grep "trailing data" err &&
	printf "{\"version\": \"2.1.0\", \"runs\": [{\"results\": [" >trunc.sarif &&
	expect_exit 2 sg sarif trunc.sarif 2>err && expect_grep "end of file" err &&
	printf "{\"version\": \"2.0.0\", \"runs\": []}" >v.sarif &&
	expect_exit 2 sg sarif v.sarif 2>err && expect_grep "version is not \"2.1.0\"" err &&
	sarif "{\"level\": \"fatal\"}" >lv.sarif &&
	expect_exit 2 sg sarif lv.sarif 2>err && expect_grep "level that is not" err &&
	expect_exit 2 sg sarif --fail-on none lv.sarif 2>err &&
	expect_exit 2 sg sarif nosuch.sarif 2>err && expect_grep "does not exist" err
'

test_expect_success 'deep nesting is refused, not recursed into' '
	{ printf "{\"version\": \"2.1.0\", \"runs\": [], \"x\": "; head -c 100000 /dev/zero | tr "\0" "["; } >deep.sarif &&
	expect_exit 2 sg sarif deep.sarif 2>err && expect_grep "nested more than 256 deep" err &&
	{ printf "{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"x\": "; head -c 100000 /dev/zero | tr "\0" "["; } >deep2.sarif &&
	expect_exit 2 sg sarif deep2.sarif 2>err && expect_grep "nested more than 256 deep" err
'

test_expect_success 'a 70 MB message is skimmed in bounded memory; a member read over 64 MiB is refused' '
	{ printf "{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"message\": {\"text\": \""; head -c 70000000 /dev/zero | tr "\0" a; printf "\"}}]}]}"; } >msg.sarif &&
	printf "{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"message\": {\"text\": \"a\"}}]}]}" >tiny.sarif &&
	asan_small /usr/bin/time -v "$SPECGATE" sarif tiny.sarif >out 2>err &&
	base=$(sed -n "s/.*Maximum resident set size (kbytes): //p" err) &&
	asan_small /usr/bin/time -v "$SPECGATE" sarif msg.sarif >out 2>err &&
	expect_grep "^results: 1 " out &&
	rss=$(sed -n "s/.*Maximum resident set size (kbytes): //p" err) &&
	echo "peak RSS: $base KB for a tiny log, $rss KB for the 70 MB message" &&
	test $((rss - base)) -lt 16384 &&
	{ printf "{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \""; head -c 70000000 /dev/zero | tr "\0" a; printf "\"}}}]}]}]}"; } >huge.sarif &&
	asan_small /usr/bin/time -v "$SPECGATE" sarif huge.sarif 2>err >/dev/null; test $? = 2 &&
	expect_grep "^huge.sarif:1:[0-9]*: error: a SARIF result or tool over 67108864 bytes" err &&
	rss=$(sed -n "s/.*Maximum resident set size (kbytes): //p" err) &&
	test "$rss" -lt 200000
'

test_expect_success 'a large log (50 MB, 100,000 results) is read in bounded memory' '
	python3 - <<-PY &&
	import json
	rules = [{"id": "r%d" % i, "defaultConfiguration": {"level": ["error", "warning", "note"][i % 3]}} for i in range(30)]
	with open("big.sarif", "w") as f:
	    f.write("{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"gen\", \"rules\": %s}}, \"results\": [" % json.dumps(rules))
	    for n in range(100000):
	        r = {"ruleId": "r%d" % (n % 30), "ruleIndex": n % 30, "message": {"text": "x" * 300},
	             "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/f%d.c" % (n % 500)}}}]}
	        f.write(("," if n else "") + json.dumps(r))
	    f.write("]}]}")
	PY
	asan_small /usr/bin/time -v "$SPECGATE" --json sarif big.sarif >doc.json 2>time.txt &&
	test "$(jq .results doc.json)" = 100000 &&
	test "$(jq -c .by_level doc.json)" = "$(jq -c "[.runs[].results[] | .ruleIndex % 3] | {error: map(select(. == 0)) | length, none: 0, note: map(select(. == 2)) | length, warning: map(select(. == 1)) | length}" big.sarif)" &&
	test "$(jq ".by_file | length" doc.json)" = 500 &&
	rss=$(sed -n "s/.*Maximum resident set size (kbytes): //p" time.txt) &&
	echo "peak RSS ${rss} kB for $(stat -c %s big.sarif) bytes of SARIF" &&
	test "$rss" -lt 65536
'

test_done
