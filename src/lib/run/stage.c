/* SPDX-License-Identifier: MIT */
/*
 * stage.c - one stage of the pipeline: its commands, attempts, retries,
 * artifacts and rollback (specgate/run.h, run_int.h).
 *
 * A stage is a small state machine, driven one event at a time:
 *
 *   state           event                       next
 *   ATTEMPT         commands exit 0, artifacts  DONE success
 *   ATTEMPT         a command failed, tries     WAIT (checkpoint retry)
 *   ATTEMPT         a command failed, no tries  ROLLBACK (ckpt failure)
 *   ATTEMPT, WAIT   cancel                      DONE cancelled
 *   WAIT            interval elapsed            ATTEMPT
 *   ROLLBACK        its commands ran            DONE rolled_back/failure
 *
 * Commands run one after the other; the first that fails ends the attempt
 * (as `set -e` would).  Output is redacted once, in sg_proc_run(), and
 * the same bytes go to the terminal callback, logs/<stage>.log and the
 * commands' tails.  The log is kept in memory (capped at 64 MiB: past
 * that, a line says how much was dropped) and written when the stage ends,
 * before the checkpoint that names it, so that the checkpoint can carry
 * its digest; a bundle is only read once it is published anyway.  The
 * rollback's output goes to logs/<stage>-rollback.log, written before the
 * `rolled_back` checkpoint that names it.
 */
#include "run/run_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "evidence/hash.h"
#include "run/run_deploy.h"
#include "run/run_usage.h"
#include "run/run_work.h"
#include "sys/dir.h"
#include "sys/spawn.h"
#include "util/util.h"

#define LOG_MAX (64u << 20)

extern char **environ;

struct stage {
	struct sg_run__ctx *c;
	enum sg_stage_id id;
	struct sg_stage_result *res;
	struct sg_stage_plan plan;
	struct sg_buf log;
	size_t dropped;		/* log bytes past LOG_MAX */
	char **env;		/* base + the stage's env */
	struct sg_run_command *cmd; /* the one running */
	struct sg_buf tails[2];
	bool truncated[2];
	unsigned attempt;
	unsigned nattempts;
	char why[512];		/* why the attempt failed */
	char fixnote[300];	/* why validate's auto-fix did not run */
};

/* ---- environment and secrets ---- */

static bool
name_listed(const struct sg_config *cfg, const char *kv, size_t nlen)
{
	for (size_t i = 0; i < cfg->secrets.n; i++)
		if (strlen(cfg->secrets.items[i]) == nlen &&
		    !strncmp(cfg->secrets.items[i], kv, nlen))
			return true;
	return false;
}

/* If "NAME=VALUE" names a secret, redact VALUE. */
static void
maybe_secret(struct sg_run__ctx *c, const char *kv)
{
	const char *eq = strchr(kv, '=');
	char *name;

	if (!eq)
		return;
	name = sg_xstrndup(kv, (size_t)(eq - kv));
	if (sg_redact_name_is_secret(name) ||
	    name_listed(c->cfg, kv, (size_t)(eq - kv)))
		sg_redact_add(c->redact, eq + 1);
	free(name);
}

static void
env_push(char ***env, size_t *n, char *kv)
{
	*env = sg_xreallocarray(*env, *n + 2, sizeof(**env));
	(*env)[(*n)++] = kv;
	(*env)[*n] = NULL;
}

/* Replace or add NAME=VALUE (kv is owned by env from now on). */
static void
env_set(char ***env, size_t *n, char *kv)
{
	size_t nl = (size_t)(strchr(kv, '=') - kv);

	for (size_t i = 0; i < *n; i++) {
		if (!strncmp((*env)[i], kv, nl + 1)) {
			free((*env)[i]);
			(*env)[i] = kv;
			return;
		}
	}
	env_push(env, n, kv);
}

/*
 * specgate's own secrets, which no stage command needs and none may get:
 * the signing key's passphrase (with it, a command could sign forged
 * bundles with the key file it can read) and a store URL that carries a
 * credential.  They stay in the redactor, in case they reach output some
 * other way.
 */
static bool
own_secret(const char *kv)
{
	char *masked;
	bool secret;

	if (!strncmp(kv, "SPECGATE_KEY_PASSWORD=", 22))
		return true;
	if (strncmp(kv, "SPECGATE_DATABASE_URL=", 22))
		return false;
	masked = sg_url_mask(kv + 22);
	secret = strcmp(masked, kv + 22) != 0;
	free(masked);
	return secret;
}

