-- Views for analysts: every claim about a commune with its source, and the status that stands.
--
-- Precedence (the claim that stands, per commune × level × criteria set for counts, per
-- commune × criteria set × criterion for criteria):
--   1. a claim a reviewer corrected ('replace') or added ('add')      authority 5
--   2. a recognition decision (công nhận)                              authority 4
--   3. an appraisal (thẩm định)                                       authority 3
--   4. a report                                                       authority 2
--   5. a self-assessment (tự đánh giá)                                 authority 1
-- then the newer as-of date ("2024-09-06" > "2024-09" > "2024"; undated last), then the higher
-- confidence, then the later statement. A rejected claim never stands. Every other claim stays
-- in the *_history views as history. Criteria sets are periods (2016-2020, 2021-2025), so a
-- status never carries over from one set to the next.

-- The latest correction of each machine statement (corrections are append-only).
CREATE VIEW `v_latest_corrections` AS
SELECT c.*
FROM corrections c
WHERE c.statement_fingerprint IS NOT NULL
  AND c.id = (SELECT max(c2.id) FROM corrections c2 WHERE c2.document_sha256 = c.document_sha256 AND c2.statement_fingerprint = c.statement_fingerprint);
--> statement-breakpoint

-- Every statement with the document and the first quote it comes from.
CREATE VIEW `v_statement_sources` AS
SELECT s.id AS statement_id, d.id AS document_id, d.sha256, d.file_name, d.doc_type, d.doc_number, d.doc_date,
       c.page_no, c.start, c."end", c.quote
FROM statements s
JOIN documents d ON d.id = s.document_id
LEFT JOIN citations c ON c.statement_id = s.id AND c.ordinal = 0;
--> statement-breakpoint

-- Every count claim (met/total) about a commune, corrections applied, with its source.
CREATE VIEW `v_commune_count_claims` AS
SELECT
  s.id AS statement_id,
  d.id AS document_id,
  d.file_name,
  src.page_no,
  src.quote,
  coalesce(json_extract(lc.payload, '$.commune.code'), s.commune_code) AS commune_code,
  coalesce(json_extract(lc.payload, '$.commune.name'), json_extract(s.places, '$.commune.name'), s.commune) AS commune_name,
  coalesce(json_extract(lc.payload, '$.level'), s.level) AS level,
  coalesce(json_extract(lc.payload, '$.criteriaSet'), s.criteria_set) AS criteria_set,
  coalesce(json_extract(lc.payload, '$.asOf'), s.as_of) AS as_of,
  CAST(coalesce(json_extract(lc.payload, '$.met'), json_extract(s.payload, '$.met')) AS INTEGER) AS met,
  CAST(coalesce(json_extract(lc.payload, '$.total'), json_extract(s.payload, '$.total')) AS INTEGER) AS total,
  coalesce(json_extract(lc.payload, '$.assessment'), s.assessment) AS assessment,
  CASE WHEN lc.action = 'replace' THEN 'correction' ELSE coalesce(s.assessment, 'reported') END AS source,
  CASE
    WHEN lc.action = 'replace' THEN 5
    WHEN s.assessment = 'recognized' THEN 4
    WHEN s.assessment = 'appraised' THEN 3
    WHEN s.assessment = 'reported' THEN 2
    WHEN s.assessment = 'self' THEN 1
    ELSE 0
  END AS authority,
  CASE WHEN lc.action = 'reject' THEN 1 ELSE 0 END AS rejected,
  lc.id AS correction_id,
  lc.reviewer AS reviewer,
  s.confidence,
  s.rule
FROM statements s
JOIN documents d ON d.id = s.document_id
LEFT JOIN v_statement_sources src ON src.statement_id = s.id
LEFT JOIN v_latest_corrections lc ON lc.document_sha256 = d.sha256 AND lc.statement_fingerprint = s.fingerprint
WHERE s.kind = 'commune_count'
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

