/* SPDX-License-Identifier: MIT */
/*
 * profile.c - the compliance profile (specgate/profile.h): one check per
 * item, each saying what it found and, when something is missing, what to
 * add, in words a user can paste into specgate.yaml.
 *
 * Why gate inputs must be set in specgate.yaml rather than left to their
 * defaults: the profile is what the project declares it gates on; a
 * default path that nothing writes is exactly how an empty compliance
 * pipeline used to pass.  The run still checks at validate time that each
 * input appeared (a missing input fails compliance).
 *
 * Key files are read without their passphrase (sg_key_inspect()), so the
 * check needs no secret and can run anywhere: in `specgate doctor` on a
 * laptop, before a run asks for the passphrase.
 */
#include "specgate/profile.h"

#include <string.h>

#include "specgate/sign.h"
#include "sys/fs.h"
#include "util/util.h"

static struct sg_profile_item *
add(struct sg_profile *p, const char *key, enum sg_profile_state st,
    char *found, char *fix)
{
	struct sg_profile_item *it;

	p->items = sg_xreallocarray(p->items, p->n + 1, sizeof(*p->items));
	it = &p->items[p->n++];
	it->key = key;
	it->state = st;
	it->found = found;
	it->fix = st == SG_PROFILE_OK ? NULL : fix;
	if (st == SG_PROFILE_OK)
		free(fix);
	if (st == SG_PROFILE_MISSING)
		p->nmissing++;
	else if (st == SG_PROFILE_UNKNOWN)
		p->nunknown++;
	return it;
}

const char *
sg_profile_state_name(enum sg_profile_state st)
{
	switch (st) {
	case SG_PROFILE_OK:
		return "ok";
	case SG_PROFILE_MISSING:
		return "missing";
	default:
		return "unknown";
	}
}

void
sg_profile_release(struct sg_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->items[i].found);
		free(p->items[i].fix);
	}
	free(p->items);
	memset(p, 0, sizeof(*p));
}

/* A path of the configuration, as the user's working directory sees it. */
static char *
from_root(const struct sg_config *cfg, const char *rel)
{
	if (rel[0] == '/' || !cfg->root_rel || !strcmp(cfg->root_rel, "."))
		return sg_xstrdup(rel);
	return sg_xasprintf("%s/%s", cfg->root_rel, rel);
}

static void
check_validate(struct sg_profile *p, const struct sg_config *cfg)
{
	size_t n = cfg->stages[SG_STAGE_VALIDATE].run.n;

	add(p, "validate.run", n ? SG_PROFILE_OK : SG_PROFILE_MISSING,
	    sg_xasprintf("%zu validate command%s", n, n == 1 ? "" : "s"),
	    sg_xstrdup("add stages: {validate: {run: [COMMAND]}}, a command "
		       "that runs the tests and writes the coverage, JUnit "
		       "and SARIF files the gates read"));
}

static void
check_gate(struct sg_profile *p, const struct sg_config *cfg,
    const char *key, const struct sg_strlist *files, const char *what,
    const char *example)
{
	const char *origin = sg_config_origin(cfg, key);
	bool set = origin && strcmp(origin, "default") && files->n;

	add(p, key, set ? SG_PROFILE_OK : SG_PROFILE_MISSING,
	    set ? sg_xasprintf("%zu pattern%s (%s)", files->n,
		      files->n == 1 ? "" : "s", origin) :
		  sg_xstrdup("not set in specgate.yaml"),
	    sg_xasprintf("set %s in specgate.yaml (e.g. %s) to the %s a "
			 "validate command writes",
		key, example, what));
}

static void
check_build(struct sg_profile *p, const struct sg_config *cfg)
{
	const struct sg_stage_config *sc = &cfg->stages[SG_STAGE_BUILD];

	add(p, "stages.build.artifacts",
	    sc->artifacts.n ? SG_PROFILE_OK : SG_PROFILE_MISSING,
	    !sc->configured ? sg_xstrdup("no build stage") :
			      sg_xasprintf("%zu declared artifact%s",
				  sc->artifacts.n,
				  sc->artifacts.n == 1 ? "" : "s"),
	    sg_xstrdup("add stages: {build: {run: [COMMAND], artifacts: "
		       "[PATH]}}: what is built, hashed, described by the "
		       "SBOM and approved"));
}

