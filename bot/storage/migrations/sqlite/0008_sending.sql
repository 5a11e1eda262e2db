-- Kindred schema 8: retries bounded by relevance, not by an attempt count.

-- Each job carries the moment it stops mattering (a daily post: the end of its local day; a nudge:
-- a day after it was due). Until then a transient failure retries with capped backoff; after it the
-- job ends `missed` (a post) or `expired` (a nudge). The sweep serves the soonest deadline first.
CREATE TABLE jobs_new (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    dedupe_key  TEXT    NOT NULL UNIQUE,
    guild_id    INTEGER,
    due_at      TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled', 'skipped', 'missed', 'expired')),
    lease_until TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    payload     TEXT    NOT NULL DEFAULT '{}',
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
INSERT INTO jobs_new (id, kind, dedupe_key, guild_id, due_at, expires_at, status, lease_until, attempts, last_error,
                      payload, created_at, updated_at)
    SELECT id, kind, dedupe_key, guild_id, due_at,
           strftime('%Y-%m-%dT%H:%M:%SZ', due_at, '+1 day'),
           status, lease_until, attempts, last_error, payload, created_at, updated_at
    FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE INDEX jobs_pending_due ON jobs (due_at) WHERE status = 'pending';
-- Each kind has its own lane in the sweep: claiming nudges doesn't scan a fan-out of due posts.
CREATE INDEX jobs_pending_kind_due ON jobs (kind, due_at) WHERE status = 'pending';
CREATE INDEX jobs_sending_lease ON jobs (lease_until) WHERE status = 'sending';
-- Status stays out of this key: a claim or finish would otherwise move an entry of it per job.
CREATE INDEX jobs_guild ON jobs (guild_id, kind);

-- A nudge that could not be delivered within a day of its time is `expired` (shown in /checkins).
CREATE TABLE followups_new (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    recipient_id INTEGER NOT NULL,
    subject_id   INTEGER NOT NULL,
    share_id     INTEGER REFERENCES shares (id) ON DELETE CASCADE,
    signal_id    INTEGER REFERENCES signals (id) ON DELETE CASCADE,
    reason       TEXT    NOT NULL,
    topic        TEXT,
    event_date   TEXT,
    event_time   TEXT,
    due_at       TEXT    NOT NULL,
    round        INTEGER NOT NULL DEFAULT 0,
    status       TEXT    NOT NULL DEFAULT 'planned'
                 CHECK (status IN ('planned', 'sent', 'done', 'skipped', 'cancelled', 'undeliverable', 'failed',
                                   'expired')),
    engaged      INTEGER NOT NULL DEFAULT 0,
    dm_channel_id INTEGER,
    dm_message_id INTEGER,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
INSERT INTO followups_new SELECT * FROM followups;
DROP TABLE followups;
ALTER TABLE followups_new RENAME TO followups;
CREATE INDEX followups_recipient ON followups (recipient_id, status, due_at);
CREATE INDEX followups_subject ON followups (guild_id, subject_id, status);
CREATE INDEX followups_share ON followups (share_id);
CREATE UNIQUE INDEX followups_once ON followups (share_id, recipient_id) WHERE share_id IS NOT NULL;
CREATE UNIQUE INDEX followups_signal_once ON followups (signal_id, recipient_id) WHERE signal_id IS NOT NULL;

