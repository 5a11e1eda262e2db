-- Kindred schema 6: who is nudged about whom stays true after changes, and erasure finds every DM.

-- Every nudge DM Kindred sent, one row per member it was about. Unlike followups (deleted with the
-- share or signal they came from), these rows stay until /forget or the server's purge, so /forget
-- can always delete the DMs to others that named or quoted the member.
CREATE TABLE nudge_dms (
    guild_id     INTEGER NOT NULL,
    recipient_id INTEGER NOT NULL,
    subject_id   INTEGER NOT NULL,
    channel_id   INTEGER NOT NULL,
    message_id   INTEGER NOT NULL,
    sent_at      TEXT    NOT NULL,
    PRIMARY KEY (message_id, subject_id)
);
CREATE INDEX nudge_dms_subject ON nudge_dms (guild_id, subject_id);
CREATE INDEX nudge_dms_recipient ON nudge_dms (guild_id, recipient_id);

INSERT OR IGNORE INTO nudge_dms (guild_id, recipient_id, subject_id, channel_id, message_id, sent_at)
    SELECT guild_id, recipient_id, subject_id, dm_channel_id, dm_message_id, updated_at FROM followups
    WHERE dm_message_id IS NOT NULL AND dm_channel_id IS NOT NULL;

-- Partner mode nudges only the named couple now. A couple's server from before (exactly two members
-- Kindred knew) keeps its check-ins: the two become the couple.
UPDATE guilds SET
    setup_by = (SELECT MIN(user_id) FROM roster r WHERE r.guild_id = guilds.guild_id),
    partner_id = (SELECT MAX(user_id) FROM roster r WHERE r.guild_id = guilds.guild_id)
WHERE mode = 'partner' AND partner_id IS NULL
  AND (SELECT COUNT(*) FROM roster r WHERE r.guild_id = guilds.guild_id) = 2;
