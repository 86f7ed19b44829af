-- 0019_report_rep_indexes: one rep's report read from his rows of the rollups. The rollups are
-- keyed by (day or month, rep, source, segment): a rep's figures for a range of days read every
-- rep's rows of those days (6 500 a day for 400 reps) to keep his. A rep's own reports (the
-- statistics, the funnel, the sales cycles, the pending deals of every month so far) took 0.1 s
-- on the 10 M-call database, one statement of them 21 ms. Led by rep_id, these give his rows
-- of the range alone (store/q_reports.c sel_filter: "rep_id = $3", not "(rep_id = $3 OR $3 =
-- -1)"). A cell's row is inserted once and then updated in place: a logged call adds an entry
-- only when it opens a new cell. Each statement may run again.
CREATE INDEX IF NOT EXISTS report_daily_rep ON report_daily (rep_id, day);
CREATE INDEX IF NOT EXISTS report_monthly_rep ON report_monthly (rep_id, month);
CREATE INDEX IF NOT EXISTS report_cycles_rep ON report_cycles (rep_id, day);
CREATE INDEX IF NOT EXISTS report_cycles_monthly_rep ON report_cycles_monthly (rep_id, month);
-- The pending deals of every month so far (the head's reports: 12 700 of 125 000 monthly rows
-- hold any) are read from their rows alone, as report_daily_pending does for the days (0006).
CREATE INDEX IF NOT EXISTS report_monthly_pending ON report_monthly (month) WHERE pending > 0;
