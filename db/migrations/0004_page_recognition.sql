ALTER TABLE `pages` ADD `source` text;--> statement-breakpoint
ALTER TABLE `pages` ADD `ocr_confidence` real;--> statement-breakpoint
ALTER TABLE `pages` ADD `ocr_engine` text;--> statement-breakpoint
ALTER TABLE `pages` ADD `encoding` text;