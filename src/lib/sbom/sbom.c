/* SPDX-License-Identifier: MIT */
/*
 * sbom.c - build sbom.cyclonedx.json: gather the components (artifacts and
 * the Debian packages their ELF files need, lockfiles, declared purls) and
 * the service endpoints named in the spec, then write CycloneDX 1.6 JSON.
 *
 * Determinism: nothing in the document depends on the order the file
 * system lists things in or on the clock, except metadata.timestamp,
 * which is SOURCE_DATE_EPOCH when it is set (sg_utc_report_now()).
 * Components are sorted by bom-ref, endpoints and dependsOn bytewise, keys
 * are written in one fixed order (the schema's), and the serialNumber is a
 * UUID made from the SHA-256 of the document written with an empty
 * serialNumber: identical inputs give identical bytes, and any change of
 * content gives a new serial number.
 *
 * bom-refs: a package's purl; "artifact:PATH" for a declared artifact,
 * "file:PATH" for a needed library that no package ships, "project:NAME"
 * for the main component, "service:NAME" for the service.  The prefixes
 * keep the namespaces apart, so refs cannot collide.
 */
#include "specgate/sbom.h"

#include <jansson.h>

#include "sbom/sbom_int.h"
#include "hash/digest.h"
#include "specgate/gherkin.h"
#include "specgate/sg.h"
#include "specgate/specset.h"
#include "sys/fs.h"
#include "sys/glob.h"
#include "sys/map.h"
#include "sys/walk.h"
#include "util/utctime.h"

#define MAX_ARTIFACTS 100000

void
sg_sbom_options_from_config(struct sg_sbom_options *opts,
    const struct sg_config *cfg)
{
	const struct sg_stage_config *b = &cfg->stages[SG_STAGE_BUILD];

	opts->root = cfg->root;
	opts->project = cfg->project;
	opts->project_version = cfg->version;
	opts->artifacts = (const char *const *)b->artifacts.items;
	opts->nartifacts = b->artifacts.n;
	opts->components = (const char *const *)cfg->sbom_components.items;
	opts->ncomponents = cfg->sbom_components.n;
	opts->features = (const char *const *)cfg->features.items;
	opts->nfeatures = cfg->features.n;
	opts->health_url = cfg->stages[SG_STAGE_DEPLOY].health_url;
}

/* What the build needs while it runs. */
struct ctx {
	const struct sg_sbom_options *opts;
	struct sg_sbom__set set;
	struct sg_dpkg *dpkg;
	struct sg_vec needs;	 /* struct need * */
	struct sg_vec artifacts; /* struct sg_sbom__comp * (artifacts) */
	struct sg_vec real;	 /* char *: realpath of each artifact */
	struct sg_vec endpoints; /* char *: "GET /v1/ping", malloc'd */
	char *root_real;	 /* canonical path of the root */
	struct sg_error *err;
};

/* A library that an artifact needs. */
struct need {
	struct sg_sbom__comp *from;
	const char *soname;
	char *path; /* resolved, or NULL */
	char *real; /* its canonical path, or NULL */
};

static char *
usr_twin(const char *path)
{
	if (!strncmp(path, "/usr/", 5))
		return sg_xstrdup(path + 4);
	return sg_xasprintf("/usr%s", path);
}

/* ---- artifacts ---- */

static int
add_need(struct ctx *c, struct sg_sbom__comp *from,
    const struct sg_elf_info *info, const char *origin, const char *soname)
{
	struct need *n = sg_xcalloc(1, sizeof(*n));
	char *twin, *full;
	int error;

	n->from = from;
	n->soname = sg_sbom__str(&c->set, soname, strlen(soname));
	sg_vec_push(&c->needs, n);
	if ((error = sg_dpkg_find_lib(&n->path, c->dpkg, info, origin, soname,
	    c->err)) < 0 || !n->path)
		return error;
	full = sg_xasprintf("%s%s", c->opts->lib_root ? c->opts->lib_root :
	    "", n->path);
	sg_fs_realpath(&n->real, full);
	free(full);
	sg_dpkg_want(c->dpkg, n->path);
	twin = usr_twin(n->path);
	sg_dpkg_want(c->dpkg, twin);
	free(twin);
	if (n->real && !c->opts->lib_root) {
		sg_dpkg_want(c->dpkg, n->real);
		twin = usr_twin(n->real);
		sg_dpkg_want(c->dpkg, twin);
		free(twin);
	}
	return 0;
}

