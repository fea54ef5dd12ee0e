#!/usr/bin/env bash
# t0800-branch: `specgate branch` claims auto/spec-implementation/<id> in
# real git repositories, and every result is read back with the git
# command line (for-each-ref, log, show, status, cat-file), never with
# specgate: a fresh claim, reuse, foreign commits -> -v2 ... -v5 then the
# finding, compliance blocked, claims held by another run (and taken over
# from a finished one), detached HEAD, an empty repository, no repository,
# commits that leave the working tree and index alone, SOURCE_DATE_EPOCH.
. "$(dirname "$0")/lib.sh"

export GIT_CONFIG_NOSYSTEM=1 HOME=$TRASH
git config --global init.defaultBranch main
git config --global user.name "Test User"
git config --global user.email test@example.com
export GIT_CEILING_DIRECTORIES=$TRASH

# project DIR: a git repository with a spec, one commit on main
project() {
	mkdir -p "$1/features" && cd "$1" &&
	cp "$DATA/seed/ping.feature" features/ &&
	printf 'project: demo\n' >specgate.yaml &&
	git init -q && git add -A && git commit -qm "initial" &&
	ID=$(sg id) && B=auto/spec-implementation/$ID
}

test_cmp_ok() { cmp -s "$1" "$2" || { diff -u "$1" "$2" >&2; return 1; }; }

# foreign BRANCH: a commit on BRANCH without the trailer, by plain git
foreign() {
	git commit-tree -p "$1" -m "hand-made" "$1^{tree}" >c &&
	git update-ref "refs/heads/$1" "$(cat c)"
}

# hold BRANCH RUN: a claim ref naming RUN, made with git
hold() {
	git update-ref "refs/specgate/claims/$1" \
	    "$(printf 'run %s\n' "$2" | git hash-object -w --stdin)"
}

test_expect_success 'a fresh claim creates the branch at HEAD, nothing else' '
	project p && git status --porcelain >../before &&
	sg branch >../out && expect_grep "^status: created" ../out &&
	expect_grep "^branch: $B$" ../out &&
	test "$(git rev-parse "refs/heads/$B")" = "$(git rev-parse HEAD)" &&
	test "$(git symbolic-ref HEAD)" = refs/heads/main &&
	git status --porcelain >../after && test_cmp_ok ../before ../after &&
	test -z "$(git for-each-ref refs/specgate/)"
'

test_expect_success 'a second claim reuses the branch (JSON checked with jq)' '
	project p && sg branch >/dev/null &&
	sg branch --json >j && jq -e ".status == \"reused\" and .variant == 1 and .finding == false" j &&
	test "$(jq -r .branch j)" = "$B" &&
	test "$(jq -r .tip j)" = "$(git rev-parse "$B")"
'

test_expect_success 'a generate commit: message, trailers, tree; checkout untouched' '
	project p && sg branch --run 20250101000000 >/dev/null &&
	mkdir -p src && printf "int main(void) { return 0; }\n" >src/gen.c &&
	printf "#!/bin/sh\n" >run.sh && chmod +x run.sh &&
	git status --porcelain >../before && cp .git/index ../index.before &&
	sg branch --run 20250101000000 --commit generate src/gen.c run.sh >../out &&
	test "$(git log -1 --format=%s "$B")" = "feat(auto): implement spec $ID" &&
	git log -1 --format="%(trailers:key=Specgate-Feature-Id,valueonly)" "$B" | grep -qx "$ID" &&
	git log -1 --format="%(trailers:key=Specgate-Run-Id,valueonly)" "$B" | grep -qx 20250101000000 &&
	git log -1 --format="%an <%ae>" "$B" | grep -qx "Test User <test@example.com>" &&
	git show "$B:src/gen.c" | cmp - src/gen.c &&
	git ls-tree "$B" run.sh | grep -q "^100755 blob" &&
	test "$(git rev-parse "$B^")" = "$(git rev-parse main)" &&
	git status --porcelain >../after && test_cmp_ok ../before ../after &&
	cmp .git/index ../index.before &&
	test "$(git symbolic-ref HEAD)" = refs/heads/main &&
	git fsck --strict 2>&1 | { ! grep -v "^Checking\|dangling"; }
'

test_expect_success 'the branch stays ours after its commits; an unchanged tree commits nothing' '
	project p && echo a >a && sg branch --commit generate a >/dev/null &&
	sg branch --json --commit generate a >j &&
	jq -e ".status == \"reused\" and .committed == false" j &&
	test "$(git rev-list --count "$B")" = 2
'

