-- Runs started by SCIM pushes are recorded as such: trigger 'push', next to schedule, manual and approval.
ALTER TABLE sync_runs DROP CONSTRAINT sync_runs_trigger_check;
ALTER TABLE sync_runs ADD CONSTRAINT sync_runs_trigger_check
  CHECK (trigger IN ('schedule', 'manual', 'approval', 'push'));
