-- 0003_verified_heads.sql - what makes `audit verify --incremental` and a
-- run's own store queries independent of the history.
--
-- verified_heads: the head (seq, hash) each good `audit verify` reached,
-- appended; the newest is where `audit verify --incremental` starts.  It
-- is a starting point only: the incremental verification checks that the
-- record is still there with that hash.
--
-- runs_by_status: every run looks for the runs still `running` (of its
-- feature: reconciliation; all of them: audit verify).  Without it SQLite
-- walked every run ever made, newest first, to find the few that are.
CREATE TABLE verified_heads (
	id INTEGER PRIMARY KEY,		-- insertion order: the newest counts
	seq INTEGER NOT NULL,		-- the last record verified
	hash TEXT NOT NULL,		-- its hash, 64 lowercase hex digits
	verified_at TEXT NOT NULL,	-- ISO 8601 UTC
	how TEXT NOT NULL		-- full | incremental
);

CREATE INDEX runs_by_status ON runs (status, started_at, id);
