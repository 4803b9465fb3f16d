-- Exclusive work (a sync, team sync setup, a disconnect, a webhook drain) is leased, not held on a
-- connection: a replica keeps hundreds of syncs in flight on a small pool. The holder renews its
-- lease while it works. `holder_pid` is the backend of the holder's presence connection: once that
-- session is gone (the replica died, or lost its connection) the lease is free at once; otherwise it
-- lapses at `expires_at`.
CREATE TABLE leases (
  key text PRIMARY KEY,
  holder text NOT NULL,
  holder_pid integer,
  expires_at timestamptz NOT NULL
);
