-- Kindred schema 4 (PostgreSQL twin of sqlite/0004_roster.sql).

CREATE TABLE roster (
    guild_id      BIGINT NOT NULL,
    user_id       BIGINT NOT NULL,
    how           TEXT   NOT NULL,
    last_via      TEXT   NOT NULL,
    display_name  TEXT,
    first_seen_at TEXT   NOT NULL,
    last_seen_at  TEXT   NOT NULL,
    left_at       TEXT,
    PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX roster_user ON roster (user_id) WHERE left_at IS NULL;

INSERT INTO roster (guild_id, user_id, how, last_via, first_seen_at, last_seen_at)
    SELECT guild_id, author_id, 'share', 'share', MIN(created_at), MAX(created_at) FROM shares GROUP BY guild_id, author_id
    ON CONFLICT DO NOTHING;
INSERT INTO roster (guild_id, user_id, how, last_via, first_seen_at, last_seen_at)
    SELECT guild_id, user_id, 'reaction', 'reaction', MIN(created_at), MAX(created_at) FROM reactions GROUP BY guild_id, user_id
    ON CONFLICT DO NOTHING;
INSERT INTO roster (guild_id, user_id, how, last_via, first_seen_at, last_seen_at)
    SELECT guild_id, user_id, 'command', 'command', updated_at, updated_at FROM member_settings
    ON CONFLICT DO NOTHING;

ALTER TABLE guilds ADD COLUMN setup_by BIGINT;
ALTER TABLE guilds ADD COLUMN partner_id BIGINT;

ALTER TABLE dm_channels ADD COLUMN introduced_at TEXT;
