-- 0002_run_claims (PostgreSQL): which run continued a waiting run, as
-- ../0002_run_claims.sql for SQLite.  One continuation per waiting run
-- (the primary key), one waiting run per continuation (UNIQUE); a claim
-- is never removed.

CREATE TABLE run_claims (
	feature_id TEXT COLLATE "C" NOT NULL,	   -- the feature of both runs
	run_id TEXT COLLATE "C" NOT NULL,	   -- the waiting run
	continuation_id TEXT COLLATE "C" NOT NULL, -- the run that resumed it
	claimed_at TEXT COLLATE "C" NOT NULL,	   -- ISO 8601 UTC
	PRIMARY KEY (feature_id, run_id),
	UNIQUE (feature_id, continuation_id)
);
