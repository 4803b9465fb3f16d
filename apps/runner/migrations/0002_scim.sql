-- SCIM 2.0 push (Okta, Entra ID): the users each push integration holds, the deactivations they
-- received (R5 over a rolling 24 hours) and a second token hash for rotation.

ALTER TABLE integrations ADD COLUMN scim_previous_token_hash text;
CREATE UNIQUE INDEX integrations_scim_token ON integrations (scim_token_hash) WHERE scim_token_hash IS NOT NULL;
CREATE INDEX integrations_scim_previous_token ON integrations (scim_previous_token_hash)
  WHERE scim_previous_token_hash IS NOT NULL;

CREATE TABLE scim_users (
  integration_id text NOT NULL REFERENCES integrations (id),
  id text PRIMARY KEY,
  user_name text NOT NULL,
  external_id text,
  display_name text,
  given_name text,
  family_name text,
  active boolean NOT NULL,
  employee_number text,
  emails jsonb NOT NULL DEFAULT '[]',
  resource jsonb NOT NULL,
  version integer NOT NULL,
  created_at timestamptz NOT NULL,
  last_modified timestamptz NOT NULL,
  deleted_at timestamptz
);
-- one live userName per integration: a racing duplicate POST gives one user and one 409
CREATE UNIQUE INDEX scim_users_user_name ON scim_users (integration_id, lower(user_name)) WHERE deleted_at IS NULL;
CREATE INDEX scim_users_page ON scim_users (integration_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX scim_users_external_id ON scim_users (integration_id, external_id) WHERE deleted_at IS NULL;

-- every SCIM write that took an active user away (active → false, or DELETE of an active user)
CREATE TABLE scim_deactivations (
  id bigserial PRIMARY KEY,
  integration_id text NOT NULL REFERENCES integrations (id),
  scim_user_id text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX scim_deactivations_window ON scim_deactivations (integration_id, at);
