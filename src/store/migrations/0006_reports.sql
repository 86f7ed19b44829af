-- 0006_reports: the daily rollups the reports read instead of the raw rows (docs/reports.md).
-- One row per local day of the team's zone (days since 1970-01-01), rep and client's source and
-- segment (0: none), with the counters every report number is a sum of. The store recounts the
-- (day, rep) rows a write touches from the raw rows, in the same transaction as the write.
CREATE TABLE report_daily (
	day INTEGER NOT NULL,
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
	-- deals created that day and pending now (their stage changes recount the day)
	pending BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (day, rep_id, source_id, segment_id)
);
-- the few cells that hold pending deals, for "pending at the period's end" (all days up to it)
CREATE INDEX report_daily_pending ON report_daily (day) WHERE pending > 0;
-- the sales cycles of the deals won that day: how many took cycle_days whole days from the
-- client's first contact (his first call or meeting, else his creation) to the sale
CREATE TABLE report_cycles (
	day INTEGER NOT NULL,
	rep_id BIGINT NOT NULL,
	source_id BIGINT NOT NULL,
	segment_id BIGINT NOT NULL,
	cycle_days BIGINT NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (day, rep_id, source_id, segment_id, cycle_days)
);
-- one row per (day, rep) ever recounted: a recount first upserts it, which serialises two
-- transactions recounting the same rows on PostgreSQL (the second one's recount then sees the
-- first one's committed rows)
CREATE TABLE report_locks (
	day INTEGER NOT NULL,
	rep_id BIGINT NOT NULL,
	n BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (day, rep_id)
);
-- what the rollups were counted with; built = 0 until the first build (the reports build them
-- when built is 0 or the team's settings no longer match, in one transaction)
CREATE TABLE report_params (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	timezone TEXT NOT NULL,
	ring_limit_s INTEGER NOT NULL,
	callback_delay_s INTEGER NOT NULL,
	built INTEGER NOT NULL DEFAULT 0,
	built_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO report_params (id, timezone, ring_limit_s, callback_delay_s, built)
	VALUES (1, 'UTC', 15, 900, 0);
-- the recount of one day reads deals and steps by their day
CREATE INDEX deals_created ON deals (created_at);
CREATE INDEX deals_closed ON deals (closed_at);
CREATE INDEX next_steps_created ON next_steps (created_at);
