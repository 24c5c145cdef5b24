-- A hub keeps Claude Code's telemetry rows (keys `otel:…`) when an agent's row of the same response arrives,
-- superseded (stored, not counted) instead of deleted, so a resent event is known by its key and the row can
-- count again should the agent's row change. It finds a response's telemetry rows by session and time (and
-- tokens): this index holds telemetry rows only, so an agent's row costs one lookup in it. The token
-- fingerprint aliases (`f:…`, migration 007) matched a response's tokens at any time and are no longer read.
CREATE INDEX IF NOT EXISTS messages_telemetry ON messages (session_id, ts) WHERE key >= 'otel:' AND key < 'otel;';
DELETE FROM hub_aliases WHERE alias >= 'f:' AND alias < 'f;';
