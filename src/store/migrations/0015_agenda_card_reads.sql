-- 0015_agenda_card_reads: the phones, the planned steps and the fields the agenda and the card
-- read, each from one B-tree.
--
-- Every look-up of phones by client wants them in the order they were added and their E.164
-- form only: the card (store_client_get: "WHERE client_id = $1 ORDER BY id"), and for every step
-- of the agenda and of the step lists the first phone's subquery ("... ORDER BY p.id LIMIT 1",
-- store/q_steps.c). By phones_client (client_id) each phone was an index entry then a row of the
-- phones table: two B-tree descents a step, two pages a card. The key (client_id, id, e164)
-- holds all three, so the phones table is not read there; it serves what phones_client did (the
-- rows of a client: DELETE, the count of qa, the cascade of a deleted client) and replaces it.
-- The look-up of a number (e164 = $1) keeps the UNIQUE constraint's index. Each statement may
-- run again on a database that has its effect already (IF NOT EXISTS, IF EXISTS, a rebuild).
CREATE INDEX IF NOT EXISTS phones_client_e164 ON phones (client_id, id, e164);
DROP INDEX IF EXISTS phones_client;
-- @sqlite
-- A rep's planned steps in due order with every column the agenda's two lists read
-- (store_step_list): next_steps_rep found them, then each was a descent into the next_steps table,
-- a sixth of an agenda's work. Planned steps only (a tenth of the table: every step ends closed),
-- status last so that SQLite sees the statement's "status = 'planned'" covered, id after due_at
-- for the lists' order (due_at, id). The counts keep next_steps_rep, whose entries are smaller.
-- SQLite only: a PostgreSQL index entry has a size limit (a third of a page) that a step's note
-- of 1 000 bytes with its cancel reason comes near, and its heap fetch is not this descent.
CREATE INDEX IF NOT EXISTS next_steps_planned ON next_steps (rep_id, due_at, id, client_id,
	call_id, kind, auto, note, cancel_reason, created_at, closed_at, status)
	WHERE status = 'planned';
-- A client's fields (the card's "fields", store_client_fields) were an entry of the primary
-- key's index then each a row of the rowid table: keyed by (client_id, field) WITHOUT ROWID the
-- key is the table, a client's fields one leaf. Rebuilt as 0010 rebuilt client_terms: the rows
-- in key order into the new table (its CHECK as 0014 left the old one), the old dropped, the new
-- renamed. Nothing refers to the table, and nothing read its rowid. PostgreSQL's table has no
-- rowid: nothing there.
CREATE TABLE client_fields_new (
	client_id BIGINT NOT NULL REFERENCES clients (id),
	field TEXT NOT NULL,
	value TEXT NOT NULL,
	type TEXT NOT NULL
		CHECK (type = 'text' OR type = 'number' OR type = 'choice' OR type = 'datetime'),
	run_id BIGINT REFERENCES script_runs (id),
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (client_id, field)
) WITHOUT ROWID;
INSERT INTO client_fields_new (client_id, field, value, type, run_id, updated_at)
SELECT client_id, field, value, type, run_id, updated_at FROM client_fields
ORDER BY client_id, field;
DROP TABLE client_fields;
ALTER TABLE client_fields_new RENAME TO client_fields;
-- @end
