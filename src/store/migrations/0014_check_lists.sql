-- 0014_check_lists: SQLite codes a CHECK (x IN ('a', 'b', 'c')) of three or more constants as a
-- B-tree that it builds, fills and drops at every row a statement writes (about half of the
-- instructions of a call's INSERT); the same constraint as comparisons joined by OR is a few
-- instructions and is not turned back into an IN list. The tables are not rebuilt: only their
-- CREATE TABLE text changes, which no stored row can see (sqlite.org/lang_altertable.html,
-- "Making Other Kinds Of Table Schema Changes"). This section lists the texts in
-- temp.schema_rewrite; migrate.c (schema_rewrite) replaces each in its table's text, refusing a
-- text that is not there exactly once, bumps schema_version and reloads the schema, in this
-- migration's transaction. PostgreSQL: nothing (there an IN list is one array comparison).
-- @sqlite
CREATE TEMP TABLE schema_rewrite (tbl TEXT NOT NULL, old TEXT NOT NULL, new TEXT NOT NULL);
INSERT INTO schema_rewrite (tbl, old, new) VALUES
	('users', 'role IN (''rep'', ''head'', ''admin'')',
		'role = ''rep'' OR role = ''head'' OR role = ''admin'''),
	('users', 'locale IN (''en'', ''ru'', ''tr'', ''vi'')',
		'locale = ''en'' OR locale = ''ru'' OR locale = ''tr'' OR locale = ''vi'''),
	('clients', 'category IN (''now'', ''future'', ''never'')',
		'category = ''now'' OR category = ''future'' OR category = ''never'''),
	('calls', 'result IS NULL OR result IN (''max'', ''min'', ''none'')',
		'result IS NULL OR result = ''max'' OR result = ''min'' OR result = ''none'''),
	('calls', 'outcome IN (''next_step'', ''sale'', ''refused'', ''never'', ''missed'', ''none'')',
		'outcome = ''next_step'' OR outcome = ''sale'' OR outcome = ''refused'' OR '
		|| 'outcome = ''never'' OR outcome = ''missed'' OR outcome = ''none'''),
	('next_steps',
		'kind IN (''meeting'', ''visit'', ''call'', ''callback'', ''offer'', ''invoice'', '
		|| '''decision'')',
		'kind = ''meeting'' OR kind = ''visit'' OR kind = ''call'' OR kind = ''callback'' OR '
		|| 'kind = ''offer'' OR kind = ''invoice'' OR kind = ''decision'''),
	('next_steps', 'status IN (''planned'', ''done'', ''missed'', ''cancelled'')',
		'status = ''planned'' OR status = ''done'' OR status = ''missed'' OR '
		|| 'status = ''cancelled'''),
	('deals', 'stage IN (''offer'', ''pending'', ''won'', ''lost'')',
		'stage = ''offer'' OR stage = ''pending'' OR stage = ''won'' OR stage = ''lost'''),
	('script_runs', 'status IN (''open'', ''finished'', ''abandoned'')',
		'status = ''open'' OR status = ''finished'' OR status = ''abandoned'''),
	('script_runs', 'result IS NULL OR result IN (''max'', ''min'', ''none'')',
		'result IS NULL OR result = ''max'' OR result = ''min'' OR result = ''none'''),
	('client_fields', 'type IN (''text'', ''number'', ''choice'', ''datetime'')',
		'type = ''text'' OR type = ''number'' OR type = ''choice'' OR type = ''datetime'''),
	('qa_form_items',
		'auto IS NULL OR auto IN (''needs_questions'', ''price_late'', ''next_step'','
		|| char(10, 9, 9) || '''contacts'')',
		'auto IS NULL OR auto = ''needs_questions'' OR auto = ''price_late'' OR '
		|| 'auto = ''next_step'' OR auto = ''contacts''');
-- @end
