-- swaptrace output database, content schema version 3 (PRAGMA user_version).
--
-- One database per replay.  Every table is written in one transaction by
-- store/db-writer.c, rows in a deterministic order (seq, then type,
-- offset), so the same trace gives the same bytes.  Times are integer
-- nanoseconds from the trace clock's origin ("ts_ns"); sequence numbers
-- ("seq") are positions in babeltrace2 muxer order, 0-based, and name an
-- event everywhere.  NULL means "not known" or "none", never zero.
--
-- Changing this file is a schema change: bump user_version, and
-- views.sql.in if it depends on what changed.

-- Version 2 (event schema v2): findings name who proved them (ip, site,
-- tid, procname); retention intervals carry the keep_reason of the write
-- fault that kept the folio; write_faults; events carry new_pfn, new_nr,
-- mapcount and verdict.  Version 1 databases lack these; `report` and
-- `diff` read both.

-- Version 3: events are stored in event_rows, with the kind and the
-- process as ids into event_kinds and procnames; `events` is a view with
-- the version 2 columns (and prev_seq).  A slot's events are found by
-- per-slot chains (event_rows.prev_seq, event_links, event_heads,
-- event_spans) instead of the events_slot index, which cost more to build
-- than the events to write.  slot_history reads both versions alike.

PRAGMA user_version = 3;

-- Key/value facts about the replay: schema versions, trace environment
-- (from CTF metadata: tracer name and version, hostname of the traced
-- machine, kernel release, domain), event counts per kind, time span,
-- unverified checks.  Keys are documented in schema/README.md.
CREATE TABLE meta (
	key TEXT PRIMARY KEY,     -- 'schema_version', 'events.entry_alloc', 'unverified', ...
	value                     -- TEXT or INTEGER
) WITHOUT ROWID;

-- Swap devices seen (by swap_device_on or by any slot event).
CREATE TABLE devices (
	type INTEGER PRIMARY KEY, -- swap device index (swp_type)
	nr_slots INTEGER,         -- slots; NULL if never announced by device_on
	cluster_size INTEGER,     -- slots per cluster; NULL if never announced
	on_seq INTEGER,           -- device_on event, NULL if none
	off_seq INTEGER,          -- device_off event, NULL if still on
	slots_touched INTEGER NOT NULL, -- distinct slots with any event
	max_in_use INTEGER NOT NULL     -- most slots allocated at once (known slots)
);

-- Final state of every slot the trace touched.
CREATE TABLE slots (
	type INTEGER NOT NULL,
	offset INTEGER NOT NULL,
	allocated INTEGER NOT NULL, -- 0/1
	count INTEGER NOT NULL,     -- reconstructed swap count (references)
	cache_pfn INTEGER,          -- pfn of the caching folio; NULL if not cached
	known INTEGER NOT NULL,     -- 0/1: state proven by the trace (DESIGN.md §5)
	last_seq INTEGER NOT NULL,  -- last event touching it
	PRIMARY KEY (type, offset)
) WITHOUT ROWID;

-- One row per slot per allocation: alloc -> free, or -> end of trace.
CREATE TABLE lifetimes (
	type INTEGER NOT NULL,
	offset INTEGER NOT NULL,
	alloc_seq INTEGER,          -- NULL: already allocated when first seen
	alloc_ts_ns INTEGER,
	free_seq INTEGER,           -- NULL: still allocated at trace end
	free_ts_ns INTEGER,
	max_count INTEGER NOT NULL, -- highest reconstructed count (references)
	swapins INTEGER NOT NULL,   -- successful swap-in cache adds
	cached_zero_ns INTEGER NOT NULL -- ns cached with count 0
);
-- (index lifetimes_slot: indexes.sql, built after the rows)

