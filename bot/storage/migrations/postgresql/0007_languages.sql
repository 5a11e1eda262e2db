-- Kindred schema 7 (PostgreSQL twin of sqlite/0007_languages.sql).
ALTER TABLE guilds ADD COLUMN language TEXT;
ALTER TABLE guilds ADD COLUMN discord_locale TEXT;

ALTER TABLE roster ADD COLUMN locale TEXT;

CREATE TABLE question_texts (
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    language    TEXT   NOT NULL,
    text        TEXT   NOT NULL,
    PRIMARY KEY (question_id, language)
);
