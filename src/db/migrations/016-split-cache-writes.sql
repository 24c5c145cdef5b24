-- Claude Code before 2.1.152 wrote `cache_creation_input_tokens: 0` when the API reported a response's cache
-- writes only in the `cache_creation` split; ctm let the flat 0 win and stored no writes. It now takes the
-- split there. A file holding a response from such a version (or from none) with no cache writes stored is
-- read again from its start, where each re-read line replaces its own row (and its rollups); files from
-- 2.1.152 on, and rows that have writes, are left as they are.
UPDATE files SET offset = 0, line_count = 0, size = -1, head_hash = NULL, seam = NULL
WHERE id IN (
  SELECT file_id FROM messages
  WHERE cache_write_5m_tokens = 0 AND cache_write_1h_tokens = 0
    AND (version IS NULL OR version IN (
      WITH parts AS (
        SELECT version,
          CAST(substr(version, 1, instr(version, '.') - 1) AS INTEGER) AS major,
          substr(version, instr(version, '.') + 1) AS rest
        FROM (SELECT DISTINCT version FROM messages WHERE version IS NOT NULL)
      )
      SELECT version FROM parts
      WHERE instr(version, '.') = 0 OR instr(rest, '.') = 0 OR major < 2 OR (major = 2 AND (
        CAST(substr(rest, 1, instr(rest, '.') - 1) AS INTEGER) < 1 OR (
          CAST(substr(rest, 1, instr(rest, '.') - 1) AS INTEGER) = 1
          AND CAST(substr(rest, instr(rest, '.') + 1) AS INTEGER) < 152
        )
      ))
    ))
);
