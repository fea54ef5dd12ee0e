/* SPDX-License-Identifier: MIT */
/*
 * health.c - GET /healthz: is the service able to do its job right now?
 *
 * Three checks, each reported under "checks" with "status": "ok" or
 * "error" (and "not_configured" for the key):
 *
 *	store		a fresh connection opens the store and reads the
 *			audit trail's head (not a pooled one: a store
 *			that was deleted or replaced must show here)
 *	reports		the reports directory (or, before the first run,
 *			the directory it will be created in) is a directory
 *			we may write to, with at least min_free_bytes free
 *	signing_key	when one is configured, checked without its
 *			passphrase (the dashboard host need not hold it):
 *			the key file exists, is readable, has no access for
 *			group or others in compliance, and is a private
 *			key (an encrypted PKCS#8 PEM parses as one, an
 *			unencrypted key loads); its public half beside it
 *			(PREFIX.pub) is a valid public key, and the one
 *			of an unencrypted key.  The result is kept until
 *			the key file's identity (device, inode, size,
 *			mtime, ctime) changes.
 *
 * The checks run at most once a second (sg_service__health() below); the
 * document's timestamp is when they ran.
 *
 * The document starts with the seed's fields in the seed's order
 * (docs/product.md §8) so that a client written for the system specgate
 * replaces reads it unchanged: status, version, commit, timestamp,
 * metrics.health_up; then mode, service, checks, and errors when one
 * failed.
 */
#include "service/service_int.h"

#include "specgate/audit.h"
#include "specgate/sg.h"
#include "specgate/sign.h"
#include "sys/fs.h"
#include "util/utctime.h"

static void
check_fail(json_t *check, json_t *errors, const char *name,
    const char *message)
{
	json_object_set_new(check, "status", json_string("error"));
	json_object_set_new(check, "message", json_string(message));
	json_array_append_new(errors, json_sprintf("%s: %s", name, message));
}

static json_t *
check_store(struct sg_service *svc, json_t *errors)
{
	struct sg_store_options so = SG_STORE_OPTIONS_INIT;
	struct sg_error err = SG_ERROR_INIT;
	struct sg_audit_head head;
	struct sg_store *st = NULL;
	json_t *c = json_pack("{s:s}", "status", "ok");

	so.root = svc->root;
	so.flags = SG_STORE_OPEN_NO_CREATE;
	so.busy_timeout_ms = 2000;
	if (sg_store_open(&st, svc->store_url, &so, &err) < 0 ||
	    sg_audit_head(&head, st, &err) < 0) {
		check_fail(c, errors, "store", err.message);
	} else {
		json_object_set_new(c, "audit_records",
		    json_integer((json_int_t)head.seq));
	}
	sg_store_close(st);
	sg_error_release(&err);
	return c;
}

static json_t *
check_reports(struct sg_service *svc, json_t *errors)
{
	struct sg_error err = SG_ERROR_INIT;
	json_t *c = json_pack("{s:s}", "status", "ok");
	char *dir = sg_xstrdup(svc->reports);
	size_t rootlen = strlen(svc->root);
	char *slash;
	uint64_t free_bytes = 0;

	/* Before the first run the directory is absent: a run creates it. */
	while (!sg_fs_exists(dir) && (slash = strrchr(dir, '/')) &&
	    slash != dir)
		*slash = '\0';
	/* Shown from the project root: absolute paths say too much. */
	json_object_set_new(c, "path", json_string(!strncmp(dir, svc->root,
	    rootlen) && dir[rootlen] == '/' ? dir + rootlen + 1 : dir));
	if (sg_fs_check_writable_dir(dir, &err) < 0 ||
	    sg_fs_free_bytes(&free_bytes, dir, &err) < 0) {
		check_fail(c, errors, "reports", err.message);
		goto out;
	}
	json_object_set_new(c, "free_bytes", json_integer((json_int_t)
	    (free_bytes > INT64_MAX ? INT64_MAX : free_bytes)));
	json_object_set_new(c, "min_free_bytes",
	    json_integer((json_int_t)svc->min_free_bytes));
	if (free_bytes < svc->min_free_bytes) {
		snprintf(err.message, sizeof(err.message),
		    "'%s' has %llu bytes free, below the %llu required", dir,
		    (unsigned long long)free_bytes,
		    (unsigned long long)svc->min_free_bytes);
		check_fail(c, errors, "reports", err.message);
	}
out:
	free(dir);
	sg_error_release(&err);
	return c;
}

