-- The client's own session a request belongs to (Claude Code's x-claude-code-session-id), so that usage can be
-- grouped by session. NULL for requests that named none.

ALTER TABLE sluice_ledger ADD COLUMN client_session TEXT;
