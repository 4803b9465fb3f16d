-- When an admin last replaced an integration's connection settings (PATCH /api/integrations/:id):
-- a first-sync plan made before then was made with the old settings and is shown as outdated.
ALTER TABLE integrations ADD COLUMN config_changed_at timestamptz;
