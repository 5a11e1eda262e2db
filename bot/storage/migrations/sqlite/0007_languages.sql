-- Kindred schema 7: languages. The server's choice (NULL follows Discord's preferred locale, kept
-- as last seen), each member's Discord locale as last seen (their DMs are written in it), and the
-- bank's questions in every language under one question id.
ALTER TABLE guilds ADD COLUMN language TEXT;
ALTER TABLE guilds ADD COLUMN discord_locale TEXT;

ALTER TABLE roster ADD COLUMN locale TEXT;      -- as Discord spells it: 'de', 'pt-BR', 'es-419'

CREATE TABLE question_texts (
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    language    TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    PRIMARY KEY (question_id, language)
);
