-- The request log (opt-in, sluice.request-log.* or per key): one row per request with its timings, routing,
-- outcome, tokens and cost, and, only where bodies are enabled, the request and response bodies, size-capped and
-- with secrets masked. Written in batches off the request path; trimmed by age and total size (row_bytes).
-- Times are epoch milliseconds (UTC); durations microseconds; money integer micro-dollars.
-- Keys gain log_requests / log_bodies: NULL follows the global setting, 0/1 overrides it for that key.

ALTER TABLE sluice_keys ADD COLUMN log_requests SMALLINT;
ALTER TABLE sluice_keys ADD COLUMN log_bodies SMALLINT;

CREATE TABLE sluice_request_log (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id        TEXT    NOT NULL,
    ts                BIGINT  NOT NULL,
    key_id            TEXT,
    session           TEXT,
    protocol          TEXT    NOT NULL,
    operation         TEXT    NOT NULL,
    stream            SMALLINT NOT NULL DEFAULT 0,
    requested_model   TEXT,
    served_model      TEXT,
    provider          TEXT,
    deployment        TEXT,
    attempts          INTEGER NOT NULL DEFAULT 0,
    status            INTEGER NOT NULL,
    outcome           TEXT    NOT NULL,
    error_code        TEXT,
    duration_us       BIGINT  NOT NULL,
    overhead_us       BIGINT  NOT NULL,
    ttft_us           BIGINT,
    prompt_tokens     BIGINT  NOT NULL DEFAULT 0,
    completion_tokens BIGINT  NOT NULL DEFAULT 0,
    cached_tokens     BIGINT  NOT NULL DEFAULT 0,
    reasoning_tokens  BIGINT  NOT NULL DEFAULT 0,
    cost_micros       BIGINT  NOT NULL DEFAULT 0,
    estimated         SMALLINT NOT NULL DEFAULT 0,
    request_body      TEXT,
    response_body     TEXT,
    row_bytes         BIGINT  NOT NULL
);

CREATE INDEX sluice_request_log_ts ON sluice_request_log (ts);
CREATE INDEX sluice_request_log_key ON sluice_request_log (key_id, id);
CREATE INDEX sluice_request_log_request ON sluice_request_log (request_id);
CREATE INDEX sluice_request_log_session ON sluice_request_log (session, id);
