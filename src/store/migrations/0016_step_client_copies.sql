-- 0016_step_client_copies: a planned step carries its client's name and first phone, so that the
-- agenda's lists (store_step_list, one rep's planned steps) read them from the step instead of
-- joining clients for the name and looking up phones for the first number: on the 10 M-call
-- database those two descents per step, each into a cold page of a big B-tree, were a third of an
-- uncached agenda's time (nc-reads p50 74 -> 47 us with the copies, the same bytes).
--
-- The copies hold for every step whose status is 'planned' (the only ones read from them; the
-- other lists, histories included, keep the join):
-- - client_name is clients.name, client_phone the e164 of the client's phone of lowest id (NULL
--   without a phone), as the join and the subquery gave them;
-- - a step inserted planned or made planned again, or moved to another client, gets them from
--   the triggers below (the store writes them already in its INSERT, so that SQLite's trigger
--   finds nothing to change);
-- - a renamed client's planned steps get the new name from a trigger on clients;
-- - a change of a client's phones refreshes them in the store (store_phone_insert,
--   store_phones_replace: store/q_steps.c store_step_copies_refresh), not by a trigger: on SQLite
--   a trigger on phones would make every INSERT INTO phones of an import keep a statement journal
--   (see 0013). A phone changed by a hand-written statement leaves the copy stale until
--   "report verify --fix", which compares every planned step's copies (store_step_copies_verify).
-- Filled here for the planned steps there are (on the 10 M-call database 888 k of 7.9 M steps).
ALTER TABLE next_steps ADD COLUMN client_name TEXT;
ALTER TABLE next_steps ADD COLUMN client_phone TEXT;
-- @sqlite
-- the covering index of the agenda's lists (0015) gets the two columns; dropped before the fill,
-- so that the UPDATE does not move each entry, and built again after it
DROP INDEX IF EXISTS next_steps_planned;
-- @end
UPDATE next_steps SET
	client_name = (SELECT c.name FROM clients c WHERE c.id = next_steps.client_id),
	client_phone = (SELECT p.e164 FROM phones p WHERE p.client_id = next_steps.client_id
		ORDER BY p.id LIMIT 1)
	WHERE status = 'planned';
-- @sqlite
CREATE INDEX next_steps_planned ON next_steps (rep_id, due_at, id, client_id, call_id, kind, auto,
	note, cancel_reason, created_at, closed_at, client_name, client_phone, status)
	WHERE status = 'planned';
-- a planned step whose copies differ from its client's (an INSERT without them, a step made
-- planned again or moved to another client) gets them; the WHEN costs two look-ups, the UPDATE
-- runs only when they differ. Recursive triggers are off: the UPDATE does not fire it again.
CREATE TRIGGER next_steps_copies_insert AFTER INSERT ON next_steps
	WHEN new.status = 'planned' AND (new.client_name IS NOT (SELECT c.name FROM clients c
		WHERE c.id = new.client_id) OR new.client_phone IS NOT (SELECT p.e164 FROM phones p
		WHERE p.client_id = new.client_id ORDER BY p.id LIMIT 1)) BEGIN
	UPDATE next_steps SET
		client_name = (SELECT c.name FROM clients c WHERE c.id = new.client_id),
		client_phone = (SELECT p.e164 FROM phones p WHERE p.client_id = new.client_id
			ORDER BY p.id LIMIT 1)
		WHERE id = new.id;
END;
CREATE TRIGGER next_steps_copies_update AFTER UPDATE OF client_id, status, client_name,
	client_phone ON next_steps
	WHEN new.status = 'planned' AND (new.client_name IS NOT (SELECT c.name FROM clients c
		WHERE c.id = new.client_id) OR new.client_phone IS NOT (SELECT p.e164 FROM phones p
		WHERE p.client_id = new.client_id ORDER BY p.id LIMIT 1)) BEGIN
	UPDATE next_steps SET
		client_name = (SELECT c.name FROM clients c WHERE c.id = new.client_id),
		client_phone = (SELECT p.e164 FROM phones p WHERE p.client_id = new.client_id
			ORDER BY p.id LIMIT 1)
		WHERE id = new.id;
END;
-- an edit that keeps the name (every other edit of a client) costs only the WHEN
CREATE TRIGGER clients_name_steps AFTER UPDATE OF name ON clients
	WHEN old.name IS NOT new.name BEGIN
	UPDATE next_steps SET client_name = new.name
		WHERE client_id = new.id AND status = 'planned';
END;
-- @postgres
-- a planned step gets its copies before it is written: a BEFORE trigger sets them in the row
CREATE FUNCTION next_steps_copies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.client_name := (SELECT c.name FROM clients c WHERE c.id = NEW.client_id);
	NEW.client_phone := (SELECT p.e164 FROM phones p WHERE p.client_id = NEW.client_id
		ORDER BY p.id LIMIT 1);
	RETURN NEW;
END
$$;
CREATE TRIGGER next_steps_copies BEFORE INSERT OR UPDATE OF client_id, status, client_name,
	client_phone ON next_steps
	FOR EACH ROW WHEN (NEW.status = 'planned') EXECUTE FUNCTION next_steps_copies();
CREATE FUNCTION clients_name_steps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE next_steps SET client_name = NEW.name
		WHERE client_id = NEW.id AND status = 'planned';
	RETURN NULL;
END
$$;
-- an edit that keeps the name (every other edit of a client) costs only the WHEN
CREATE TRIGGER clients_name_steps AFTER UPDATE OF name ON clients
	FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
	EXECUTE FUNCTION clients_name_steps();
-- @end