static int
add_artifact(struct ctx *c, const char *rel)
{
	struct sg_map m = SG_MAP_INIT;
	struct sg_elf_info info;
	struct sg_sbom__comp *comp;
	char *path, *real = NULL, *origin = NULL, *ref = NULL;
	char hex[SG_SHA256_HEX_LEN + 1];
	int error;

	memset(&info, 0, sizeof(info));
	path = sg_xasprintf("%s/%s", c->opts->root, rel);
	if ((error = sg_map_file(&m, path, SG_SBOM_MAX_ELF, c->err)) < 0)
		goto out;
	if ((error = sg_sha256_hex(hex, m.data, m.len, c->err)) < 0)
		goto out;
	if (!(comp = sg_sbom__add(&c->set))) {
		error = sg_error_set(c->err, SG_ETOOBIG,
		    "more than %u components", SG_SBOM_MAX_COMPONENTS);
		goto out;
	}
	comp->type = "file";
	comp->name = sg_sbom__str(&c->set, rel, strlen(rel));
	ref = sg_xasprintf("artifact:%s", rel);
	comp->ref = sg_sbom__str(&c->set, ref, strlen(ref));
	comp->hash_alg = "SHA-256";
	comp->hash = sg_sbom__str(&c->set, hex, SG_SHA256_HEX_LEN);
	comp->source = "stages.build.artifacts";
	sg_vec_push(&c->artifacts, comp);
	sg_fs_realpath(&real, path);
	sg_vec_push(&c->real, real ? real : sg_xstrdup(path));
	sg_sbom__depend(&c->set, NULL, comp->ref);
	if (!sg_elf_is_elf(m.data, m.len))
		goto out;
	if ((error = sg_elf_parse(&info, m.data, m.len, path, c->err)) < 0)
		goto out;
	comp->type = info.type == 3 && info.soname ? "library" :
	    "application";
	origin = sg_xstrdup(real ? real : path);
	if (strrchr(origin, '/'))
		*strrchr(origin, '/') = '\0';
	for (size_t i = 0; i < info.nneeded; i++)
		if ((error = add_need(c, comp, &info, origin,
		    info.needed[i])) < 0)
			goto out;
out:
	free(ref);
	free(origin);
	sg_elf_info_release(&info);
	sg_map_release(&m);
	free(path);
	return error;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
collect_artifacts(struct ctx *c)
{
	struct sg_vec all = SG_VEC_INIT;
	int error = 0;

	for (size_t i = 0; i < c->opts->nartifacts; i++) {
		char **v;
		size_t n;

		if ((error = sg_glob(&v, &n, c->opts->root,
		    c->opts->artifacts[i], MAX_ARTIFACTS, c->err)) < 0)
			goto out;
		if (!n)
			sg_sbom__warn(&c->set, "artifact pattern '%s' matches "
			    "nothing", c->opts->artifacts[i]);
		for (size_t k = 0; k < n; k++)
			sg_vec_push(&all, v[k]);
		free(v);
		if (all.len > MAX_ARTIFACTS) {
			error = sg_error_set(c->err, SG_ETOOBIG,
			    "more than %d artifacts", MAX_ARTIFACTS);
			goto out;
		}
	}
	if (all.len > 1)
		qsort(all.items, all.len, sizeof(*all.items), cmp_str);
	for (size_t i = 0; i < all.len; i++) {
		struct sg_fs_stat st;
		char *p;

		if (i && !strcmp(all.items[i], all.items[i - 1]))
			continue;
		p = sg_xasprintf("%s/%s", c->opts->root,
		    (char *)all.items[i]);
		error = sg_fs_stat(&st, p, c->err);
		free(p);
		if (error < 0)
			goto out;
		if (st.type != SG_FS_FILE)
			continue; /* a directory matched by a pattern */
		if ((error = add_artifact(c, all.items[i])) < 0)
			goto out;
	}
out:
	for (size_t i = 0; i < all.len; i++)
		free(all.items[i]);
	sg_vec_release(&all);
	return error;
}

/* The artifact whose canonical path is real, or NULL. */
static struct sg_sbom__comp *
artifact_at(struct ctx *c, const char *real)
{
	for (size_t i = 0; real && i < c->real.len; i++)
		if (!strcmp(c->real.items[i], real))
			return c->artifacts.items[i];
	return NULL;
}

static const char *
owner_of(struct ctx *c, struct need *n, const char **ver, const char **arch)
{
	const char *cand[4] = {n->path, NULL, n->real, NULL};
	char *twin0 = usr_twin(n->path), *twin1 = n->real ?
	    usr_twin(n->real) : NULL;
	const char *name = NULL;

	cand[1] = twin0;
	cand[3] = twin1;
	for (size_t i = 0; i < 4 && !name; i++)
		if (cand[i] && !sg_dpkg_owner(c->dpkg, cand[i], &name, ver,
		    arch))
			name = NULL;
	free(twin0);
	free(twin1);
	return name;
}

static int
add_library(struct ctx *c, struct need *n)
{
	struct sg_sbom__comp *comp, *art;
	const char *name, *ver, *arch;

	if (!n->path) {
		sg_sbom__warn(&c->set, "'%s' needs '%s', which is not found "
		    "(ld.so.cache, the default directories); left out",
		    n->from->name, n->soname);
		return 0;
	}
	if ((art = artifact_at(c, n->real))) {
		sg_sbom__depend(&c->set, n->from, art->ref);
		return 0;
	}
	if (!(comp = sg_sbom__add(&c->set)))
		return sg_error_set(c->err, SG_ETOOBIG,
		    "more than %u components", SG_SBOM_MAX_COMPONENTS);
	comp->type = "library";
	if ((name = owner_of(c, n, &ver, &arch))) {
		const char *q[2] = {"arch", arch};

		comp->name = name;
		comp->version = ver;
		comp->purl = sg_sbom__purl(&c->set, "deb", "debian", name, ver,
		    q, 1);
		comp->ref = comp->purl;
		comp->source = "dpkg";
	} else {
		/* inside the project: named relative to it, like artifacts */
		size_t rl = c->root_real ? strlen(c->root_real) : 0;
		const char *shown = n->real && rl && !strncmp(n->real,
		    c->root_real, rl) && n->real[rl] == '/' ? n->real + rl + 1 :
		    n->path;
		char *r = sg_xasprintf("file:%s", shown);

		sg_sbom__warn(&c->set, "'%s' (needed by '%s') belongs to no "
		    "Debian package; listed as a file", shown, n->from->name);
		comp->name = n->soname;
		comp->ref = sg_sbom__str(&c->set, r, strlen(r));
		comp->source = "ld.so";
		free(r);
	}
	sg_sbom__depend(&c->set, n->from, comp->ref);
	return 0;
}

static int
resolve_libraries(struct ctx *c)
{
	int error;

	if ((error = sg_dpkg_owners(c->dpkg, c->err)) < 0)
		return error;
	for (size_t i = 0; i < c->needs.len; i++)
		if ((error = add_library(c, c->needs.items[i])) < 0)
			return error;
	return 0;
}

/* ---- lockfiles ---- */

struct lock_walk {
	struct sg_vec paths; /* char *, relative to the root */
};

static int
lock_visit(const struct sg_walk_entry *e, void *payload)
{
	struct lock_walk *w = payload;

	if (e->type == SG_FS_DIR) {
		if (e->name[0] == '.' || !strcmp(e->name, "node_modules") ||
		    !strcmp(e->name, "reports") || !strcmp(e->name, "target") ||
		    e->depth >= SG_SBOM_LOCKFILE_DEPTH)
			return SG_WALK_SKIP;
		return SG_WALK_CONTINUE;
	}
	if (e->type == SG_FS_FILE && sg_lockfile_kind_of(e->name) !=
	    SG_LOCK_NONE)
		sg_vec_push(&w->paths, sg_xstrdup(e->rel));
	return SG_WALK_CONTINUE;
}

static int
collect_lockfiles(struct ctx *c)
{
	struct lock_walk w = {SG_VEC_INIT};
	struct sg_buf b;
	int error;

	sg_buf_init(&b, 0);
	if ((error = sg_walk(c->opts->root, 0, lock_visit, &w, c->err)) < 0)
		goto out;
	if (w.paths.len > 1)
		qsort(w.paths.items, w.paths.len, sizeof(*w.paths.items),
		    cmp_str);
	for (size_t i = 0; i < w.paths.len; i++) {
		const char *rel = w.paths.items[i];
		const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 :
		    rel;
		char *path = sg_xasprintf("%s/%s", c->opts->root, rel);

		sg_buf_truncate(&b, 0);
		error = sg_fs_read_file(&b, path, SG_SBOM_MAX_LOCKFILE, c->err);
		free(path);
		if (error < 0)
			goto out;
		if ((error = sg_lockfile_parse(&c->set,
		    sg_lockfile_kind_of(base), sg_sbom__str(&c->set, rel,
		    strlen(rel)), b.ptr, b.len, c->err)) < 0)
			goto out;
	}
out:
	for (size_t i = 0; i < w.paths.len; i++)
		free(w.paths.items[i]);
	sg_vec_release(&w.paths);
	sg_buf_release(&b);
	return error;
}

/* ---- endpoints ---- */

static bool
iri_char(unsigned char ch)
{
	return ch >= 0x80 || (ch > 0x20 && !strchr("\"<>\\^`{|}", ch));
}

/* Find "METHOD /path" in a step's text; push "METHOD /path". */
static void
scan_step(struct ctx *c, const char *text)
{
	static const char *const methods[] = {"GET", "POST", "PUT", "PATCH",
	    "DELETE", "HEAD", "OPTIONS"};

	for (const char *p = text; *p; p++) {
		if (p != text && !strchr(" \t\"'`(", p[-1]))
			continue;
		for (size_t m = 0; m < SG_ARRAY_SIZE(methods); m++) {
			size_t ml = strlen(methods[m]), n = 0;
			const char *q = p + ml;

			if (strncmp(p, methods[m], ml) || (*q != ' ' &&
			    *q != '\t'))
				continue;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q != '/')
				continue;
			/* the path only: a query or a fragment names the
			   same endpoint */
			while (iri_char((unsigned char)q[n]) && q[n] != '?' &&
			    q[n] != '#')
				n++;
			while (n > 1 && strchr(".,;:!?)'", q[n - 1]))
				n--;
			if (sg_sbom__text_ok(q, n))
				sg_vec_push(&c->endpoints, sg_xasprintf(
				    "%s %.*s", methods[m], (int)n, q));
		}
	}
}

