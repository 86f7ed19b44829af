-- 0011_report_team: the rollups of the whole team (docs/reports.md, "Reports on a big team"):
-- report_daily and report_monthly summed over the reps, per (day or month, source, segment). A
-- report that selects no rep and is not by rep reads these: a month of a team of 400 reps is some
-- 7 400 daily rows a day, one row per source and segment here. Kept in the same transaction as
-- the rows they sum (every difference added to a daily or monthly row is added to its team row
-- too), refilled by a rebuild and compared with their sums by report verify. A row of zeros counts
-- as no row (a write never deletes one). Filled here from the rollups as they are (empty when they
-- are not built yet: the first report builds every level).
CREATE TABLE report_daily_team (
	day INTEGER NOT NULL,
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
	pending BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (day, source_id, segment_id)
);
-- the few rows that hold pending deals, for "pending at the period's end"
CREATE INDEX report_daily_team_pending ON report_daily_team (day) WHERE pending > 0;
CREATE TABLE report_monthly_team (
	month INTEGER NOT NULL,
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
	pending BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (month, source_id, segment_id)
);
INSERT INTO report_daily_team (day, source_id, segment_id, incoming, outgoing, missed, answered,
		answered_in_time, callbacks_in_time, connected, effective, max_calls, min_calls, talk_s,
		step_calls, meetings, offers, offers_amount, sold, sold_amount, steps_meeting, steps_visit,
		steps_call, steps_callback, steps_offer, steps_invoice, steps_decision, pending)
	SELECT day, source_id, segment_id, sum(incoming), sum(outgoing), sum(missed), sum(answered),
		sum(answered_in_time), sum(callbacks_in_time), sum(connected), sum(effective), sum(max_calls),
		sum(min_calls), sum(talk_s), sum(step_calls), sum(meetings), sum(offers), sum(offers_amount),
		sum(sold), sum(sold_amount), sum(steps_meeting), sum(steps_visit), sum(steps_call),
		sum(steps_callback), sum(steps_offer), sum(steps_invoice), sum(steps_decision), sum(pending)
	FROM report_daily GROUP BY day, source_id, segment_id;
INSERT INTO report_monthly_team (month, source_id, segment_id, incoming, outgoing, missed,
		answered, answered_in_time, callbacks_in_time, connected, effective, max_calls, min_calls,
		talk_s, step_calls, meetings, offers, offers_amount, sold, sold_amount, steps_meeting,
		steps_visit, steps_call, steps_callback, steps_offer, steps_invoice, steps_decision, pending)
	SELECT month, source_id, segment_id, sum(incoming), sum(outgoing), sum(missed), sum(answered),
		sum(answered_in_time), sum(callbacks_in_time), sum(connected), sum(effective), sum(max_calls),
		sum(min_calls), sum(talk_s), sum(step_calls), sum(meetings), sum(offers), sum(offers_amount),
		sum(sold), sum(sold_amount), sum(steps_meeting), sum(steps_visit), sum(steps_call),
		sum(steps_callback), sum(steps_offer), sum(steps_invoice), sum(steps_decision), sum(pending)
	FROM report_monthly GROUP BY month, source_id, segment_id;
