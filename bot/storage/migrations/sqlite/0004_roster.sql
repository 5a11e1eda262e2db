-- Kindred schema 4: who is in the room.

-- The members Kindred knows in each server: how it first knew them (named as the partner at setup,
-- the members intent, or they used Kindred: a command, button, reaction, answer, share or DM, or
-- Discord confirmed it when asked), by which path it last saw them, and when. A member who left is
-- kept with left_at set: out of the roster until they are seen again.
CREATE TABLE roster (
    guild_id      INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    how           TEXT    NOT NULL,
    last_via      TEXT    NOT NULL,
    display_name  TEXT,
    first_seen_at TEXT    NOT NULL,
    last_seen_at  TEXT    NOT NULL,
    left_at       TEXT,
    PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX roster_user ON roster (user_id) WHERE left_at IS NULL;

-- Everyone Kindred already met before the roster existed.
INSERT OR IGNORE INTO roster (guild_id, user_id, how, last_via, first_seen_at, last_seen_at)
    SELECT guild_id, author_id, 'share', 'share', MIN(created_at), MAX(created_at) FROM shares GROUP BY guild_id, author_id;
INSERT OR IGNORE INTO roster (guild_id, user_id, how, last_via, first_seen_at, last_seen_at)
    SELECT guild_id, user_id, 'reaction', 'reaction', MIN(created_at), MAX(created_at) FROM reactions GROUP BY guild_id, user_id;
INSERT OR IGNORE INTO roster (guild_id, user_id, how, last_via, first_seen_at, last_seen_at)
    SELECT guild_id, user_id, 'command', 'command', updated_at, updated_at FROM member_settings;

-- Partner mode: the admin who ran setup and the partner they named (or the one other member the
-- members intent showed).
ALTER TABLE guilds ADD COLUMN setup_by INTEGER;
ALTER TABLE guilds ADD COLUMN partner_id INTEGER;

-- The first DM Kindred sends a member introduces it, once.
ALTER TABLE dm_channels ADD COLUMN introduced_at TEXT;
