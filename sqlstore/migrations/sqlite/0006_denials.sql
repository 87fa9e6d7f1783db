-- The exchange of MTCR denial notifications and no-undercut consultations
-- with the regime's partners. SQLite dialect; keep it equivalent to
-- ../postgres/0006_denials.sql.
--
-- Days (date, revoked_on) are TEXT written YYYY-MM-DD, so that text order
-- is date order in both dialects; '' means none where the column is NOT
-- NULL.

-- denials are the denial notifications: this government's own (own = 1,
-- application_id the case refused) and those received from partners (own
-- = 0, with where they came from: the signing key, the feed and the
-- sequence of the last notification applied, and when). version counts
-- the notifications of a denial: 1 when notified, one more for each
-- amendment or the revocation.
CREATE TABLE denials (
	id                   TEXT PRIMARY KEY,
	notifying_government TEXT NOT NULL,
	entry                TEXT NOT NULL,
	item_description     TEXT NOT NULL,
	end_user             TEXT NOT NULL,
	consignee            TEXT NOT NULL,
	destination          TEXT NOT NULL,
	date                 TEXT NOT NULL,
	reason               TEXT NOT NULL,
	status               TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
	version              INTEGER NOT NULL,
	revoked_on           TEXT NOT NULL DEFAULT '',
	application_id       INTEGER REFERENCES applications (id),
	own                  INTEGER NOT NULL,
	received_key_id      TEXT,
	received_feed        TEXT,
	received_sequence    INTEGER,
	received_at          TEXT,
	created_at           TEXT NOT NULL,
	updated_at           TEXT NOT NULL,
	CHECK (own = 1 OR received_at IS NOT NULL)
) STRICT;

CREATE INDEX denials_own_date ON denials (own, date);
CREATE INDEX denials_destination ON denials (destination);
CREATE INDEX denials_application_id ON denials (application_id);

-- consultations are the no-undercut consultations. An outgoing one asks a
-- partner (partner) about its denial before our case (application_id) may
-- be approved; its request_id is ours, "<gov>-C-<id>". An incoming one is a
-- partner's question (partner is the asking government) about our denial,
-- with the partner's request_id and no application. entry, end_user and
-- destination are the essentials of the consulting government's
-- application. status is open until answered; that an open one has lapsed
-- is read from due_at. request_id is NULL only inside the transaction that
-- creates an outgoing consultation, whose request_id is made of its id.
CREATE TABLE consultations (
	id             INTEGER PRIMARY KEY,
	direction      TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
	application_id INTEGER REFERENCES applications (id),
	request_id     TEXT UNIQUE,
	denial_id      TEXT NOT NULL,
	partner        TEXT NOT NULL,
	entry          TEXT NOT NULL,
	end_user       TEXT NOT NULL,
	destination    TEXT NOT NULL,
	status         TEXT NOT NULL CHECK (status IN ('open', 'answered', 'lapsed')),
	requested_at   TEXT NOT NULL,
	due_at         TEXT NOT NULL,
	answer         TEXT NOT NULL DEFAULT '',
	objects        INTEGER NOT NULL DEFAULT 0,
	answered_at    TEXT,
	CHECK ((direction = 'outgoing') = (application_id IS NOT NULL))
) STRICT;

CREATE INDEX consultations_application_id ON consultations (application_id);
CREATE INDEX consultations_direction ON consultations (direction, id);

-- exchange_outbox is this government's feed: the notifications it issues,
-- numbered by sequence from 1, which partners pull. payload is the JSON of
-- the annex.Notification without its sequence, key and signature, which
-- the server adds when it serves the feed. to_gov is '' for every partner.
CREATE TABLE exchange_outbox (
	sequence   INTEGER PRIMARY KEY AUTOINCREMENT,
	kind       TEXT NOT NULL,
	to_gov     TEXT NOT NULL,
	payload    TEXT NOT NULL,
	created_at TEXT NOT NULL
) STRICT;

-- exchange_seen holds, for each partner key, the sequence of the last
-- notification received, so that duplicates and replays are ignored.
CREATE TABLE exchange_seen (
	key_id        TEXT PRIMARY KEY,
	government    TEXT NOT NULL,
	feed          TEXT NOT NULL,
	last_sequence INTEGER NOT NULL,
	updated_at    TEXT NOT NULL
) STRICT;
