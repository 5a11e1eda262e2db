-- Kindred schema 10: how often each server was asked each question, which choosing its next one
-- reads instead of counting its whole history at every post. Kept by a trigger on prompts, so it can
-- never drift from them (prompts are only deleted with the whole server's data, and so is this); the
-- copy between backends rebuilds it that way.

CREATE TABLE question_uses (
    guild_id    INTEGER NOT NULL,
    question_id INTEGER NOT NULL,
    uses        INTEGER NOT NULL,
    PRIMARY KEY (guild_id, question_id)
) WITHOUT ROWID;

-- The last question a server was asked, found without reading its whole history.
CREATE INDEX prompts_guild ON prompts (guild_id, id);

INSERT INTO question_uses (guild_id, question_id, uses)
SELECT guild_id, question_id, COUNT(*) FROM prompts GROUP BY guild_id, question_id;

CREATE TRIGGER prompts_count_use AFTER INSERT ON prompts BEGIN
    INSERT INTO question_uses (guild_id, question_id, uses) VALUES (NEW.guild_id, NEW.question_id, 1)
    ON CONFLICT (guild_id, question_id) DO UPDATE SET uses = uses + 1;
END;
