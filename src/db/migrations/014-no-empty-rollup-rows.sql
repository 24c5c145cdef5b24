-- A commit could leave a usage_daily row with no messages: a group met for the first time in a batch whose
-- messages all left it again within that batch (a response first stored from one session's file, then
-- replaced by a larger copy in another session's file). Reports listed the group's model for its day with
-- nothing in it, and `ctm check` called the rollup out of step. Commits no longer write such rows; these go,
-- and the delete triggers (009, 012) take what they left in the other rollups with them.
DELETE FROM usage_daily WHERE messages <= 0;
DELETE FROM usage_by_machine WHERE messages <= 0;
DELETE FROM usage_by_day WHERE messages <= 0;
DELETE FROM usage_by_project WHERE messages <= 0;
