-- A settled month is never silently replaced: each settlement is a
-- version, and a forced re-run keeps the ledger it replaces.

CREATE TABLE royalty_settlements (
    month      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    run_id     TEXT NOT NULL,   -- the workflow run that settled it
    forced     INTEGER NOT NULL,
    settled_at BIGINT NOT NULL,
    PRIMARY KEY (month, version)
);

-- Ledgers replaced by a forced re-run, by the version they were.
CREATE TABLE royalty_ledger_versions (
    month         TEXT NOT NULL,
    version       INTEGER NOT NULL,
    line          INTEGER NOT NULL,
    model         TEXT NOT NULL,
    territory     TEXT NOT NULL,
    track_id      TEXT NOT NULL,
    holder_id     TEXT NOT NULL,
    role          TEXT NOT NULL,
    weight        BIGINT NOT NULL,
    amount_micros BIGINT NOT NULL,
    PRIMARY KEY (month, version, line)
);
