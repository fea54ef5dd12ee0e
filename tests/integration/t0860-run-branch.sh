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

test_expect_success 'sandbox: branch: {enabled: false} creates no branch and commits nothing' '
	repo && printf "branch: {enabled: false}\n" >>specgate.yaml &&
	git add -A && git commit -qm "no branches" &&
	sg run >out 2>&1 &&
	test -z "$(git for-each-ref refs/heads/auto/)" &&
	test "$(git for-each-ref --format="%(refname)" refs/heads/)" = refs/heads/main &&
	test -f src/gen.c &&
	expect_grep "preflight: success (1 file, 1 scenario: 0 errors, 0 warnings; branch disabled)" out &&
	expect_grep "^branch: disabled (branch.enabled: false, specgate.yaml:" reports/$ID/latest/logs/preflight.log &&
	jq -e ".committed == false and .commit == null" reports/$ID/latest/generated-files.json >/dev/null ||
	{ cat reports/$ID/latest/generated-files.json; false; }
'

test_expect_success 'compliance refuses branch: {enabled: false} (exit 2), nothing run' '
	mkdir -p features && cp "$DATA/seed/ping.feature" features/ &&
	printf "project: demo\nmode: compliance\nbranch: {enabled: false}\n" >specgate.yaml &&
	compliance_profile && expect_exit 2 sg run >out 2>&1 &&
	expect_grep "branch.enabled: false (specgate.yaml:3:[0-9]*) is for sandbox runs" out &&
	test ! -d reports
'

test_expect_success 'branch.enabled takes true or false' '
	mkdir -p features && cp "$DATA/seed/ping.feature" features/ &&
	printf "branch: {enabled: no}\n" >specgate.yaml &&
	expect_exit 2 sg run >out 2>&1 &&
	expect_grep "specgate.yaml:1:19: error: .branch.enabled. must be true or false (unquoted), not .no." out
'

test_expect_success 'checkpoints name generated-files.json and deploy.json, with their digests' '
	repo && cat >>specgate.yaml <<-\EOF &&
	  deploy: {run: ["true"]}
	EOF
	sg run -q && R=reports/$ID/latest &&
	run=$(jq -r .run_id $R/manifest.json) &&
	cut -d"|" -f4- $R/checkpoints.log | sed "s/^ //" >got &&
	printf "%s\n" "preflight | success | spec-validation-report.json" \
	    "validate | skipped | -" "generate | success | generated-files.json" \
	    "build | skipped | -" "deploy | success | deploy.json" \
	    "audit | success | manifest.json" >want &&
	cmp want got &&
	sg audit log --run "$run" | cmp - $R/checkpoints.log &&
	test "$(sg --json audit log --run "$run" --stage generate | jq -r ".[0].output_sha256")" = \
	    "$(sha256sum <$R/generated-files.json | cut -d" " -f1)" &&
	test "$(sg --json audit log --run "$run" --stage deploy | jq -r ".[0].output_sha256")" = \
	    "$(sha256sum <$R/deploy.json | cut -d" " -f1)" &&
	test "$(jq -r ".stages[] | select(.stage == \"generate\") | .output" $R/manifest.json)" = generated-files.json
'

test_expect_success 'a failed generate (no generated-files.json) names its log' '
	repo && sed -i "s/run: \[\"mkdir/run: [\"false\", \"mkdir/" specgate.yaml &&
	expect_exit 1 sg run -q && R=reports/$ID/latest &&
	test ! -e $R/generated-files.json &&
	expect_grep "| generate | failure | logs/generate.log$" $R/checkpoints.log
'

test_expect_success 'a failed deploy names deploy.json' '
	repo && cat >>specgate.yaml <<-\EOF &&
	  deploy: {run: ["false"]}
	EOF
	expect_exit 1 sg run -q && R=reports/$ID/latest &&
	expect_grep "| deploy | failure | deploy.json$" $R/checkpoints.log &&
	jq -e ".commands[0].exit_code == 1" $R/deploy.json
'

# fixrepo MODE [TEST]: validate's lint (marked fixable) fails on trailing
# blanks, fix-whitespace fixes them; TEST (default true) runs after it
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
	    run: ["! grep -n \" \$\" src/a.c", "${2:-true}"]
	    fix: ["$SPECGATE fix-whitespace"]
	    fixable: ["! grep -n \" \$\" src/a.c"]
	EOF
	git init -q && git add -A && git commit -qm initial &&
	ID=$(sg id) && B=auto/spec-implementation/$ID
}

test_expect_success 'sandbox auto-fix: fix-whitespace, the auto-fix commit, then the commands pass (the gates warn: no coverage, tests or SAST here)' '
	fixrepo sandbox && sg run >out 2>&1 &&
	expect_grep "^validate: retry (attempt 1 of 1 failed: .*; auto-fix (.! grep -n \" \$\" src/a.c. is fixable): 1 command, auto-fix commit" out &&
	expect_grep "^validate: warning (2 commands, 0 artifacts, attempt 2 of 2; gates:" out &&
	test "$(git log -1 --format=%s "$B")" = "auto-fix: minor issues" &&
	git log -1 --format="%(trailers:key=Specgate-Stage,valueonly)" "$B" | grep -qx validate &&
	git show "$B:src/a.c" | grep -qx "int y;" &&
	git show main:src/a.c | grep -qx "int y;   " &&
	l=reports/$ID/latest/logs/validate.log &&
	expect_grep "^== validate: auto-fix ==$" $l &&
	expect_grep "^-- .! grep -n \" \$\" src/a.c. is marked fixable$" $l &&
	expect_grep "fix-whitespace$" $l &&
	expect_grep "^-- auto-fix: retrying now$" $l
