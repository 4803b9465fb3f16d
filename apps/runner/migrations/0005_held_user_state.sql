-- The user as it was when a removal was held: an approval skips a user who changed since (R5).
-- NULL for removals held before this was recorded.
ALTER TABLE held_removals ADD COLUMN user_at_hold jsonb;
