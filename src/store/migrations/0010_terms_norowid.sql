-- 0010_terms_norowid: the search index (0003) as one B-tree per row instead of three. On SQLite
-- the table had a rowid table beside its key's index: WITHOUT ROWID makes the key (term,
-- client_id) the table itself. The foreign key to clients goes: it cost a look-up in clients
-- for every term, and on SQLite it made an INSERT of several rows keep a statement journal (a
-- copy of every page it changes), so terms were written one statement each. The store is the
-- only writer: it writes a client's terms right after the client, in the same transaction,
-- and no code deletes clients (a delete would drop his terms by client_terms_client). The rows
-- are carried over in key order, so that the new key is written from its start to its end.
CREATE TABLE client_terms_new (
	term TEXT @BINARY@ NOT NULL,
	client_id BIGINT NOT NULL,
	PRIMARY KEY (term, client_id)
)@NOROWID@;
INSERT INTO client_terms_new (term, client_id)
SELECT term, client_id FROM client_terms ORDER BY term, client_id;
DROP TABLE client_terms;
ALTER TABLE client_terms_new RENAME TO client_terms;
CREATE INDEX client_terms_client ON client_terms (client_id);
