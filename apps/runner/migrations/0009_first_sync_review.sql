-- A new pull integration starts in review: its first sync is planned (a dry run with trigger
-- 'review') and applied only when an admin confirms; the scheduler applies nothing meanwhile.
ALTER TABLE integrations ADD COLUMN in_review boolean NOT NULL DEFAULT false;
ALTER TABLE sync_runs DROP CONSTRAINT sync_runs_trigger_check;
ALTER TABLE sync_runs ADD CONSTRAINT sync_runs_trigger_check
  CHECK (trigger IN ('schedule', 'manual', 'approval', 'push', 'review'));
