-- Annex schema, PostgreSQL dialect. Keep it equivalent to
-- ../sqlite/0001_init.sql.

CREATE TABLE organisations (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	kind       TEXT NOT NULL CHECK (kind IN ('authority', 'exporter')),
	created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
	id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	username             TEXT NOT NULL UNIQUE,
	name                 TEXT NOT NULL,
	role                 TEXT NOT NULL,
	org_id               BIGINT REFERENCES organisations (id),
	password_hash        TEXT NOT NULL,
	must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
	disabled             BOOLEAN NOT NULL DEFAULT FALSE,
	created_at           TIMESTAMPTZ NOT NULL,
	updated_at           TIMESTAMPTZ NOT NULL
);

CREATE INDEX users_org_id ON users (org_id);

-- token_hash is the hex SHA-256 of the session token; the token itself is
-- never stored.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- audit_events is append-only and hash-chained; id is assigned by the chain
-- (previous id + 1), not by the database. actor_id is 0 for the system.
-- detail is TEXT, not JSONB, so that the hashed bytes are kept exactly.
CREATE TABLE audit_events (
	id        BIGINT PRIMARY KEY,
	time      TIMESTAMPTZ NOT NULL,
	actor_id  BIGINT NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	subject   TEXT NOT NULL,
	detail    TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL
);

CREATE INDEX audit_events_subject ON audit_events (subject);
CREATE INDEX audit_events_action ON audit_events (action);

-- data is the version's canonical JSON and sha256 its hex SHA-256.
-- imported_by is NULL when the system imported the version.
CREATE TABLE control_list_versions (
	id             TEXT PRIMARY KEY,
	title          TEXT NOT NULL,
	effective_date TEXT NOT NULL,
	source         TEXT NOT NULL,
	sha256         TEXT NOT NULL,
	data           TEXT NOT NULL,
	imported_at    TIMESTAMPTZ NOT NULL,
	imported_by    BIGINT REFERENCES users (id)
);