void
sg_run__env_init(struct sg_run__ctx *c)
{
	char *const *base = c->opts->environ ? c->opts->environ : environ;

	c->redact = sg_redact_new();
	c->env = NULL;
	c->nenv = 0;
	for (size_t i = 0; base && base[i]; i++) {
		if (!strchr(base[i], '='))
			continue;
		maybe_secret(c, base[i]);
		if (!own_secret(base[i]))
			env_push(&c->env, &c->nenv, sg_xstrdup(base[i]));
	}
	if (!c->env)
		env_push(&c->env, &c->nenv,
		    sg_xstrdup("SPECGATE_MODE=sandbox"));
	env_set(&c->env, &c->nenv,
	    sg_xasprintf("SPECGATE_MODE=%s", sg_mode_name(c->cfg->mode)));
	env_set(&c->env, &c->nenv,
	    sg_xasprintf("SPECGATE_FEATURE_ID=%s", c->out->feature_id));
	for (int s = 0; s < SG_STAGE_COUNT; s++) {
		const struct sg_stage_config *sc = &c->cfg->stages[s];

		for (size_t i = 0; i < sc->nenv; i++) {
			char *kv = sg_xasprintf("%s=%s", sc->env[i].key,
			    sc->env[i].value);

			maybe_secret(c, kv);
			free(kv);
		}
	}
}

static void
env_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

void
sg_run__env_release(struct sg_run__ctx *c)
{
	env_free(c->env);
	c->env = NULL;
	sg_redact_free(c->redact);
	c->redact = NULL;
}

static char **
stage_env(struct stage *s)
{
	const struct sg_stage_config *sc = &s->c->cfg->stages[s->id];
	char **env = NULL;
	size_t n = 0;

	for (size_t i = 0; i < s->c->nenv; i++)
		env_push(&env, &n, sg_xstrdup(s->c->env[i]));
	env_set(&env, &n, sg_xasprintf("SPECGATE_RUN_ID=%s",
	    s->c->out->run_id));
	env_set(&env, &n, sg_xasprintf("SPECGATE_STAGE=%s",
	    sg_stage_name(s->id)));
	for (size_t i = 0; i < sc->nenv; i++)
		env_set(&env, &n, sg_xasprintf("%s=%s", sc->env[i].key,
		    sc->env[i].value));
	return env;
}

/*
 * Text for people and documents (a command line, a log, an output tail):
 * the run's secrets redacted, then the credentials of every URL masked
 * (util/urlmask.c).  A new string.
 */
static char *
mask_text(const struct sg_run__ctx *c, const char *text, size_t len,
    size_t *outlen)
{
	size_t n;
	char *r = sg_redact_text(c->redact, text, len, &n);
	char *m = sg_text_mask_urls(r, n, outlen);

	sg_memzero(r, n);
	free(r);
	return m;
}

/* ---- the plan ---- */

void
sg_run_stage_plan(struct sg_stage_plan *out, const struct sg_config *cfg,
    enum sg_stage_id stage)
{
	const struct sg_stage_config *sc = &cfg->stages[stage];

	out->retries = sc->has_retries ? sc->retries : cfg->retry.retries;
	out->interval_ms = sc->has_interval ? sc->interval_ms :
	    cfg->retry.interval_ms;
	out->backoff = sc->has_backoff ? sc->backoff : cfg->retry.backoff;
	out->timeout_ms = sc->timeout_ms;
}

uint64_t
sg_run_retry_delay(const struct sg_stage_plan *p, unsigned n)
{
	double d = (double)p->interval_ms;

	for (unsigned i = 1; i < n; i++)
		d *= p->backoff;
	if (d > (double)SG_DURATION_MAX_MS)
		d = (double)SG_DURATION_MAX_MS;
	return (uint64_t)d;
}

/* ---- output ---- */

static void
log_put(struct stage *s, const char *data, size_t len)
{
	size_t room = s->log.len < LOG_MAX ? LOG_MAX - s->log.len : 0;

	if (len > room) {
		s->dropped += len - room;
		len = room;
	}
	if (len)
		sg_buf_put(&s->log, data, len);
}

static void SG_PRINTF(2, 3)
log_printf(struct stage *s, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		log_put(s, line, (size_t)n < sizeof(line) ? (size_t)n :
		    sizeof(line) - 1);
}

