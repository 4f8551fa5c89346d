-- Connect: every account has a plan. On free, the player service lets one
-- device play at a time. Accounts made before plans existed are premium,
-- so nothing they could do before stops working.
ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'premium';
