-- 0022_calls_card: on SQLite the client card reads its history (a client's newest calls, every
-- column it shows) from one index range instead of a descent into the calls table per call.
-- calls_client (client_id, started_at) gave the ids, and each of a client's ~10 calls then lay on
-- its own page of the table (calls are stored in the order they were made, a client's spread over
-- the year): on the 10 M-call database that descent was a third of the card's instructions and
-- most of the pages it read (bench/FINDINGS.md). calls_card holds the card's columns after the key,
-- with the id right after started_at so that "ORDER BY started_at DESC, id DESC" is the index's
-- own order; it replaces calls_client, whose every use (a client's calls, his last contact) reads
-- the same key first, so a write still keeps the same number of B-trees. The price is space: the
-- index is nearly the size of the table's card columns (+2.1 GB, 27 %, on 10 M calls), and
-- building it takes about half a minute there. PostgreSQL keeps calls_client (its index-only
-- scans depend on the visibility map, and the card there was not measured with such an index).
-- May run again.
-- @sqlite
CREATE INDEX IF NOT EXISTS calls_card ON calls (client_id, started_at, id, rep_id, kind, direction,
	ring_s, talk_s, missed, purpose, goal_max, goal_min, result, outcome, refusal_reason, phone,
	pbx_id, recording_url, logged);
DROP INDEX IF EXISTS calls_client;
-- @end
