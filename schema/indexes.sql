-- swaptrace output database: indexes.
--
-- Built by store/db-writer.c once every row is in (one sort, faster than
-- keeping them up to date per insert), in the same transaction.  Like the
-- views they hold nothing that is not in the tables, so changing them
-- bumps no version: run this file on an older database to add them.

-- slot_history (views.sql.in): a slot's events by device and offset, so
-- "the life of slot 0:4711" reads a few index pages instead of every
-- event (0.25 s a slot at 1.2M events without it).
CREATE INDEX IF NOT EXISTS events_slot ON events (type, offset);