static void
tail_put(struct stage *s, int i, const char *data, size_t len)
{
	struct sg_buf *t = &s->tails[i];

	sg_buf_put(t, data, len);
	if (t->len > 2 * SG_RUN_TAIL) {
		memmove(t->ptr, t->ptr + t->len - SG_RUN_TAIL, SG_RUN_TAIL);
		sg_buf_truncate(t, SG_RUN_TAIL);
		s->truncated[i] = true;
	}
}

static void
on_output(int stream, const char *data, size_t len, void *payload)
{
	struct stage *s = payload;
	const struct sg_run_options *o = s->c->opts;
	char *m;
	size_t n;

	log_put(s, data, len);
	tail_put(s, stream == 2, data, len);
	if (o->output) {
		/* Live, read by read: a URL split by a read is masked in
		 * the log (write_log()), maybe not here. */
		m = sg_text_mask_urls(data, len, &n);
		o->output(s->id, stream, m, n, o->payload);
		free(m);
	}
}

static void
on_tick(uint64_t elapsed_ms, void *payload)
{
	struct stage *s = payload;
	const struct sg_run_options *o = s->c->opts;

	if (o->activity)
		o->activity(s->id, s->cmd->attempt, s->nattempts,
		    s->cmd->command, elapsed_ms, o->payload);
}

static char *
tail_take(struct sg_buf *t)
{
	const char *p = t->ptr;
	size_t n = t->len;

	if (n > SG_RUN_TAIL) {
		p += n - SG_RUN_TAIL;
		n = SG_RUN_TAIL;
	}
	return sg_text_mask_urls(p, n, NULL);
}

/* ---- commands ---- */

/*
 * The command as every record shows it (log, link, deploy.json, details,
 * the terminal): masked (mask_text()).  The shell gets the real one.
 */
static struct sg_run_command *
new_command(struct stage *s, const char *command, unsigned attempt)
{
	struct sg_stage_result *r = s->res;
	struct sg_run_command *cmd;

	r->commands = sg_xreallocarray(r->commands, r->ncommands + 1,
	    sizeof(*r->commands));
	cmd = &r->commands[r->ncommands++];
	memset(cmd, 0, sizeof(*cmd));
	cmd->command = mask_text(s->c, command, strlen(command), NULL);
	cmd->attempt = attempt;
	return cmd;
}

/* Run one command; 0 whatever it did, or SG_EIO. */
static int
run_command(struct stage *s, const char *command, unsigned attempt,
    struct sg_error *err)
{
	struct sg_proc_options po = SG_PROC_OPTIONS_INIT;
	const struct sg_run_options *o = s->c->opts;
	struct sg_proc_result *pr;
	char how[256];
	int error;

	s->cmd = new_command(s, command, attempt);
	pr = &s->cmd->result;
	for (int i = 0; i < 2; i++) {
		sg_buf_init(&s->tails[i], 0);
		s->truncated[i] = false;
	}
	log_printf(s, "$ %s\n", s->cmd->command);
	if (o->activity)
		o->activity(s->id, attempt, s->nattempts, s->cmd->command, 0,
		    o->payload);
	po.command = command;
	po.cwd = s->c->cfg->root;
	po.env = s->env;
	po.timeout_ms = s->plan.timeout_ms;
	po.grace_ms = o->grace_ms;
	po.redact = s->c->redact;
	po.cancel_fd = o->cancel_fd;
	po.output = on_output;
	po.tick = on_tick;
	po.payload = s;
	error = sg_proc_run(pr, &po, err);
	for (int i = 0; i < 2; i++) {
		char *t = tail_take(&s->tails[i]);

		if (i == 0) {
			s->cmd->stdout_tail = t;
			s->cmd->stdout_truncated = s->truncated[0];
		} else {
			s->cmd->stderr_tail = t;
			s->cmd->stderr_truncated = s->truncated[1];
		}
		sg_buf_release(&s->tails[i]);
	}
	if (error < 0)
		return error;
	if (s->log.len && s->log.ptr[s->log.len - 1] != '\n')
		log_put(s, "\n", 1);
	log_printf(s,
	    "-- %s (wall %.3f s, user %.3f s, sys %.3f s, max RSS %" PRIu64
	    " KiB)\n",
	    sg_proc_result_describe(how, sizeof(how), pr, po.timeout_ms),
	    (double)pr->wall_us / 1e6, (double)pr->user_us / 1e6,
	    (double)pr->sys_us / 1e6, pr->maxrss_kb);
	s->res->user_us += pr->user_us;
	s->res->sys_us += pr->sys_us;
	if (pr->maxrss_kb > s->res->maxrss_kb)
		s->res->maxrss_kb = pr->maxrss_kb;
	if (pr->cancelled)
		s->c->cancelled = true;
	if (!sg_proc_result_ok(pr))
		snprintf(s->why, sizeof(s->why), "'%s': %s", s->cmd->command,
		    how);
	return 0;
}

