#!/usr/bin/env bash
# t0885-deploy-kubernetes: the deploy stage's built-in kubernetes target
# (docs/deploy.md) through the real binary.  The rendered Deployment and
# Service are validated against the official Kubernetes JSON schema
# (SchemaStore's kubernetes-definitions.json in tests/data/kubernetes,
# with ajv from tests/tools/ajv, pinned by its package-lock.json; every
# object closed to unknown fields, as kubectl's strict validation does);
# their resources, probes, labels and digests are read with jq and
# sha256sum.  No cluster is reached: the checkpoint says `rendered` and
# deploy.json "applied": false.
. "$(dirname "$0")/lib.sh"

AJV=$SG_TEST_ROOT/tools/ajv
if [ ! -f "$AJV/node_modules/ajv/package.json" ]; then
	(cd "$AJV" && npm ci --no-audit --no-fund --loglevel=error) >&2 ||
	    echo "# cannot install ajv (npm ci in tests/tools/ajv)" >&2
fi
k8s_valid() {
	node "$AJV/validate-k8s.js" "$DATA/kubernetes/kubernetes-definitions.json" "$@"
}

# kube_project [TAGS...]: a feature with one scenario per resource tag
# given (none: no tag), and a deploy that renders for the kubernetes
# target on port 8080.
kube_project() {
	mkdir -p features &&
	{
		echo "Feature: Service"
		for t in "$@"; do
			echo "  @resource:$t"
			echo "  Scenario: it answers with $t"
			echo "    Given the service is running"
			echo "    When I call GET /healthz"
			echo "    Then I receive a 200 OK"
		done
		[ $# -gt 0 ] || printf '  Scenario: it answers\n    Given the service is running\n    Then I receive a 200 OK\n'
	} >features/svc.feature &&
	cat >specgate.yaml <<-\EOF
	project: Ping Service
	mode: sandbox
	retry: {retries: 0, interval: 1s}
	stages:
	  deploy:
	    target: kubernetes
	    image: "registry.example/ping:1.4.2"
	    health: {url: "http://127.0.0.1:8080/healthz"}
	    env: {GREETING: "hello"}
	EOF
}

bundle() { echo "reports/$(sg id)/latest"; }

test_expect_success 'target kubernetes without image is a config error with its position' '
	kube_project "cpu=0.2,memory=256,storage=10,story_points=1" &&
	grep -v "image:" specgate.yaml >y && mv y specgate.yaml &&
	expect_exit 2 sg run >out 2>&1 &&
	expect_grep "specgate.yaml:[0-9]*:[0-9]*: .*stages.deploy.image. must name the container image" out &&
	test ! -d reports
'

test_expect_success 'a Deployment and a Service, valid against the Kubernetes schema' '
	kube_project "cpu=0.2,memory=256,storage=10,story_points=1" \
	    "cpu=0.15,memory=160,storage=10,story_points=1" &&
	sg run >out 2>&1 && b=$(bundle) &&
	k8s_valid $b/kubernetes/deployment.json $b/kubernetes/service.json >v &&
	test "$(grep -c ": valid$" v)" = 2 &&
	jq -e ".apiVersion == \"apps/v1\" and .kind == \"Deployment\"" $b/kubernetes/deployment.json &&
	jq -e ".apiVersion == \"v1\" and .kind == \"Service\"" $b/kubernetes/service.json
'

test_expect_success 'the validator is not blind: a misspelt field and a wrong type fail' '
	kube_project "cpu=0.2,memory=256,storage=10,story_points=1" &&
	sg run >out 2>&1 && b=$(bundle) &&
	jq ".spec.template.spec.containers[0].imagee = .spec.template.spec.containers[0].image" \
	    $b/kubernetes/deployment.json >typo.json &&
	jq ".spec.replicas = \"one\"" $b/kubernetes/deployment.json >type.json &&
	expect_exit 1 k8s_valid typo.json >v1 && expect_grep "must NOT have additional properties" v1 &&
	expect_exit 1 k8s_valid type.json >v2 && expect_grep "/spec/replicas must be integer" v2
'

test_expect_success 'limits are the largest tags, requests the smallest' '
	kube_project "cpu=0.2,memory=256,storage=10,story_points=1" \
	    "cpu=0.15,memory=160,storage=10,story_points=1" \
	    "cpu=0.3,memory=200,storage=10,story_points=1" &&
	sg run >out 2>&1 && b=$(bundle) &&
	jq -e ".spec.template.spec.containers[0].resources ==
	    {limits: {cpu: \"300m\", memory: \"256Mi\"}, requests: {cpu: \"150m\", memory: \"160Mi\"}}" \
	    $b/kubernetes/deployment.json &&
	jq -e ".kubernetes.resources == {limits: {cpu: 0.3, memory_mb: 256}, requests: {cpu: 0.15, memory_mb: 160}}" \
	    $b/deploy.json
'

test_expect_success 'no resource tag: the mode range (sandbox 0.1-0.5 cpu, 128-512 MiB)' '
	kube_project && sg run >out 2>&1 && b=$(bundle) &&
	jq -e ".spec.template.spec.containers[0].resources ==
	    {limits: {cpu: \"500m\", memory: \"512Mi\"}, requests: {cpu: \"100m\", memory: \"128Mi\"}}" \
	    $b/kubernetes/deployment.json
'

test_expect_success 'probes on /healthz, the release as a label, the image, the port' '
	kube_project "cpu=0.2,memory=256,storage=10,story_points=1" &&
	sg run >out 2>&1 && b=$(bundle) && rel=$(jq -r .run_id $b/deploy.json) &&
	d=$b/kubernetes/deployment.json && s=$b/kubernetes/service.json &&
	jq -e ".spec.template.spec.containers[0] as \$c |
	    \$c.image == \"registry.example/ping:1.4.2\" and
	    \$c.ports == [{name: \"http\", containerPort: 8080, protocol: \"TCP\"}] and
	    \$c.readinessProbe.httpGet == {path: \"/healthz\", port: \"http\"} and
	    \$c.livenessProbe.httpGet == {path: \"/healthz\", port: \"http\"} and
	    ([\$c.env[] | {(.name): .value}] | add) ==
	        {GREETING: \"hello\", SPECGATE_RELEASE_ID: \"$rel\", SPECGATE_PORT: \"8080\"}" $d &&
	jq -e ".metadata.name == \"ping-service\" and
	    .metadata.labels[\"specgate.dev/release\"] == \"$rel\" and
	    .spec.template.metadata.labels[\"specgate.dev/release\"] == \"$rel\" and
	    .spec.selector.matchLabels == {\"app.kubernetes.io/name\": \"ping-service\"}" $d &&
	jq -e ".metadata.labels[\"specgate.dev/release\"] == \"$rel\" and
	    .spec.selector == {\"app.kubernetes.io/name\": \"ping-service\"} and
	    .spec.ports[0].port == 8080 and .spec.ports[0].targetPort == \"http\"" $s
'

test_expect_success 'rendered, never applied: the checkpoint, deploy.json, the digests' '
	kube_project "cpu=0.2,memory=256,storage=10,story_points=1" &&
	sg run >out 2>&1 && b=$(bundle) &&
	expect_grep "^deploy: rendered (.*not applied" out &&
	grep -q " | deploy | rendered | deploy.json$" $b/checkpoints.log &&
	! grep -q " | deploy | success | " $b/checkpoints.log &&
	sg audit log --run "$(jq -r .run_id $b/deploy.json)" >log &&
	expect_grep " | deploy | rendered | deploy.json" log &&
	jq -e ".target == \"kubernetes\" and .kubernetes.status == \"rendered\" and
	    .kubernetes.applied == false and .local == null and .health == []" $b/deploy.json &&
	for f in deployment service; do
		test "$(jq -r ".kubernetes.files[] | select(.path == \"kubernetes/$f.json\") | .sha256" $b/deploy.json)" = \
		    "$(sha256sum <$b/kubernetes/$f.json | cut -d" " -f1)" &&
		test "$(jq -r ".files[] | select(.path == \"kubernetes/$f.json\") | .sha256" $b/manifest.json)" = \
		    "$(sha256sum <$b/kubernetes/$f.json | cut -d" " -f1)" || return 1
	done &&
	expect_grep "not applied: no cluster is reached" $b/logs/deploy.log
'

test_expect_success 'a long project name starting with a digit: a 63-character DNS label' '
	kube_project "cpu=0.2,memory=256,storage=10,story_points=1" &&
	sed -i "s/^project: .*/project: \"2 Fast $(printf "x%.0s" $(seq 80)) Service\"/" specgate.yaml &&
	sg run >out 2>&1 && b=$(bundle) &&
	name=$(jq -r .metadata.name $b/kubernetes/deployment.json) &&
	test ${#name} = 63 && case $name in sg-2-fast-xxx*x) ;; *) false ;; esac &&
	k8s_valid $b/kubernetes/deployment.json $b/kubernetes/service.json
'

test_expect_success 'no port (neither port nor a health URL): the deploy fails, nothing rendered' '
	kube_project "cpu=0.2,memory=256,storage=10,story_points=1" &&
	grep -v "health:" specgate.yaml >y && mv y specgate.yaml &&
	expect_exit 1 sg run >out 2>&1 && b=$(bundle) &&
	expect_grep "^deploy: failure (.*needs the service.s port" out &&
	test ! -e $b/kubernetes
'

test_done
