-- 0002_run_claims: which run continued a waiting run (docs/internals/store.md).
--
-- `specgate resume` of a run awaiting approval takes the claim and creates
-- its continuation run in one writer transaction: the primary key lets one
-- continuation exist per waiting run, whoever races; the UNIQUE constraint
-- lets a continuation continue one run only.  A claim is never removed: a
-- release is one waiting run and one continuation, whatever the
-- continuation's outcome.

CREATE TABLE run_claims (
	feature_id TEXT NOT NULL,	-- the feature of both runs
	run_id TEXT NOT NULL,		-- the waiting run
	continuation_id TEXT NOT NULL,	-- the run that resumed it
	claimed_at TEXT NOT NULL,	-- "YYYY-MM-DDTHH:MM:SSZ", UTC
	PRIMARY KEY (feature_id, run_id),
	UNIQUE (feature_id, continuation_id)
);
