/* SPDX-License-Identifier: MIT */
/*
 * featbranch.c - the runner's side of the feature branch (run_int.h,
 * specgate/branch.h, docs/internals/branch.md):
 *
 *   preflight	claim auto/spec-implementation/<id> (or -vN) for the run;
 *		a finding in the mode fails preflight, NO_REPO in sandbox
 *		is a warning
 *   generate	after its commands: commit what changed on the branch,
 *		`feat(auto): implement spec <id>`, and write
 *		generated-files.json (each file with its SHA-256)
 *   validate	after the fix commands (sandbox auto-fix, stage.c): commit
 *		what changed as `auto-fix: minor issues`
 *   the end	drop the claim, whatever happened
 *
 * What changed is what differs from the branch's tip in the working tree
 * (sg_branch_changes()), the reports directory and .specgate left out:
 * evidence is not source.  The commits never touch the user's checkout.
 * A commit refused because the branch moved under us (another writer) is
 * a failure of the stage, not of the system.
 */
#include "run/run_int.h"

#include <jansson.h>
#include <string.h>

#include "evidence/hash.h"
#include "run/run_work.h"
#include "sys/dir.h"
#include "util/utctime.h"
#include "util/util.h"

#define GENERATED SG_RUN__GENERATED

int
sg_run__branch_claim(struct sg_run__ctx *c, struct sg_buf *log,
    char *detail, size_t detail_size, bool *finding, struct sg_error *err)
{
	struct sg_branch_options o = SG_BRANCH_OPTIONS_INIT;
	struct sg_branch_claim *b = &c->branch;
	int error;

	*finding = false;
	if (!c->cfg->branch_enabled) {
		/* sg_run_execute() refused this in compliance */
		sg_buf_printf(log, "branch: disabled (branch.enabled: false, "
				   "%s): no feature branch, nothing committed\n",
		    sg_config_origin(c->cfg, "branch.enabled"));
		snprintf(detail, detail_size, "branch disabled");
		return 0;
	}
	o.root = c->cfg->root;
	o.feature_id = c->out->feature_id;
	o.run_id = c->out->run_id;
	o.mode = c->cfg->mode;
	o.is_active = sg_branch_store_is_active;
	o.payload = c->st;
	if ((error = sg_branch_claim(b, &o, err)) < 0) {
		sg_branch_claim_release(b);
		memset(b, 0, sizeof(*b));
		return error;
	}
	*finding = sg_branch_finding(b, c->cfg->mode);
	c->claimed = b->status == SG_BRANCH_CREATED ||
	    b->status == SG_BRANCH_REUSED;
	sg_buf_printf(log, "branch: %s%s\n",
	    *finding ? "error: " : (b->status == SG_BRANCH_NO_REPO ||
		b->variant > 1 ? "warning: " : ""), b->message);
	sg_buf_printf(log, "branch: status %s, name %s, variant %u, tip %s\n",
	    sg_branch_status_name(b->status), *b->name ? b->name : "-",
	    b->variant, *b->tip ? b->tip : "-");
	for (size_t i = 0; i < b->nskipped; i++)
		sg_buf_printf(log, "branch: skipped %s: %s%s%s\n",
		    b->skipped[i].name,
		    sg_branch_reason_name(b->skipped[i].reason),
		    *b->skipped[i].commit ? " " : "",
		    *b->skipped[i].commit ? b->skipped[i].commit :
		    b->skipped[i].holder);
	if (c->claimed)
		snprintf(detail, detail_size, "branch %s %s (variant %u)",
		    sg_branch_status_name(b->status), b->name, b->variant);
	else
		snprintf(detail, detail_size, "branch %s: %.250s",
		    sg_branch_status_name(b->status), b->message);
	return 0;
}

void
sg_run__branch_release(struct sg_run__ctx *c)
{
	struct sg_error mine = SG_ERROR_INIT;

	if (c->claimed || c->branch.held)
		sg_branch_release(&c->branch, &mine);
	sg_branch_claim_release(&c->branch);
	memset(&c->branch, 0, sizeof(c->branch));
	c->claimed = false;
	sg_error_release(&mine);
}

/* The files array of generated-files.json (a deleted file: no digest). */
static int
files_json(json_t **out, struct sg_run__ctx *c, char **paths, size_t n,
    struct sg_error *err)
{
	struct sg_hash_options ho = SG_HASH_OPTIONS_INIT;
	struct sg_dir root = SG_DIR_INIT;
	struct sg_error mine = SG_ERROR_INIT;
	json_t *a = json_array();
	int error;
	int e;

