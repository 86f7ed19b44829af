-- 0009_report_indexes: the recount of one (day, rep), at every write, reads that rep's rows of
-- the day only (calls by calls_rep): by the day alone it would read every rep's, by the rep alone
-- all his days (the planner took next_steps_rep and deals_stage: 0.4 s a recount at 1 000 000
-- calls, 3.7 s at 10 000 000). These were first added to 0006 itself, after databases had
-- already run it: a database made then has them (IF NOT EXISTS), one migrated earlier gets
-- them here.
CREATE INDEX IF NOT EXISTS deals_rep_created ON deals (rep_id, created_at);
CREATE INDEX IF NOT EXISTS deals_rep_closed ON deals (rep_id, closed_at);
CREATE INDEX IF NOT EXISTS next_steps_rep_created ON next_steps (rep_id, created_at);
