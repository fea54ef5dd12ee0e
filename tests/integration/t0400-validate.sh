#!/usr/bin/env bash
# t0400-validate: `specgate validate` on the seed fixtures of the system we
# replace (tests/data/seed/README.md lists the expected results), the policy
# rules, the report, and bad input.
. "$(dirname "$0")/lib.sh"
SEED=$DATA/seed

# one_file FILE: a project holding just that feature file
one_file() {
	mkdir -p features && cp "$SEED/$1" features/
}

test_expect_success 'ping.feature is valid in both modes' '
	one_file ping.feature &&
	sg validate >out && expect_grep "0 errors, 0 warnings" out &&
	sg --mode compliance validate >out && expect_grep "0 errors, 0 warnings" out
'

test_expect_success 'broken_ping.feature (two leading blank lines) is valid' '
	one_file broken_ping.feature &&
	sg validate >out && expect_grep "0 errors, 0 warnings" out &&
	sg --mode compliance validate >out && expect_grep "0 errors, 0 warnings" out
'

test_expect_success 'missing_then.feature: 2 warnings in sandbox, exit 0' '
	one_file missing_then.feature &&
	sg validate >out &&
	expect_grep "features/missing_then.feature:2:3: warning: .*\[SG101 missing-resource-tag\]" out &&
	expect_grep "features/missing_then.feature:2:3: warning: .*no Then step.*\[SG123 missing-then\]" out &&
	test "$(grep -c ": warning: " out)" = 2 &&
	expect_grep "0 errors, 2 warnings" out
'

test_expect_success 'missing_then.feature: errors in compliance, exit 1' '
	one_file missing_then.feature &&
	expect_exit 1 sg --mode compliance validate >out &&
	test "$(grep -c ": error: " out)" = 2 &&
	expect_grep "2 errors, 0 warnings" out
'

test_expect_success 'three_features.feature: a parse error, skipped in sandbox' '
	one_file three_features.feature &&
	sg validate >out &&
	expect_grep "three_features.feature:10:1: warning: .*(file skipped) \[SG001 parse-error\]" out &&
	expect_grep "some files skipped" out
'

test_expect_success 'three_features.feature: a parse error fails compliance' '
	one_file three_features.feature &&
	expect_exit 1 sg --mode compliance validate >out &&
	expect_grep "three_features.feature:10:1: error: .*\[SG001 parse-error\]" out
'

test_expect_success 'untagged_ping.feature: 1 warning, 1 error in compliance' '
	one_file untagged_ping.feature &&
	sg validate >out && expect_grep "0 errors, 1 warning" out &&
	expect_grep "SG101 missing-resource-tag" out &&
	expect_exit 1 sg --mode compliance validate >out &&
	expect_grep "1 error, 0 warnings" out
'

test_expect_success 'SPECGATE_MODE selects compliance' '
	one_file untagged_ping.feature &&
	SPECGATE_MODE=compliance expect_exit 1 sg validate >out
'

write() {	# write FILE: stdin into features/FILE
	mkdir -p features && cat >"features/$1"
}

test_expect_success 'nearest tag wins: Examples over Scenario over Rule over Feature' '
	write n.feature <<-\EOF &&
	@resource:cpu=9,memory=128,storage=10,story_points=1
	Feature: f
	  @resource:cpu=8,memory=128,storage=10,story_points=1
	  Rule: r
	    @resource:cpu=7,memory=128,storage=10,story_points=1
	    Scenario Outline: o
	      Given a <x>
	      When b
	      Then c
	      @resource:cpu=0.2,memory=128,storage=10,story_points=1
	      Examples:
	        | x |
	        | 1 |
	      Examples:
	        | x |
	        | 2 |
	EOF
	sg --json validate >r.json &&
	test "$(jq -r ".files[0].scenarios[0].resources.level" r.json)" = examples &&
	test "$(jq -r ".files[0].scenarios[0].resources.cpu" r.json)" = 0.2 &&
	test "$(jq -r ".files[0].scenarios[1].resources.level" r.json)" = scenario &&
	test "$(jq -r ".files[0].scenarios[1].rules[\"resource-ranges\"]" r.json)" = fail &&
	sg validate >out &&
	expect_grep "n.feature:5:5: warning: cpu=7 is outside the sandbox range \[0.1, 0.5\]" out &&
	test "$(grep -c SG111 out)" = 1
'

test_expect_success 'the same tag is in range in compliance' '
	write c.feature <<-\EOF &&
	@resource:cpu=8,memory=4Gi,storage=10,story_points=1
	Feature: f
	  Scenario: s
	    Given a
	    When b
	    Then c
	EOF
	sg validate >out && expect_grep "SG111" out && expect_grep "SG112" out &&
	sg --mode compliance validate >out && expect_grep "0 errors" out
