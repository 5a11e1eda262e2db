-- Kindred schema 10 (PostgreSQL twin of sqlite/0010_question_uses.sql): how often each server was
-- asked each question, kept by a trigger on prompts.

CREATE TABLE question_uses (
    guild_id    BIGINT  NOT NULL,
    question_id BIGINT  NOT NULL,
    uses        INTEGER NOT NULL,
    PRIMARY KEY (guild_id, question_id)
);

-- The last question a server was asked, found without reading its whole history.
CREATE INDEX prompts_guild ON prompts (guild_id, id);

INSERT INTO question_uses (guild_id, question_id, uses)
SELECT guild_id, question_id, COUNT(*) FROM prompts GROUP BY guild_id, question_id;

CREATE FUNCTION prompts_count_use() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO question_uses (guild_id, question_id, uses) VALUES (NEW.guild_id, NEW.question_id, 1)
    ON CONFLICT (guild_id, question_id) DO UPDATE SET uses = question_uses.uses + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER prompts_count_use AFTER INSERT ON prompts FOR EACH ROW EXECUTE FUNCTION prompts_count_use();