static int
scan_file(struct ctx *c, const struct sg_specfile *f, struct sg_buf *b)
{
	struct sg_gh_document *doc = NULL;
	const struct sg_pickle *pk;
	struct sg_error e = SG_ERROR_INIT;
	size_t npk;
	int error;

	sg_buf_truncate(b, 0);
	if ((error = sg_fs_read_file(b, f->path, SG_SPECSET_MAX_FILE_SIZE,
	    c->err)) < 0)
		return error;
	if (sg_gherkin_parse(&doc, f->path, b->ptr, b->len, NULL, &e) < 0 ||
	    sg_gherkin_pickles(&pk, &npk, doc) < 0) {
		sg_sbom__warn(&c->set, "'%s' does not parse; its endpoints are "
		    "not listed", f->path);
		goto out;
	}
	for (size_t i = 0; i < npk; i++)
		for (size_t s = 0; s < pk[i].nsteps; s++)
			scan_step(c, pk[i].steps[s].text);
out:
	sg_gherkin_document_free(doc);
	sg_error_release(&e);
	return 0;
}

/*
 * The path of stages.deploy.health.url ("http://h:8080/healthz?x" ->
 * "GET /healthz"): configured, so the service has it.  Nothing else is
 * added: an SBOM lists what the spec or the configuration names.
 */
