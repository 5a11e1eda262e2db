-- Kindred schema 2: listening and remembering, and members' control over their data.

ALTER TABLE guilds ADD COLUMN reveal TEXT NOT NULL DEFAULT 'instant' CHECK (reveal IN ('instant', 'together'));
ALTER TABLE guilds ADD COLUMN retention_days INTEGER CHECK (retention_days IS NULL OR retention_days > 0);

-- The display name of whom the share is about (its author, or a note's subject) when it was made,
-- to name them in the thread or in a nudge.
ALTER TABLE shares ADD COLUMN about_name TEXT;
-- A note made with /remember: author_id wrote it, subject_id is who it is about; always private.
ALTER TABLE shares ADD COLUMN subject_id INTEGER;
ALTER TABLE shares ADD COLUMN check_in INTEGER NOT NULL DEFAULT 0;
-- The member's own Discord message a share came from (a thread reply), for edits and deletes.
ALTER TABLE shares ADD COLUMN source_message_id INTEGER;
-- An answer held back until both partners answered (reveal = together).
ALTER TABLE shares ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
CREATE INDEX shares_subject ON shares (guild_id, subject_id) WHERE subject_id IS NOT NULL;
CREATE UNIQUE INDEX shares_source_message ON shares (source_message_id) WHERE source_message_id IS NOT NULL;

CREATE TABLE reactions (
    guild_id   INTEGER NOT NULL,
    prompt_id  INTEGER NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    emoji      TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (prompt_id, user_id, emoji)
);
CREATE INDEX reactions_user ON reactions (guild_id, user_id);

-- "Reached out": a 🫂 or 💬 on the daily prompt from a member who allows follow-ups.
CREATE TABLE signals (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    prompt_id  INTEGER NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
    emoji      TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    handled_at TEXT,
    UNIQUE (prompt_id, user_id, emoji)
);
CREATE INDEX signals_open ON signals (created_at) WHERE handled_at IS NULL;

-- Per member, per server. NULL means "the default" (see bot/members.py).
CREATE TABLE member_settings (
    guild_id           INTEGER NOT NULL,
    user_id            INTEGER NOT NULL,
    default_visibility TEXT CHECK (default_visibility IN ('group', 'private')),
    allow_followups    INTEGER,
    receive_checkins   INTEGER,
    timezone           TEXT,
    quiet_start        TEXT,
    quiet_end          TEXT,
    updated_at         TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- A share sent to the bot by DM, waiting for its author to say which server it belongs to.
CREATE TABLE dm_drafts (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);
CREATE INDEX dm_drafts_user ON dm_drafts (user_id);
