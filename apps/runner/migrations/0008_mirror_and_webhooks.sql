-- Mirroring: teams say when they last changed, like users; lists page in id order.
ALTER TABLE teams ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX users_company_page ON users (company_id, id);
CREATE INDEX teams_company_page ON teams (company_id, id);

-- Webhook endpoints a company's admins manage: the secret is sealed (it signs, so it must be read
-- back); during a rotation the previous secret signs too, until previous_secret_until.
CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY,
  company_id text NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  url text NOT NULL,
  event_types text[],
  secret_sealed text NOT NULL,
  previous_secret_sealed text,
  previous_secret_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_company ON webhook_endpoints (company_id);

-- One row per attempt series of an event to an endpoint: written in the event's transaction (an
-- outbox), retried with backoff, kept as the endpoint's delivery log; a redelivery adds a row.
CREATE TABLE webhook_endpoint_deliveries (
  id bigserial PRIMARY KEY,
  endpoint_id text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoint_deliveries_due ON webhook_endpoint_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_endpoint_deliveries_log ON webhook_endpoint_deliveries (endpoint_id, id DESC);
