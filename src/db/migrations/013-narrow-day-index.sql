-- messages_day (004, 006) carried seventeen columns so that month pages summed their messages from the index
-- alone. The pages read their sums from usage_daily now (008): what still reads messages by day is one day at
-- a time (the live API's today, a day page's hours) or a listing's sessions. The wide index was a second copy
-- of the table, a quarter of the file, and the largest of the indexes a cold load builds (1 GB of
-- transcripts: 63-76 ms of its ~130 ms; this one, 17 ms).
DROP INDEX IF EXISTS messages_day;
CREATE INDEX messages_day ON messages (day, model) WHERE superseded = 0;

-- A cold load killed half way listed the indexes it dropped in meta, to be built when the index is next
-- opened (message-store.ts): the narrow definition replaces the wide one there too.
UPDATE meta
SET value = (
  SELECT json_group_array(
    CASE WHEN each.value ->> 'name' = 'messages_day'
      THEN json_object('name', 'messages_day',
        'sql', 'CREATE INDEX messages_day ON messages (day, model) WHERE superseded = 0')
      ELSE json(each.value) END)
  FROM json_each(meta.value) AS each
)
WHERE key = 'deferred_indexes';