/* ---- artifacts ---- */

struct globbed {
	char **paths;
	size_t n;
};

static void
on_match(const char *match, void *payload)
{
	struct globbed *g = payload;

	g->paths = sg_xreallocarray(g->paths, g->n + 1, sizeof(*g->paths));
	g->paths[g->n++] = sg_xstrdup(match);
}

static void
artifacts_release(struct sg_stage_result *r)
{
	for (size_t i = 0; i < r->nartifacts; i++)
		free(r->artifacts[i].path);
	free(r->artifacts);
	r->artifacts = NULL;
	r->nartifacts = 0;
}

/* Expand the globs; a pattern matching nothing fails the attempt. */
static bool
glob_artifacts(struct stage *s, struct globbed *g)
{
	const struct sg_strlist *pats = &s->c->cfg->stages[s->id].artifacts;
	int n;

	for (size_t i = 0; i < pats->n; i++) {
		n = sg_sys_glob(s->c->cfg->root_rel, pats->items[i], on_match,
		    g);
		if (n <= 0) {
			snprintf(s->why, sizeof(s->why),
			    "artifact '%s' %s", pats->items[i],
			    n < 0 ? "cannot be searched" : "matches no file");
			log_printf(s, "-- %s\n", s->why);
			return false;
		}
	}
	return true;
}

/* Hash the stage's artifacts: false (s->why) when one is missing. */
static int
hash_artifacts(bool *ok, struct stage *s, struct sg_error *err)
{
	struct globbed g = {NULL, 0};
	struct sg_hash_item *items = NULL;
	struct sg_error mine = SG_ERROR_INIT;
	struct sg_dir root = SG_DIR_INIT;
	struct sg_stage_result *r = s->res;
	int error = 0;
	int e;

	*ok = true;
	artifacts_release(r);
	if (!s->c->cfg->stages[s->id].artifacts.n)
		return 0;
	if (!(*ok = glob_artifacts(s, &g)))
		goto out;
	items = sg_xcalloc(g.n, sizeof(*items));
	for (size_t i = 0; i < g.n; i++)
		items[i].path = g.paths[i];
	if ((error = sg_dir_open(&root, NULL, s->c->cfg->root_rel, 0,
		 err)) < 0)
		goto out;
	if ((e = sg_hash_files(items, g.n, &root, NULL, &mine)) < 0) {
		if (e == SG_EIO) {
			error = sg_error_set(err, SG_EIO, "%s", mine.message);
			goto out;
		}
		*ok = false;
		snprintf(s->why, sizeof(s->why), "artifacts: %.400s",
		    mine.message);
		log_printf(s, "-- %s\n", s->why);
		goto out;
	}
	r->artifacts = sg_xcalloc(g.n, sizeof(*r->artifacts));
	for (size_t i = 0; i < g.n; i++) {
		struct sg_run_artifact *a = &r->artifacts[r->nartifacts++];

		a->path = sg_xstrdup(items[i].path);
		a->is_link = items[i].type == SG_FS_SYMLINK;
		a->size = items[i].size;
		memcpy(a->sha256, items[i].sha256, 65);
		log_printf(s, "-- artifact %s: %" PRIu64 " bytes, sha256 %s\n",
		    a->path, a->size, a->sha256);
	}
out:
	if (items)
		sg_hash_items_release(items, g.n);
	free(items);
	for (size_t i = 0; i < g.n; i++)
		free(g.paths[i]);
	free(g.paths);
	sg_dir_close(&root);
	sg_error_release(&mine);
	return error;
}

/* ---- attempts ---- */

/* A signal that came between two commands cancels the run too. */
static void
pending_cancel(struct sg_run__ctx *c)
{
	int sig = c->opts->cancel_fd >= 0 ?
	    sg_proc_sleep(0, c->opts->cancel_fd) : 0;

	if (sig) {
		c->cancelled = true;
		c->out->cancel_signal = sig;
	}
}

/*
 * The resource gate, in compliance, after each command that succeeded:
 * the attempt so far against the mode's limits (resources.c).  Exceeding
 * them fails the attempt like a failed command, so retries and rollback
 * apply and no later stage (deploy) runs.  Sandbox only records the
 * figures; the audit stage's resource-estimates.json warns.
 */
