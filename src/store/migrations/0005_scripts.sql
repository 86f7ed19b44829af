-- 0005_scripts: call scripts (docs/scripts.md), their versions, live runs and the answers they
-- capture into the client card. A run keeps the version it used; its steps are kept one row
-- each, with the random draw that chose a wording, so the run's state can be replayed and the
-- analytics count which node and which wording each run reached.
CREATE TABLE scripts (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	outbound INTEGER NOT NULL DEFAULT 0,
	archived INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);

CREATE TABLE script_versions (
	id @ID@,
	script_id BIGINT NOT NULL REFERENCES scripts (id),
	version INTEGER NOT NULL,
	source TEXT NOT NULL,
	author_id BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL,
	UNIQUE (script_id, version)
);

CREATE TABLE script_runs (
	id @ID@,
	version_id BIGINT NOT NULL REFERENCES script_versions (id),
	client_id BIGINT NOT NULL REFERENCES clients (id),
	call_id BIGINT REFERENCES calls (id),
	rep_id BIGINT REFERENCES users (id),
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'finished', 'abandoned')),
	result TEXT CHECK (result IS NULL OR result IN ('max', 'min', 'none')),
	steps INTEGER NOT NULL DEFAULT 0,
	node TEXT NOT NULL,
	started_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	finished_at BIGINT
);
CREATE INDEX script_runs_version ON script_runs (version_id, status);
CREATE INDEX script_runs_client ON script_runs (client_id, status);
CREATE INDEX script_runs_rep ON script_runs (rep_id, status);

-- one row per step; entered/variant: the node (or "objection:ID") entered and the wording shown
CREATE TABLE script_run_steps (
	run_id BIGINT NOT NULL REFERENCES script_runs (id),
	seq INTEGER NOT NULL,
	action TEXT NOT NULL,
	arg TEXT,
	rnd BIGINT NOT NULL,
	entered TEXT,
	variant INTEGER,
	at BIGINT NOT NULL,
	PRIMARY KEY (run_id, seq)
);
CREATE INDEX script_run_steps_entered ON script_run_steps (entered, variant);

-- answers captured into the client card (by a script run, or typed by hand: run_id NULL)
CREATE TABLE client_fields (
	client_id BIGINT NOT NULL REFERENCES clients (id),
	field TEXT NOT NULL,
	value TEXT NOT NULL,
	type TEXT NOT NULL CHECK (type IN ('text', 'number', 'choice', 'datetime')),
	run_id BIGINT REFERENCES script_runs (id),
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (client_id, field)
);

-- the call a script run was used on (the QA review shows the run's path)
ALTER TABLE calls ADD COLUMN script_run_id BIGINT;