static int
health_endpoint(struct ctx *c)
{
	const char *u = c->opts->health_url, *p;
	size_t n;

	if (!u || !(p = strstr(u, "://")))
		return 0;
	p += 3;
	p += strcspn(p, "/?#");
	n = *p == '/' ? strcspn(p, "?#") : 0;
	if (!n) {
		p = "/";
		n = 1;
	}
	if (sg_sbom__text_ok(p, n))
		sg_vec_push(&c->endpoints, sg_xasprintf("GET %.*s", (int)n,
		    p));
	return 0;
}

static int
collect_endpoints(struct ctx *c)
{
	struct sg_specset *set = NULL;
	struct sg_error e = SG_ERROR_INIT;
	struct sg_buf b;
	int error = 0;

	if ((error = health_endpoint(c)) < 0 || !c->opts->nfeatures)
		return error;
	sg_buf_init(&b, 0);
	if (sg_specset_collect(&set, c->opts->root, c->opts->features,
	    c->opts->nfeatures, SG_SPECSET_DEFER_CHECKS, &e) < 0) {
		/* no spec, no endpoints: the SBOM does not judge the spec */
		if (e.code != SG_ENOTFOUND)
			sg_sbom__warn(&c->set, "no endpoints read from the "
			    "spec: %s", e.message);
		goto out;
	}
	for (size_t i = 0; i < set->nfiles; i++)
		if ((error = scan_file(c, &set->files[i], &b)) < 0)
			goto out;
out:
	if (c->endpoints.len > 1)
		qsort(c->endpoints.items, c->endpoints.len,
		    sizeof(*c->endpoints.items), cmp_str);
	sg_specset_free(set);
	sg_error_release(&e);
	sg_buf_release(&b);
	return error;
}

