-- 0013_client_pool_insert: client_pool (0012) no longer counts an inserted client by a trigger.
-- On SQLite an AFTER INSERT trigger makes every INSERT INTO clients of a transaction keep a
-- statement journal, a third more work for each imported client; the store now adds the +1 itself
-- in the same transaction as the insert (store_client_pool_add, store/q_pool.c, called by
-- store_client_insert), on both drivers alike. A hand-made INSERT INTO clients is no longer
-- counted: "report verify --fix" refills the table. The triggers of a delete and of a move stay
-- (PostgreSQL's function with them).
-- @sqlite
DROP TRIGGER client_pool_insert;
-- @postgres
DROP TRIGGER client_pool_insert ON clients;
-- @end
