-- 0002_auth: browser sessions, API tokens and login attempts (for throttling). Secrets are
-- stored only as hashes.

CREATE TABLE sessions (
	id_hash TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	seen_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	addr TEXT,
	user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
	id @ID@,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	last_used_at BIGINT,
	revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_attempts (
	id @ID@,
	at BIGINT NOT NULL,
	login TEXT NOT NULL,
	addr TEXT NOT NULL,
	ok INTEGER NOT NULL
);
CREATE INDEX login_attempts_login ON login_attempts (login, at);
CREATE INDEX login_attempts_addr ON login_attempts (addr, at);