/* ---- the document ---- */

static json_t *
jstr(const char *s)
{
	json_t *j = json_string(s);

	if (!j) /* not UTF-8: every string was checked; a bug if we get here */
		SG_BUG("a string of the SBOM is not UTF-8");
	return j;
}

static void
add_prop(json_t *props, const char *name, const char *value)
{
	json_t *p = json_object();

	json_object_set_new(p, "name", jstr(name));
	json_object_set_new(p, "value", jstr(value));
	json_array_append_new(props, p);
}

static json_t *
component_json(const struct sg_sbom__comp *c)
{
	json_t *o = json_object(), *props = json_array();

	json_object_set_new(o, "type", jstr(c->type));
	json_object_set_new(o, "bom-ref", jstr(c->ref));
	if (c->group)
		json_object_set_new(o, "group", jstr(c->group));
	json_object_set_new(o, "name", jstr(c->name));
	if (c->version)
		json_object_set_new(o, "version", jstr(c->version));
	if (c->hash) {
		json_t *h = json_object(), *hs = json_array();

		json_object_set_new(h, "alg", jstr(c->hash_alg));
		json_object_set_new(h, "content", jstr(c->hash));
		json_array_append_new(hs, h);
		json_object_set_new(o, "hashes", hs);
	}
	if (c->purl)
		json_object_set_new(o, "purl", jstr(c->purl));
	if (c->source)
		add_prop(props, "specgate:source", c->source);
	json_object_set_new(o, "properties", props);
	return o;
}

/* dependsOn of one ref: sorted, unique, only refs that exist. */
static json_t *
depends_json(const struct sg_sbom__set *set, const struct sg_sbom__dep *d,
    const char *self, const char *const *extra, size_t nextra)
{
	struct sg_vec v = SG_VEC_INIT;
	json_t *a = json_array();

	for (; d; d = d->next)
		if (strcmp(d->ref, self) && sg_sbom__find(set, d->ref))
			sg_vec_push(&v, (void *)d->ref);
	for (size_t i = 0; i < nextra; i++)
		sg_vec_push(&v, (void *)extra[i]);
	if (v.len > 1)
		qsort(v.items, v.len, sizeof(*v.items), cmp_str);
	for (size_t i = 0; i < v.len; i++)
		if (!i || strcmp(v.items[i], v.items[i - 1]))
			json_array_append_new(a, jstr(v.items[i]));
	sg_vec_release(&v);
	return a;
}

static json_t *
metadata_json(struct ctx *c, const char *main_ref, const char *ts)
{
	json_t *md = json_object(), *tools = json_object(), *tc = json_array();
	json_t *tool = json_object(), *tprops = json_array(), *main;
	json_t *props = json_array();

	json_object_set_new(md, "timestamp", jstr(ts));
	json_object_set_new(tool, "type", jstr("application"));
	json_object_set_new(tool, "name", jstr("specgate"));
	json_object_set_new(tool, "version", jstr(sg_version()));
	add_prop(tprops, "specgate:commit", sg_commit());
	json_object_set_new(tool, "properties", tprops);
	json_array_append_new(tc, tool);
	json_object_set_new(tools, "components", tc);
	json_object_set_new(md, "tools", tools);
	main = json_object();
	json_object_set_new(main, "type", jstr("application"));
	json_object_set_new(main, "bom-ref", jstr(main_ref));
	json_object_set_new(main, "name", jstr(c->opts->project));
	json_object_set_new(main, "version", jstr(c->opts->project_version));
	json_object_set_new(md, "component", main);
	if (c->opts->mode)
		add_prop(props, "specgate:mode", c->opts->mode);
	if (c->opts->feature_id)
		add_prop(props, "specgate:feature_id", c->opts->feature_id);
	if (c->opts->run_id)
		add_prop(props, "specgate:run_id", c->opts->run_id);
	if (json_array_size(props))
		json_object_set_new(md, "properties", props);
	else
		json_decref(props);
	return md;
}