-- Rule violations and notable patterns (DESIGN.md §4).
CREATE TABLE findings (
	id INTEGER PRIMARY KEY,     -- in proving-event order
	rule TEXT NOT NULL,         -- rule name, e.g. 'put_underflow'
	severity TEXT NOT NULL,     -- 'error', 'warning', 'info'
	type INTEGER NOT NULL,
	offset INTEGER NOT NULL,    -- first slot
	nr INTEGER NOT NULL,        -- slots
	seq INTEGER NOT NULL,       -- event that proves it
	ts_ns INTEGER NOT NULL,
	setup_seq INTEGER,          -- event that set up the contradicted state
	message TEXT NOT NULL,
	ip INTEGER,                 -- call site of the proving event (raw address), NULL if unknown
	site TEXT,                  -- symbolised ip, NULL without kallsyms
	tid INTEGER,                -- thread of the proving event, NULL if not recorded
	procname TEXT               -- its command, NULL if not recorded
);
-- (index findings_rule: indexes.sql, built after the rows)

-- Checks per rule, and how many could not be made for want of a fact.
CREATE TABLE rule_stats (
	rule TEXT PRIMARY KEY,
	severity TEXT NOT NULL,
	findings INTEGER NOT NULL,
	unverified INTEGER NOT NULL -- checks skipped: a needed fact was unknown
) WITHOUT ROWID;

-- Periods during which a slot was cached with count 0.
CREATE TABLE retention (
	id INTEGER PRIMARY KEY,
	type INTEGER NOT NULL,
	offset INTEGER NOT NULL,
	pfn INTEGER NOT NULL,          -- caching folio
	start_seq INTEGER NOT NULL,
	start_ts_ns INTEGER NOT NULL,
	end_seq INTEGER,               -- NULL: still retained at trace end
	end_ts_ns INTEGER NOT NULL,    -- trace end when still retained
	duration_ns INTEGER NOT NULL,
	written INTEGER NOT NULL,      -- 0/1: folio written during it (stale device copy)
	fill_permille_start INTEGER NOT NULL, -- device fill, per mille of nr_slots
	fill_permille_max INTEGER NOT NULL,
	start_ip INTEGER,              -- call site that started it (raw address)
	start_site TEXT,               -- symbolised start_ip, NULL without kallsyms
	end_ip INTEGER,
	end_site TEXT,
	tid INTEGER,                   -- thread of the starting event, NULL if not recorded
	procname TEXT,
	verdict TEXT NOT NULL,         -- 'lazy', 'stale', 'full'
	truncated INTEGER NOT NULL DEFAULT 0, -- 0/1: cut short by a gap; end_ts_ns is the gap's start
	keep_reason TEXT               -- why a write fault kept the folio ('lru_batch', ...; see
	                               -- write_faults), NULL when no write fault did (lazy)
);

-- Write swap-in faults that did not free the swap cache, by the reason the
-- fault's inputs give (DESIGN.md §4; analyzer/keep-reason.c).  The total of
-- write faults is meta 'write_faults'.
CREATE TABLE write_faults (
	reason TEXT PRIMARY KEY,       -- 'not_cached', 'not_exclusive', 'writeback', 'ksm',
	                               -- 'swapped', 'lru_batch', 'extra_refs', 'unknown'
	faults INTEGER NOT NULL,       -- write faults that kept the cache for this reason
	in_place INTEGER NOT NULL,     -- of which wrote the cached folio in place (stale device copy)
	description TEXT NOT NULL      -- the reason in words
) WITHOUT ROWID;

-- -EEXIST swap-in cache adds, and the insert they lost to.
CREATE TABLE races (
	id INTEGER PRIMARY KEY,
	type INTEGER NOT NULL,
	offset INTEGER NOT NULL,
	seq INTEGER NOT NULL,          -- the -EEXIST cache_add
	ts_ns INTEGER NOT NULL,
	winner_seq INTEGER,            -- the successful add, NULL if not in the trace
	wait_ns INTEGER,               -- ns the winner had held the slot; see schema/README.md
	tid INTEGER,
	nr INTEGER,                    -- slots in the add's range, from offset
	pfn INTEGER                    -- the losing folio
);

-- Write faults that kept the swap cache, freed by a later fault.
CREATE TABLE roundtrips (
	id INTEGER PRIMARY KEY,
	type INTEGER NOT NULL,
	offset INTEGER NOT NULL,
	pfn INTEGER NOT NULL,
	fault_seq INTEGER NOT NULL,
	free_seq INTEGER NOT NULL,
	delay_ns INTEGER NOT NULL,
	ip INTEGER,
	site TEXT
);

