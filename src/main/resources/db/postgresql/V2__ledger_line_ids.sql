-- Idempotent ledger writes: every line carries an id Sluice makes when it makes the line, unique in the ledger.
-- A group commit that is retried after a failure reported by COMMIT (which may have committed nonetheless)
-- inserts only the lines that are not there yet, and applies to balances only the lines it inserted.
-- Lines written before this migration have no id (NULL never conflicts).

ALTER TABLE sluice_ledger ADD COLUMN line_id TEXT;

CREATE UNIQUE INDEX sluice_ledger_line ON sluice_ledger (line_id);
