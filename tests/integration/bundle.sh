# tests/integration/bundle.sh - helpers of the t05NN run and bundle tests,
# sourced after lib.sh.  They check bundles with jq and sha256sum only,
# never with specgate itself, so that a bug in the verifier cannot hide a
# bug in the writer.

# project [MODE]: a project in the current directory with a small valid
# spec (two scenarios) and an optional mode.  A compliance project is a
# git repository (empty): its preflight claims the feature branch there.
project() {
	mkdir -p features &&
	cat >features/ping.feature <<-\EOF2 &&
	@resource:cpu=0.1,memory=128,storage=10,story_points=1
	Feature: Ping
	  Scenario: the service answers
	    Given the service is running
	    When I call GET /ping
	    Then I receive a 200 OK
	  Scenario: the service names itself
	    Given the service is running
	    When I call GET /ping
	    Then the response contains "service"
	EOF2
	printf 'project: t\nmode: %s\n' "${1:-sandbox}" >specgate.yaml &&
	{ [ "${1:-sandbox}" != compliance ] || git init -q; }
}

# bundle_ok DIR: DIR has a manifest, every file it lists has the listed
# SHA-256 (sha256sum -c), and there is no other file but manifest.json and,
# in a signed bundle, what is written after it: manifest.json.sig and the
# audit stage's link (docs/signing.md).
bundle_ok() {
	local dir=$1
	[ -f "$dir/manifest.json" ] || { echo "$dir: no manifest.json"; return 1; }
	(cd "$dir" && jq -r '.files[] | "\(.sha256)  \(.path)"' manifest.json |
	    sha256sum --quiet --strict -c -) || { echo "$dir: digests"; return 1; }
	[ "$(cd "$dir" && find . -type f ! -name manifest.json ! -name manifest.json.sig \
	    ! -path './links/audit.*.link' | sed 's|^\./||' | sort)" = \
	    "$(jq -r '.files[].path' "$dir/manifest.json" | sort)" ] ||
		{ echo "$dir: files that the manifest does not list"; return 1; }
}

# bundles_ok [REPORTS]: every final-named bundle (active and archived) is
# complete, and every latest points at a complete bundle of its feature.
# One jq and one sha256sum for all of them: process start-up, not hashing,
# is what costs on a busy machine.
bundles_ok() {
	local reports=${1:-reports} dirs d l manifests
	[ -d "$reports" ] || return 0
	dirs=$(find "$reports" -mindepth 2 -maxdepth 4 -type d \
		-regextype posix-extended -regex '.*/[0-9]{14}(-[0-9]+)?' | sort)
	[ -n "$dirs" ] || return 0
	for d in $dirs; do
		[ -f "$d/manifest.json" ] || { echo "$d: no manifest.json"; return 1; }
	done
	manifests=$(for d in $dirs; do echo "$d/manifest.json"; done)
	jq -r 'input_filename as $m | .files[] |
	    "\(.sha256)  \($m | sub("/manifest.json$"; ""))/\(.path)"' $manifests |
	    sha256sum --quiet --strict -c - || { echo "digests"; return 1; }
	[ "$(find $dirs -type f ! -name manifest.json | sort)" = \
	    "$(jq -r 'input_filename as $m | .files[] |
		"\($m | sub("/manifest.json$"; ""))/\(.path)"' $manifests | sort)" ] ||
		{ echo "files that a manifest does not list"; return 1; }
	for l in "$reports"/*/latest; do
		[ -L "$l" ] || continue
		case $(readlink "$l") in
		*/*) echo "$l: not a relative name"; return 1 ;;
		esac
		echo "$dirs" | grep -qx "$(dirname "$l")/$(readlink "$l")" ||
			{ echo "$l: names no bundle"; return 1; }
	done
}

# run_ids: the run directories of the one feature under reports/, sorted.
run_ids() {
	ls reports/*/ | grep -E '^[0-9]{14}(-[0-9]+)?$' | sort
}

# compliance_profile: complete the compliance profile of the project in the
# current directory (docs/compliance.md), after its spec is written: a
# validate command that writes coverage (lcov, 100% of src/app.c), JUnit
# (one passing test named after each scenario, from `specgate validate
# --json`) and SARIF (no result); a build stage with one artifact; a deploy
# stage; one approver key (.profile/alice.pub, no passphrase); the signing
# key, made when there is none.  Appends gates:, stages: and approvals: to
# specgate.yaml, so the test must not write those blocks itself; instead
# it may set PROFILE_VALIDATE, PROFILE_BUILD, PROFILE_DEPLOY (a stage's
# flow mapping), PROFILE_STAGES (more lines of stages:, indented by two)
# and PROFILE_APPROVALS.
compliance_profile() {
	mkdir -p .profile src &&
	printf 'int\nmain(void)\n{\n\treturn 0;\n}\n' >src/app.c &&
	printf 'TN:\nSF:src/app.c\nDA:3,1\nDA:4,1\nLF:2\nLH:2\nend_of_record\n' >.profile/coverage.info &&
	printf '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "none"}}, "results": []}]}\n' >.profile/none.sarif &&
	"$SPECGATE" --mode sandbox validate --json >.profile/report.json 2>/dev/null;
	jq -r '"<testsuite name=\"spec\">",
	    (.files[].scenarios[].name | @html "<testcase classname=\"spec\" name=\"\(.)\"/>"),
	    "</testsuite>"' .profile/report.json >.profile/junit.xml &&
	cat >.profile/validate.sh <<-\V &&
	set -e
	mkdir -p build/test-results build/sast
	cp .profile/coverage.info coverage.info
	cp .profile/junit.xml build/test-results/junit.xml
	cp .profile/none.sarif build/sast/none.sarif
	V
	{ [ -f .profile/alice.pub ] || "$SPECGATE" keygen -q --no-password --out .profile/alice >/dev/null 2>&1; } &&
	{ [ -f .specgate/keys/specgate.key ] ||
		if [ -n "${SPECGATE_KEY_PASSWORD:-}" ]; then
			"$SPECGATE" keygen -q >/dev/null 2>&1
		else
			"$SPECGATE" keygen -q --no-password >/dev/null 2>&1
		fi; } &&
	cat >>specgate.yaml <<-Y
	gates:
	  coverage: {files: [coverage.info]}
	  tests: {files: [build/test-results/*.xml]}
	  sast: {files: [build/sast/*.sarif]}
	stages:
	  validate: ${PROFILE_VALIDATE:-{run: [\"sh .profile/validate.sh\"]\}}
	  build: ${PROFILE_BUILD:-{run: [\"mkdir -p build && printf app >build/app\"], artifacts: [build/app]\}}
	  deploy: ${PROFILE_DEPLOY:-{run: [\"true\"]\}}
	${PROFILE_STAGES:-}
	approvals: ${PROFILE_APPROVALS:-{required: 1, keys: [.profile/alice.pub]\}}
	Y
}
