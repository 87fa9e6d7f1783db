-- Annex schema, SQLite dialect. Times are RFC 3339 text in UTC with nine
-- fractional digits, so that text order is time order. Booleans are 0 or 1.

CREATE TABLE organisations (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	kind       TEXT NOT NULL CHECK (kind IN ('authority', 'exporter')),
	created_at TEXT NOT NULL
) STRICT;

CREATE TABLE users (
	id                   INTEGER PRIMARY KEY,
	username             TEXT NOT NULL UNIQUE,
	name                 TEXT NOT NULL,
	role                 TEXT NOT NULL,
	org_id               INTEGER REFERENCES organisations (id),
	password_hash        TEXT NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 0,
	disabled             INTEGER NOT NULL DEFAULT 0,
	created_at           TEXT NOT NULL,
	updated_at           TEXT NOT NULL
) STRICT;

CREATE INDEX users_org_id ON users (org_id);

-- token_hash is the hex SHA-256 of the session token; the token itself is
-- never stored.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- audit_events is append-only and hash-chained; id is assigned by the chain
-- (previous id + 1), not by the database. actor_id is 0 for the system.
CREATE TABLE audit_events (
	id        INTEGER PRIMARY KEY,
	time      TEXT NOT NULL,
	actor_id  INTEGER NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	subject   TEXT NOT NULL,
	detail    TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL
) STRICT;

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
	imported_at    TEXT NOT NULL,
	imported_by    INTEGER REFERENCES users (id)
) STRICT;
