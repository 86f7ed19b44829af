-- 0017_call_links: the rows that name a call found by it.
--
-- next_steps, deals and script_runs refer to calls (id), and nothing indexed their call_id:
-- every look-up of a call's rows read the whole table. On a database of 10 M calls (7.9 M
-- steps, 1.6 M script runs) the head's review of a call (GET /api/v1/qa/calls/{id}: did the
-- call plan a step, which script run it followed) took 0.15 to 6 s, and deleting a call
-- (admin) read each of the three tables twice, for its own UPDATE and for the foreign key's
-- check of the DELETE, while holding the write lock. Partial: a step planned by the plan, a
-- deal or a run opened outside a call has none, and "call_id = $1" implies "call_id IS NOT
-- NULL" for both planners (and for SQLite's foreign key checks). Each statement may run again
-- on a database that has its effect already.
CREATE INDEX IF NOT EXISTS next_steps_call ON next_steps (call_id) WHERE call_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS deals_call ON deals (call_id) WHERE call_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS script_runs_call ON script_runs (call_id) WHERE call_id IS NOT NULL;
