#!/usr/bin/env bash
# t0860-run-branch: `specgate run` claims the feature branch in preflight,
# commits what the generate stage produced there, and in sandbox auto-fixes
# a failing validate stage with its fix commands (`specgate
# fix-whitespace`).  Everything is read back with git (log, show,
# for-each-ref, status), jq and sha256sum, in scratch repositories.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bundle.sh"
. "$(dirname "$0")/intoto.sh"

export GIT_CONFIG_NOSYSTEM=1 HOME=$TRASH
git config --global init.defaultBranch main
git config --global user.name "Test User"
git config --global user.email test@example.com
export GIT_CEILING_DIRECTORIES=$TRASH

# repo [MODE]: a git repository with a spec and a generate stage
repo() {
	mkdir -p features && cp "$DATA/seed/ping.feature" features/ &&
	printf "reports/\n.specgate/\n" >.gitignore &&
	cat >specgate.yaml <<-EOF &&
	project: demo
	mode: ${1:-sandbox}
	retry: {retries: 0, interval: 0s}
	stages:
	  generate:
	    run: ["mkdir -p src && printf \"int x;\\\\n\" >src/gen.c && printf \"#!/bin/sh\\\\n\" >src/run.sh && chmod +x src/run.sh"]
	EOF
	git init -q && git add -A && git commit -qm initial &&
	ID=$(sg id) && B=auto/spec-implementation/$ID
}

test_expect_success 'generate commits on the feature branch; checkout untouched' '
	repo && git status --porcelain -uno >../before && cp .git/index ../index.before &&
	sg run -q &&
	test "$(git log -1 --format=%s "$B")" = "feat(auto): implement spec $ID" &&
	git log -1 --format="%(trailers:key=Specgate-Feature-Id,valueonly)" "$B" | grep -qx "$ID" &&
	git log -1 --format="%(trailers:key=Specgate-Stage,valueonly)" "$B" | grep -qx generate &&
	run=$(jq -r .run_id reports/$ID/latest/manifest.json) &&
	git log -1 --format="%(trailers:key=Specgate-Run-Id,valueonly)" "$B" | grep -qx "$run" &&
	git show "$B:src/gen.c" | cmp - src/gen.c &&
	git ls-tree "$B" src/run.sh | grep -q "^100755 blob" &&
	test "$(git rev-parse "$B^")" = "$(git rev-parse main)" &&
	test "$(git symbolic-ref HEAD)" = refs/heads/main &&
	git status --porcelain -uno >../after && cmp ../before ../after &&
	cmp .git/index ../index.before &&
	test -z "$(git for-each-ref refs/specgate/)" &&
	test -z "$(git ls-tree -r --name-only "$B" | grep -e ^reports/ -e ^.specgate/)"
'

test_expect_success 'generated-files.json: files, digests, branch, commit' '
	repo && sg run -q && g=reports/$ID/latest/generated-files.json &&
	jq -e ".schema == \"specgate/generated-files/v1\" and .mode == \"sandbox\" and .committed" $g &&
	test "$(jq -r .branch $g)" = "$B" &&
	test "$(jq -r .commit $g)" = "$(git rev-parse "$B")" &&
	test "$(jq -r .feature_id $g)" = "$ID" &&
	jq -r ".files[].path" $g >got && printf "src/gen.c\nsrc/run.sh\n" >want && cmp want got &&
	jq -r ".files[] | \"\(.sha256)  \(.path)\"" $g | sha256sum -c -
'

test_expect_success 'a second run reuses the branch; nothing new to commit' '
	repo && sg run -q && tip=$(git rev-parse "$B") && sg run -q &&
	test "$(git rev-parse "$B")" = "$tip" &&
	expect_grep "^branch: status reused" reports/$ID/latest/logs/preflight.log &&
	jq -e ".committed == false" reports/$ID/latest/generated-files.json
'

test_expect_success 'sandbox: a foreign commit on the branch gives -v2' '
	repo && git branch "$B" && git checkout -q "$B" &&
	echo x >x && git add x && git commit -qm "by hand" && git checkout -q main &&
	sg run >out 2>&1 &&
	expect_grep "branch created $B-v2 (variant 2)" out &&
	test "$(git log -1 --format=%s "$B-v2")" = "feat(auto): implement spec $ID" &&
	test "$(git log -1 --format=%s "$B")" = "by hand"
'

