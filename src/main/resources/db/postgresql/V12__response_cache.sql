-- The response cache: whether a key's deterministic requests use it by default (off unless an operator turns it
-- on), and which ledger lines were answered from it (nothing sent upstream).

ALTER TABLE sluice_keys ADD COLUMN response_cache SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE sluice_ledger ADD COLUMN cache_hit SMALLINT NOT NULL DEFAULT 0;
