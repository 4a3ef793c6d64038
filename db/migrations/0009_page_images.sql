ALTER TABLE `pages` ADD `ocr_words` text;--> statement-breakpoint
ALTER TABLE `pages` ADD `ocr_image` text;