-- Royalty and chart batches: revenue pools set by ops, the per-track daily
-- counts and the ledger each month's run writes, and the daily charts.
-- Amounts are integer micro-units; days are YYYY-MM-DD (UTC), months YYYY-MM.

CREATE TABLE royalty_pools (
    month         TEXT NOT NULL,
    territory     TEXT NOT NULL,
    amount_micros BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (month, territory)
);

CREATE TABLE track_daily_streams (
    day       TEXT NOT NULL,
    track_id  TEXT NOT NULL,
    territory TEXT NOT NULL,
    streams   BIGINT NOT NULL,
    PRIMARY KEY (day, track_id, territory)
);

CREATE INDEX track_daily_streams_track ON track_daily_streams (track_id, day);

-- One row per ledger line, in the order the settlement lists them; a re-run
-- of the month replaces all of its lines.
CREATE TABLE royalty_ledger (
    month         TEXT NOT NULL,
    line          INTEGER NOT NULL,
    model         TEXT NOT NULL,
    territory     TEXT NOT NULL,
    track_id      TEXT NOT NULL,
    holder_id     TEXT NOT NULL,
    role          TEXT NOT NULL,
    weight        BIGINT NOT NULL,
    amount_micros BIGINT NOT NULL,
    PRIMARY KEY (month, line)
);

CREATE INDEX royalty_ledger_holder ON royalty_ledger (holder_id, month);

CREATE TABLE chart_entries (
    day      TEXT NOT NULL,
    category TEXT NOT NULL,
    rank     INTEGER NOT NULL,
    track_id TEXT NOT NULL,
    streams  BIGINT NOT NULL,
    PRIMARY KEY (day, category, rank)
);
