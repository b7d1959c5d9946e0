-- swaptrace output database: views for the common questions.
--
-- Views are rebuildable (fossil's aux schema): they hold no data, so
-- changing one needs no schema_version bump; DROP VIEW and re-run this
-- file on an older database to upgrade it.  Examples in schema/README.md.

-- Every event that touched one slot, in order (needs `replay --events`).
-- A range event [offset, offset + nr) appears once per slot it covers:
--   SELECT * FROM slot_history WHERE type = 0 AND slot = 4711;
CREATE VIEW slot_history AS
SELECT e.type AS type, s.offset AS slot, e.seq, e.ts_ns, e.kind, e.offset AS range_offset,
       e.nr, e.pfn, e.count, e.ret, e.flags, e.cpu, e.tid, e.procname, e.ip
FROM slots AS s
JOIN events AS e
  ON e.type = s.type AND e.offset <= s.offset AND s.offset < e.offset + e.nr
ORDER BY s.type, s.offset, e.seq;

-- Slot lifetimes, longest first; open ones (still allocated at trace end,
-- or allocated before it began) are measured to the trace's bounds.
CREATE VIEW longest_lived AS
SELECT l.type, l.offset, l.alloc_seq, l.free_seq,
       COALESCE(l.free_ts_ns, (SELECT value FROM meta WHERE key = 'last_ts_ns'))
	 - COALESCE(l.alloc_ts_ns, (SELECT value FROM meta WHERE key = 'first_ts_ns'))
	 AS lifetime_ns,
       l.alloc_seq IS NULL AS started_before_trace,
       l.free_seq IS NULL AS still_allocated,
       l.max_count, l.swapins, l.cached_zero_ns
FROM lifetimes AS l
ORDER BY lifetime_ns DESC, l.type, l.offset, l.alloc_seq;

-- Findings per rule, with severity and the events they span.
CREATE VIEW findings_by_rule AS
SELECT f.rule, f.severity, COUNT(*) AS findings, COUNT(DISTINCT f.type || ':' || f.offset) AS slots,
       MIN(f.seq) AS first_seq, MAX(f.seq) AS last_seq
FROM findings AS f
GROUP BY f.rule, f.severity
ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, findings DESC,
	 f.rule;

-- Retention intervals per starting call site and verdict: where does the
-- kernel keep slots cached with nothing referencing them, and for how long?
CREATE VIEW retention_by_site AS
SELECT COALESCE(r.start_site, printf('0x%x', r.start_ip)) AS site, r.verdict,
       COUNT(*) AS intervals, SUM(r.duration_ns) AS total_ns, MAX(r.duration_ns) AS max_ns,
       SUM(r.written) AS written
FROM retention AS r
GROUP BY site, r.verdict
ORDER BY total_ns DESC, site, r.verdict;

-- Slot-seconds wasted on stale copies: retention after the cached folio
-- was written, so the device copy can never be used again, for longer than
-- the stale threshold (verdict 'stale', the retention_stale findings).
-- Same definition as `swaptrace report` and `swaptrace diff`.
CREATE VIEW stale_slot_seconds AS
SELECT r.type, COUNT(*) AS intervals, SUM(r.duration_ns) / 1e9 AS slot_seconds,
       MAX(r.duration_ns) AS max_ns
FROM retention AS r
WHERE r.verdict = 'stale'
GROUP BY r.type
ORDER BY r.type;

-- Slots still allocated at trace end with no reference and no cache: the
-- candidates for slot_leak, known or not.
CREATE VIEW orphan_slots AS
SELECT s.type, s.offset, s.known, s.last_seq
FROM slots AS s
WHERE s.allocated AND s.count = 0 AND s.cache_pfn IS NULL
ORDER BY s.type, s.offset;

-- Swap-in races per slot: how many -EEXIST adds and the longest wait.
CREATE VIEW race_hotspots AS
SELECT r.type, r.offset, COUNT(*) AS races, MAX(r.wait_ns) AS max_wait_ns
FROM races AS r
GROUP BY r.type, r.offset
ORDER BY races DESC, r.type, r.offset;

-- Lost events, with where they fell in the replay.
CREATE VIEW gap_summary AS
SELECT g.kind, g.stream, COUNT(*) AS gaps, SUM(g.count) AS lost, MIN(g.after_seq) AS first_after_seq
FROM gaps AS g
GROUP BY g.kind, g.stream
ORDER BY g.kind, g.stream;
