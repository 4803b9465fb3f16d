-- The runner's tables. Plain SQL that PostgreSQL and PGlite both run.

CREATE TABLE companies (
  id text PRIMARY KEY,
  name text NOT NULL,
  plan text NOT NULL CHECK (plan IN ('starter', 'essential', 'advanced', 'beyond')),
  time_zone text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE integrations (
  id text PRIMARY KEY,
  company_id text NOT NULL REFERENCES companies (id),
  connector_id text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('pull', 'push')),
  -- AES-256-GCM envelope of the connector config, see store/secrets.ts
  config_encrypted text NOT NULL,
  status text NOT NULL CHECK (status IN ('connected', 'disconnected')),
  consecutive_failures integer NOT NULL DEFAULT 0,
  needs_attention boolean NOT NULL DEFAULT false,
  attention_reason text,
  team_sync text NOT NULL DEFAULT 'off' CHECK (team_sync IN ('off', 'setup', 'on')),
  team_sync_preview jsonb,
  scim_token_hash text,
  last_sync_at timestamptz,
  last_sync_status text,
  next_sync_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  disconnected_at timestamptz
);
-- one connected HR integration per company
CREATE UNIQUE INDEX integrations_one_connected ON integrations (company_id) WHERE status = 'connected';
CREATE INDEX integrations_due ON integrations (next_sync_at) WHERE status = 'connected';

CREATE TABLE users (
  id text PRIMARY KEY,
  company_id text NOT NULL REFERENCES companies (id),
  email text NOT NULL,
  first_name text,
  last_name text,
  status text NOT NULL CHECK (status IN ('uninvited', 'invited', 'active', 'deactivated')),
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member')),
  link_integration_id text REFERENCES integrations (id),
  link_remote_id text,
  origin text NOT NULL CHECK (origin IN ('hr', 'manual')),
  person jsonb,
  pinned_team_key text,
  invitation_token_hash text,
  invited_at timestamptz,
  accepted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_link ON users (link_integration_id, link_remote_id) WHERE link_remote_id IS NOT NULL;
CREATE INDEX users_company ON users (company_id);
CREATE UNIQUE INDEX users_invitation ON users (invitation_token_hash) WHERE invitation_token_hash IS NOT NULL;

CREATE TABLE teams (
  id text PRIMARY KEY,
  company_id text NOT NULL REFERENCES companies (id),
  integration_id text REFERENCES integrations (id),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('ordinary', 'synced', 'unassigned')),
  key text,
  name_overridden boolean NOT NULL DEFAULT false,
  reviewer_user_id text REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX teams_company ON teams (company_id);

CREATE TABLE team_members (
  team_id text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  position integer NOT NULL,
  PRIMARY KEY (team_id, user_id)
);

CREATE TABLE sync_runs (
  id text PRIMARY KEY,
  integration_id text NOT NULL REFERENCES integrations (id),
  company_id text NOT NULL REFERENCES companies (id),
  trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual', 'approval')),
  status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
  dry_run boolean NOT NULL DEFAULT false,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  counts jsonb NOT NULL DEFAULT '{}',
  changes jsonb NOT NULL DEFAULT '[]',
  warnings jsonb NOT NULL DEFAULT '[]',
  failure text
);
CREATE INDEX sync_runs_integration ON sync_runs (integration_id, started_at DESC);

CREATE TABLE held_removals (
  id text PRIMARY KEY,
  run_id text NOT NULL REFERENCES sync_runs (id),
  integration_id text NOT NULL REFERENCES integrations (id),
  user_id text NOT NULL,
  change jsonb NOT NULL,
  reason text NOT NULL,
  decision text CHECK (decision IN ('approved', 'rejected')),
  decided_at timestamptz
);
CREATE INDEX held_removals_run ON held_removals (run_id);

-- append-only: rows are inserted, never updated or deleted
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  company_id text NOT NULL,
  integration_id text,
  type text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_company ON events (company_id, id);

-- the webhook outbox: one row per event, written in the event's transaction, delivered in id order
CREATE TABLE webhook_deliveries (
  event_id bigint PRIMARY KEY REFERENCES events (id),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status integer,
  last_error text,
  delivered_at timestamptz
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (event_id) WHERE status = 'pending';
