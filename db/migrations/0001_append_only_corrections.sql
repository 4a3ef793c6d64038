-- A reviewer's correction is never lost: the table only grows.
CREATE TRIGGER `corrections_no_update` BEFORE UPDATE ON `corrections`
BEGIN
  SELECT RAISE(ABORT, 'corrections are append-only: add a new correction instead');
END;
--> statement-breakpoint
CREATE TRIGGER `corrections_no_delete` BEFORE DELETE ON `corrections`
BEGIN
  SELECT RAISE(ABORT, 'corrections are append-only: add a new correction instead');
END;
