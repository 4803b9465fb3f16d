-- Admin API keys: operator keys open every company, company keys one. Only a SHA-256 of the key
-- is kept; the prefix names the key in lists.
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('operator', 'company')),
  company_id text REFERENCES companies (id) ON DELETE CASCADE,
  name text NOT NULL,
  prefix text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  created_by jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  CHECK ((kind = 'company') = (company_id IS NOT NULL))
);
CREATE INDEX api_keys_company ON api_keys (company_id);

-- Who acted: {keyId, userId} of the request that wrote; NULL for what the sync did on its own.
ALTER TABLE events ADD COLUMN actor jsonb;
ALTER TABLE sync_runs ADD COLUMN actor jsonb;
ALTER TABLE held_removals ADD COLUMN decided_by jsonb;

-- Admin overrides: a user an admin deactivated ahead of HR stays so until an admin says otherwise;
-- a leaver keeps access until a date (a grace period), then the sync removes them.
ALTER TABLE users ADD COLUMN deactivated_by_admin jsonb;
-- a calendar date of the company's time zone (R20), kept as YYYY-MM-DD text: no driver shifts it
ALTER TABLE users ADD COLUMN keep_access_until text CHECK (keep_access_until ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$');
