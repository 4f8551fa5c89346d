-- Facts every process of one deployment must agree on, written by the
-- first process that starts and checked by every later one (for example
-- the fingerprint of the key that signs stream URLs; never a secret).
CREATE TABLE deployment_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