static void
check_deploy(struct sg_profile *p, const struct sg_config *cfg)
{
	const struct sg_stage_config *sc = &cfg->stages[SG_STAGE_DEPLOY];

	/* the built-in local target is a deploy step too (docs/deploy.md) */
	add(p, "stages.deploy.run", sc->run.n || sc->target ? SG_PROFILE_OK :
							      SG_PROFILE_MISSING,
	    !sc->configured ? sg_xstrdup("no deploy stage") :
	    sc->target ? sg_xasprintf("%zu deploy command%s and the %s "
			     "target", sc->run.n, sc->run.n == 1 ? "" : "s",
			     sc->target) :
			      sg_xasprintf("%zu deploy command%s", sc->run.n,
				  sc->run.n == 1 ? "" : "s"),
	    sg_xstrdup("add stages: {deploy: {run: [COMMAND]}}: the step "
		       "that approvals guard"));
}

/*
 * The signing key: usable without its passphrase, and its key id (for
 * separation of duties) in keyid ("" when it cannot be known).
 */
static void
check_signing(struct sg_profile *p, const struct sg_config *cfg,
    char *keyid)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_key *key = NULL;
	char *path = NULL;
	char *pub = NULL;
	bool encrypted = false;

	keyid[0] = '\0';
	if (!cfg->signing_key || !*cfg->signing_key) {
		add(p, "signing.key", SG_PROFILE_MISSING,
		    sg_xstrdup("no signing key configured"),
		    sg_xstrdup("set signing.key (or SPECGATE_SIGNING_KEY) "
			       "and make the key with `specgate keygen`"));
		return;
	}
	path = from_root(cfg, cfg->signing_key);
	if (!sg_fs_exists(path)) {
		add(p, "signing.key", SG_PROFILE_MISSING,
		    sg_xasprintf("'%s' does not exist", path),
		    sg_xasprintf("make it with `specgate keygen` (a "
				 "passphrase-protected key, written to "
				 "signing.key's default), or set signing.key "
				 "to the pipeline's key"));
		goto out;
	}
	if (sg_key_inspect(&key, &encrypted, path, true, &err) < 0) {
		add(p, "signing.key", SG_PROFILE_MISSING,
		    sg_xstrdup(err.message),
		    sg_xasprintf("fix '%s' (chmod 600, or make a new key with "
				 "`specgate keygen`)",
			path));
		goto out;
	}
	if (key) {
		if (sg_key_id(keyid, key, &err) < 0)
			keyid[0] = '\0';
	} else {
		pub = sg_key_public_path(path);
		if (sg_fs_exists(pub) && sg_key_load_public(&key, pub, &err) == 0 &&
		    sg_key_id(keyid, key, &err) < 0)
			keyid[0] = '\0';
	}
	add(p, "signing.key", SG_PROFILE_OK,
	    sg_xasprintf("'%s', %s", path,
		encrypted ? "an encrypted private key" :
			    "a private key (not encrypted)"),
	    NULL);
out:
	sg_key_free(key);
	free(pub);
	free(path);
	sg_error_release(&err);
}

