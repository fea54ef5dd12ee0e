-- 0004_run_documents.sql - the signed documents of each run's bundle,
-- kept with its records so that a run can be listed, shown and verified
-- from any machine that reaches the store, without the bundle directory
-- (`specgate verify --store`).
--
-- run_documents: one row per document of a sealed bundle: manifest.json,
-- manifest.json.sig, checkpoints.log, the JSON reports and their .sig,
-- the in-toto links, the release report when small; never the logs and
-- the artifacts, which stay on the runner.  Written in the writer
-- transaction that appends the seal, so a run is sealed with its
-- documents or not at all.  path is relative to the bundle
-- ("links/build.0123abcd.link"); body is the bytes as written, which the
-- manifest's digests (and the seal's, for the manifest) vouch for.  The
-- library caps each document and each run (docs/limits.md).
CREATE TABLE run_documents (
	feature_id TEXT NOT NULL,
	run_id TEXT NOT NULL,
	path TEXT NOT NULL,
	body BLOB NOT NULL,
	PRIMARY KEY (feature_id, run_id, path)
);
