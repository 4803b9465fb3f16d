-- A running sync's progress, so every replica (and the console) sees how far a pull got: written
-- at most once a second by the replica running it, removed when the sync ends.
CREATE TABLE sync_progress (
  integration_id text PRIMARY KEY REFERENCES integrations (id) ON DELETE CASCADE,
  pages integer NOT NULL,
  people integer NOT NULL,
  total_people integer,
  started_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
