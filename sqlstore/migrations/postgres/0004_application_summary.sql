-- The headline of each application's assessment, kept beside it so that
-- case lists need not decode the whole assessment. Keep it equivalent to
-- ../sqlite/0004_application_summary.sql.
ALTER TABLE applications ADD COLUMN recommendation TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN presumption TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN licence_required BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE applications SET
	recommendation = COALESCE(assessment::json->>'recommendation', ''),
	presumption = COALESCE(assessment::json->>'presumption', ''),
	category = COALESCE(assessment::json->>'category', ''),
	licence_required = COALESCE((assessment::json->>'licence_required')::boolean, FALSE)
WHERE assessment IS NOT NULL;
