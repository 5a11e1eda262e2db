-- Kindred schema 3: following up.

-- The members a sharer chose to be nudged about them (group mode, /circle).
CREATE TABLE circles (
    guild_id   INTEGER NOT NULL,
    owner_id   INTEGER NOT NULL,
    member_id  INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, owner_id, member_id)
);
CREATE INDEX circles_member ON circles (guild_id, member_id);

-- One nudge for one recipient about one subject. Its delivery is the job 'followup:{id}:{round}'.
CREATE TABLE followups (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    recipient_id INTEGER NOT NULL,
    subject_id   INTEGER NOT NULL,
    share_id     INTEGER REFERENCES shares (id) ON DELETE CASCADE,
    signal_id    INTEGER REFERENCES signals (id) ON DELETE CASCADE,
    reason       TEXT    NOT NULL,       -- one line, never the share's words
    topic        TEXT,
    event_date   TEXT,                   -- the subject's local date
    event_time   TEXT,
    due_at       TEXT    NOT NULL,
    round        INTEGER NOT NULL DEFAULT 0,  -- bumped by "Remind me tomorrow"
    status       TEXT    NOT NULL DEFAULT 'planned'
                 CHECK (status IN ('planned', 'sent', 'done', 'skipped', 'cancelled', 'undeliverable', 'failed')),
    engaged      INTEGER NOT NULL DEFAULT 0,  -- the recipient replied or reacted to the share already
    dm_channel_id INTEGER,
    dm_message_id INTEGER,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX followups_recipient ON followups (recipient_id, status, due_at);
CREATE INDEX followups_subject ON followups (guild_id, subject_id, status);
CREATE INDEX followups_share ON followups (share_id);
CREATE UNIQUE INDEX followups_once ON followups (share_id, recipient_id) WHERE share_id IS NOT NULL;
CREATE UNIQUE INDEX followups_signal_once ON followups (signal_id, recipient_id) WHERE signal_id IS NOT NULL;

-- Each member's DM channel id (so a cold cache costs no lookup) and whether DMs to them fail.
CREATE TABLE dm_channels (
    user_id        INTEGER PRIMARY KEY,
    channel_id     INTEGER,
    unreachable_at TEXT,                  -- Discord said 50007; no attempts until they use a command
    notice_pending INTEGER NOT NULL DEFAULT 0  -- they still need to be told why nudges stopped
);

-- The reacting member's display name, to name them in a nudge.
ALTER TABLE signals ADD COLUMN user_name TEXT;