static bool
resources_exceeded(struct stage *s)
{
	struct sg_run__usage u;

	if (s->c->cfg->mode != SG_MODE_COMPLIANCE)
		return false;
	sg_run__attempt_usage(&u, s->res, s->attempt);
	if (!sg_run__usage_exceeds(s->c, &u, s->why, sizeof(s->why)))
		return false;
	log_printf(s, "-- %s\n", s->why);
	return true;
}

/* One attempt: *ok when every command succeeded and the artifacts exist. */
static int
attempt(bool *ok, struct stage *s, struct sg_error *err)
{
	const struct sg_strlist *run = &s->c->cfg->stages[s->id].run;
	int error;

	*ok = false;
	log_printf(s, "== %s: attempt %u of %u ==\n", sg_stage_name(s->id),
	    s->attempt, s->nattempts);
	if (s->id == SG_STAGE_GENERATE &&
	    ((error = sg_run__generate(s->c, &s->log, ok, s->why,
		sizeof(s->why), err)) < 0 || !*ok))
		return error;
	*ok = false;
	for (size_t i = 0; i < run->n; i++) {
		if (!s->c->cancelled)
			pending_cancel(s->c);
		if (s->c->cancelled)
			return 0;
		if ((error = run_command(s, run->items[i], s->attempt, err)) <
		    0)
			return error;
		if (s->c->cancelled) {
			s->c->out->cancel_signal = s->cmd->result.cancel_signal;
			return 0;
		}
		if (!sg_proc_result_ok(&s->cmd->result) ||
		    resources_exceeded(s))
			return 0;
	}
	if (s->id == SG_STAGE_DEPLOY &&
	    ((error = sg_run__deploy_check(s->c, s->attempt, &s->log, ok,
		s->why, sizeof(s->why), err)) < 0 || !*ok))
		return error;
	if ((error = hash_artifacts(ok, s, err)) < 0 || !*ok ||
	    s->id != SG_STAGE_GENERATE)
		return error;
	return sg_run__branch_commit(s->c, s->id, &s->log, s->why,
	    sizeof(s->why), ok, err);
}

/* The command that ended the attempt by failing, or NULL (artifacts...). */
static const char *
failed_command(const struct stage *s)
{
	const struct sg_run_command *cmd = s->cmd;

	return cmd && cmd->attempt == s->attempt &&
	    !sg_proc_result_ok(&cmd->result) ? cmd->command : NULL;
}

static bool
listed(const struct sg_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->items[i], s))
			return true;
	return false;
}

/*
 * Sandbox auto-fix: when validate's first attempt failed because a
 * command marked fixable (`fixable:`, a linter or a formatter) failed,
 * its fix commands once, their changes committed on the feature branch,
 * and one more attempt (granted, and without the retry interval).  Any
 * other failure (a test, an artifact) is not the fixers' business: the
 * fix does not run, and s->fixnote says why for the log and the next
 * checkpoint.  *fixed (OUT).
 */
