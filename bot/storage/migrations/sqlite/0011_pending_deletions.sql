-- Kindred schema 11: Kindred's own messages that /forget could not delete because
-- Discord didn't answer. Housekeeping tries again until each is gone. Only where the message is:
-- nothing of whom it showed.

CREATE TABLE pending_deletions (
    message_id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL,
    what       TEXT    NOT NULL,                    -- 'answer', 'nudge DM', 'suggestion notice': for the log
    attempts   INTEGER NOT NULL DEFAULT 0
);