static json_t *
service_json(struct ctx *c, const char *ref)
{
	json_t *s = json_object(), *eps = json_array(), *props = json_array();
	struct sg_vec paths = SG_VEC_INIT;

	for (size_t i = 0; i < c->endpoints.len; i++) {
		const char *e = c->endpoints.items[i];

		if (i && !strcmp(e, c->endpoints.items[i - 1]))
			continue;
		add_prop(props, "specgate:endpoint", e);
		sg_vec_push(&paths, (void *)(strchr(e, ' ') + 1));
	}
	qsort(paths.items, paths.len, sizeof(*paths.items), cmp_str);
	for (size_t i = 0; i < paths.len; i++)
		if (!i || strcmp(paths.items[i], paths.items[i - 1]))
			json_array_append_new(eps, jstr(paths.items[i]));
	json_object_set_new(s, "bom-ref", jstr(ref));
	json_object_set_new(s, "name", jstr(c->opts->project));
	json_object_set_new(s, "version", jstr(c->opts->project_version));
	json_object_set_new(s, "endpoints", eps);
	json_object_set_new(s, "properties", props);
	sg_vec_release(&paths);
	return s;
}

/* "urn:uuid:..." from a digest: version 5 and variant bits set. */
static void
serial_from(char *out, size_t size, const unsigned char *md)
{
	unsigned char u[16];

	memcpy(u, md, 16);
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x50);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	snprintf(out, size, "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4],
	    u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
	    u[15]);
}

static int
write_doc(struct ctx *c, struct sg_sbom *out)
{
	struct sg_sbom__set *set = &c->set;
	json_t *doc = json_object(), *comps = json_array(), *deps = json_array();
	json_t *d;
	char ts[SG_UTC_ISO_SIZE], serial[64];
	unsigned char md[SG_SHA256_LEN];
	char *main_ref = sg_xasprintf("project:%s", c->opts->project);
	char *svc_ref = sg_xasprintf("service:%s", c->opts->project);
	const char *svc = c->endpoints.len ? svc_ref : NULL;
	char *text = NULL;
	int error;

	if ((error = sg_utc_iso(ts, sg_utc_report_now())) < 0) {
		sg_error_set(c->err, error, "cannot format the time");
		goto out;
	}
	json_object_set_new(doc, "bomFormat", jstr("CycloneDX"));
	json_object_set_new(doc, "specVersion", jstr("1.6"));
	json_object_set_new(doc, "serialNumber", jstr(""));
	json_object_set_new(doc, "version", json_integer(1));
	json_object_set_new(doc, "metadata", metadata_json(c, main_ref, ts));
	for (size_t i = 0; i < set->comps.len; i++)
		json_array_append_new(comps, component_json(set->comps.items[i]));
	json_object_set_new(doc, "components", comps);
	if (svc) {
		json_t *ss = json_array();

		json_array_append_new(ss, service_json(c, svc));
		json_object_set_new(doc, "services", ss);
	}
	d = json_object();
	json_object_set_new(d, "ref", jstr(main_ref));
	json_object_set_new(d, "dependsOn", depends_json(set, set->root_deps,
	    main_ref, &svc, svc ? 1 : 0));
	json_array_append_new(deps, d);
	for (size_t i = 0; i < set->comps.len; i++) {
		const struct sg_sbom__comp *cp = set->comps.items[i];

		d = json_object();
		json_object_set_new(d, "ref", jstr(cp->ref));
		json_object_set_new(d, "dependsOn", depends_json(set, cp->deps,
		    cp->ref, NULL, 0));
		json_array_append_new(deps, d);
	}
	if (svc) {
		d = json_object();
		json_object_set_new(d, "ref", jstr(svc));
		json_object_set_new(d, "dependsOn", json_array());
		json_array_append_new(deps, d);
	}
	json_object_set_new(doc, "dependencies", deps);
	/* the serial number: SHA-256 of the document without one */
	text = json_dumps(doc, JSON_PRESERVE_ORDER | JSON_COMPACT);
	if (!text || (error = sg_sha256_buf(md, text, strlen(text),
	    c->err)) < 0) {
		error = error ? error : sg_error_set(c->err, SG_EIO,
		    "cannot write the SBOM");
		goto out;
	}
	free(text);
	serial_from(serial, sizeof(serial), md);
	json_object_set_new(doc, "serialNumber", jstr(serial));
	text = json_dumps(doc, JSON_PRESERVE_ORDER | JSON_INDENT(2));
	if (!text) {
		error = sg_error_set(c->err, SG_EIO, "cannot write the SBOM");
		goto out;
	}
	out->len = strlen(text);
	out->json = sg_xrealloc(text, out->len + 2);
	out->json[out->len++] = '\n';
	out->json[out->len] = '\0';
	text = NULL;
	out->ncomponents = set->comps.len;
out:
	free(text);
	free(main_ref);
	free(svc_ref);
	json_decref(doc);
	return error;
}