test_expect_success 'an auto-fix commit, and a removed file leaves the tree' '
	project p && echo a >a && echo b >b &&
	sg branch --commit generate a b >/dev/null && rm b &&
	echo a2 >a && sg branch --commit auto-fix a b >/dev/null &&
	test "$(git log -1 --format=%s "$B")" = "auto-fix: minor issues" &&
	git log -1 --format="%(trailers:key=Specgate-Stage,valueonly)" "$B" | grep -qx validate &&
	git ls-tree --name-only "$B" >names && ! grep -qx b names &&
	test "$(git show "$B:a")" = a2
'

test_expect_success 'auto-fix end to end: fix-whitespace, then commit what differs' '
	project p && printf "int x;  \n" >a.c && git add a.c && git commit -qm a &&
	sg run >/dev/null 2>&1 && test -d reports && test -d .specgate &&
	sg branch --run 20250101000000 >/dev/null &&
	git status --porcelain >../before &&
	sg fix-whitespace >fixed && grep -qx a.c fixed &&
	sg branch --run 20250101000000 --commit auto-fix --json >../j &&
	jq -e ".committed == true" ../j &&
	test "$(git log -1 --format=%s "$B")" = "auto-fix: minor issues" &&
	git diff --name-only "$B~1" "$B" >../changed &&
	printf "a.c\nfixed\n" | cmp - ../changed &&
	git show "$B:a.c" | cmp - a.c &&
	git ls-tree -r --name-only "$B" >../names &&
	! grep -q "^reports/\|^\.specgate/" ../names &&
	test "$(git log -1 --format=%s main)" = a &&
	git diff --quiet main -- . ":!a.c" ":!fixed" &&
	git show main:a.c | grep -q "int x;  $"
'

test_expect_success 'SOURCE_DATE_EPOCH makes the commit reproducible' '
	project p && echo x >x && git branch keep main &&
	SOURCE_DATE_EPOCH=1700000000 sg branch --commit generate x >/dev/null &&
	c1=$(git rev-parse "$B") &&
	test "$(git log -1 --format=%at "$B")" = 1700000000 &&
	git update-ref "refs/heads/$B" main &&
	SOURCE_DATE_EPOCH=1700000000 sg branch --commit generate x >/dev/null &&
	test "$(git rev-parse "$B")" = "$c1"
'

test_expect_success 'a foreign commit makes it taken: sandbox claims -v2' '
	project p && sg branch >/dev/null && foreign "$B" &&
	sg branch --json >j &&
	jq -e ".status == \"created\" and .variant == 2" j &&
	test "$(jq -r .branch j)" = "$B-v2" &&
	test "$(jq -r ".skipped[0].reason" j)" = foreign-commit &&
	test "$(jq -r ".skipped[0].commit" j)" = "$(git rev-parse "$B")" &&
	git rev-parse --verify -q "refs/heads/$B-v2" >/dev/null &&
	sg branch --json >j2 && jq -e ".status == \"reused\" and .variant == 2" j2
'

test_expect_success 'a branch made by hand at main is not foreign (shared history)' '
	project p && git branch "$B" main &&
	sg branch --json >j && jq -e ".status == \"reused\" and .variant == 1" j
'

test_expect_success 'a specgate commit for another feature id is foreign' '
	project p && sg branch >/dev/null &&
	git commit-tree -p "$B" -m "x

Specgate-Feature-Id: 000000000000" "$B^{tree}" >c &&
	git update-ref "refs/heads/$B" "$(cat c)" &&
	sg branch --json >j && jq -e ".variant == 2" j
'

test_expect_success 'all of -v1 to -v5 taken: a finding, exit 1, nothing created' '
	project p && sg branch >/dev/null && foreign "$B" &&
	for v in 2 3 4 5; do git branch "$B-v$v" main && foreign "$B-v$v" || return 1; done &&
	git for-each-ref --format="%(refname) %(objectname)" >refs.before &&
	expect_exit 1 sg branch --json >j 2>err &&
	jq -e ".status == \"taken\" and .finding == true and .branch == null and (.skipped | length) == 5" j &&
	expect_grep "error: branch .* is taken" err &&
	git for-each-ref --format="%(refname) %(objectname)" >refs.after &&
	test_cmp_ok refs.before refs.after
'

test_expect_success 'compliance: a taken branch is blocked, no -v2' '
	project p && sg branch >/dev/null && foreign "$B" &&
	expect_exit 1 sg --mode compliance branch --json >j 2>err &&
	jq -e ".status == \"taken\" and (.skipped | length) == 1" j &&
	! git rev-parse --verify -q "refs/heads/$B-v2"