static int
autofix(bool *fixed, struct stage *s, struct sg_error *err)
{
	const struct sg_stage_config *sc = &s->c->cfg->stages[s->id];
	const struct sg_strlist *fix = &sc->fix;
	const char *failed = failed_command(s);
	char detail[1400];
	char note[400];
	char why[512];
	char *trigger;
	bool ok = true;
	int error;

	*fixed = false;
	if (s->id != SG_STAGE_VALIDATE || !fix->n || s->c->cancelled)
		return 0;
	if (s->c->cfg->mode != SG_MODE_SANDBOX)
		snprintf(s->fixnote, sizeof(s->fixnote), "auto-fix: not run "
		    "(compliance mode)");
	else if (!failed)
		snprintf(s->fixnote, sizeof(s->fixnote), "auto-fix: not run "
		    "(no command failed)");
	else if (!listed(&sc->fixable, failed))
		snprintf(s->fixnote, sizeof(s->fixnote), "auto-fix: not run "
		    "('%.200s' is not marked fixable)", failed);
	if (s->fixnote[0]) {
		log_printf(s, "-- %s\n", s->fixnote);
		return 0;
	}
	trigger = sg_xstrdup(failed);
	memcpy(why, s->why, sizeof(why));
	log_printf(s, "== %s: auto-fix ==\n-- '%s' is marked fixable\n",
	    sg_stage_name(s->id), trigger);
	for (size_t i = 0; i < fix->n && ok && !s->c->cancelled; i++) {
		if ((error = run_command(s, fix->items[i], s->attempt,
			 err)) < 0)
			goto out;
		ok = sg_proc_result_ok(&s->cmd->result);
	}
	error = 0;
	if (s->c->cancelled)
		goto out;
	if (!ok)
		snprintf(note, sizeof(note), "fix failed: %.300s", s->why);
	else if ((error = sg_run__branch_commit(s->c, s->id, &s->log, note,
		      sizeof(note), &ok, err)) < 0)
		goto out;
	*fixed = ok;
	if (ok)
		s->nattempts++;
	snprintf(detail, sizeof(detail), "attempt %u of %u failed: %.500s; "
	    "auto-fix ('%.200s' is fixable): %zu command%s, %s%s", s->attempt,
	    s->nattempts - ok, why, trigger, fix->n, fix->n == 1 ? "" : "s",
	    note, ok ? "; next now" : "");
	log_printf(s, "-- auto-fix: %s\n", ok ? "retrying now" : note);
	if (!ok)
		memcpy(s->why, why, sizeof(why));
	error = sg_run__checkpoint(s->c, s->id, ok ? SG_CP_RETRY : SG_CP_WARNING,
	    NULL, NULL, detail, err);
out:
	free(trigger);
	return error;
}

/* The log, its URLs masked as a whole (a URL split by reads too). */
static int
write_log(char *out_sha, struct stage *s, const char *name,
    struct sg_error *err)
{
	char *text;
	size_t n;
	int error;

	if (s->dropped)
		sg_buf_printf(&s->log, "-- %zu bytes of output dropped "
		    "(the log is capped at %u MiB)\n", s->dropped,
		    LOG_MAX >> 20);
	text = sg_text_mask_urls(s->log.ptr ? s->log.ptr : "", s->log.len,
	    &n);
	error = sg_run__write(s->c, s->id, name, text, n, out_sha, err);
	free(text);
	return error;
}

/* The rollback commands, after the last attempt failed. */
static int
rollback(struct stage *s, struct sg_error *err)
{
	const struct sg_strlist *rb = &s->c->cfg->stages[s->id].rollback;
	char name[64];
	char sha[65];
	char detail[600];
	bool ok = s->c->restored >= 0;
	int error = 0;

	sg_buf_truncate(&s->log, 0);
	s->dropped = 0;
	log_printf(s, "== %s: rollback ==\n", sg_stage_name(s->id));
	if (!ok)
		snprintf(s->why, sizeof(s->why), "restoring the previous "
		    "release: %s", s->c->restore_why);
	for (size_t i = 0; i < rb->n && ok; i++) {
		if ((error = run_command(s, rb->items[i], 0, err)) < 0)
			return error;
		ok = sg_proc_result_ok(&s->cmd->result);
	}
	snprintf(name, sizeof(name), "logs/%s-rollback.log",
	    sg_stage_name(s->id));
	if ((error = write_log(sha, s, name, err)) < 0)
		return error;
	if (ok && s->c->restored)
		snprintf(detail, sizeof(detail), "rollback: %s; %zu "
		    "command%s succeeded", s->c->restore_why, rb->n,
		    rb->n == 1 ? "" : "s");
	else if (ok)
		snprintf(detail, sizeof(detail), "rollback: %zu command%s "
		    "succeeded", rb->n, rb->n == 1 ? "" : "s");
	else
		snprintf(detail, sizeof(detail), "rollback failed: %s",
		    s->why);
	s->res->rolled_back = ok;
	return sg_run__checkpoint(s->c, s->id, ok ? SG_CP_ROLLED_BACK : SG_CP_FAILURE,
	    name, sha, detail, err);
}

static void
fmt_ms(char *buf, size_t size, uint64_t ms)
{
	if (ms % 1000)
		snprintf(buf, size, "%" PRIu64 "ms", ms);
	else
		snprintf(buf, size, "%" PRIu64 "s", ms / 1000);
}

