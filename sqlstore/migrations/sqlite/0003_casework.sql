-- Case work: applications with their documents, requests for information,
-- advice and history; licences with their shipments; the counters of
-- references. SQLite dialect; keep it equivalent to
-- ../postgres/0003_casework.sql.

-- department is the advising department of a reviewer, '' for other users.
ALTER TABLE users ADD COLUMN department TEXT NOT NULL DEFAULT '';

-- reference_counters hands out the serial numbers of references, per kind
-- ('application' or 'licence') and year. A transaction takes the next
-- number with one upsert, which holds the row until it commits, so that
-- concurrent instances never hand out the same number.
CREATE TABLE reference_counters (
	kind TEXT NOT NULL,
	year INTEGER NOT NULL,
	last INTEGER NOT NULL,
	PRIMARY KEY (kind, year)
) STRICT;

-- applications are exporters' licence applications. spec is the JSON of
-- the annex.ApplicationSpec; assessment, proposed and decision are the JSON
-- of the annex.Assessment and annex.CaseDecision, NULL until there is one.
-- reference is NULL until the application is submitted, licence until one
-- is issued. version counts changes, for optimistic concurrency, and
-- updated_by is who made the last one, NULL when Annex made it itself (a
-- reassessment after the screening lists changed).
CREATE TABLE applications (
	id           INTEGER PRIMARY KEY,
	reference    TEXT UNIQUE,
	org_id       INTEGER NOT NULL REFERENCES organisations (id),
	status       TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'under_review', 'awaiting_exporter',
		'awaiting_countersign', 'approved', 'refused', 'no_licence_required', 'withdrawn', 'under_appeal')),
	spec         TEXT NOT NULL,
	amendment_of TEXT NOT NULL DEFAULT '',
	assessment   TEXT,
	assigned_to  INTEGER REFERENCES users (id),
	proposed     TEXT,
	decision     TEXT,
	licence      TEXT,
	version      INTEGER NOT NULL,
	created_by   INTEGER NOT NULL REFERENCES users (id),
	created_at   TEXT NOT NULL,
	submitted_at TEXT,
	updated_by   INTEGER REFERENCES users (id),
	updated_at   TEXT NOT NULL,
	decided_at   TEXT
) STRICT;

CREATE INDEX applications_org_id ON applications (org_id);
CREATE INDEX applications_status ON applications (status);
CREATE INDEX applications_assigned_to ON applications (assigned_to);

-- documents are files attached to applications. content is the last
-- column, so that reading the metadata of a row does not walk the overflow
-- pages of a large file.
CREATE TABLE documents (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications (id),
	kind           TEXT NOT NULL,
	file_name      TEXT NOT NULL,
	content_type   TEXT NOT NULL,
	size           INTEGER NOT NULL,
	sha256         TEXT NOT NULL,
	uploaded_by    INTEGER NOT NULL REFERENCES users (id),
	uploaded_at    TEXT NOT NULL,
	content        BLOB NOT NULL
) STRICT;

CREATE INDEX documents_application_id ON documents (application_id);

-- information_requests are officers' questions to the exporter; open while
-- answered_at is NULL.
CREATE TABLE information_requests (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications (id),
	question       TEXT NOT NULL,
	asked_by       INTEGER NOT NULL REFERENCES users (id),
	asked_at       TEXT NOT NULL,
	answer         TEXT NOT NULL DEFAULT '',
	answered_by    INTEGER REFERENCES users (id),
	answered_at    TEXT
) STRICT;

CREATE INDEX information_requests_application_id ON information_requests (application_id);

-- advice_requests ask a department for advice; answered once it advised.
CREATE TABLE advice_requests (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications (id),
	department     TEXT NOT NULL,
	note           TEXT NOT NULL,
	requested_by   INTEGER NOT NULL REFERENCES users (id),
	requested_at   TEXT NOT NULL,
	answered       INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX advice_requests_application_id ON advice_requests (application_id);
CREATE INDEX advice_requests_open ON advice_requests (department, answered);

-- advice is the departments' advice. username is the reviewer's at the time.
CREATE TABLE advice (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications (id),
	department     TEXT NOT NULL,
	subject        TEXT NOT NULL,
	type           TEXT NOT NULL CHECK (type IN ('approve', 'proviso', 'refuse')),
	text           TEXT NOT NULL,
	proviso        TEXT NOT NULL,
	user_id        INTEGER NOT NULL REFERENCES users (id),
	username       TEXT NOT NULL,
	created_at     TEXT NOT NULL
) STRICT;

CREATE INDEX advice_application_id ON advice (application_id);

-- application_events is the history of every case action: who took it
-- (user_id NULL and username 'system' when Annex reassessed the case itself),
-- the status before and after, the version it made, the reason given (the
-- grounds of an appeal, why a decision went back) and, in data, the JSON of
-- what the action replaced or dropped (a proposal sent back, a decision
-- overturned on appeal), or NULL.
CREATE TABLE application_events (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications (id),
	action         TEXT NOT NULL,
	from_status    TEXT NOT NULL,
	to_status      TEXT NOT NULL,
	version        INTEGER NOT NULL,
	user_id        INTEGER REFERENCES users (id),
	username       TEXT NOT NULL,
	reason         TEXT NOT NULL,
	data           TEXT,
	created_at     TEXT NOT NULL
) STRICT;

CREATE INDEX application_events_application_id ON application_events (application_id);

-- licences are issued on approved applications. lines is the JSON of the
-- []annex.LicenceLine with their balances and provisos of the []string.
-- status is as last stored: an issued licence past valid_until reads as
-- expired before ExpireLicences marks it.
CREATE TABLE licences (
	id             INTEGER PRIMARY KEY,
	number         TEXT NOT NULL UNIQUE,
	application_id INTEGER NOT NULL UNIQUE REFERENCES applications (id),
	org_id         INTEGER NOT NULL REFERENCES organisations (id),
	status         TEXT NOT NULL CHECK (status IN ('issued', 'suspended', 'revoked', 'expired', 'exhausted', 'superseded')),
	destination    TEXT NOT NULL,
	end_user       TEXT NOT NULL,
	valid_from     TEXT NOT NULL,
	valid_until    TEXT NOT NULL,
	lines          TEXT NOT NULL,
	provisos       TEXT NOT NULL,
	reason         TEXT NOT NULL DEFAULT '',
	version        INTEGER NOT NULL,
	issued_at      TEXT NOT NULL
) STRICT;

CREATE INDEX licences_org_id ON licences (org_id);
CREATE INDEX licences_status ON licences (status, valid_until);

-- shipments are customs records drawn down from licences.
CREATE TABLE shipments (
	id          INTEGER PRIMARY KEY,
	licence_id  INTEGER NOT NULL REFERENCES licences (id),
	line        INTEGER NOT NULL,
	quantity    REAL NOT NULL,
	value       REAL NOT NULL,
	customs_ref TEXT NOT NULL,
	recorded_by INTEGER NOT NULL REFERENCES users (id),
	recorded_at TEXT NOT NULL
) STRICT;

CREATE INDEX shipments_licence_id ON shipments (licence_id);
