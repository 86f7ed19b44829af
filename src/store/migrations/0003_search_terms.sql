-- 0003_search_terms: an index of the words of each client's folded search text (name, company)
-- and of every suffix of his phones' digits, so that search-as-you-type is a B-tree prefix
-- lookup on both databases instead of a scan. Filled by the store on every client write; the
-- migration's hook (migrate.c) fills it for clients that existed before. The binary token on
-- term makes the prefix ranges compare bytes on PostgreSQL too (COLLATE "C").
CREATE TABLE client_terms (
	term TEXT @BINARY@ NOT NULL,
	client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
	PRIMARY KEY (term, client_id)
);
CREATE INDEX client_terms_client ON client_terms (client_id);
