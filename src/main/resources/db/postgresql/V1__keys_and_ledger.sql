-- Virtual keys, their balances, and the usage ledger (PostgreSQL).
-- Money is integer micro-dollars; times are epoch milliseconds (UTC); flags are 0/1, as in the embedded store,
-- so that the same statements run on both.

CREATE TABLE sluice_keys (
    id             TEXT     NOT NULL PRIMARY KEY,
    name           TEXT     NOT NULL,
    secret_hash    TEXT     NOT NULL,
    hint           TEXT     NOT NULL,
    models         TEXT,
    rpm            INTEGER,
    tpm            INTEGER,
    max_parallel   INTEGER,
    unlimited      SMALLINT NOT NULL DEFAULT 0,
    expires_at     BIGINT,
    metadata       TEXT,
    created_at     BIGINT   NOT NULL,
    updated_at     BIGINT   NOT NULL,
    revoked_at     BIGINT,
    balance_micros BIGINT   NOT NULL DEFAULT 0,
    balance_seq    BIGINT   NOT NULL DEFAULT 0
);

CREATE TABLE sluice_ledger (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ts                BIGINT   NOT NULL,
    kind              TEXT     NOT NULL,
    key_id            TEXT     NOT NULL,
    request_id        TEXT,
    operation         TEXT,
    requested_model   TEXT,
    provider          TEXT,
    served_model      TEXT,
    deployment        TEXT,
    stream            SMALLINT NOT NULL DEFAULT 0,
    prompt_tokens     BIGINT   NOT NULL DEFAULT 0,
    completion_tokens BIGINT   NOT NULL DEFAULT 0,
    cached_tokens     BIGINT   NOT NULL DEFAULT 0,
    reasoning_tokens  BIGINT   NOT NULL DEFAULT 0,
    extract_pages     INTEGER  NOT NULL DEFAULT 0,
    cost_micros       BIGINT   NOT NULL DEFAULT 0,
    amount_micros     BIGINT   NOT NULL DEFAULT 0,
    priced            SMALLINT NOT NULL DEFAULT 1,
    estimated         SMALLINT NOT NULL DEFAULT 0,
    latency_ms        BIGINT,
    status            INTEGER,
    outcome           TEXT,
    error_code        TEXT,
    note              TEXT
);

CREATE INDEX sluice_ledger_ts ON sluice_ledger (ts);
CREATE INDEX sluice_ledger_key_ts ON sluice_ledger (key_id, ts);
CREATE INDEX sluice_ledger_request ON sluice_ledger (request_id);
