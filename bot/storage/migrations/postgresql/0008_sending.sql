-- Kindred schema 8 (PostgreSQL twin of sqlite/0008_sending.sql): retries bounded by relevance.
-- PostgreSQL alters in place what SQLite rebuilds.

ALTER TABLE jobs ADD COLUMN expires_at TEXT;
UPDATE jobs SET expires_at = to_char((due_at::timestamptz + interval '1 day') AT TIME ZONE 'UTC',
                                     'YYYY-MM-DD"T"HH24:MI:SS"Z"');
ALTER TABLE jobs ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE jobs DROP CONSTRAINT jobs_status_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled', 'skipped', 'missed', 'expired'));
CREATE INDEX jobs_pending_kind_due ON jobs (kind, due_at) WHERE status = 'pending';

ALTER TABLE followups DROP CONSTRAINT followups_status_check;
ALTER TABLE followups ADD CONSTRAINT followups_status_check
    CHECK (status IN ('planned', 'sent', 'done', 'skipped', 'cancelled', 'undeliverable', 'failed', 'expired'));
