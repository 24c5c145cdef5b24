-- messages_message_id (001) is read by no query: a response is looked up by its key, its advisor rows by
-- advisor_of. It cost every insert a B-tree of its own and a cold load of 1 GB about 50 ms to build.
DROP INDEX IF EXISTS messages_message_id;

-- A cold load killed half way left the indexes it dropped listed in meta, to be built when the index is next
-- opened (message-store.ts): this one is taken off that list.
UPDATE meta
SET value = (
  SELECT json_group_array(json(each.value)) FROM json_each(meta.value) AS each
  WHERE each.value ->> 'name' <> 'messages_message_id'
)
WHERE key = 'deferred_indexes';
