-- SCIM users are rewritten in place all day (every PATCH a new row version). Pages kept 30 % free let
-- PostgreSQL put the new version beside the old one without touching any index (a HOT update), as
-- long as the indexed columns (userName, externalId) stay the same.
ALTER TABLE scim_users SET (fillfactor = 70);
