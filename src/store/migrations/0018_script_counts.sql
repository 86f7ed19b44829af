-- 0018_script_counts: a script version's analytics (/scripts/{id}/stats, docs/scripts.md) read
-- from counts kept as runs go, instead of counted from every step of every run: on a database of
-- 1.6 M runs and 7.9 M steps a version of 188 000 runs (5.3 M steps) took 21 to 32 s a view,
-- most of it count(DISTINCT run_id) over the steps, and a cold read of its runs for their
-- results 2 s more.
--
-- One row per (version, entered, variant):
-- - entered '' and variant -1: the version's runs; runs started, max_runs / min_runs ended with
--   the maximum / minimum goal, abandoned (by the rep, or as its client went to another rep; an
--   open run left over a day is counted as abandoned when read, from script_runs);
-- - entered a node id or "objection:ID", variant -1: runs that entered it (a run counts once,
--   however often it came back), of those max_runs / min_runs, and abandoned: runs abandoned
--   with this node as their last;
-- - the same with variant >= 0: runs shown that wording of the node.
-- The store keeps them in the transaction that writes the run (store/q_scripts.c): a run's start
-- adds to its version's row, a step into a node or wording the run had not entered adds to that
-- row, the finish adds the result to every row the run counted in, an abandon to its version's
-- and last node's rows. A missing row counts as 0. "report verify" recounts them from the runs
-- and steps and --fix rewrites them. Filled here by the store's own recount (migrate.c), which
-- empties the table first: the migration may run again.
CREATE TABLE IF NOT EXISTS script_counts (
	version_id BIGINT NOT NULL REFERENCES script_versions (id),
	entered TEXT NOT NULL,
	variant INTEGER NOT NULL,
	runs BIGINT NOT NULL DEFAULT 0,
	max_runs BIGINT NOT NULL DEFAULT 0,
	min_runs BIGINT NOT NULL DEFAULT 0,
	abandoned BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (version_id, entered, variant)
)@NOROWID@;
