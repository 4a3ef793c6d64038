CREATE TABLE `citations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_id` integer NOT NULL,
	`statement_id` integer,
	`flag_id` integer,
	`ordinal` integer NOT NULL,
	`page_no` integer NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`quote` text NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`statement_id`) REFERENCES `statements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`flag_id`) REFERENCES `flags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `citations_statement` ON `citations` (`statement_id`);--> statement-breakpoint
CREATE INDEX `citations_flag` ON `citations` (`flag_id`);--> statement-breakpoint
CREATE TABLE `corrections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_sha256` text NOT NULL,
	`statement_fingerprint` text,
	`action` text NOT NULL,
	`payload` text,
	`reviewer` text NOT NULL,
	`note` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `corrections_target` ON `corrections` (`document_sha256`,`statement_fingerprint`);--> statement-breakpoint
CREATE TABLE `documents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sha256` text NOT NULL,
	`file_name` text NOT NULL,
	`file_kind` text,
	`mime` text,
	`size_bytes` integer NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`error_reason` text,
	`doc_type` text,
	`doc_number` text,
	`doc_date` text,
	`metadata` text,
	`rules_version` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `documents_sha256_unique` ON `documents` (`sha256`);--> statement-breakpoint
CREATE TABLE `flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_id` integer NOT NULL,
	`type` text NOT NULL,
	`message` text NOT NULL,
	`statement_ids` text NOT NULL,
	`rules_version` text NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `flags_document` ON `flags` (`document_id`);--> statement-breakpoint
CREATE TABLE `pages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_id` integer NOT NULL,
	`page_no` integer NOT NULL,
	`text` text NOT NULL,
	`has_text_layer` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pages_document_page` ON `pages` (`document_id`,`page_no`);--> statement-breakpoint
CREATE TABLE `statements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_id` integer NOT NULL,
	`ordinal` integer NOT NULL,
	`kind` text NOT NULL,
	`rule` text NOT NULL,
	`rules_version` text NOT NULL,
	`confidence` real NOT NULL,
	`province` text,
	`district` text,
	`commune` text,
	`level` text,
	`criteria_set` text,
	`assessment` text,
	`as_of` text,
	`payload` text NOT NULL,
	`fingerprint` text NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `statements_document` ON `statements` (`document_id`);--> statement-breakpoint
CREATE INDEX `statements_commune` ON `statements` (`commune`);