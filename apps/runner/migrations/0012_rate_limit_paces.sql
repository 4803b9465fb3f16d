-- Vendor limits counted per partner app are shared by every replica: each request reserves its turn
-- here. One row per app and pace holds the GCRA "theoretical arrival time" of the pace's next request
-- (epoch milliseconds of the database's clock, so replicas' clocks need not agree); a request may go
-- once every pace of its app allows it, up to `burst` requests early.
CREATE TABLE rate_limit_paces (
  key text NOT NULL,
  pace text NOT NULL,
  interval_ms double precision NOT NULL CHECK (interval_ms > 0),
  burst integer NOT NULL CHECK (burst >= 1),
  theoretical_arrival_ms double precision NOT NULL DEFAULT 0,
  PRIMARY KEY (key, pace)
);