'

test_expect_success 'sandbox: a failing test command is not fixable: no fix, no commit, the run fails' '
	printf "int y;\n" >../clean.c && fixrepo sandbox "false" && cp ../clean.c src/a.c &&
	git commit -qam clean &&
	expect_exit 1 sg run >out 2>&1 &&
	expect_grep "^validate: failure (attempt 1 of 1 failed: .false.: exit 1; auto-fix: not run (.false. is not marked fixable))" out &&
	l=reports/$ID/latest/logs/validate.log &&
	expect_grep "^-- auto-fix: not run (.false. is not marked fixable)$" $l &&
	! grep -q "== validate: auto-fix ==" $l && ! grep -q fix-whitespace $l &&
	test -z "$(git log --format=%s "$B" | grep auto-fix)" &&
	expect_grep "| validate | failure | logs/validate.log$" reports/$ID/latest/checkpoints.log
'

test_expect_success 'sandbox with retries: the retry checkpoint says why the fix did not run' '
	printf "int y;\n" >../clean.c && fixrepo sandbox "false" && cp ../clean.c src/a.c &&
	sed -i "s/retries: 0/retries: 1/" specgate.yaml && git commit -qam clean &&
	expect_exit 1 sg run >out 2>&1 &&
	expect_grep "^validate: retry (attempt 1 of 2 failed: .false.: exit 1; auto-fix: not run (.false. is not marked fixable); next in 0s)" out &&
	expect_grep "^validate: failure (attempt 2 of 2 failed: .false.: exit 1)$" out
'

test_expect_success 'fixable must name a command of run; fix without fixable warns' '
	mkdir -p features && cp "$DATA/seed/ping.feature" features/ &&
	cat >specgate.yaml <<-\EOF &&
	stages:
	  validate:
	    run: ["make lint", "make test"]
	    fix: ["make fix"]
	    fixable: ["make lint", "make lnt"]
	EOF
	expect_exit 2 sg config >out 2>err &&
	expect_grep "specgate.yaml:5:28: error: .stages.validate.fixable.: .make lnt. is not one of the commands of .stages.validate.run." err &&
	sed -i "/fixable/d" specgate.yaml &&
	sg config >out 2>err &&
	expect_grep "warning: .stages.validate.fix. is set but no command is marked in .stages.validate.fixable.: the fix commands never run" err
'

test_expect_success 'compliance: no auto-fix, the stage fails (exit 1)' '
	fixrepo compliance && sed -i "/^stages:/,\$d" specgate.yaml &&
	printf "! grep -n \" \$\" src/a.c\n" >check.sh &&
	PROFILE_VALIDATE="{run: [\"sh check.sh\"], fix: [\"$SPECGATE fix-whitespace\"]}" \
	    compliance_profile &&
	expect_exit 1 sg run >out 2>&1 &&
	expect_grep "^validate: failure (.*auto-fix: not run (compliance mode))$" out &&
	! grep -q "== validate: auto-fix ==" reports/$ID/latest/logs/validate.log &&
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

# Without a .gitignore the reports directory and the store are untracked
# directories of the work tree: generate must neither commit them nor walk
# them (they grow with every run; walking them made a run's cost grow with
# the project's history).
test_expect_success 'no .gitignore: reports/ and .specgate/ stay out of the commit, tracked or not' '
	repo && git rm -q --cached .gitignore && rm .gitignore &&
	mkdir -p reports && echo old >reports/tracked.txt &&
	git add reports/tracked.txt && git commit -qm "a tracked report" &&
	echo new >reports/tracked.txt &&
	sg run -q && g=reports/$ID/latest/generated-files.json &&
	jq -r ".files[].path" $g >got && printf "src/gen.c\nsrc/run.sh\n" >want && cmp want got &&
	git ls-tree -r --name-only "$B" >tree &&
	test "$(grep -e ^reports/ -e ^.specgate/ tree)" = reports/tracked.txt &&
	test "$(git show "$B:reports/tracked.txt")" = old
'

test_expect_success 'no .gitignore: a run does not look at the earlier runs (system calls do not grow with history)' '
	repo && rm .gitignore && git add -A && git commit -qm "no ignore" &&
	sg run -q && sg run -q &&
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=readlink,newfstatat,getdents64,openat -o ../few "$SPECGATE" run -q &&
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do
		sg run -q || exit 1
	done &&
	test "$(find reports -name manifest.json | wc -l)" = 28 &&
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=readlink,newfstatat,getdents64,openat -o ../many "$SPECGATE" run -q &&
	a=$(wc -l <../few) && b=$(wc -l <../many) &&
	echo "system calls after 2 runs: $a, after 27: $b" &&
	test "$b" -lt $((a + 100)) &&
	sg audit verify
'

test_done
