-- 0020_rep_call_hours: the agenda's "calls today" (and the team's day, per rep) read from counts
-- kept per rep and hour instead of counted from the calls: counting walked the rep's day in
-- calls_rep, an entry per call (on the 10 M-call database 155 entries for rep02, 69 k of an
-- uncached agenda's 301 k instructions).
--
-- One row per (rep, hour) that has calls: hour is the hour since 1970-01-01 00:00 UTC of the
-- call's start (started_at / 3600, rounded down), n its number of calls. A day in any zone is
-- whole hours but for zones off the hour (India, Nepal, Newfoundland...): the store sums the
-- whole hours inside the day here and counts the calls of its two part hours, if any, from calls
-- (store_calls_count, store/q_contacts.c). A call without a rep is not counted (it is no rep's).
-- A missing row counts as 0, and a row that fell to 0 stays.
--
-- Kept exact under every writer the way client_pool is (0012, 0013): the store adds each inserted
-- call in the transaction that writes it (store_call_insert: the transaction's calls summed by
-- (rep, hour) and written once before the commit, so that a CDR import writes a row per hour, not
-- per call; an AFTER INSERT trigger would make every INSERT INTO calls of a transaction keep a
-- statement journal on SQLite), and triggers on calls count a deleted call and a call moved to
-- another rep or time. A call inserted by hand, outside the store, is not counted until "report
-- verify --fix" refills the table (store_call_hours_verify); copy-db and nc-gen refill it after
-- their load. The migration may run again (the tests run the later ones again): it empties the
-- table before the fill and makes its triggers anew.
CREATE TABLE IF NOT EXISTS rep_call_hours (
	rep_id BIGINT NOT NULL,
	hour BIGINT NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (rep_id, hour)
)@NOROWID@;
DELETE FROM rep_call_hours;
INSERT INTO rep_call_hours (rep_id, hour, n)
	SELECT rep_id, (started_at - ((started_at % 3600) + 3600) % 3600) / 3600, count(*)
	FROM calls WHERE rep_id IS NOT NULL
	GROUP BY rep_id, (started_at - ((started_at % 3600) + 3600) % 3600) / 3600;
-- @sqlite
DROP TRIGGER IF EXISTS rep_call_hours_delete;
DROP TRIGGER IF EXISTS rep_call_hours_update;
CREATE TRIGGER rep_call_hours_delete AFTER DELETE ON calls
	WHEN old.rep_id IS NOT NULL BEGIN
	INSERT INTO rep_call_hours (rep_id, hour, n)
		VALUES (old.rep_id,
			(old.started_at - ((old.started_at % 3600) + 3600) % 3600) / 3600, -1)
		ON CONFLICT (rep_id, hour) DO UPDATE SET n = rep_call_hours.n - 1;
END;
-- an update that names the columns without changing them costs only the WHEN; each side
-- without a rep counts nothing (the SELECT's WHERE)
CREATE TRIGGER rep_call_hours_update AFTER UPDATE OF rep_id, started_at ON calls
	WHEN old.rep_id IS NOT new.rep_id OR old.started_at IS NOT new.started_at BEGIN
	INSERT INTO rep_call_hours (rep_id, hour, n)
		SELECT old.rep_id,
			(old.started_at - ((old.started_at % 3600) + 3600) % 3600) / 3600, -1
		WHERE old.rep_id IS NOT NULL
		ON CONFLICT (rep_id, hour) DO UPDATE SET n = rep_call_hours.n - 1;
	INSERT INTO rep_call_hours (rep_id, hour, n)
		SELECT new.rep_id,
			(new.started_at - ((new.started_at % 3600) + 3600) % 3600) / 3600, 1
		WHERE new.rep_id IS NOT NULL
		ON CONFLICT (rep_id, hour) DO UPDATE SET n = rep_call_hours.n + 1;
END;
-- @postgres
-- one function for both triggers; each difference is one UPSERT. A move touches two rows: they
-- are locked in key order, so that two opposite moves cannot deadlock on them (as client_pool's).
CREATE OR REPLACE FUNCTION rep_call_hours_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	r1 BIGINT; h1 BIGINT; d1 BIGINT; -- the first row to change, by key
	r2 BIGINT; h2 BIGINT; d2 BIGINT; -- the second (a move only)
BEGIN
	r1 := OLD.rep_id; h1 := (OLD.started_at - ((OLD.started_at % 3600) + 3600) % 3600) / 3600;
	d1 := -1;
	IF TG_OP = 'UPDATE' THEN
		r2 := NEW.rep_id;
		h2 := (NEW.started_at - ((NEW.started_at % 3600) + 3600) % 3600) / 3600;
		d2 := 1;
		IF r1 IS NULL OR (r2 IS NOT NULL AND (r2, h2) < (r1, h1)) THEN
			r1 := r2; h1 := h2; d1 := 1;
			r2 := OLD.rep_id;
			h2 := (OLD.started_at - ((OLD.started_at % 3600) + 3600) % 3600) / 3600;
			d2 := -1;
		END IF;
	END IF;
	IF r1 IS NOT NULL THEN
		INSERT INTO rep_call_hours AS p (rep_id, hour, n) VALUES (r1, h1, d1)
			ON CONFLICT (rep_id, hour) DO UPDATE SET n = p.n + excluded.n;
	END IF;
	IF r2 IS NOT NULL THEN
		INSERT INTO rep_call_hours AS p (rep_id, hour, n) VALUES (r2, h2, d2)
			ON CONFLICT (rep_id, hour) DO UPDATE SET n = p.n + excluded.n;
	END IF;
	RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS rep_call_hours_delete ON calls;
DROP TRIGGER IF EXISTS rep_call_hours_update ON calls;
CREATE TRIGGER rep_call_hours_delete AFTER DELETE ON calls
	FOR EACH ROW WHEN (OLD.rep_id IS NOT NULL) EXECUTE FUNCTION rep_call_hours_trigger();
CREATE TRIGGER rep_call_hours_update AFTER UPDATE OF rep_id, started_at ON calls
	FOR EACH ROW WHEN (OLD.rep_id IS DISTINCT FROM NEW.rep_id OR
		OLD.started_at IS DISTINCT FROM NEW.started_at)
	EXECUTE FUNCTION rep_call_hours_trigger();
-- @end
