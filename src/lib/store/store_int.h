/* SPDX-License-Identifier: MIT */
/*
 * store_int.h - what the library's modules on top of the store (the audit
 * trail, src/lib/audit/) see of a store handle: its backend and
 * connection, and transactions that remember whether one is open so that a
 * failure anywhere can roll back without knowing.
 */
#ifndef SG_STORE_STORE_INT_H
#define SG_STORE_STORE_INT_H

#include <stdbool.h>

#include "specgate/store.h"
#include "specgate/sys/store_backend.h"
#include "util/util.h"

struct sg_store {
	const struct sg_store_backend *be;
	void *conn;	/* the backend's connection */
	char *location; /* owned: for messages */
	bool in_txn;	/* a transaction is open */
	bool shared;	/* a server's store: sg_store_is_shared() */
};

/* Start a transaction; SG_BUG when one is already open. */
int sg_store__begin(struct sg_store *st, enum sg_store_txn kind,
    struct sg_error *err);

/* Commit the open transaction. */
int sg_store__commit(struct sg_store *st, struct sg_error *err);

/* Roll back the open transaction, if any.  Harmless when there is none. */
void sg_store__rollback(struct sg_store *st);

/* true when s is "sandbox" or "compliance". */
bool sg_store__mode_is_valid(const char *s);

#endif /* SG_STORE_STORE_INT_H */
