-- Responses kept for the Responses API (store: true): previous_response_id chains them for every provider, even
-- one that keeps no state itself. Each belongs to the key that made it and expires after the configured
-- retention (sluice.responses.retention); expired rows are never read and are deleted periodically.
-- context: the input items the response was generated from (earlier turns first), as a JSON array;
-- body: the Response object as returned to the client.

CREATE TABLE sluice_responses (
    id          TEXT PRIMARY KEY,
    key_id      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    context     TEXT NOT NULL,
    body        TEXT NOT NULL
);

CREATE INDEX sluice_responses_expiry ON sluice_responses (expires_at);
