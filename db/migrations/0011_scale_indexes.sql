CREATE TABLE `flag_statements` (
	`flag_id` integer NOT NULL,
	`statement_id` integer NOT NULL,
	PRIMARY KEY(`statement_id`, `flag_id`),
	FOREIGN KEY (`flag_id`) REFERENCES `flags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `flag_statements_flag` ON `flag_statements` (`flag_id`);--> statement-breakpoint
CREATE INDEX `citations_document` ON `citations` (`document_id`);--> statement-breakpoint

-- flag_statements mirrors flags.statement_ids (flags are only ever inserted and deleted; a
-- deleted flag's rows go with it through the foreign key).
CREATE TRIGGER `flags_statement_ids` AFTER INSERT ON `flags`
BEGIN
  INSERT OR IGNORE INTO flag_statements (flag_id, statement_id) SELECT NEW.id, value FROM json_each(NEW.statement_ids);
END;
--> statement-breakpoint
INSERT OR IGNORE INTO flag_statements (flag_id, statement_id) SELECT f.id, involved.value FROM flags f, json_each(f.statement_ids) involved;
--> statement-breakpoint

-- The claim views, written so that a filter on a commune (`where commune_code = ?`, the column
-- every ranking partitions by) reaches statements.commune_code and its index: the machine's
-- code and a reviewer's corrected code are separate arms of the union instead of one
-- coalesce() no index can serve (the corrected arm starts from the few corrections: CROSS JOIN
-- keeps that order), and the first quote is joined from citations directly (through
-- v_statement_sources SQLite materialised the quote of every statement first). Same columns,
-- same rows: the history and status views above them are unchanged.
DROP VIEW `v_commune_count_claims`;
--> statement-breakpoint
CREATE VIEW `v_commune_count_claims` AS
SELECT
  s.id AS statement_id, d.id AS document_id, d.file_name, src.page_no, src.quote,
  s.commune_code AS commune_code,
  coalesce(json_extract(lc.payload, '$.commune.name'), json_extract(s.places, '$.commune.name'), s.commune) AS commune_name,
  coalesce(json_extract(lc.payload, '$.level'), s.level) AS level,
  coalesce(json_extract(lc.payload, '$.criteriaSet'), s.criteria_set) AS criteria_set,
  coalesce(json_extract(lc.payload, '$.asOf'), s.as_of) AS as_of,
  CAST(coalesce(json_extract(lc.payload, '$.met'), json_extract(s.payload, '$.met')) AS INTEGER) AS met,
  CAST(coalesce(json_extract(lc.payload, '$.total'), json_extract(s.payload, '$.total')) AS INTEGER) AS total,
  coalesce(json_extract(lc.payload, '$.assessment'), s.assessment) AS assessment,
  CASE WHEN lc.action = 'replace' THEN 'correction' ELSE coalesce(s.assessment, 'reported') END AS source,
  CASE WHEN lc.action = 'replace' THEN 5 WHEN s.assessment = 'recognized' THEN 4 WHEN s.assessment = 'appraised' THEN 3
       WHEN s.assessment = 'reported' THEN 2 WHEN s.assessment = 'self' THEN 1 ELSE 0 END AS authority,
  CASE WHEN lc.action = 'reject' THEN 1 ELSE 0 END AS rejected,
  lc.id AS correction_id, lc.reviewer AS reviewer, s.confidence, s.rule
FROM statements s
JOIN documents d ON d.id = s.document_id
LEFT JOIN citations src ON src.statement_id = s.id AND src.ordinal = 0
LEFT JOIN v_latest_corrections lc ON lc.document_sha256 = d.sha256 AND lc.statement_fingerprint = s.fingerprint
WHERE s.kind = 'commune_count' AND json_extract(lc.payload, '$.commune.code') IS NULL
UNION ALL
SELECT
  s.id, d.id, d.file_name, src.page_no, src.quote,
  json_extract(lc.payload, '$.commune.code'),
  coalesce(json_extract(lc.payload, '$.commune.name'), json_extract(s.places, '$.commune.name'), s.commune),
  coalesce(json_extract(lc.payload, '$.level'), s.level),
  coalesce(json_extract(lc.payload, '$.criteriaSet'), s.criteria_set),
  coalesce(json_extract(lc.payload, '$.asOf'), s.as_of),
  CAST(coalesce(json_extract(lc.payload, '$.met'), json_extract(s.payload, '$.met')) AS INTEGER),
  CAST(coalesce(json_extract(lc.payload, '$.total'), json_extract(s.payload, '$.total')) AS INTEGER),
  coalesce(json_extract(lc.payload, '$.assessment'), s.assessment),
  CASE WHEN lc.action = 'replace' THEN 'correction' ELSE coalesce(s.assessment, 'reported') END,
  CASE WHEN lc.action = 'replace' THEN 5 WHEN s.assessment = 'recognized' THEN 4 WHEN s.assessment = 'appraised' THEN 3
       WHEN s.assessment = 'reported' THEN 2 WHEN s.assessment = 'self' THEN 1 ELSE 0 END,
  CASE WHEN lc.action = 'reject' THEN 1 ELSE 0 END,
  lc.id, lc.reviewer, s.confidence, s.rule
FROM v_latest_corrections lc
CROSS JOIN documents d ON d.sha256 = lc.document_sha256
CROSS JOIN statements s ON s.document_id = d.id AND s.fingerprint = lc.statement_fingerprint
LEFT JOIN citations src ON src.statement_id = s.id AND src.ordinal = 0
WHERE s.kind = 'commune_count' AND json_extract(lc.payload, '$.commune.code') IS NOT NULL
UNION ALL
SELECT
  NULL, d.id, d.file_name, NULL, c.note,
  json_extract(c.payload, '$.commune.code'),
  json_extract(c.payload, '$.commune.name'),
  json_extract(c.payload, '$.level'),
  json_extract(c.payload, '$.criteriaSet'),
  json_extract(c.payload, '$.asOf'),
  CAST(json_extract(c.payload, '$.met') AS INTEGER),
  CAST(json_extract(c.payload, '$.total') AS INTEGER),
  json_extract(c.payload, '$.assessment'),
  'correction', 5, 0, c.id, c.reviewer, 1.0, 'correction.add'
FROM corrections c
LEFT JOIN documents d ON d.sha256 = c.document_sha256
WHERE c.action = 'add' AND json_extract(c.payload, '$.kind') = 'commune_count';
--> statement-breakpoint
DROP VIEW `v_criterion_claims`;
--> statement-breakpoint
CREATE VIEW `v_criterion_claims` AS
SELECT
  s.id AS statement_id, d.id AS document_id, d.file_name, src.page_no, src.quote,
  s.commune_code AS commune_code,
  coalesce(json_extract(lc.payload, '$.commune.name'), json_extract(s.places, '$.commune.name'), s.commune) AS commune_name,
  coalesce(json_extract(lc.payload, '$.level'), s.level) AS level,
  coalesce(json_extract(lc.payload, '$.criteriaSet'), s.criteria_set) AS criteria_set,
  CAST(criterion.value AS INTEGER) AS criterion,
  coalesce(json_extract(lc.payload, '$.status'), json_extract(s.payload, '$.status')) AS status,
  coalesce(json_extract(lc.payload, '$.asOf'), s.as_of) AS as_of,
  coalesce(json_extract(lc.payload, '$.assessment'), s.assessment) AS assessment,
  CASE WHEN lc.action = 'replace' THEN 'correction' ELSE coalesce(s.assessment, 'reported') END AS source,
  CASE WHEN lc.action = 'replace' THEN 5 WHEN s.assessment = 'recognized' THEN 4 WHEN s.assessment = 'appraised' THEN 3
       WHEN s.assessment = 'reported' THEN 2 WHEN s.assessment = 'self' THEN 1 ELSE 0 END AS authority,
  CASE WHEN lc.action = 'reject' THEN 1 ELSE 0 END AS rejected,
  lc.id AS correction_id, s.confidence, s.rule
FROM statements s
JOIN documents d ON d.id = s.document_id
LEFT JOIN citations src ON src.statement_id = s.id AND src.ordinal = 0
LEFT JOIN v_latest_corrections lc ON lc.document_sha256 = d.sha256 AND lc.statement_fingerprint = s.fingerprint
JOIN json_each(coalesce(json_extract(lc.payload, '$.criteria'), json_extract(s.payload, '$.criteria'))) criterion
WHERE s.kind = 'criteria_list' AND json_extract(lc.payload, '$.commune.code') IS NULL
UNION ALL
SELECT
  s.id, d.id, d.file_name, src.page_no, src.quote,
  json_extract(lc.payload, '$.commune.code'),
  coalesce(json_extract(lc.payload, '$.commune.name'), json_extract(s.places, '$.commune.name'), s.commune),
  coalesce(json_extract(lc.payload, '$.level'), s.level),
  coalesce(json_extract(lc.payload, '$.criteriaSet'), s.criteria_set),
  CAST(criterion.value AS INTEGER),
  coalesce(json_extract(lc.payload, '$.status'), json_extract(s.payload, '$.status')),
  coalesce(json_extract(lc.payload, '$.asOf'), s.as_of),
  coalesce(json_extract(lc.payload, '$.assessment'), s.assessment),
  CASE WHEN lc.action = 'replace' THEN 'correction' ELSE coalesce(s.assessment, 'reported') END,
  CASE WHEN lc.action = 'replace' THEN 5 WHEN s.assessment = 'recognized' THEN 4 WHEN s.assessment = 'appraised' THEN 3
       WHEN s.assessment = 'reported' THEN 2 WHEN s.assessment = 'self' THEN 1 ELSE 0 END,
  CASE WHEN lc.action = 'reject' THEN 1 ELSE 0 END,
  lc.id, s.confidence, s.rule
FROM v_latest_corrections lc
CROSS JOIN documents d ON d.sha256 = lc.document_sha256
CROSS JOIN statements s ON s.document_id = d.id AND s.fingerprint = lc.statement_fingerprint
LEFT JOIN citations src ON src.statement_id = s.id AND src.ordinal = 0
JOIN json_each(coalesce(json_extract(lc.payload, '$.criteria'), json_extract(s.payload, '$.criteria'))) criterion
WHERE s.kind = 'criteria_list' AND json_extract(lc.payload, '$.commune.code') IS NOT NULL;
