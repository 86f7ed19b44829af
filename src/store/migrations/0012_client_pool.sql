-- 0012_client_pool: the agenda's pool counters ("now" and "future" clients of a rep, or of the
-- team) kept as a count instead of counted: one row per (owner, category) with its number of
-- clients, owner_id 0 for the clients nobody owns. Counting walked the rep's whole range of
-- clients_owner (a thousand entries and more a rep), half of an uncached agenda's work. Triggers
-- on clients keep it exact under every writer (the store, imports, copy-db, the demo team,
-- nc-gen, a hand-made INSERT): every inserted, deleted or moved client adds +1 or -1 to its row
-- in the same transaction. A missing row counts as 0, and a row that fell to 0 stays. Filled here
-- from the clients there are; "report verify" compares it with a recount and --fix refills it
-- (store/q_pool.c). The triggers are each driver's own text (the sections below: migrate.c).
CREATE TABLE client_pool (
	owner_id BIGINT NOT NULL,
	category TEXT NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (owner_id, category)
)@NOROWID@;
INSERT INTO client_pool (owner_id, category, n)
	SELECT coalesce(owner_id, 0), category, count(*) FROM clients
	GROUP BY coalesce(owner_id, 0), category;
-- @sqlite
-- each difference is one UPSERT: the row may not exist yet (a rep's first "future" client)
CREATE TRIGGER client_pool_insert AFTER INSERT ON clients BEGIN
	INSERT INTO client_pool (owner_id, category, n)
		VALUES (coalesce(new.owner_id, 0), new.category, 1)
		ON CONFLICT (owner_id, category) DO UPDATE SET n = client_pool.n + 1;
END;
CREATE TRIGGER client_pool_delete AFTER DELETE ON clients BEGIN
	INSERT INTO client_pool (owner_id, category, n)
		VALUES (coalesce(old.owner_id, 0), old.category, -1)
		ON CONFLICT (owner_id, category) DO UPDATE SET n = client_pool.n - 1;
END;
-- an update that names the columns without changing them (every edit of a client) costs only
-- the WHEN
CREATE TRIGGER client_pool_update AFTER UPDATE OF owner_id, category ON clients
	WHEN old.owner_id IS NOT new.owner_id OR old.category IS NOT new.category BEGIN
	INSERT INTO client_pool (owner_id, category, n)
		VALUES (coalesce(old.owner_id, 0), old.category, -1)
		ON CONFLICT (owner_id, category) DO UPDATE SET n = client_pool.n - 1;
	INSERT INTO client_pool (owner_id, category, n)
		VALUES (coalesce(new.owner_id, 0), new.category, 1)
		ON CONFLICT (owner_id, category) DO UPDATE SET n = client_pool.n + 1;
END;
-- @postgres
-- one function for the three triggers; each difference is one UPSERT. Concurrent writers of the
-- same row wait for each other (as the report rollups' do). A move touches two rows: they are
-- locked in key order, so that two opposite moves cannot deadlock on them (the rows of a longer
-- transaction may still meet another's in opposite order: PostgreSQL then fails one with a
-- deadlock, which is retryable, and app/ runs it again).
CREATE FUNCTION client_pool_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	o1 BIGINT; c1 TEXT; d1 BIGINT; -- the first row to change, by key
	o2 BIGINT; c2 TEXT; d2 BIGINT; -- the second (a move only)
BEGIN
	IF TG_OP = 'INSERT' THEN
		o1 := coalesce(NEW.owner_id, 0); c1 := NEW.category; d1 := 1;
	ELSIF TG_OP = 'DELETE' THEN
		o1 := coalesce(OLD.owner_id, 0); c1 := OLD.category; d1 := -1;
	ELSE
		o1 := coalesce(OLD.owner_id, 0); c1 := OLD.category; d1 := -1;
		o2 := coalesce(NEW.owner_id, 0); c2 := NEW.category; d2 := 1;
		IF (o2, c2) < (o1, c1) THEN
			o1 := o2; c1 := c2; d1 := 1;
			o2 := coalesce(OLD.owner_id, 0); c2 := OLD.category; d2 := -1;
		END IF;
	END IF;
	INSERT INTO client_pool AS p (owner_id, category, n) VALUES (o1, c1, d1)
		ON CONFLICT (owner_id, category) DO UPDATE SET n = p.n + excluded.n;
	IF d2 IS NOT NULL THEN
		INSERT INTO client_pool AS p (owner_id, category, n) VALUES (o2, c2, d2)
			ON CONFLICT (owner_id, category) DO UPDATE SET n = p.n + excluded.n;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER client_pool_insert AFTER INSERT ON clients
	FOR EACH ROW EXECUTE FUNCTION client_pool_trigger();
CREATE TRIGGER client_pool_delete AFTER DELETE ON clients
	FOR EACH ROW EXECUTE FUNCTION client_pool_trigger();
-- an update that names the columns without changing them (every edit of a client) costs only
-- the WHEN
CREATE TRIGGER client_pool_update AFTER UPDATE OF owner_id, category ON clients
	FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id OR
		OLD.category IS DISTINCT FROM NEW.category)
	EXECUTE FUNCTION client_pool_trigger();
-- @end