'

test_expect_success 'And, But and * take the kind before; Background counts' '
	write k.feature <<-\EOF &&
	@resource:cpu=0.1,memory=128,storage=10,story_points=1
	Feature: f
	  Background:
	    Given a
	  Scenario: s1
	    When b
	    * c
	    Then d
	    But e
	  Scenario: s2
	    * x
	    And y
	EOF
	sg validate >out &&
	expect_grep "k.feature:10:3: warning: .*no When step" out &&
	expect_grep "k.feature:10:3: warning: .*no Then step" out &&
	test "$(grep -c warning: out)" = 2
'

test_expect_success 'story_points=1.5 is refused with what to write instead' '
	write p.feature <<-\EOF &&
	Feature: f
	  @resource:cpu=0.1,memory=128,storage=10,story_points=1.5
	  Scenario: s
	    Given a
	    When b
	    Then c
	EOF
	sg validate >out &&
	expect_grep "^features/p.feature:2:3: warning: invalid resource tag: story_points=.1.5. is not valid; write a whole number (3) \[SG102 invalid-resource-tag\]" out
'

test_expect_success 'two resource tags on one level are a finding' '
	write d.feature <<-\EOF &&
	Feature: f
	  @resource:cpu=0.1,memory=128,storage=10,story_points=1 @resource:cpu=0.2,memory=128,storage=10,story_points=1
	  Scenario: s
	    Given a
	    When b
	    Then c
	EOF
	sg validate >out && expect_grep "d.feature:2:58: .*SG103 duplicate-resource-tag" out
'

test_expect_success '--report writes the report; --json prints it' '
	one_file ping.feature && one_file missing_then.feature &&
	sg validate --report rep.json >out &&
	jq -e ".schema == \"specgate/spec-validation-report/v1\"" rep.json &&
	jq -e ".mode == \"sandbox\" and .run_id == null" rep.json &&
	jq -e ".feature_id | test(\"^[0-9a-f]{12}$\")" rep.json &&
	jq -e ".timestamp | test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$\")" rep.json &&
	jq -e ".summary.files == 2 and .summary.scenarios == 2 and .summary.warnings == 2" rep.json &&
	jq -e ".policy.ranges.cpu == [0.1, 0.5]" rep.json &&
	jq -e "[.files[].sha256] | all(test(\"^[0-9a-f]{64}$\"))" rep.json &&
	test "$(jq -r ".files[0].sha256" rep.json)" = "$(sha256sum features/missing_then.feature | cut -c1-64)" &&
	test "$(jq -r .feature_id rep.json)" = "$(sg id)" &&
	sg --json validate >j.json && jq -e ".findings | length == 2" j.json
'

test_expect_success 'the report is reproducible with SOURCE_DATE_EPOCH' '
	one_file ping.feature &&
	SOURCE_DATE_EPOCH=1700000000 sg --json validate >a &&
	SOURCE_DATE_EPOCH=1700000000 sg --json validate >b &&
	cmp a b && jq -e ".timestamp == \"2023-11-14T22:13:20Z\"" a
'

test_expect_success 'a binary file is bad input: exit 2 with file:line:col' '
	mkdir features && printf "Feature: x\n\0\001\002" >features/bin.feature &&
	expect_exit 2 sg validate 2>err &&
	expect_grep "features/bin.feature:2:1: error: binary data" err
'

test_expect_success 'invalid UTF-8 is bad input: exit 2 with file:line:col' '
	mkdir features && printf "Feature: x\n  Scenario: caf\351\n" >features/u.feature &&
	expect_exit 2 sg validate 2>err &&
	expect_grep "features/u.feature:2:" err
'

test_expect_success 'a 50 MB single line is refused (exit 2), not slurped' '
	mkdir features && head -c 50000000 /dev/zero | tr "\0" a >features/long.feature &&
	expect_exit 2 sg validate 2>err &&
	expect_grep "long.feature:1:1: error: line is longer than" err
'

test_expect_success '100,000 scenarios in one file are checked' '
	mkdir features &&
	awk "BEGIN { print \"@resource:cpu=0.1,memory=128,storage=10,story_points=1\"; print \"Feature: big\";
		for (i = 0; i < 100000; i++) printf \"  Scenario: s%d\n    Given a\n    When b\n    Then c\n\", i }" >features/big.feature &&
	sg validate >out && expect_grep "100000 scenarios: 0 errors, 0 warnings" out
'

test_expect_success 'an empty features directory: exit 2, clear message' '
	mkdir features && expect_exit 2 sg validate 2>err &&
	expect_grep "no .feature files" err
'

test_expect_success 'a missing path: exit 2' '
	expect_exit 2 sg validate nowhere 2>err && expect_grep "nowhere" err
'

test_done