/* Attempts until one succeeds, the tries run out, or a cancel. */
static int
attempts(bool *ok, struct stage *s, struct sg_error *err)
{
	char detail[800];
	char wait[32];
	uint64_t delay;
	bool fixed = false;
	int error;
	int sig;

	for (s->attempt = 1; s->attempt <= s->nattempts; s->attempt++) {
		s->res->attempts = s->attempt;
		s->why[0] = '\0';
		s->fixnote[0] = '\0';
		if ((error = attempt(ok, s, err)) < 0)
			return error;
		if (!*ok && s->attempt == 1 &&
		    (error = autofix(&fixed, s, err)) < 0)
			return error;
		if (fixed && s->attempt == 1)
			continue;
		if (*ok || s->c->cancelled || s->attempt == s->nattempts)
			return 0;
		delay = sg_run_retry_delay(&s->plan, s->attempt);
		fmt_ms(wait, sizeof(wait), delay);
		snprintf(detail, sizeof(detail),
		    "attempt %u of %u failed: %s; %s%snext in %s", s->attempt,
		    s->nattempts, s->why, s->fixnote, *s->fixnote ? "; " : "",
		    wait);
		log_printf(s, "-- retry in %s\n", wait);
		if ((error = sg_run__checkpoint(s->c, s->id, SG_CP_RETRY, NULL,
			 NULL, detail, err)) < 0)
			return error;
		if ((sig = sg_proc_sleep(delay, s->c->opts->cancel_fd))) {
			s->c->cancelled = true;
			s->c->out->cancel_signal = sig;
			return 0;
		}
	}
	return 0;
}

static const char *
skip_reason(char *buf, size_t size, const struct sg_run__ctx *c,
    enum sg_stage_id id)
{
	const struct sg_stage_config *sc = &c->cfg->stages[id];
	const struct sg_run_options *o = c->opts;

	if (c->cancelled)
		return "not run: the run was cancelled";
	if (c->failed) {
		snprintf(buf, size, "not run: %s failed",
		    sg_stage_name(c->out->failed_stage));
		return buf;
	}
	if (id < o->from) {
		snprintf(buf, size, "not run: --from %s",
		    sg_stage_name(o->from));
		return buf;
	}
	if (id > o->to) {
		snprintf(buf, size, "not run: --to %s", sg_stage_name(o->to));
		return buf;
	}
	if (!sc->run.n && !sc->artifacts.n &&
	    !sg_run__gates_wanted(c, id) &&
	    !(id == SG_STAGE_DEPLOY && sc->target) &&
	    !(id == SG_STAGE_GENERATE && sc->templates))
		return "not run: no commands configured";
	return NULL;
}

/*
 * The document a stage wrote as its main output (generate's
 * generated-files.json, deploy's deploy.json), NULL when it wrote none
 * (generate's commands failed): the checkpoint names it, else the log.
 */
static const char *
stage_document(const struct stage *s, const char **sha)
{
	const struct sg_stage_result *r = s->res;
	const char *doc = s->id == SG_STAGE_GENERATE ? SG_RUN__GENERATED :
	    s->id == SG_STAGE_DEPLOY ? SG_RUN__DEPLOY_JSON : NULL;

	for (size_t i = r->nfiles; doc && i-- > 0;) {
		if (!strcmp(r->files[i], doc)) {
			*sha = r->files_sha256[i];
			return r->files[i];
		}
	}
	return NULL;
}

static int
finish(struct stage *s, bool ok, const struct sg_run__work *w,
    struct sg_error *err)
{
	char name[64];
	char sha[65];
	char detail[1400];
	enum sg_checkpoint_status status;
	const char *out, *out_sha;
	size_t n;
	int error;

