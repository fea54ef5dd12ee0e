-- 0001_initial (PostgreSQL): runs and the audit trail, as
-- ../0001_initial.sql for SQLite (docs/internals/store.md), in PostgreSQL's
-- syntax.  The versions of the two directories are the same schema.
--
-- Differences from SQLite: BIGINT for seq, identity columns where SQLite
-- has its rowid, and the append-only triggers as one plpgsql function.
-- Text columns compare and sort as bytes (COLLATE "C"), as SQLite's do,
-- whatever the database's own collation: run ids, timestamps and hashes
-- must order the same on both backends.

CREATE TABLE runs (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- insertion order
	feature_id TEXT COLLATE "C" NOT NULL,	-- 12 lowercase hex digits
	run_id TEXT COLLATE "C" NOT NULL,	-- YYYYMMDDHHMMSS, or with -2...
	mode TEXT COLLATE "C" NOT NULL,		-- sandbox | compliance
	status TEXT COLLATE "C" NOT NULL,	-- running, success, ...
	started_at TEXT COLLATE "C" NOT NULL,
	finished_at TEXT COLLATE "C",		-- NULL until the run ends
	bundle TEXT,				-- bundle directory, NULL until known
	UNIQUE (feature_id, run_id)		-- what run-id allocation relies on
);

CREATE INDEX runs_by_start ON runs (started_at, id);

-- One checkpoint a row; seq is given by the appender (head + 1 inside a
-- write transaction), never by the database.
CREATE TABLE audit_records (
	seq BIGINT PRIMARY KEY,			-- 1, 2, 3...
	ts TEXT COLLATE "C" NOT NULL,
	run_id TEXT COLLATE "C" NOT NULL,
	feature_id TEXT COLLATE "C" NOT NULL,
	stage TEXT COLLATE "C" NOT NULL,
	status TEXT COLLATE "C" NOT NULL,
	output TEXT COLLATE "C" NOT NULL,	-- file name, or "-"
	output_sha256 TEXT COLLATE "C" NOT NULL, -- 64 hex digits, or ""
	mode TEXT COLLATE "C" NOT NULL,
	prev_hash TEXT COLLATE "C" NOT NULL,	-- hash of record seq - 1
	hash TEXT COLLATE "C" NOT NULL		-- SHA-256(prev_hash || bytes)
);

CREATE INDEX audit_records_by_run ON audit_records (feature_id, run_id);

-- The trail is append-only: UPDATE, DELETE and TRUNCATE are refused.  As
-- with SQLite, this stops an accident, not an attacker who can drop the
-- trigger: the hash chain and the signed heads detect tampering.
CREATE FUNCTION specgate_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit trail is append-only'
	    USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER audit_records_no_change
	BEFORE UPDATE OR DELETE ON audit_records
	FOR EACH ROW EXECUTE FUNCTION specgate_audit_append_only();

CREATE TRIGGER audit_records_no_truncate
	BEFORE TRUNCATE ON audit_records
	FOR EACH STATEMENT EXECUTE FUNCTION specgate_audit_append_only();
