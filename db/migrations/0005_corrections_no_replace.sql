-- REPLACE INTO corrections (or INSERT OR REPLACE, or an UPSERT's conflict path through REPLACE)
-- deletes the row it collides with without firing the DELETE trigger (recursive_triggers is
-- off by default): refuse any insert that reuses an existing id, before the conflict is resolved.
CREATE TRIGGER `corrections_no_replace` BEFORE INSERT ON `corrections`
WHEN EXISTS (SELECT 1 FROM `corrections` WHERE `id` = NEW.`id`)
BEGIN
  SELECT RAISE(ABORT, 'corrections are append-only: this id is taken; add a new correction instead');
END;