	ho.threads = 1;
	if ((error = sg_dir_open(&root, NULL, c->cfg->root_rel, 0, err)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct sg_hash_item it;

		memset(&it, 0, sizeof(it));
		it.path = paths[i];
		e = sg_hash_files(&it, 1, &root, &ho, &mine);
		if (e == SG_ENOTFOUND) {
			json_array_append_new(a, json_pack("{s:s, s:b}",
			    "path", paths[i], "deleted", 1));
		} else if (e < 0) {
			error = sg_error_set(err, SG_EIO, "%s", mine.message);
			goto out;
		} else {
			json_array_append_new(a, json_pack("{s:s, s:s, s:I}",
			    "path", paths[i], "sha256", it.sha256, "size",
			    (json_int_t)it.size));
		}
		sg_hash_items_release(&it, 1);
		sg_error_release(&mine);
	}
out:
	sg_error_release(&mine);
	sg_dir_close(&root);
	if (error < 0)
		json_decref(a);
	else
		*out = a;
	return error;
}

static int
generated_files(struct sg_run__ctx *c, char **paths, size_t n,
    const struct sg_branch_commit_result *r, struct sg_error *err)
{
	char ts[SG_UTC_ISO_SIZE];
	json_t *doc = NULL;
	json_t *files = NULL;
	int error;

	if (sg_utc_iso(ts, sg_utc_report_now()) < 0)
		return sg_error_set(err, SG_EIO, "the clock is out of range");
	if ((error = files_json(&files, c, paths, n, err)) < 0)
		return error;
	doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:o}",
	    "schema", "specgate/generated-files/v1", "feature_id",
	    c->out->feature_id, "run_id", c->out->run_id, "mode",
	    sg_mode_name(c->cfg->mode), "timestamp", ts, "branch",
	    c->branch.name, "commit",
	    r->committed || *r->commit ? json_string(r->commit) : json_null(),
	    "committed", r->committed, "files", files);
	return sg_run__write_json(c, SG_STAGE_GENERATE, GENERATED, doc, err);
}

int
sg_run__branch_commit(struct sg_run__ctx *c, enum sg_stage_id stage,
    struct sg_buf *log, char *note, size_t note_size, bool *ok,
    struct sg_error *err)
{
	const char *exclude[2];
	struct sg_branch_commit_result r;
	struct sg_error mine = SG_ERROR_INIT;
	enum sg_branch_commit_kind kind = stage == SG_STAGE_GENERATE ?
	    SG_BRANCH_COMMIT_GENERATE : SG_BRANCH_COMMIT_AUTOFIX;
	char **paths = NULL;
	size_t n = 0;
	int error = 0;
	int e;

	*ok = true;
	memset(&r, 0, sizeof(r));
	if (!c->claimed) {
		snprintf(note, note_size, "no feature branch: nothing "
		    "committed");
		sg_buf_printf(log, "-- %s\n", note);
		if (stage == SG_STAGE_GENERATE)
			error = generated_files(c, NULL, 0, &r, err);
		return error;
	}
	exclude[0] = c->cfg->reports;
	exclude[1] = ".specgate";
	if ((e = sg_branch_changes(&paths, &n, &c->branch, exclude, 2,
		 &mine)) == 0)
		e = sg_branch_commit(&r, &c->branch, kind,
		    (const char *const *)paths, n, &mine);
	if (e == SG_EIO) {
		error = sg_error_set(err, SG_EIO, "%s", mine.message);
		goto out;
	}
	if (e < 0) {
		*ok = false;
		snprintf(note, note_size, "commit on %s failed: %.300s",
		    c->branch.name, mine.message);
		sg_buf_printf(log, "-- %s\n", note);
		goto out;
	}
	if (r.committed)
		snprintf(note, note_size, "%s %.12s on %s (%zu file%s)",
		    kind == SG_BRANCH_COMMIT_GENERATE ? "commit" :
		    "auto-fix commit", r.commit, c->branch.name, r.nchanged,
		    r.nchanged == 1 ? "" : "s");
	else
		snprintf(note, note_size, "nothing to commit on %s",
		    c->branch.name);
	sg_buf_printf(log, "-- %s\n", note);
	for (size_t i = 0; i < n; i++)
		sg_buf_printf(log, "--   %s\n", paths[i]);
	if (stage == SG_STAGE_GENERATE)
		error = generated_files(c, paths, n, &r, err);
out:
	sg_branch_paths_free(paths);
	sg_error_release(&mine);
	return error;
}
