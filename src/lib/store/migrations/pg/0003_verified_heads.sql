-- 0003_verified_heads (PostgreSQL): as ../0003_verified_heads.sql for
-- SQLite.  verified_heads: the head (seq, hash) each good `audit verify`
-- reached, appended, the newest (highest id) counts; runs_by_status: the
-- runs still `running`, found without walking every run.

CREATE TABLE verified_heads (
	id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- the newest counts
	seq BIGINT NOT NULL,			-- the last record verified
	hash TEXT COLLATE "C" NOT NULL,		-- its hash
	verified_at TEXT COLLATE "C" NOT NULL,	-- ISO 8601 UTC
	how TEXT COLLATE "C" NOT NULL		-- full | incremental
);

CREATE INDEX runs_by_status ON runs (status, started_at, id);
