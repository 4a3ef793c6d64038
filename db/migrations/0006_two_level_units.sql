CREATE TABLE `admin_unit_successions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`old_code` text NOT NULL,
	`old_full_name` text NOT NULL,
	`old_parent_code` text,
	`new_code` text NOT NULL,
	`new_full_name` text NOT NULL,
	`new_province_code` text NOT NULL,
	`merge_type` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `admin_unit_successions_old` ON `admin_unit_successions` (`old_code`);--> statement-breakpoint
CREATE INDEX `admin_unit_successions_new` ON `admin_unit_successions` (`new_code`);--> statement-breakpoint
CREATE TABLE `admin_units_2025` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`full_name` text NOT NULL,
	`level` integer NOT NULL,
	`parent_code` text,
	`folded_name` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `admin_units_2025_parent` ON `admin_units_2025` (`parent_code`);--> statement-breakpoint
CREATE INDEX `admin_units_2025_name` ON `admin_units_2025` (`level`,`folded_name`);--> statement-breakpoint
ALTER TABLE `statements` ADD `unit_system` text DEFAULT 'three_level' NOT NULL;--> statement-breakpoint

-- Status views across the reform of 1 July 2025. A commune code means a unit only with its
-- gazetteer (statements.unit_system): new codes reuse old ones for other, larger units (new
-- 06475 is xã Bằng Mạc, old 06475 was xã Gia Lộc). So the history views rank claims per
-- unit system × commune × level × criteria set, and take district and province from the
-- gazetteer the code belongs to (no district after the reform). A new commune's predecessors
-- are read through admin_unit_successions, never by code.
DROP VIEW `v_commune_count_status`;
--> statement-breakpoint
DROP VIEW `v_commune_count_history`;
--> statement-breakpoint
DROP VIEW `v_criterion_status`;
--> statement-breakpoint
DROP VIEW `v_criterion_history`;
--> statement-breakpoint

CREATE VIEW `v_commune_count_history` AS
SELECT ranked.*, CASE WHEN ranked.position = 1 AND ranked.rejected = 0 THEN 1 ELSE 0 END AS standing
FROM (
  SELECT systemed.*,
         row_number() OVER (
           PARTITION BY systemed.unit_system, systemed.commune_code, systemed.level, systemed.criteria_set
           ORDER BY systemed.rejected ASC, systemed.authority DESC, systemed.as_of DESC, systemed.confidence DESC, systemed.statement_id DESC
         ) AS position
  FROM (
    SELECT claims.*,
           CASE WHEN coalesce(st.unit_system, 'three_level') = 'two_level_2025' THEN NULL ELSE u.district_code END AS district_code,
           CASE WHEN coalesce(st.unit_system, 'three_level') = 'two_level_2025' THEN u2.parent_code ELSE u.province_code END AS province_code,
           coalesce(st.unit_system, 'three_level') AS unit_system,
           CAST(json_extract(st.payload, '$.indicators.met') AS INTEGER) AS indicators_met,
           CAST(json_extract(st.payload, '$.indicators.total') AS INTEGER) AS indicators_total,
           CAST(json_extract(st.payload, '$.communeGroup') AS INTEGER) AS commune_group
    FROM v_commune_count_claims claims
    LEFT JOIN statements st ON st.id = claims.statement_id
    LEFT JOIN admin_units u ON u.code = claims.commune_code
    LEFT JOIN admin_units_2025 u2 ON u2.code = claims.commune_code
    WHERE claims.commune_code IS NOT NULL
  ) systemed
) ranked;
--> statement-breakpoint

CREATE VIEW `v_commune_count_status` AS
SELECT * FROM v_commune_count_history WHERE standing = 1;
--> statement-breakpoint

CREATE VIEW `v_criterion_history` AS
SELECT ranked.*, CASE WHEN ranked.position = 1 AND ranked.rejected = 0 THEN 1 ELSE 0 END AS standing
FROM (
  SELECT systemed.*,
         row_number() OVER (
           PARTITION BY systemed.unit_system, systemed.commune_code, systemed.criteria_set, systemed.criterion
           ORDER BY systemed.rejected ASC, systemed.authority DESC, systemed.as_of DESC, systemed.confidence DESC, systemed.statement_id DESC
         ) AS position
  FROM (
    SELECT claims.*,
           CASE WHEN coalesce(st.unit_system, 'three_level') = 'two_level_2025' THEN NULL ELSE u.district_code END AS district_code,
           CASE WHEN coalesce(st.unit_system, 'three_level') = 'two_level_2025' THEN u2.parent_code ELSE u.province_code END AS province_code,
           coalesce(st.unit_system, 'three_level') AS unit_system
    FROM v_criterion_claims claims
    LEFT JOIN statements st ON st.id = claims.statement_id
    LEFT JOIN admin_units u ON u.code = claims.commune_code
    LEFT JOIN admin_units_2025 u2 ON u2.code = claims.commune_code
    WHERE claims.commune_code IS NOT NULL
  ) systemed
) ranked;
--> statement-breakpoint

CREATE VIEW `v_criterion_status` AS
SELECT * FROM v_criterion_history WHERE standing = 1;
--> statement-breakpoint

-- For each new commune (units of 1 July 2025), the pre-reform communes it was formed from, with
-- their count claims: the history an analyst follows back from 2026. `merge_type` = 'partial'
-- when only part of the old commune went into the new one. These are the predecessors' claims
-- about the predecessors, against their own sets: never the new commune's status.
CREATE VIEW `v_predecessor_count_history` AS
SELECT m.new_code AS new_commune_code, m.new_full_name AS new_commune_name, m.merge_type,
       m.old_code AS predecessor_code, m.old_full_name AS predecessor_name, h.*
FROM admin_unit_successions m
JOIN v_commune_count_history h ON h.commune_code = m.old_code AND h.unit_system = 'three_level';