'

test_expect_success 'a run holds its claim; another run gets -v2; release frees it' '
	project p &&
	sg branch --run 20250101000000 >/dev/null &&
	git cat-file -p "refs/specgate/claims/$B" | grep -qx "run 20250101000000" &&
	git cat-file -t "refs/specgate/claims/$B" | grep -qx blob &&
	sg branch --run 20250101000000 --json >j &&
	jq -e ".status == \"reused\" and .variant == 1" j &&
	sg branch --run 20250202000000 --json >j2 &&
	jq -e ".variant == 2 and .skipped[0].reason == \"held-by-run\" and .skipped[0].held_by == \"20250101000000\"" j2 &&
	expect_exit 1 sg --mode compliance branch --run 20250303000000 >/dev/null 2>&1 &&
	sg branch --run 20250101000000 --release >/dev/null &&
	! git rev-parse --verify -q "refs/specgate/claims/$B" &&
	git rev-parse --verify -q "refs/heads/$B" >/dev/null
'

test_expect_success 'a claim by a run the store knows as finished is taken over' '
	project p && sg run >/dev/null 2>&1 &&
	run=$(sqlite3 .specgate/state.db "select run_id from runs limit 1") &&
	test -n "$run" && hold "$B" "$run" &&
	sg branch --run 20990101000000 --json >j &&
	jq -e ".variant == 1" j &&
	git cat-file -p "refs/specgate/claims/$B" | grep -qx "run 20990101000000" &&
	sqlite3 .specgate/state.db "update runs set status = \"running\", finished_at = NULL" &&
	hold "$B" "$run" &&
	sg branch --run 20990101000001 --json >j2 && jq -e ".variant == 2" j2
'

test_expect_success 'detached HEAD: the branch starts at the detached commit' '
	project p && echo more >m && git add m && git commit -qm more &&
	git checkout -q --detach HEAD~1 &&
	sg branch --json >j && jq -e ".detached_head == true and .status == \"created\"" j &&
	test "$(git rev-parse "$B")" = "$(git rev-parse HEAD)" &&
	test "$(git rev-parse --abbrev-ref HEAD)" = HEAD
'

test_expect_success 'an empty repository: unborn, the first commit is a root commit' '
	mkdir -p e/features && cd e && cp "$DATA/seed/ping.feature" features/ &&
	git init -q && B=auto/spec-implementation/$(sg id) &&
	sg branch --json >j && jq -e ".status == \"created\" and .unborn == true and .tip == null" j &&
	! git rev-parse --verify -q "refs/heads/$B" &&
	sg branch --commit generate features/ping.feature >/dev/null &&
	test "$(git rev-list --count "$B")" = 1 &&
	test -z "$(git log -1 --format=%P "$B")" &&
	git show "$B:features/ping.feature" | cmp - features/ping.feature &&
	git symbolic-ref HEAD | grep -qx refs/heads/main &&
	! git rev-parse --verify -q HEAD
'

test_expect_success 'no repository: a warning in sandbox, a finding in compliance' '
	mkdir -p n/features && cd n && cp "$DATA/seed/ping.feature" features/ &&
	sg branch --json >j 2>err && jq -e ".status == \"no-repository\" and .finding == false" j &&
	expect_grep "warning: not a git repository" err &&
	expect_exit 1 sg --mode compliance branch >out 2>err &&
	expect_grep "^status: no-repository" out
'

test_expect_success 'a project in a subdirectory commits under its prefix' '
	project p && mkdir -p svc/features && cp features/ping.feature svc/features/ &&
	echo "project: svc" >svc/specgate.yaml &&
	git add -A && git commit -qm svc && cd svc &&
	B2=auto/spec-implementation/$(sg id) && echo y >y &&
	sg branch --commit generate y >/dev/null &&
	test "$(git show "$B2:svc/y")" = y
'

test_expect_success 'bad uses: paths outside the project, a directory, bad options' '
	project p && mkdir d &&
	expect_exit 2 sg branch --commit generate ../x 2>err && expect_grep "not a path inside" err &&
	expect_exit 2 sg branch --commit generate .git/config 2>/dev/null &&
	expect_exit 2 sg branch --commit generate d 2>/dev/null &&
	expect_exit 2 sg branch --commit bogus x 2>/dev/null &&
	expect_exit 2 sg branch x 2>/dev/null &&
	expect_exit 2 sg branch --release 2>/dev/null &&
	expect_exit 2 sg branch --run "bad run" 2>/dev/null
'

test_done
