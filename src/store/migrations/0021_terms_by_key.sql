-- 0021_terms_by_key: the search index loses its index by client. client_terms_client served
-- only the replacement of a client's terms when his text changed (DELETE ... WHERE client_id);
-- the store now deletes the terms his old text had and the new one lacks by their key (term,
-- client_id), as a client's rows are always the terms of his stored text (store/q_terms.c).
-- Every term written kept a third B-tree up to date: an import of 5 000 clients took 24 % fewer
-- instructions without it (callgrind, bench/FINDINGS.md), and the index held a row per term
-- (14.7 M on the 10 M-call database). May run again.
DROP INDEX IF EXISTS client_terms_client;
