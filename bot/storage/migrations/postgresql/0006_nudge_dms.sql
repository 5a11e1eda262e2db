-- Kindred schema 6 (PostgreSQL twin of sqlite/0006_nudge_dms.sql).

CREATE TABLE nudge_dms (
    guild_id     BIGINT NOT NULL,
    recipient_id BIGINT NOT NULL,
    subject_id   BIGINT NOT NULL,
    channel_id   BIGINT NOT NULL,
    message_id   BIGINT NOT NULL,
    sent_at      TEXT   NOT NULL,
    PRIMARY KEY (message_id, subject_id)
);
CREATE INDEX nudge_dms_subject ON nudge_dms (guild_id, subject_id);
CREATE INDEX nudge_dms_recipient ON nudge_dms (guild_id, recipient_id);

INSERT INTO nudge_dms (guild_id, recipient_id, subject_id, channel_id, message_id, sent_at)
    SELECT guild_id, recipient_id, subject_id, dm_channel_id, dm_message_id, updated_at FROM followups
    WHERE dm_message_id IS NOT NULL AND dm_channel_id IS NOT NULL
    ON CONFLICT DO NOTHING;

UPDATE guilds SET
    setup_by = (SELECT MIN(user_id) FROM roster r WHERE r.guild_id = guilds.guild_id),
    partner_id = (SELECT MAX(user_id) FROM roster r WHERE r.guild_id = guilds.guild_id)
WHERE mode = 'partner' AND partner_id IS NULL
  AND (SELECT COUNT(*) FROM roster r WHERE r.guild_id = guilds.guild_id) = 2;
