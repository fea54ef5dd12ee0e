/* SPDX-License-Identifier: MIT */
/*
 * kube.c - the deploy stage's built-in `kubernetes` target (run_int.h,
 * docs/deploy.md).
 *
 * After the stage's own commands succeeded, a deploy of run R renders two
 * Kubernetes documents into R's bundle, through the run's evidence writer
 * (no other I/O):
 *
 *   kubernetes/deployment.json  an apps/v1 Deployment of one replica
 *   kubernetes/service.json     a v1 Service in front of it
 *
 * Their name is the project's name as a DNS-1035 label.  The container
 * runs stages.deploy.image; its resources are the release's limits as the
 * local target computes them (sg_run__deploy_limits(): limits the
 * largest cpu and memory the scenarios declare, requests the smallest,
 * within the mode's ranges); its port is the deploy port (stages.deploy.
 * port, else the health URL's), named "http", with readiness and liveness
 * probes on GET /healthz.  The release (the run id) is the label
 * specgate.dev/release of the Deployment, its pods and the Service, and
 * SPECGATE_RELEASE_ID in the container's environment, so that the health
 * document can name it.  The selectors hold only app.kubernetes.io/name:
 * a Deployment's selector cannot change once applied, and a selector with
 * the release in it would make every release a new Deployment that
 * `kubectl rollout undo` cannot go back from (docs/decisions.md).
 *
 * No cluster is reached: the stage's checkpoint is `rendered`, never
 * `success`, and deploy.json's "kubernetes" object lists the documents
 * with their digests and "applied": false.  Applying them is the
 * documented kubectl recipe of docs/deploy.md.
 */
#include "run/run_deploy.h"

#include <ctype.h>
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "util/util.h"

#define NAME_MAX_LEN 63 /* a DNS-1035 label; a label value too */
#define HEALTH_PATH "/healthz"
#define LABEL_NAME "app.kubernetes.io/name"
#define LABEL_RELEASE "specgate.dev/release"
#define DEPLOYMENT "kubernetes/deployment.json"
#define SERVICE "kubernetes/service.json"

struct sg_run__kube {
	char name[NAME_MAX_LEN + 1];
	char release[NAME_MAX_LEN + 1];
	struct sg_run__limits lim;
	unsigned port;
	json_t *files; /* [{path, kind, sha256}] */
};

bool
sg_run__kube_enabled(const struct sg_run__ctx *c)
{
	const char *t = c->cfg->stages[SG_STAGE_DEPLOY].target;

	return t && !strcmp(t, "kubernetes");
}

/*
 * The project's name as a DNS-1035 label: lower case letters, digits and
 * '-', a letter first, a letter or digit last, at most 63 characters.
 * Anything else becomes '-' (runs of them one); a name that does not
 * start with a letter gets "sg-" in front.  "" when nothing is left.
 */
static void
dns_label(char *out, const char *in)
{
	size_t n = 0;

	for (const char *p = in ? in : ""; *p && n < NAME_MAX_LEN; p++) {
		char ch = (char)tolower((unsigned char)*p);

		if (!isalnum((unsigned char)ch) || (unsigned char)ch > 127)
			ch = '-';
		if (ch == '-' && (!n || out[n - 1] == '-'))
			continue;
		if (!n && isdigit((unsigned char)ch)) {
			memcpy(out, "sg-", 3);
			n = 3;
		}
		out[n++] = ch;
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
}

/*
 * A label value: letters, digits, '-', '_', '.', a letter or digit at
 * each end, at most 63 characters.  Run ids already are; anything else
 * becomes '-'.
 */
static void
label_value(char *out, const char *in)
{
	size_t n = 0;

	for (const char *p = in; *p && n < NAME_MAX_LEN; p++)
		out[n++] = isalnum((unsigned char)*p) || *p == '-' ||
		    *p == '_' || *p == '.' ? *p : '-';
	while (n && !isalnum((unsigned char)out[n - 1]))
		n--;
	out[n] = '\0';
	while (*out && !isalnum((unsigned char)*out))
		memmove(out, out + 1, strlen(out));
}

/* Kubernetes quantities: millicores ("250m") and mebibytes ("256Mi"). */
static json_t *
cpu_quantity(double cpu)
{
	char buf[32];
	uint64_t m = (uint64_t)(cpu * 1000.0 + 0.5);

	snprintf(buf, sizeof(buf), "%" PRIu64 "m", m ? m : 1);
	return json_string(buf);
}

static json_t *
mem_quantity(uint64_t mb)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64 "Mi", mb);
	return json_string(buf);
}

