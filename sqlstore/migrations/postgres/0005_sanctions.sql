-- The sanctions register: entities, transfer reports, determinations with
-- their measures, waivers and policy holds. PostgreSQL dialect; keep it
-- equivalent to ../sqlite/0005_sanctions.sql.
--
-- Dates of the register (transfer_date, start_day, ...) are TEXT written
-- YYYY-MM-DD, so that text order is date order in both dialects; '' means
-- none where the column is NOT NULL. JSON columns are TEXT as the store
-- wrote them. created_by is NULL for the system.

-- sanction_entities are the persons of the register. aliases is the JSON
-- array of the other names and list_refs the JSON array of the
-- annex.ListRef. search_key is the name and the aliases in lower case as Go
-- folds them, one a line, for the case-insensitive search by name (the
-- dialects' lower() differ outside ASCII).
CREATE TABLE sanction_entities (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name       TEXT NOT NULL,
	aliases    TEXT NOT NULL,
	search_key TEXT NOT NULL,
	type       TEXT NOT NULL,
	country    TEXT NOT NULL,
	sub_units  BOOLEAN NOT NULL DEFAULT FALSE,
	list_refs  TEXT NOT NULL,
	notes      TEXT NOT NULL,
	created_by BIGINT REFERENCES users (id),
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX sanction_entities_country ON sanction_entities (country);

-- transfer_reports record transfers between two entities. items is the
-- JSON array of the annex.ReportItem and sources of the
-- annex.EvidenceSource; category is '' when not given. search_key is the
-- reference and the title in lower case, one a line.
CREATE TABLE transfer_reports (
	id                        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	reference                 TEXT NOT NULL UNIQUE,
	title                     TEXT NOT NULL,
	search_key                TEXT NOT NULL,
	transfer_date             TEXT NOT NULL,
	supplier_id               BIGINT NOT NULL REFERENCES sanction_entities (id),
	recipient_id              BIGINT NOT NULL REFERENCES sanction_entities (id),
	items                     TEXT NOT NULL,
	category                  TEXT NOT NULL,
	sources                   TEXT NOT NULL,
	assessment                TEXT NOT NULL,
	substantially_contributed BOOLEAN NOT NULL DEFAULT FALSE,
	authorized_by_adherent    BOOLEAN NOT NULL DEFAULT FALSE,
	created_by                BIGINT REFERENCES users (id),
	created_at                TIMESTAMPTZ NOT NULL,
	updated_at                TIMESTAMPTZ NOT NULL
);

CREATE INDEX transfer_reports_supplier_id ON transfer_reports (supplier_id);
CREATE INDEX transfer_reports_recipient_id ON transfer_reports (recipient_id);
CREATE INDEX transfer_reports_transfer_date ON transfer_reports (transfer_date);

-- determinations are the engine's determinations as recorded: input is the
-- JSON of the annex.DeterminationInput and result of the
-- annex.DeterminationResult without its measures, which are rows of
-- sanction_measures. report_id is NULL for a determination made without a
-- report.
CREATE TABLE determinations (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	report_id  BIGINT REFERENCES transfer_reports (id),
	input      TEXT NOT NULL,
	result     TEXT NOT NULL,
	note       TEXT NOT NULL,
	created_by BIGINT REFERENCES users (id),
	created_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX determinations_report_id ON determinations (report_id);

-- sanction_waivers waive measures from a day (effective). entity_id is set
-- when the waiver covers every measure on an entity; measure_ids is the
-- JSON array of the IDs of the measures it covered.
CREATE TABLE sanction_waivers (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	entity_id   BIGINT REFERENCES sanction_entities (id),
	measure_ids TEXT NOT NULL,
	effective   TEXT NOT NULL,
	basis       TEXT NOT NULL,
	legal_basis TEXT NOT NULL,
	notified_on TEXT NOT NULL,
	reason      TEXT NOT NULL,
	created_by  BIGINT REFERENCES users (id),
	created_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX sanction_waivers_entity_id ON sanction_waivers (entity_id);

-- sanction_measures are the measures of the determinations, one sanction
-- on one entity each. entity and country are as the determination named
-- them. end_day is '' when the measure has no end. waiver_id and
-- waived_from are NULL until a waiver covers the measure.
CREATE TABLE sanction_measures (
	id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	determination_id BIGINT NOT NULL REFERENCES determinations (id),
	entity_id        BIGINT NOT NULL REFERENCES sanction_entities (id),
	entity           TEXT NOT NULL,
	country          TEXT NOT NULL,
	role             TEXT NOT NULL,
	measure          TEXT NOT NULL,
	legal_basis      TEXT NOT NULL,
	description      TEXT NOT NULL,
	pack             TEXT NOT NULL,
	start_day        TEXT NOT NULL,
	end_day          TEXT NOT NULL,
	minimum          BOOLEAN NOT NULL DEFAULT FALSE,
	waiver_id        BIGINT REFERENCES sanction_waivers (id),
	waived_from      TEXT
);

CREATE INDEX sanction_measures_determination_id ON sanction_measures (determination_id);
CREATE INDEX sanction_measures_entity_id ON sanction_measures (entity_id);
CREATE INDEX sanction_measures_days ON sanction_measures (start_day, end_day);
CREATE INDEX sanction_measures_waiver_id ON sanction_measures (waiver_id);

-- policy_holds suspend (effect 'deny') or refer (effect 'refer') a class
-- of licences for a destination from from_day; until_day is NULL while
-- the hold is open. class is '' for every licence.
CREATE TABLE policy_holds (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	country    TEXT NOT NULL,
	class      TEXT NOT NULL,
	reason     TEXT NOT NULL,
	from_day   TEXT NOT NULL,
	until_day  TEXT,
	effect     TEXT NOT NULL CHECK (effect IN ('deny', 'refer')),
	created_by BIGINT REFERENCES users (id),
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX policy_holds_country ON policy_holds (country, from_day);
