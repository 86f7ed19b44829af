-- 0001_init: the first schema. Written once for SQLite and PostgreSQL: @ID@ is the driver's
-- auto-generated integer key, times are UTC epoch seconds, money is in minor units.

CREATE TABLE users (
	id @ID@,
	login TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('rep', 'head', 'admin')),
	timezone TEXT NOT NULL DEFAULT 'UTC',
	locale TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'ru', 'tr', 'vi')),
	extension TEXT UNIQUE,
	password_hash TEXT,
	active INTEGER NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL
);

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE segments (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	cadence_min_days INTEGER NOT NULL,
	cadence_max_days INTEGER NOT NULL,
	CHECK (cadence_min_days >= 1 AND cadence_max_days >= cadence_min_days)
);

CREATE TABLE sources (
	id @ID@,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE ad_spend (
	source_id BIGINT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	month TEXT NOT NULL,
	amount BIGINT NOT NULL CHECK (amount >= 0),
	PRIMARY KEY (source_id, month)
);

CREATE TABLE clients (
	id @ID@,
	name TEXT NOT NULL,
	company TEXT,
	category TEXT NOT NULL DEFAULT 'now' CHECK (category IN ('now', 'future', 'never')),
	refusal_reason TEXT,
	never_reason TEXT CHECK (never_reason IS NULL OR never_reason IN ('closed', 'gone')),
	never_note TEXT,
	owner_id BIGINT REFERENCES users (id),
	segment_id BIGINT REFERENCES segments (id),
	source_id BIGINT REFERENCES sources (id),
	search TEXT NOT NULL DEFAULT '',
	last_contact_at BIGINT,
	category_at BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX clients_owner ON clients (owner_id, category);
CREATE INDEX clients_category ON clients (category, category_at);

CREATE TABLE phones (
	id @ID@,
	client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
	e164 TEXT NOT NULL UNIQUE,
	raw TEXT NOT NULL
);
CREATE INDEX phones_client ON phones (client_id);

-- calls and meetings: one row per contact with a client
CREATE TABLE calls (
	id @ID@,
	client_id BIGINT REFERENCES clients (id),
	rep_id BIGINT REFERENCES users (id),
	kind TEXT NOT NULL CHECK (kind IN ('call', 'meeting')),
	direction TEXT CHECK (direction IS NULL OR direction IN ('in', 'out')),
	started_at BIGINT NOT NULL,
	answered_at BIGINT,
	ended_at BIGINT,
	ring_s INTEGER NOT NULL DEFAULT 0 CHECK (ring_s >= 0),
	talk_s INTEGER NOT NULL DEFAULT 0 CHECK (talk_s >= 0),
	missed INTEGER NOT NULL DEFAULT 0,
	purpose TEXT,
	goal_max TEXT,
	goal_min TEXT,
	result TEXT CHECK (result IS NULL OR result IN ('max', 'min', 'none')),
	outcome TEXT NOT NULL DEFAULT 'none'
		CHECK (outcome IN ('next_step', 'sale', 'refused', 'never', 'missed', 'none')),
	refusal_reason TEXT,
	phone TEXT,
	pbx_id TEXT UNIQUE,
	recording_url TEXT,
	logged INTEGER NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL
);
CREATE INDEX calls_client ON calls (client_id, started_at);
CREATE INDEX calls_rep ON calls (rep_id, started_at);
CREATE INDEX calls_started ON calls (started_at);

CREATE TABLE next_steps (
	id @ID@,
	client_id BIGINT NOT NULL REFERENCES clients (id),
	call_id BIGINT REFERENCES calls (id),
	rep_id BIGINT REFERENCES users (id),
	kind TEXT NOT NULL
		CHECK (kind IN ('meeting', 'visit', 'call', 'callback', 'offer', 'invoice', 'decision')),
	due_at BIGINT NOT NULL,
	status TEXT NOT NULL DEFAULT 'planned'
		CHECK (status IN ('planned', 'done', 'missed', 'cancelled')),
	auto INTEGER NOT NULL DEFAULT 0,
	note TEXT,
	cancel_reason TEXT,
	created_at BIGINT NOT NULL,
	closed_at BIGINT
);
CREATE INDEX next_steps_rep ON next_steps (rep_id, status, due_at);
CREATE INDEX next_steps_client ON next_steps (client_id, status, due_at);

CREATE TABLE deals (
	id @ID@,
	client_id BIGINT NOT NULL REFERENCES clients (id),
	call_id BIGINT REFERENCES calls (id),
	rep_id BIGINT REFERENCES users (id),
	amount BIGINT NOT NULL CHECK (amount >= 0),
	stage TEXT NOT NULL CHECK (stage IN ('offer', 'pending', 'won', 'lost')),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	closed_at BIGINT
);
CREATE INDEX deals_client ON deals (client_id);
CREATE INDEX deals_stage ON deals (stage, updated_at);

CREATE TABLE audit_log (
	id @ID@,
	at BIGINT NOT NULL,
	actor TEXT,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id BIGINT,
	detail TEXT
);