static void
ctx_release(struct ctx *c)
{
	for (size_t i = 0; i < c->needs.len; i++) {
		struct need *n = c->needs.items[i];

		free(n->path);
		free(n->real);
		free(n);
	}
	for (size_t i = 0; i < c->real.len; i++)
		free(c->real.items[i]);
	for (size_t i = 0; i < c->endpoints.len; i++)
		free(c->endpoints.items[i]);
	sg_vec_release(&c->needs);
	sg_vec_release(&c->artifacts);
	sg_vec_release(&c->real);
	sg_vec_release(&c->endpoints);
	sg_dpkg_free(c->dpkg);
	free(c->root_real);
	sg_sbom__set_release(&c->set);
}

static bool
text_or_null(const char *s)
{
	return !s || sg_sbom__text_ok(s, strlen(s));
}

int
sg_sbom_build(struct sg_sbom **out, const struct sg_sbom_options *opts,
    struct sg_error *err)
{
	struct sg_dpkg_options dopts = {opts->dpkg_admindir, opts->ld_cache,
	    opts->lib_root};
	struct ctx c = {.opts = opts, .err = err};
	struct sg_sbom *sb = sg_xcalloc(1, sizeof(*sb));
	int error;

	*out = NULL;
	sg_sbom__set_init(&c.set);
	if (!opts->root || !opts->project || !opts->project_version)
		SG_BUG("sg_sbom_build needs a root, a project and a version");
	if (!text_or_null(opts->project) || !text_or_null(opts->project_version)
	    || !text_or_null(opts->mode) || !text_or_null(opts->feature_id) ||
	    !text_or_null(opts->run_id)) {
		error = sg_error_set(err, SG_EINVAL, "the project name, version "
		    "and run fields of an SBOM must be UTF-8 text");
		goto out;
	}
	if (!sg_fs_is_dir(opts->root)) {
		error = sg_error_set(err, SG_ENOTFOUND, "'%s' is not a "
		    "directory", opts->root);
		goto out;
	}
	sg_fs_realpath(&c.root_real, opts->root);
	for (size_t i = 0; i < opts->ncomponents; i++)
		if ((error = sg_sbom__add_declared(&c.set, opts->components[i],
		    err)) < 0)
			goto out;
	if ((error = sg_dpkg_open(&c.dpkg, &dopts, err)) < 0 ||
	    (error = collect_artifacts(&c)) < 0 ||
	    (error = resolve_libraries(&c)) < 0)
		goto out;
	if (!opts->no_lockfiles && (error = collect_lockfiles(&c)) < 0)
		goto out;
	if ((error = collect_endpoints(&c)) < 0)
		goto out;
	sg_sbom__set_finish(&c.set);
	if ((error = write_doc(&c, sb)) < 0)
		goto out;
	if (c.set.nwarnings_dropped)
		sg_sbom__warn(&c.set, "%zu more notes not shown",
		    c.set.nwarnings_dropped);
	sb->nwarnings = c.set.warnings.len;
	sb->warnings = (char **)c.set.warnings.items;
	c.set.warnings = (struct sg_vec)SG_VEC_INIT;
	*out = sb;
	sb = NULL;
out:
	ctx_release(&c);
	sg_sbom_free(sb);
	return error;
}

void
sg_sbom_free(struct sg_sbom *sbom)
{
	if (!sbom)
		return;
	for (size_t i = 0; i < sbom->nwarnings; i++)
		free(sbom->warnings[i]);
	free(sbom->warnings);
	free(sbom->json);
	free(sbom);
}
