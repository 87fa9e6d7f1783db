-- The headline of each application's assessment, kept beside it so that
-- case lists need not decode the whole assessment.
ALTER TABLE applications ADD COLUMN recommendation TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN presumption TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN licence_required INTEGER NOT NULL DEFAULT 0;

UPDATE applications SET
	recommendation = COALESCE(json_extract(assessment, '$.recommendation'), ''),
	presumption = COALESCE(json_extract(assessment, '$.presumption'), ''),
	category = COALESCE(json_extract(assessment, '$.category'), ''),
	licence_required = COALESCE(json_extract(assessment, '$.licence_required'), 0)
WHERE assessment IS NOT NULL;
