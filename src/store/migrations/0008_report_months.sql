-- 0008_report_months: the monthly level of the rollups (docs/reports.md, "Rollups"). A report
-- reads the whole months of its period here and only the days of its partial first and last
-- months from report_daily and report_cycles. Both tables are kept in the same transaction as
-- the daily rows they sum, refilled by a rebuild and compared with their days by report verify.
-- The migration's hook (store_report_months_rebuild) sums them from the daily rows when the
-- rollups are already built. report_monthly was first created by 0006 itself: a database made
-- then has it already (IF NOT EXISTS), one migrated earlier gets it here.
-- the sums of report_daily over each month (months since 1970-01, of the team's local days), per
-- rep, source and segment; a row of zeros counts as no row (a write never deletes one)
CREATE TABLE IF NOT EXISTS report_monthly (
	month INTEGER NOT NULL,
	rep_id BIGINT NOT NULL,
	source_id BIGINT NOT NULL,
	segment_id BIGINT NOT NULL,
	incoming BIGINT NOT NULL DEFAULT 0,
	outgoing BIGINT NOT NULL DEFAULT 0,
	missed BIGINT NOT NULL DEFAULT 0,
	answered BIGINT NOT NULL DEFAULT 0,
	answered_in_time BIGINT NOT NULL DEFAULT 0,
	callbacks_in_time BIGINT NOT NULL DEFAULT 0,
	connected BIGINT NOT NULL DEFAULT 0,
	effective BIGINT NOT NULL DEFAULT 0,
	max_calls BIGINT NOT NULL DEFAULT 0,
	min_calls BIGINT NOT NULL DEFAULT 0,
	talk_s BIGINT NOT NULL DEFAULT 0,
	step_calls BIGINT NOT NULL DEFAULT 0,
	meetings BIGINT NOT NULL DEFAULT 0,
	offers BIGINT NOT NULL DEFAULT 0,
	offers_amount BIGINT NOT NULL DEFAULT 0,
	sold BIGINT NOT NULL DEFAULT 0,
	sold_amount BIGINT NOT NULL DEFAULT 0,
	steps_meeting BIGINT NOT NULL DEFAULT 0,
	steps_visit BIGINT NOT NULL DEFAULT 0,
	steps_call BIGINT NOT NULL DEFAULT 0,
	steps_callback BIGINT NOT NULL DEFAULT 0,
	steps_offer BIGINT NOT NULL DEFAULT 0,
	steps_invoice BIGINT NOT NULL DEFAULT 0,
	steps_decision BIGINT NOT NULL DEFAULT 0,
	-- kept so that a period's sums read the same from either table (pending at a period's end
	-- is read from report_daily, by its partial index)
	pending BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (month, rep_id, source_id, segment_id)
);
-- the sales-cycle histograms of report_cycles summed over each month: a year's median cycle
-- reads some 12 months of rows instead of 365 days
CREATE TABLE report_cycles_monthly (
	month INTEGER NOT NULL,
	rep_id BIGINT NOT NULL,
	source_id BIGINT NOT NULL,
	segment_id BIGINT NOT NULL,
	cycle_days BIGINT NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (month, rep_id, source_id, segment_id, cycle_days)
);
