/* SPDX-License-Identifier: MIT */
/*
 * migrations.h - the schema migrations of the SQLite and PostgreSQL
 * backends, embedded at build time.
 *
 * tools/gen-migrations turns src/lib/store/migrations/NNNN_name.sql into
 * $(BUILD)/gen/migrations.c and src/lib/store/migrations/pg/NNNN_name.sql
 * into $(BUILD)/gen/migrations_pg.c, which define the arrays below in
 * version order
 * (1, 2, 3... without a gap: the generator refuses anything else).  A
 * migration is applied once, in the same transaction that records it in
 * schema_version, so a crash leaves a store either before or after it.
 *
 * Rejected: reading the .sql files at run time (the binary would need them
 * beside it) and writing the SQL as C strings by hand (unreadable diffs, and
 * the files can no longer be fed to the sqlite3 shell for a try).
 */
#ifndef SG_STORE_MIGRATIONS_H
#define SG_STORE_MIGRATIONS_H

struct sg_store_migration {
	unsigned version; /* NNNN of the file name, from 1 */
	const char *name; /* "0001_initial" */
	const char *sql;  /* one or more statements */
};

extern const struct sg_store_migration sg_store__sqlite_migrations[];
extern const unsigned sg_store__sqlite_nmigrations;

/*
 * PostgreSQL's: the same versions, each the same schema in PostgreSQL's
 * syntax (a version means one schema whatever the backend, which is what
 * `specgate store copy` relies on).
 */
extern const struct sg_store_migration sg_store__pg_migrations[];
extern const unsigned sg_store__pg_nmigrations;

#endif /* SG_STORE_MIGRATIONS_H */