	snprintf(name, sizeof(name), "logs/%s.log", sg_stage_name(s->id));
	if (s->c->cancelled) {
		status = SG_CP_CANCELLED;
		snprintf(detail, sizeof(detail), "cancelled by SIG%s during "
		    "attempt %u", sg_proc_signal_name(s->c->out->cancel_signal),
		    s->res->attempts);
	} else if (ok) {
		status = SG_CP_SUCCESS;
		snprintf(detail, sizeof(detail), "%zu command%s, %zu "
		    "artifact%s, attempt %u of %u",
		    s->c->cfg->stages[s->id].run.n,
		    s->c->cfg->stages[s->id].run.n == 1 ? "" : "s",
		    s->res->nartifacts, s->res->nartifacts == 1 ? "" : "s",
		    s->res->attempts, s->nattempts);
		if (s->id == SG_STAGE_DEPLOY && s->c->opts->promote) {
			n = strlen(detail);
			snprintf(detail + n, sizeof(detail) - n, "; environment "
			    "%s, promotes run %s", s->c->opts->promote->env->name,
			    s->c->opts->promote->run_id);
		}
		/* the kubernetes target wrote manifests, applied nothing */
		if (s->id == SG_STAGE_DEPLOY && sg_run__kube_enabled(s->c)) {
			status = SG_CP_RENDERED;
			n = strlen(detail);
			snprintf(detail + n, sizeof(detail) - n, "; kubernetes "
			    "manifests rendered, not applied (no cluster)");
		}
		if (w->done) {
			status = w->status;
			n = strlen(detail);
			snprintf(detail + n, sizeof(detail) - n, "; %s",
			    w->detail);
		}
		if (status == SG_CP_FAILURE) {
			s->c->failed = true;
			s->c->out->failed_stage = s->id;
		}
	} else {
		status = SG_CP_FAILURE;
		snprintf(detail, sizeof(detail), "attempt %u of %u failed: %s%s%s",
		    s->res->attempts, s->nattempts, s->why,
		    *s->fixnote ? "; " : "", s->fixnote);
		s->c->failed = true;
		s->c->out->failed_stage = s->id;
	}
	if (!ok && !s->c->cancelled && s->id == SG_STAGE_DEPLOY &&
	    (error = sg_run__deploy_restore(s->c, &s->log, err)) < 0)
		return error;
	if ((error = write_log(sha, s, name, err)) < 0 ||
	    (s->id == SG_STAGE_DEPLOY &&
		(error = sg_run__deploy_document(s->c, err)) < 0))
		return error;
	out = name;
	out_sha = sha;
	if (*w->output) {
		out = w->output;
		out_sha = w->sha256;
	} else if (stage_document(s, &out_sha)) {
		out = stage_document(s, &out_sha);
	}
	if ((error = sg_run__checkpoint(s->c, s->id, status, out, out_sha,
		 detail, err)) < 0)
		return error;
	if (!ok && !s->c->cancelled && (s->c->cfg->stages[s->id].rollback.n ||
	    s->c->restored))
		return rollback(s, err);
	return 0;
}

/*
 * The build stage's SBOM after its gates (when a gate is bound to build):
 * the SBOM stays the checkpoint's output, the worse status wins, and the
 * details are joined.
 */
static int
sbom_work(struct sg_run__ctx *c, struct sg_buf *log, struct sg_run__work *w,
    struct sg_error *err)
{
	struct sg_run__work b;
	char detail[sizeof(w->detail)];
	int error;

	memset(&b, 0, sizeof(b));
	if ((error = sg_run__sbom(c, log, &b, err)) < 0 || !b.done)
		return error;
	if (w->done) {
		snprintf(detail, sizeof(detail), "%.250s; %.250s", b.detail,
		    w->detail);
		memcpy(b.detail, detail, sizeof(b.detail));
		if (b.status != SG_CP_FAILURE &&
		    (w->status == SG_CP_FAILURE || w->status == SG_CP_WARNING))
			b.status = w->status;
	}
	*w = b;
	return 0;
}

int
sg_run__stage(struct sg_run__ctx *c, enum sg_stage_id id,
    struct sg_error *err)
{
	struct sg_run__work w;
	struct stage s;
	char buf[128];
	const char *why;
	uint64_t t0;
	bool ok = false;
	int error;

	c->out->stages[id].stage = id;
	if ((why = skip_reason(buf, sizeof(buf), c, id)))
		return sg_run__checkpoint(c, id, SG_CP_SKIPPED, NULL, NULL, why,
		    err);
	memset(&s, 0, sizeof(s));
	s.c = c;
	s.id = id;
	s.res = &c->out->stages[id];
	sg_run_stage_plan(&s.plan, c->cfg, id);
	s.nattempts = s.plan.retries + 1;
	sg_buf_init(&s.log, 0);
	s.env = stage_env(&s);
	t0 = sg_proc_now_ms();
	if ((error = attempts(&ok, &s, err)) < 0)
		goto out;
	/* The built-in work, once the commands did theirs (gates.c, build_sbom.c). */
	memset(&w, 0, sizeof(w));
	if (ok && !c->cancelled)
		error = sg_run__gates(c, id, &s.log, &w, err);
	if (!error && ok && !c->cancelled && id == SG_STAGE_BUILD &&
	    !(w.done && w.status == SG_CP_FAILURE))
		error = sbom_work(c, &s.log, &w, err);
	if (error < 0)
		goto out;
	s.res->wall_us = (sg_proc_now_ms() - t0) * 1000;
	error = finish(&s, ok, &w, err);
out:
	sg_buf_release(&s.log);
	env_free(s.env);
	return error;
}
