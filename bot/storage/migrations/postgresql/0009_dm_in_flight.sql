-- Kindred schema 9 (PostgreSQL twin of sqlite/0009_dm_in_flight.sql): a nudge DM is recorded
-- before it is sent, by the id of the follow-up whose buttons it has.

ALTER TABLE followups ADD COLUMN dm_lead BIGINT;