-- Lost events (babeltrace2 discarded-events / discarded-packets messages).
CREATE TABLE gaps (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,            -- 'events' or 'packets'
	stream TEXT NOT NULL,          -- trace-relative stream name
	begin_ts_ns INTEGER,           -- NULL when the trace does not say
	end_ts_ns INTEGER,
	count INTEGER,                 -- lost events/packets, NULL if unknown
	after_seq INTEGER              -- last event replayed before it
);

-- Every normalized event, only with `swaptrace replay --events`, read
-- through the `events` view (views.sql.in), which names the kind and the
-- process.  Stored with both as small integers: text in every row made
-- a third of the table.
CREATE TABLE event_rows (
	seq INTEGER PRIMARY KEY,
	ts_ns INTEGER NOT NULL,
	kind_id INTEGER NOT NULL,      -- event_kinds.id
	cpu INTEGER,
	tid INTEGER,
	procname_id INTEGER,           -- procnames.id, NULL if not recorded
	type INTEGER,
	offset INTEGER,
	nr INTEGER,
	pfn INTEGER,
	count INTEGER,
	ret INTEGER,
	flags INTEGER,                 -- EVENT_F_* (schema/event.h): fault 1 write, 2 exclusive,
	                               -- 4 freed, 8 lru, 16 cached, 32 tried, 64 writeback, 128 ksm,
	                               -- 256 mlocked, 512 swap_full; state 1024 pinned; lazyfree
	                               -- 2048 dirty; 32768 the event has its v1 meaning
	refs INTEGER,
	ip INTEGER,
	nr_slots INTEGER,              -- device_on, state_begin: device size (slots)
	cluster_size INTEGER,          -- device_on, state_begin: slots per cluster
	new_pfn INTEGER,               -- cache_move: the folio the binding passes to
	new_nr INTEGER,                -- cache_split: pages of each new folio
	mapcount INTEGER,              -- lazyfree: folio map count
	verdict INTEGER,               -- lazyfree: 0 discarded, 1 redirtied, 2 referenced
	prev_seq INTEGER               -- the previous chained event of slot `offset` (the range's
	                               -- first slot), NULL if none or not chained (below)
);

-- The names of event_rows.kind_id: every kind ('entry_alloc', ...), by
-- schema/event-schema.h's EventKind.
CREATE TABLE event_kinds (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

-- The names of event_rows.procname_id, numbered from 1 as first seen.
CREATE TABLE procnames (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

-- A slot's events without an index over events (slot_history, views.sql.in).
-- Every event of a slot range [offset, offset + nr) is either chained or a
-- span.  Chained (nr <= 512, not a state line): for each slot it covers, it
-- links to the previous chained event of that slot; for the range's first
-- slot that link is event_rows.prev_seq, for the others an event_links row
-- where it differs.  A slot's chain starts at its event_heads row.  Spans
-- (state dump lines, ranges over 512 slots) are listed in event_spans, once
-- per 512-slot bucket they cover.  All three are written in key order as
-- the events come, so nothing is sorted at the end.

-- Where a chained event's link for slot `slot` is not its prev_seq.
CREATE TABLE event_links (
	seq INTEGER NOT NULL,          -- the chained event
	slot INTEGER NOT NULL,         -- a slot of its range other than the first
	prev_seq INTEGER,              -- the previous chained event of that slot, NULL if none
	PRIMARY KEY (seq, slot)
) WITHOUT ROWID;

-- The last chained event of every slot that has one.
CREATE TABLE event_heads (
	type INTEGER NOT NULL,
	offset INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	PRIMARY KEY (type, offset)
) WITHOUT ROWID;

-- Events not chained, once per 512-slot bucket (offset >> 9) they touch.
CREATE TABLE event_spans (
	type INTEGER NOT NULL,
	bucket INTEGER NOT NULL,       -- offset >> 9 of a slot in the range
	seq INTEGER NOT NULL,
	offset INTEGER NOT NULL,       -- the event's range
	nr INTEGER NOT NULL,
	PRIMARY KEY (type, bucket, seq)
) WITHOUT ROWID;
