-- Kindred schema 5: erasure reaches every message Kindred sent about a member.

-- The notice of a member's question suggestion in the Kindred channel (it names them), so /forget
-- can delete it.
ALTER TABLE questions ADD COLUMN notice_channel_id INTEGER;
ALTER TABLE questions ADD COLUMN notice_message_id INTEGER;
