/* SPDX-License-Identifier: MIT */
/*
 * profile.h - the compliance profile: what a project must configure before
 * a compliance run may exist (docs/compliance.md).
 *
 * A compliance run that could pass on nothing (no validate command, no
 * gate input, no approver, no build artifact) would be evidence of
 * nothing, so `specgate run` and `specgate resume` in compliance check the
 * profile before they create a run id, a bundle or an audit record, and
 * refuse (exit 2) with every missing item; `specgate doctor` prints the
 * same list for any project ("could this project run in compliance
 * today?").  The items, in this order:
 *
 *	validate.run		at least one validate command
 *	gates.coverage.files	set in specgate.yaml (not the default)
 *	gates.tests.files	the same, for JUnit
 *	gates.sast.files	the same, for SARIF
 *	stages.build.artifacts	a build stage with declared artifacts
 *	stages.deploy.run	a deploy stage with commands
 *	approvals.required	at least 1
 *	approvals.keys		at least approvals.required readable,
 *				distinct public keys (by key id)
 *	approvals.separation	none of them is the signing key's public
 *				key (compared by key id)
 *	signing.key		a usable signing key: the file exists, group
 *				and others have no access, it is a private
 *				key (encrypted PKCS#8 is checked without its
 *				passphrase)
 *
 * The pipeline's key id comes from opts' signer_keyid when the caller
 * loaded the key, else from the key itself when it is not encrypted, else
 * from its public half beside it (PREFIX.pub, as `specgate keygen` writes
 * it).  When none is available, approvals.separation is "unknown".
 *
 * The core never prints: the caller renders the items.
 */
#ifndef SPECGATE_PROFILE_H
#define SPECGATE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "specgate/config.h"
#include "specgate/error.h"

enum sg_profile_state {
	SG_PROFILE_OK = 0,
	SG_PROFILE_MISSING = 1,
	SG_PROFILE_UNKNOWN = 2, /* cannot be told yet (see the top) */
};

struct sg_profile_item {
	const char *key;	     /* "gates.sast.files": static */
	enum sg_profile_state state;
	char *found;		     /* what the configuration holds */
	char *fix;		     /* what to add; NULL when ok */
};

struct sg_profile {
	struct sg_profile_item *items;
	size_t n;
	size_t nmissing; /* items MISSING */
	size_t nunknown; /* items UNKNOWN */
};

/* "ok", "missing", "unknown". */
const char *sg_profile_state_name(enum sg_profile_state st);

/*
 * Check cfg against the compliance profile, whatever cfg's mode.
 * signer_keyid: the in-use signing key's id (sg_key_id() formula), or
 * NULL.  Fills *out (release with sg_profile_release()).  Returns 0
 * (missing items are a result, not an error).
 */
int sg_profile_check(struct sg_profile *out, const struct sg_config *cfg,
    const char *signer_keyid, struct sg_error *err);

void sg_profile_release(struct sg_profile *p);

#endif /* SPECGATE_PROFILE_H */
