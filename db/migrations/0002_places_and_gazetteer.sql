CREATE TABLE `admin_unit_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`level` integer NOT NULL,
	`parent_code` text,
	`folded_name` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text
);
--> statement-breakpoint
CREATE INDEX `admin_unit_versions_code` ON `admin_unit_versions` (`code`);--> statement-breakpoint
CREATE INDEX `admin_unit_versions_name` ON `admin_unit_versions` (`level`,`folded_name`);--> statement-breakpoint
CREATE TABLE `admin_units` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`full_name` text NOT NULL,
	`level` integer NOT NULL,
	`parent_code` text,
	`province_code` text,
	`district_code` text,
	`folded_name` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`in_snapshot` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `admin_units_parent` ON `admin_units` (`parent_code`);--> statement-breakpoint
CREATE INDEX `admin_units_name` ON `admin_units` (`level`,`folded_name`);--> statement-breakpoint
CREATE TABLE `reference_data` (
	`name` text PRIMARY KEY NOT NULL,
	`sha256` text NOT NULL,
	`rows` integer NOT NULL,
	`loaded_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `flags` ADD `scope` text DEFAULT 'document' NOT NULL;--> statement-breakpoint
ALTER TABLE `flags` ADD `conflict_key` text;--> statement-breakpoint
CREATE INDEX `flags_conflict` ON `flags` (`conflict_key`);--> statement-breakpoint
ALTER TABLE `statements` ADD `province_code` text;--> statement-breakpoint
ALTER TABLE `statements` ADD `district_code` text;--> statement-breakpoint
ALTER TABLE `statements` ADD `commune_code` text;--> statement-breakpoint
ALTER TABLE `statements` ADD `places` text;--> statement-breakpoint
CREATE INDEX `statements_commune_code` ON `statements` (`commune_code`,`level`,`as_of`);--> statement-breakpoint
CREATE INDEX `statements_district_code` ON `statements` (`district_code`);