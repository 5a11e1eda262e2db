-- Kindred schema 11 (PostgreSQL twin of sqlite/0011_pending_deletions.sql): Kindred's own messages
-- that /forget could not delete because Discord didn't answer, tried again by housekeeping.

CREATE TABLE pending_deletions (
    message_id BIGINT  PRIMARY KEY,
    channel_id BIGINT  NOT NULL,
    what       TEXT    NOT NULL,                    -- 'answer', 'nudge DM', 'suggestion notice': for the log
    attempts   INTEGER NOT NULL DEFAULT 0
);
