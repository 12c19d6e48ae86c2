-- Virtual keys, their balances, and the usage ledger (SQLite, the embedded store).
-- Money is integer micro-dollars; times are epoch milliseconds (UTC); flags are 0/1.

CREATE TABLE sluice_keys (
    id             TEXT    NOT NULL PRIMARY KEY,
    name           TEXT    NOT NULL,
    secret_hash    TEXT    NOT NULL,
    hint           TEXT    NOT NULL,
    models         TEXT,
    rpm            INTEGER,
    tpm            INTEGER,
    max_parallel   INTEGER,
    unlimited      INTEGER NOT NULL DEFAULT 0,
    expires_at     INTEGER,
    metadata       TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    revoked_at     INTEGER,
    balance_micros INTEGER NOT NULL DEFAULT 0,
    balance_seq    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sluice_ledger (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    ts                INTEGER NOT NULL,
    kind              TEXT    NOT NULL,
    key_id            TEXT    NOT NULL,
    request_id        TEXT,
    operation         TEXT,
    requested_model   TEXT,
    provider          TEXT,
    served_model      TEXT,
    deployment        TEXT,
    stream            INTEGER NOT NULL DEFAULT 0,
    prompt_tokens     INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cached_tokens     INTEGER NOT NULL DEFAULT 0,
    reasoning_tokens  INTEGER NOT NULL DEFAULT 0,
    extract_pages     INTEGER NOT NULL DEFAULT 0,
    cost_micros       INTEGER NOT NULL DEFAULT 0,
    amount_micros     INTEGER NOT NULL DEFAULT 0,
    priced            INTEGER NOT NULL DEFAULT 1,
    estimated         INTEGER NOT NULL DEFAULT 0,
    latency_ms        INTEGER,
    status            INTEGER,
    outcome           TEXT,
    error_code        TEXT,
    note              TEXT
);

CREATE INDEX sluice_ledger_ts ON sluice_ledger (ts);
CREATE INDEX sluice_ledger_key_ts ON sluice_ledger (key_id, ts);
CREATE INDEX sluice_ledger_request ON sluice_ledger (request_id);
