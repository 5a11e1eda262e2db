-- Kindred schema 5 (PostgreSQL twin of sqlite/0005_privacy.sql).

ALTER TABLE questions ADD COLUMN notice_channel_id BIGINT;
ALTER TABLE questions ADD COLUMN notice_message_id BIGINT;