/* approvals.keys: readable and distinct, and never the signing key. */
static void
check_approvals(struct sg_profile *p, const struct sg_config *cfg,
    const char *pipeline_id)
{
	struct sg_error err = SG_ERROR_INIT;
	size_t n = cfg->approval_keys.n;
	char (*ids)[65] = sg_xcalloc(n ? n : 1, sizeof(*ids));
	struct sg_buf bad, self;
	size_t distinct = 0;
	unsigned req = cfg->approvals_required;
	struct sg_key *key;
	char *path;

	sg_buf_init(&bad, 0);
	sg_buf_init(&self, 0);
	add(p, "approvals.required", req >= 1 ? SG_PROFILE_OK :
						SG_PROFILE_MISSING,
	    sg_xasprintf("%u", req),
	    sg_xstrdup("set approvals: {required: 1} (or more): a "
		       "compliance deploy waits for that many approvers"));
	for (size_t i = 0; i < n; i++) {
		bool dup = false;

		key = NULL;
		path = from_root(cfg, cfg->approval_keys.items[i]);
		if (sg_key_load_public(&key, path, &err) < 0 ||
		    sg_key_id(ids[i], key, &err) < 0) {
			sg_buf_printf(&bad, "%s%s", bad.len ? "; " : "",
			    err.message);
			sg_error_release(&err);
			ids[i][0] = '\0';
		} else if (pipeline_id && *pipeline_id &&
		    !strcmp(ids[i], pipeline_id)) {
			sg_buf_printf(&self, "%s%s", self.len ? ", " : "",
			    cfg->approval_keys.items[i]);
		} else {
			for (size_t j = 0; j < i && !dup; j++)
				dup = !strcmp(ids[j], ids[i]);
			distinct += !dup;
		}
		sg_key_free(key);
		free(path);
	}
	add(p, "approvals.keys",
	    distinct >= req && req >= 1 ? SG_PROFILE_OK : SG_PROFILE_MISSING,
	    sg_xasprintf("%zu readable, distinct approver key%s of %zu listed"
			 "%s%s",
		distinct, distinct == 1 ? "" : "s", n, bad.len ? ": " : "",
		bad.len ? bad.ptr : ""),
	    sg_xasprintf("list at least %u approver public key%s under "
			 "approvals.keys (each approver runs `specgate "
			 "keygen --out NAME` and hands over NAME.pub)",
		req ? req : 1, req > 1 ? "s" : ""));
	if (self.len)
		add(p, "approvals.separation", SG_PROFILE_MISSING,
		    sg_xasprintf("approvals.keys lists the pipeline's own "
				 "signing key: %s",
			self.ptr),
		    sg_xstrdup("remove it: the key that signs a run's "
			       "evidence can never approve that run"));
	else if (!pipeline_id || !*pipeline_id)
		add(p, "approvals.separation", SG_PROFILE_UNKNOWN,
		    sg_xstrdup("the signing key's id is unknown without its "
			       "passphrase"),
		    sg_xstrdup("keep the signing key's public half beside it "
			       "(PREFIX.pub, as `specgate keygen` writes it)"));
	else
		add(p, "approvals.separation", SG_PROFILE_OK,
		    sg_xasprintf("no approver key is the signing key %.16s...",
			pipeline_id),
		    NULL);
	sg_buf_release(&bad);
	sg_buf_release(&self);
	free(ids);
}

int
sg_profile_check(struct sg_profile *out, const struct sg_config *cfg,
    const char *signer_keyid, struct sg_error *err)
{
	char keyid[65];
	struct sg_profile_item signing;
	size_t at;

	memset(out, 0, sizeof(*out));
	check_validate(out, cfg);
	check_gate(out, cfg, "gates.coverage.files", &cfg->coverage.files,
	    "lcov or Cobertura coverage", "gates: {coverage: {files: "
	    "[coverage.info]}}");
	check_gate(out, cfg, "gates.tests.files", &cfg->test_files,
	    "JUnit XML", "gates: {tests: {files: [build/test-results/*.xml]}}");
	check_gate(out, cfg, "gates.sast.files", &cfg->sast_files,
	    "SARIF 2.1.0", "gates: {sast: {files: [build/sast/*.sarif]}}");
	check_build(out, cfg);
	check_deploy(out, cfg);
	/* The key first (its id), listed last, after the approvals. */
	at = out->n;
	check_signing(out, cfg, keyid);
	signing = out->items[at];
	out->n--;
	check_approvals(out, cfg, signer_keyid ? signer_keyid : keyid);
	out->items = sg_xreallocarray(out->items, out->n + 1,
	    sizeof(*out->items));
	out->items[out->n++] = signing;
	(void)err;
	return 0;
}
