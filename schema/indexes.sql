-- swaptrace output database: indexes.
--
-- Built by store/db-writer.c once every row is in (one sort, faster than
-- keeping them up to date per insert), in the same transaction.  Like the
-- views they hold nothing that is not in the tables, so changing them
-- bumps no version: run this file on an older database to add them.

-- slot_history (views.sql.in) needs none: it follows a slot's chain of
-- events (event_heads, event_rows.prev_seq, event_links) and the spans of its
-- bucket (event_spans), all written in key order as the events came.  The
-- events_slot index it replaced (schema version 2) cost more to build than
-- the events to write.

-- A slot's lifetimes (report, slot timelines), and findings by rule.
-- Built here rather than with their tables: an index kept up to date per
-- insert cost `replay` 0.3 s per million lifetimes.
CREATE INDEX IF NOT EXISTS lifetimes_slot ON lifetimes (type, offset, alloc_seq);
CREATE INDEX IF NOT EXISTS findings_rule ON findings (rule);
