-- Screening: loaded list snapshots, parties, adjudications and alerts.
-- SQLite dialect; keep it equivalent to ../postgres/0002_screening.sql.

-- list_snapshots keeps every loaded copy of a screening list. files is the
-- JSON array of the files' names and data the JSON array of the snapshot's
-- entities (annex.ListEntity). Each source has at most one active snapshot:
-- the store deactivates the previous one in the transaction that adds the
-- next, and the partial unique index enforces it. data is NULL for inactive
-- snapshots older than the last few of their source (see ListStore).
CREATE TABLE list_snapshots (
	id        INTEGER PRIMARY KEY,
	source    TEXT NOT NULL,
	format    TEXT NOT NULL,
	files     TEXT NOT NULL,
	published TEXT NOT NULL,
	loaded_at TEXT NOT NULL,
	sha256    TEXT NOT NULL,
	entities  INTEGER NOT NULL,
	names     INTEGER NOT NULL,
	active    INTEGER NOT NULL DEFAULT 0,
	data      TEXT
) STRICT;

CREATE INDEX list_snapshots_source_active ON list_snapshots (source, active);
CREATE UNIQUE INDEX list_snapshots_one_active ON list_snapshots (source) WHERE active;

-- parties are the people and organisations Annex keeps screening. name_key
-- is the name in lower case as Go folds it, for the case-insensitive lookup
-- by name (the dialects' lower() differ outside ASCII). org_id is NULL for
-- the authority's own parties, created_by for parties the system created.
-- type, country, dob and id_number are '' when unknown.
CREATE TABLE parties (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	name_key   TEXT NOT NULL,
	type       TEXT NOT NULL,
	country    TEXT NOT NULL,
	dob        TEXT NOT NULL,
	id_number  TEXT NOT NULL,
	org_id     INTEGER REFERENCES organisations (id),
	created_by INTEGER REFERENCES users (id),
	created_at TEXT NOT NULL
) STRICT;

CREATE INDEX parties_org_id ON parties (org_id);
CREATE INDEX parties_name_key ON parties (name_key);

-- adjudications are officers' decisions on a pair of a party and a listed
-- entity, as the entity was (entity_hash). username is the officer's
-- username at the time.
CREATE TABLE adjudications (
	id          INTEGER PRIMARY KEY,
	party_id    INTEGER NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
	source      TEXT NOT NULL,
	source_id   TEXT NOT NULL,
	entity_hash TEXT NOT NULL,
	decision    TEXT NOT NULL CHECK (decision IN ('confirm', 'dismiss')),
	reason      TEXT NOT NULL,
	user_id     INTEGER NOT NULL REFERENCES users (id),
	username    TEXT NOT NULL,
	created_at  TEXT NOT NULL
) STRICT;

CREATE INDEX adjudications_pair ON adjudications (party_id, source, source_id);

-- alerts are new hits of stored parties, open until an adjudication of the
-- same pair and entity hash closes them (resolved_at).
CREATE TABLE alerts (
	id          INTEGER PRIMARY KEY,
	party_id    INTEGER NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
	party_name  TEXT NOT NULL,
	source      TEXT NOT NULL,
	source_id   TEXT NOT NULL,
	entity_name TEXT NOT NULL,
	entity_hash TEXT NOT NULL,
	score       REAL NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'dismissed')),
	created_at  TEXT NOT NULL,
	resolved_at TEXT
) STRICT;

CREATE INDEX alerts_status ON alerts (status);
CREATE INDEX alerts_party_id ON alerts (party_id);
