-- 0023_step_lines: a planned step carries its agenda line, the columns a rep's step lists read
-- (store_step_list: the agenda, the rep's steps, his calendar feed) in one text, so that each step
-- of a list is one column instead of ten. On SQLite, handing out a step's ten columns from the
-- covering index (the cursor's column opcodes and the API's call per column) was two thirds of an
-- uncached agenda's instructions; one column and its parse (store/step_line.c) cost a third of
-- that (callgrind, nc-reads on the 10 M-call database, 124 steps: app_agenda -30 %).
--
-- The line (store/step_line.h):
--   id,due_at,client_id,call_id,kind,auto,len(note),len(cancel_reason),len(client_name),
--   len(client_phone):note cancel_reason client_name client_phone
-- call_id empty for NULL, each len the text's bytes or -1 for NULL, the texts one after another.
-- The same expression is in store/q_steps.c (LINE_OF), with which "report verify" compares with
-- every planned step's line and "--fix" writes it again; keep them in step.
--
-- It holds for every planned step (the only ones read from it): the triggers below write it when
-- a step is inserted planned, made planned again, or changes in anything it holds, the client's
-- copies (0016) included, and put back a line written over by hand. A line that does not parse
-- (a hand-made one on a database without these triggers) makes the store read that list from the
-- columns instead (store_step_list), and "report verify" counts it.
--
-- May run again (SQLite's ADD COLUMN IF NOT EXISTS: store/migrate.c migrate_add_columns).
ALTER TABLE next_steps ADD COLUMN IF NOT EXISTS line TEXT;
-- @sqlite
-- the agenda's covering index (0015, 0016) holds the line in place of the columns; dropped before
-- the fill, so that the UPDATE does not move each entry, and built again after it
DROP INDEX IF EXISTS next_steps_planned;
UPDATE next_steps SET line = id || ',' || due_at || ',' || client_id || ',' ||
	coalesce(CAST(call_id AS TEXT), '') || ',' || kind || ',' || auto || ',' ||
	coalesce(length(CAST(note AS BLOB)), -1) || ',' ||
	coalesce(length(CAST(cancel_reason AS BLOB)), -1) || ',' ||
	coalesce(length(CAST(client_name AS BLOB)), -1) || ',' ||
	coalesce(length(CAST(client_phone AS BLOB)), -1) || ':' || coalesce(note, '') ||
	coalesce(cancel_reason, '') || coalesce(client_name, '') ||
	coalesce(client_phone, '')
	WHERE status = 'planned';
CREATE INDEX next_steps_planned ON next_steps (rep_id, due_at, id, line, status)
	WHERE status = 'planned';
-- the UPDATE writes the line from the row's own columns, read after whatever the copies'
-- triggers wrote; recursive triggers are off: it does not fire these again
DROP TRIGGER IF EXISTS next_steps_line_insert;
CREATE TRIGGER next_steps_line_insert AFTER INSERT ON next_steps
	WHEN new.status = 'planned' BEGIN
	UPDATE next_steps SET line = id || ',' || due_at || ',' || client_id || ',' ||
		coalesce(CAST(call_id AS TEXT), '') || ',' || kind || ',' || auto || ',' ||
		coalesce(length(CAST(note AS BLOB)), -1) || ',' ||
		coalesce(length(CAST(cancel_reason AS BLOB)), -1) || ',' ||
		coalesce(length(CAST(client_name AS BLOB)), -1) || ',' ||
		coalesce(length(CAST(client_phone AS BLOB)), -1) || ':' || coalesce(note, '') ||
		coalesce(cancel_reason, '') || coalesce(client_name, '') ||
		coalesce(client_phone, '')
		WHERE id = new.id;
END;
DROP TRIGGER IF EXISTS next_steps_line_update;
CREATE TRIGGER next_steps_line_update AFTER UPDATE OF id, due_at, client_id, call_id, kind,
	auto, note, cancel_reason, status, client_name, client_phone, line ON next_steps
	WHEN new.status = 'planned' BEGIN
	UPDATE next_steps SET line = id || ',' || due_at || ',' || client_id || ',' ||
		coalesce(CAST(call_id AS TEXT), '') || ',' || kind || ',' || auto || ',' ||
		coalesce(length(CAST(note AS BLOB)), -1) || ',' ||
		coalesce(length(CAST(cancel_reason AS BLOB)), -1) || ',' ||
		coalesce(length(CAST(client_name AS BLOB)), -1) || ',' ||
		coalesce(length(CAST(client_phone AS BLOB)), -1) || ':' || coalesce(note, '') ||
		coalesce(cancel_reason, '') || coalesce(client_name, '') ||
		coalesce(client_phone, '')
		WHERE id = new.id;
END;
-- @postgres
UPDATE next_steps SET line = id || ',' || due_at || ',' || client_id || ',' ||
	coalesce(CAST(call_id AS TEXT), '') || ',' || kind || ',' || auto || ',' ||
	coalesce(octet_length(note), -1) || ',' ||
	coalesce(octet_length(cancel_reason), -1) || ',' ||
	coalesce(octet_length(client_name), -1) || ',' ||
	coalesce(octet_length(client_phone), -1) || ':' || coalesce(note, '') ||
	coalesce(cancel_reason, '') || coalesce(client_name, '') ||
	coalesce(client_phone, '')
	WHERE status = 'planned';
-- a planned step gets its line before it is written, after its copies (next_steps_copies: BEFORE
-- triggers run in the order of their names)
CREATE OR REPLACE FUNCTION next_steps_line() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.line := NEW.id || ',' || NEW.due_at || ',' || NEW.client_id || ',' ||
		coalesce(CAST(NEW.call_id AS TEXT), '') || ',' || NEW.kind || ',' || NEW.auto || ',' ||
		coalesce(octet_length(NEW.note), -1) || ',' ||
		coalesce(octet_length(NEW.cancel_reason), -1) || ',' ||
		coalesce(octet_length(NEW.client_name), -1) || ',' ||
		coalesce(octet_length(NEW.client_phone), -1) || ':' || coalesce(NEW.note, '') ||
		coalesce(NEW.cancel_reason, '') || coalesce(NEW.client_name, '') ||
		coalesce(NEW.client_phone, '');
	RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS next_steps_line ON next_steps;
CREATE TRIGGER next_steps_line BEFORE INSERT OR UPDATE ON next_steps
	FOR EACH ROW WHEN (NEW.status = 'planned') EXECUTE FUNCTION next_steps_line();
-- @end