-- The count claims of each resolved commune with their rank; `standing` marks the one that stands.
CREATE VIEW `v_commune_count_history` AS
SELECT ranked.*, CASE WHEN ranked.position = 1 AND ranked.rejected = 0 THEN 1 ELSE 0 END AS standing
FROM (
  SELECT claims.*,
         u.district_code AS district_code,
         u.province_code AS province_code,
         row_number() OVER (
           PARTITION BY claims.commune_code, claims.level, claims.criteria_set
           ORDER BY claims.rejected ASC, claims.authority DESC, claims.as_of DESC, claims.confidence DESC, claims.statement_id DESC
         ) AS position
  FROM v_commune_count_claims claims
  LEFT JOIN admin_units u ON u.code = claims.commune_code
  WHERE claims.commune_code IS NOT NULL
) ranked;
--> statement-breakpoint

-- The count that stands for each commune, level and criteria set.
CREATE VIEW `v_commune_count_status` AS
SELECT * FROM v_commune_count_history WHERE standing = 1;
--> statement-breakpoint

-- Every claim about one criterion of a commune (from criteria lists), corrections applied.
CREATE VIEW `v_criterion_claims` AS
SELECT
  s.id AS statement_id,
  d.id AS document_id,
  d.file_name,
  src.page_no,
  src.quote,
  coalesce(json_extract(lc.payload, '$.commune.code'), s.commune_code) AS commune_code,
  coalesce(json_extract(lc.payload, '$.commune.name'), json_extract(s.places, '$.commune.name'), s.commune) AS commune_name,
  coalesce(json_extract(lc.payload, '$.level'), s.level) AS level,
  coalesce(json_extract(lc.payload, '$.criteriaSet'), s.criteria_set) AS criteria_set,
  CAST(criterion.value AS INTEGER) AS criterion,
  coalesce(json_extract(lc.payload, '$.status'), json_extract(s.payload, '$.status')) AS status,
  coalesce(json_extract(lc.payload, '$.asOf'), s.as_of) AS as_of,
  coalesce(json_extract(lc.payload, '$.assessment'), s.assessment) AS assessment,
  CASE WHEN lc.action = 'replace' THEN 'correction' ELSE coalesce(s.assessment, 'reported') END AS source,
  CASE
    WHEN lc.action = 'replace' THEN 5
    WHEN s.assessment = 'recognized' THEN 4
    WHEN s.assessment = 'appraised' THEN 3
    WHEN s.assessment = 'reported' THEN 2
    WHEN s.assessment = 'self' THEN 1
    ELSE 0
  END AS authority,
  CASE WHEN lc.action = 'reject' THEN 1 ELSE 0 END AS rejected,
  lc.id AS correction_id,
  s.confidence,
  s.rule
FROM statements s
JOIN documents d ON d.id = s.document_id
LEFT JOIN v_statement_sources src ON src.statement_id = s.id
LEFT JOIN v_latest_corrections lc ON lc.document_sha256 = d.sha256 AND lc.statement_fingerprint = s.fingerprint
JOIN json_each(coalesce(json_extract(lc.payload, '$.criteria'), json_extract(s.payload, '$.criteria'))) criterion
WHERE s.kind = 'criteria_list';
--> statement-breakpoint

-- The criterion claims of each resolved commune with their rank; `standing` marks the one that stands.
CREATE VIEW `v_criterion_history` AS
SELECT ranked.*, CASE WHEN ranked.position = 1 AND ranked.rejected = 0 THEN 1 ELSE 0 END AS standing
FROM (
  SELECT claims.*,
         u.district_code AS district_code,
         u.province_code AS province_code,
         row_number() OVER (
           PARTITION BY claims.commune_code, claims.criteria_set, claims.criterion
           ORDER BY claims.rejected ASC, claims.authority DESC, claims.as_of DESC, claims.confidence DESC, claims.statement_id DESC
         ) AS position
  FROM v_criterion_claims claims
  LEFT JOIN admin_units u ON u.code = claims.commune_code
  WHERE claims.commune_code IS NOT NULL
) ranked;
--> statement-breakpoint

-- The status (met, unmet, near) that stands for each commune, criteria set and criterion.
CREATE VIEW `v_criterion_status` AS
SELECT * FROM v_criterion_history WHERE standing = 1;
