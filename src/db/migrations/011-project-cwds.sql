-- Every project's working directories as its counted messages name them ('' for none): what the project's
-- display name is made from and what `--project` and `?project=` match (src/db/queries/project-names.ts).
-- Read from the messages (SELECT DISTINCT project, cwd) they took 1.5-16 s on a hub of 3 million responses,
-- again after every commit, for each request naming projects; this holds a few rows per project. The rollup
-- (ingest/daily-rollup.ts) keeps it in step in each commit of either writer: a pair arrives with its first
-- counted message and leaves with its last.
CREATE TABLE project_cwds (
  project TEXT NOT NULL,
  cwd TEXT NOT NULL,
  PRIMARY KEY (project, cwd)
) WITHOUT ROWID;

INSERT INTO project_cwds SELECT DISTINCT project, coalesce(cwd, '') FROM messages WHERE superseded = 0;