test_expect_success 'compliance: a taken branch blocks the run (exit 1), nothing committed' '
	repo compliance && gen=$(grep "^  generate:" specgate.yaml) &&
	sed -i "/^stages:/,\$d" specgate.yaml &&
	PROFILE_STAGES="$gen" compliance_profile &&
	git branch "$B" && git checkout -q "$B" &&
	echo x >x && git add x && git commit -qm "by hand" && git checkout -q main &&
	before=$(git rev-parse "$B") &&
	expect_exit 1 sg run >out 2>&1 &&
	expect_grep "preflight: failure" out &&
	test "$(git rev-parse "$B")" = "$before" &&
	test -z "$(git for-each-ref "refs/heads/$B-v2")" &&
	test ! -e src/gen.c &&
	expect_grep "^branch: error: " reports/$ID/latest/logs/preflight.log
'

test_expect_success 'compliance outside any repository: exit 1' '
	mkdir -p features && cp "$DATA/seed/ping.feature" features/ &&
	printf "project: demo\nmode: compliance\n" >specgate.yaml &&
	compliance_profile && expect_exit 1 sg run >out 2>&1 &&
	expect_grep "no-repository" out
'

test_expect_success 'sandbox outside any repository: a warning, the run succeeds' '
	mkdir -p features && cp "$DATA/seed/ping.feature" features/ &&
	printf "project: demo\n" >specgate.yaml && sg run >out 2>&1 &&
	expect_grep "branch no-repository" out
'

# fixrepo MODE: validate fails on trailing blanks; fix-whitespace fixes
fixrepo() {
	mkdir -p features src && cp "$DATA/seed/ping.feature" features/ &&
	printf "reports/\n.specgate/\n" >.gitignore &&
	printf "int y;   \n" >src/a.c &&
	cat >specgate.yaml <<-EOF &&
	project: demo
	mode: $1
	retry: {retries: 0, interval: 0s}
	stages:
	  validate:
	    run: ["! grep -n \" \$\" src/a.c"]
	    fix: ["$SPECGATE fix-whitespace"]
	EOF
	git init -q && git add -A && git commit -qm initial &&
	ID=$(sg id) && B=auto/spec-implementation/$ID
}

test_expect_success 'sandbox auto-fix: fix-whitespace, the auto-fix commit, then the commands pass (the gates warn: no coverage, tests or SAST here)' '
	fixrepo sandbox && sg run >out 2>&1 &&
	expect_grep "^validate: retry (.*auto-fix: 1 command, auto-fix commit" out &&
	expect_grep "^validate: warning (1 command, 0 artifacts, attempt 2 of 2; gates:" out &&
	test "$(git log -1 --format=%s "$B")" = "auto-fix: minor issues" &&
	git log -1 --format="%(trailers:key=Specgate-Stage,valueonly)" "$B" | grep -qx validate &&
	git show "$B:src/a.c" | grep -qx "int y;" &&
	git show main:src/a.c | grep -qx "int y;   " &&
	l=reports/$ID/latest/logs/validate.log &&
	expect_grep "^== validate: auto-fix ==$" $l &&
	expect_grep "fix-whitespace$" $l
'

test_expect_success 'compliance: no auto-fix, the stage fails (exit 1)' '
	fixrepo compliance && sed -i "/^stages:/,\$d" specgate.yaml &&
	printf "! grep -n \" \$\" src/a.c\n" >check.sh &&
	PROFILE_VALIDATE="{run: [\"sh check.sh\"], fix: [\"$SPECGATE fix-whitespace\"]}" \
	    compliance_profile &&
	expect_exit 1 sg run >out 2>&1 &&
	! grep -q "auto-fix" out &&
	expect_grep "^validate: failure" out &&
	test "$(git rev-parse "$B")" = "$(git rev-parse main)" &&
	grep -qx "int y;   " src/a.c
'

test_expect_success 'a signed run with generated-files.json and deploy.json passes in-toto-verify' '
	signed_project sandbox && printf "reports/\n.specgate/\n" >.gitignore &&
	cat >>specgate.yaml <<-\EOF &&
	stages:
	  generate: {run: ["echo gen >gen.txt"]}
	  deploy: {run: ["true"]}
	EOF
	git init -q && git add -A && git commit -qm initial &&
	sg run -q && B=$(latest) &&
	test -f $B/generated-files.json && test -f $B/deploy.json &&
	sg layout -q --out root.layout && sskey .specgate/keys/specgate.pub >key.json &&
	intoto_verify "$B" root.layout "$PWD/key.json" ecdsa >out 2>&1 || { cat out; false; }
'

test_done
