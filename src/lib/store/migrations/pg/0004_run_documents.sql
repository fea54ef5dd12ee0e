-- 0004_run_documents (PostgreSQL): as ../0004_run_documents.sql for
-- SQLite.  run_documents: the signed documents of each sealed run's
-- bundle (never logs nor artifacts), written in the transaction of the
-- seal; body is the bytes as written (bytea).

CREATE TABLE run_documents (
	feature_id TEXT COLLATE "C" NOT NULL,
	run_id TEXT COLLATE "C" NOT NULL,
	path TEXT COLLATE "C" NOT NULL,
	body BYTEA NOT NULL,
	PRIMARY KEY (feature_id, run_id, path)
);