static json_t *
labels(const struct sg_run__kube *k, bool release)
{
	json_t *o = json_pack("{s:s}", LABEL_NAME, k->name);

	if (release)
		json_object_set_new(o, LABEL_RELEASE, json_string(k->release));
	return o;
}

static json_t *
probe(unsigned period_s, unsigned failures)
{
	return json_pack("{s:{s:s, s:s}, s:i, s:i, s:i}", "httpGet", "path",
	    HEALTH_PATH, "port", "http", "periodSeconds", (int)period_s,
	    "timeoutSeconds", SG_RUN__HEALTH_TIMEOUT_MS / 1000,
	    "failureThreshold", (int)failures);
}

static json_t *
deployment(const struct sg_run__ctx *c, const struct sg_run__kube *k)
{
	const struct sg_stage_config *sc = &c->cfg->stages[SG_STAGE_DEPLOY];
	char port[16];
	json_t *env = json_array();

	snprintf(port, sizeof(port), "%u", k->port);
	for (size_t i = 0; i < sc->nenv; i++)
		if (strcmp(sc->env[i].key, "SPECGATE_RELEASE_ID") &&
		    strcmp(sc->env[i].key, "SPECGATE_PORT"))
			json_array_append_new(env, json_pack("{s:s, s:s}",
			    "name", sc->env[i].key, "value",
			    sc->env[i].value));
	json_array_append_new(env, json_pack("{s:s, s:s}", "name",
	    "SPECGATE_RELEASE_ID", "value", c->out->run_id));
	json_array_append_new(env, json_pack("{s:s, s:s}", "name",
	    "SPECGATE_PORT", "value", port));
	return json_pack("{s:s, s:s, s:{s:s, s:o}, s:{s:i, s:{s:o}, "
	    "s:{s:{s:o}, s:{s:[{s:s, s:s, s:[{s:s, s:i, s:s}], s:o, "
	    "s:{s:{s:o, s:o}, s:{s:o, s:o}}, s:o, s:o}]}}}}",
	    "apiVersion", "apps/v1", "kind", "Deployment",
	    "metadata", "name", k->name, "labels", labels(k, true),
	    "spec", "replicas", 1, "selector", "matchLabels", labels(k, false),
	    "template", "metadata", "labels", labels(k, true),
	    "spec", "containers", "name", k->name, "image", sc->image,
	    "ports", "name", "http", "containerPort", (int)k->port,
	    "protocol", "TCP", "env", env,
	    "resources", "requests", "cpu", cpu_quantity(k->lim.cpu_request),
	    "memory", mem_quantity(k->lim.memory_request_mb),
	    "limits", "cpu", cpu_quantity(k->lim.cpu),
	    "memory", mem_quantity(k->lim.memory_mb),
	    "readinessProbe", probe(SG_RUN__HEALTH_INTERVAL_MS / 1000, 3),
	    "livenessProbe", probe(10, 3));
}

static json_t *
service(const struct sg_run__kube *k)
{
	return json_pack("{s:s, s:s, s:{s:s, s:o}, s:{s:o, s:[{s:s, s:i, "
	    "s:s, s:s}]}}", "apiVersion", "v1", "kind", "Service",
	    "metadata", "name", k->name, "labels", labels(k, true),
	    "spec", "selector", labels(k, false), "ports", "name", "http",
	    "port", (int)k->port, "targetPort", "http", "protocol", "TCP");
}

