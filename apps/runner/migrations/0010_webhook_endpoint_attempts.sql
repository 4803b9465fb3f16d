-- Webhook endpoints can be switched off without losing their settings or log.
ALTER TABLE webhook_endpoints ADD COLUMN enabled boolean NOT NULL DEFAULT true;

-- Every attempt of a delivery, for the endpoint's delivery log: what the receiver answered (or why
-- nothing was answered) and how long it took. Never the request's headers: they carry the signature.
CREATE TABLE webhook_endpoint_attempts (
  id bigserial PRIMARY KEY,
  delivery_id bigint NOT NULL REFERENCES webhook_endpoint_deliveries (id) ON DELETE CASCADE,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  status integer,
  duration_ms integer NOT NULL,
  error text
);
CREATE INDEX webhook_endpoint_attempts_delivery ON webhook_endpoint_attempts (delivery_id, id);
