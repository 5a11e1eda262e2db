-- Kindred schema 1. Timestamps are UTC text 'YYYY-MM-DDTHH:MM:SSZ'; local dates 'YYYY-MM-DD'.

CREATE TABLE guilds (
    guild_id        INTEGER PRIMARY KEY,
    channel_id      INTEGER NOT NULL,
    post_time       TEXT    NOT NULL,               -- local 'HH:MM'
    timezone        TEXT    NOT NULL,               -- IANA name
    mode            TEXT    NOT NULL CHECK (mode IN ('partner', 'group')),
    paused          INTEGER NOT NULL DEFAULT 0,
    channel_problem TEXT,                           -- why posting stopped, shown by /kindred status
    removed_at      TEXT,                           -- the bot left the server; purged 30 days later
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);

CREATE TABLE questions (
    id         INTEGER PRIMARY KEY,
    bank_key   TEXT UNIQUE,                         -- set for the curated bank in data/
    guild_id   INTEGER,                             -- set for a server's own question
    text       TEXT    NOT NULL,
    category   TEXT    NOT NULL,
    depth      INTEGER NOT NULL DEFAULT 2 CHECK (depth BETWEEN 1 AND 3),
    audience   TEXT    NOT NULL DEFAULT 'any' CHECK (audience IN ('any', 'partner', 'group')),
    status     TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suggested', 'removed', 'rejected')),
    author_id  INTEGER,
    created_at TEXT    NOT NULL,
    CHECK ((bank_key IS NULL) <> (guild_id IS NULL))
);
CREATE INDEX questions_guild ON questions (guild_id, status);

-- One row per question posted. The partial unique index makes a second daily post for one
-- (server, local date) impossible, whatever the scheduler does.
CREATE TABLE prompts (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('daily', 'extra')),
    local_date  TEXT    NOT NULL,
    question_id INTEGER NOT NULL REFERENCES questions (id),
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER,
    thread_id   INTEGER,
    created_at  TEXT    NOT NULL,
    posted_at   TEXT
);
CREATE UNIQUE INDEX prompts_one_daily ON prompts (guild_id, local_date) WHERE kind = 'daily';
CREATE INDEX prompts_guild_question ON prompts (guild_id, question_id);
CREATE INDEX prompts_message ON prompts (message_id);

-- Everything a member shared. An answer to a prompt is a share with source 'answer'.
CREATE TABLE shares (
    id                INTEGER PRIMARY KEY,
    guild_id          INTEGER NOT NULL,
    author_id         INTEGER NOT NULL,
    prompt_id         INTEGER REFERENCES prompts (id) ON DELETE SET NULL,
    source            TEXT    NOT NULL,
    text              TEXT    NOT NULL,
    visibility        TEXT    NOT NULL CHECK (visibility IN ('group', 'private')),
    posted_message_id INTEGER,                      -- the bot's message showing it in the thread
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);
CREATE UNIQUE INDEX shares_one_answer ON shares (prompt_id, author_id) WHERE source = 'answer';
CREATE INDEX shares_author ON shares (guild_id, author_id, created_at);

-- The alarm clock: everything that must happen at a time is a row here.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    dedupe_key  TEXT    NOT NULL UNIQUE,
    guild_id    INTEGER,
    due_at      TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled', 'skipped', 'missed')),
    lease_until TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    payload     TEXT    NOT NULL DEFAULT '{}',
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX jobs_pending_due ON jobs (due_at) WHERE status = 'pending';
CREATE INDEX jobs_sending_lease ON jobs (lease_until) WHERE status = 'sending';
-- Status stays out of this key: a claim or finish would otherwise move an entry of it per job.
CREATE INDEX jobs_guild ON jobs (guild_id, kind);

-- Small facts Kindred keeps about itself (e.g. the hash of the last globally synced command tree).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
