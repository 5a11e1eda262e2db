-- Kindred schema 9: a nudge DM is recorded before it is sent.

-- Just before a DM goes out, the follow-ups it carries get the id of the one whose buttons it has
-- (`dm_lead`); it is cleared once their outcome is known. One still set means an attempt may have
-- reached the member without Kindred hearing back (a timeout, a crash): whichever job delivers any
-- of them next looks for that DM first instead of sending the same nudges again.
ALTER TABLE followups ADD COLUMN dm_lead INTEGER;