/* Write doc (taken) as name into the bundle; its digest into k->files. */
static int
put(struct sg_run__ctx *c, const char *name, const char *kind, json_t *doc,
    struct sg_buf *log, struct sg_error *err)
{
	char *text = doc ? json_dumps(doc, JSON_SORT_KEYS | JSON_INDENT(2)) :
			   NULL;
	char sha[65];
	int error;

	json_decref(doc);
	if (!text)
		return sg_error_set(err, SG_EIO, "cannot render %s", name);
	error = sg_run__write(c, SG_STAGE_DEPLOY, name, text, strlen(text),
	    sha, err);
	free(text);
	if (error < 0)
		return error;
	json_array_append_new(c->kube->files, json_pack("{s:s, s:s, s:s}",
	    "path", name, "kind", kind, "sha256", sha));
	sg_buf_printf(log, "-- rendered %s (%s, sha256 %s)\n", name, kind,
	    sha);
	return 0;
}

int
sg_run__kube_render(struct sg_run__ctx *c, struct sg_buf *log, bool *ok,
    char *why, size_t why_size, struct sg_error *err)
{
	struct sg_run__kube *k;
	int error;

	*ok = false;
	sg_run__kube_release(c);
	k = c->kube = sg_xcalloc(1, sizeof(*k));
	k->files = json_array();
	sg_buf_printf(log, "== deploy: kubernetes manifests of release %s ==\n",
	    c->out->run_id);
	dns_label(k->name, c->cfg->project);
	label_value(k->release, c->out->run_id);
	k->port = sg_run__deploy_port(c);
	sg_run__deploy_limits(c, &k->lim);
	if (!*k->name) {
		snprintf(why, why_size, "the project name '%.100s' leaves "
		    "nothing for a Kubernetes name (letters and digits)",
		    c->cfg->project ? c->cfg->project : "");
		return 0;
	}
	if (!k->port) {
		snprintf(why, why_size, "the kubernetes target needs the "
		    "service's port: stages.deploy.port, or a port in "
		    "stages.deploy.health.url");
		return 0;
	}
	sg_buf_printf(log, "-- %s: image %s, port %u, cpu %.3f-%.3f, memory "
	    "%" PRIu64 "-%" PRIu64 " MiB%s\n", k->name,
	    c->cfg->stages[SG_STAGE_DEPLOY].image, k->port,
	    k->lim.cpu_request, k->lim.cpu, k->lim.memory_request_mb,
	    k->lim.memory_mb, k->lim.declared ? "" :
	    " (no scenario declares resources: the mode's range)");
	if ((error = put(c, DEPLOYMENT, "Deployment", deployment(c, k), log,
		 err)) < 0 ||
	    (error = put(c, SERVICE, "Service", service(k), log, err)) < 0)
		return error;
	sg_buf_printf(log, "-- not applied: no cluster is reached; "
	    "docs/deploy.md has the kubectl recipe\n");
	*ok = true;
	return 0;
}

struct json_t *
sg_run__kube_json(const struct sg_run__ctx *c)
{
	const struct sg_run__kube *k = c->kube;

	if (!k)
		return json_null();
	return json_pack("{s:s, s:b, s:s, s:s, s:s, s:i, s:O, "
	    "s:{s:{s:f, s:I}, s:{s:f, s:I}}}", "status", "rendered",
	    "applied", 0, "name", k->name, "release", k->release, "image",
	    c->cfg->stages[SG_STAGE_DEPLOY].image, "port", (int)k->port,
	    "files", k->files, "resources", "requests", "cpu",
	    k->lim.cpu_request, "memory_mb",
	    (json_int_t)k->lim.memory_request_mb, "limits", "cpu", k->lim.cpu,
	    "memory_mb", (json_int_t)k->lim.memory_mb);
}

void
sg_run__kube_release(struct sg_run__ctx *c)
{
	if (!c->kube)
		return;
	json_decref(c->kube->files);
	free(c->kube);
	c->kube = NULL;
}