/* The key file and its public half, without the passphrase. */
static int
key_check(struct sg_service *svc, struct sg_error *err)
{
	struct sg_key *key = NULL;
	struct sg_key *pub = NULL;
	char *pubf = sg_key_public_path(svc->signing_key);
	char a[65], b[65];
	bool encrypted;
	int error;

	if ((error = sg_key_inspect(&key, &encrypted, svc->signing_key,
		 svc->mode_enum == SG_MODE_COMPLIANCE, err)) < 0)
		goto out;
	if (!sg_fs_exists(pubf)) {
		/* An unencrypted key is its own public key. */
		if (!key)
			error = sg_error_set(err, SG_EINVAL,
			    "no public key '%s' beside the encrypted key: "
			    "nothing can be checked without the passphrase",
			    pubf);
		goto out;
	}
	if ((error = sg_key_load_public(&pub, pubf, err)) < 0)
		goto out;
	if (key && (sg_key_id(a, key, err) < 0 || sg_key_id(b, pub, err) < 0 ||
		       strcmp(a, b)))
		error = sg_error_set(err, SG_EINVAL,
		    "'%s' is not the public key of '%s'", pubf,
		    svc->signing_key);
out:
	sg_key_free(key);
	sg_key_free(pub);
	free(pubf);
	return error;
}

/* Check the key when its file changed since the last check; lock held. */
static void
key_refresh(struct sg_service *svc)
{
	struct sg_error err = SG_ERROR_INIT;
	struct sg_fs_id id;

	if (sg_fs_id(&id, svc->signing_key, &err) < 0) {
		svc->key_checked = false;
		snprintf(svc->key_error, sizeof(svc->key_error), "%s",
		    err.message);
		goto out;
	}
	if (svc->key_checked && sg_fs_id_equal(&id, &svc->key_id))
		goto out;
	if (key_check(svc, &err) < 0)
		snprintf(svc->key_error, sizeof(svc->key_error), "%s",
		    err.message);
	else
		svc->key_error[0] = '\0';
	svc->key_id = id;
	svc->key_checked = true;
out:
	sg_error_release(&err);
}

static json_t *
check_key(struct sg_service *svc, json_t *errors)
{
	json_t *c = json_pack("{s:s}", "status", "ok");

	if (!svc->signing_key) {
		json_object_set_new(c, "status", json_string("not_configured"));
		return c;
	}
	json_object_set_new(c, "path", json_string(svc->signing_key +
	    (!strncmp(svc->signing_key, svc->root, strlen(svc->root)) &&
		svc->signing_key[strlen(svc->root)] == '/' ?
		strlen(svc->root) + 1 : 0)));
	sg_mutex_lock(&svc->lock);
	key_refresh(svc);
	if (svc->key_error[0])
		check_fail(c, errors, "signing_key", svc->key_error);
	sg_mutex_unlock(&svc->lock);
	return c;
}

static bool
health_run(json_t **out, struct sg_service *svc)
{
	char now[SG_UTC_ISO_SIZE];
	json_t *errors = json_array();
	json_t *checks = json_object();
	json_t *doc;
	bool healthy;

	json_object_set_new(checks, "store", check_store(svc, errors));
	json_object_set_new(checks, "reports", check_reports(svc, errors));
	json_object_set_new(checks, "signing_key", check_key(svc, errors));
	healthy = json_array_size(errors) == 0;
	if (sg_utc_iso(now, sg_utc_now()) < 0)
		snprintf(now, sizeof(now), "1970-01-01T00:00:00Z");
	doc = json_pack("{s:s,s:s,s:s,s:s,s:{s:i},s:s,s:s,s:o}", "status",
	    healthy ? "healthy" : "unhealthy", "version", sg_version(),
	    "commit", sg_commit(), "timestamp", now, "metrics", "health_up",
	    healthy ? 1 : 0, "mode", svc->mode, "service", svc->project,
	    "checks", checks);
	if (!doc)
		SG_BUG("json_pack failed");
	if (!healthy)
		json_object_set(doc, "errors", errors);
	json_decref(errors);
	*out = doc;
	return healthy;
}

/*
 * The checks open a store connection and stat three paths: about half a
 * millisecond.  A load balancer polling many times a second would spend
 * the service on them, so a document is reused for up to
 * SG_SERVICE_HEALTH_TTL_MS; its timestamp says when the checks ran.
 */
bool
sg_service__health(json_t **out, struct sg_service *svc)
{
	uint64_t now = sg_clock_ms();
	json_t *doc = NULL;
	bool healthy;

	sg_mutex_lock(&svc->lock);
	if (svc->health && now - svc->health_at_ms < SG_SERVICE_HEALTH_TTL_MS)
		doc = json_deep_copy(svc->health);
	sg_mutex_unlock(&svc->lock);
	if (doc) {
		*out = doc;
		return json_integer_value(json_object_get(json_object_get(doc,
		    "metrics"), "health_up")) == 1;
	}
	healthy = health_run(&doc, svc);
	sg_mutex_lock(&svc->lock);
	json_decref(svc->health);
	svc->health = json_deep_copy(doc);
	svc->health_at_ms = now;
	sg_mutex_unlock(&svc->lock);
	*out = doc;
	return healthy;
}

void
sg_service__healthz(struct sg_service_response *r, struct sg_service *svc,
    const struct sg_service_request *req)
{
	json_t *doc;
	bool healthy = sg_service__health(&doc, svc);

	sg_service__reply_json(r, healthy ? 200 : 503, doc);
	json_decref(doc);
}
