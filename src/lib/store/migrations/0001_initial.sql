-- 0001_initial: runs and the audit trail (docs/internals/store.md).
--
-- Plain SQL on purpose: TEXT, INTEGER, PRIMARY KEY, UNIQUE, CREATE INDEX
-- mean the same in PostgreSQL.  The two SQLite-only things are marked:
-- INTEGER PRIMARY KEY is SQLite's rowid (PostgreSQL: BIGINT, and an
-- identity column for runs.id), and the triggers' RAISE() syntax.
-- Timestamps are text, "YYYY-MM-DDTHH:MM:SSZ" in UTC, which sorts as time.

CREATE TABLE runs (
	id INTEGER PRIMARY KEY,		-- SQLite rowid: insertion order
	feature_id TEXT NOT NULL,	-- 12 lowercase hex digits
	run_id TEXT NOT NULL,		-- YYYYMMDDHHMMSS, or with -2, -3...
	mode TEXT NOT NULL,		-- sandbox | compliance
	status TEXT NOT NULL,		-- running, success, ...
	started_at TEXT NOT NULL,
	finished_at TEXT,		-- NULL until the run ends
	bundle TEXT,			-- bundle directory, NULL until known
	UNIQUE (feature_id, run_id)	-- what run-id allocation relies on
);

CREATE INDEX runs_by_start ON runs (started_at, id);

-- One checkpoint a row.  seq is given by the appender (head + 1 inside a
-- write transaction), never by the database, so that the same number is
-- what the hash covers.  Hashes are lowercase hex so that an auditor can
-- read them with the sqlite3 shell.
CREATE TABLE audit_records (
	seq INTEGER PRIMARY KEY,	-- SQLite rowid: 1, 2, 3...
	ts TEXT NOT NULL,		-- "timestamp" in the canonical bytes
	run_id TEXT NOT NULL,
	feature_id TEXT NOT NULL,
	stage TEXT NOT NULL,
	status TEXT NOT NULL,
	output TEXT NOT NULL,		-- file name, or "-"
	output_sha256 TEXT NOT NULL,	-- 64 hex digits, or ""
	mode TEXT NOT NULL,
	prev_hash TEXT NOT NULL,	-- hash of record seq - 1 (genesis: 0 x 64)
	hash TEXT NOT NULL		-- SHA-256(prev_hash || canonical bytes)
);

CREATE INDEX audit_records_by_run ON audit_records (feature_id, run_id);

-- The trail is append-only.  These triggers stop an accident (a stray
-- UPDATE in a maintenance script), not an attacker, who can drop them:
-- the hash chain and the signed heads in the bundles are what detect
-- tampering.  (SQLite syntax; PostgreSQL will use a plpgsql function.)
CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
