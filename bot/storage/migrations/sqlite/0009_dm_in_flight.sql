-- Kindred schema 9: a nudge DM is recorded before it is sent.

-- Just before a DM goes out, the follow-ups it carries get the id of the one whose buttons it has
-- (`dm_lead`); it is cleared once Kindred knows whether the DM went out. One still set on a planned
-- follow-up means an attempt may have reached the member without Kindred hearing back (a timeout, a
-- crash): whichever job delivers any of them next looks for that DM first instead of sending the
-- same nudges again, and records it for /forget with every subject it named.
ALTER TABLE followups ADD COLUMN dm_lead INTEGER;
