#!/bin/sh
# The database for people (schema/README.md): slot_history finds a slot's
# events through its chain, without a scan, and gives exactly the rows of the
# plain range join; the *_rel views measure from the trace start and the
# hex columns show kernel addresses as addresses; a database replayed
# without --events says so.  On traces/ust-injected (large folios: events
# of up to 16 slots) and traces/kernel-cow (kernel addresses).
. "$(dirname "$0")/../replay/lib.sh"

# q DB SQL: one value.
q() {
	sqlite3 -batch -noheader "$1" "$2"
}

# expect_sql DB SQL WANT WHAT
expect_sql() {
	ok
	got=$(q "$1" "$2")
	[ "$got" = "$3" ] || fail "$4: '$2' gave '$got', want '$3'"
}

fixture ust-injected "$TMP/inj"
fixture kernel-cow "$TMP/cow"
expect_status 0 "$SWAPTRACE" replay -q --events "$TMP/inj" -o "$TMP/inj.db"
expect_status 0 "$SWAPTRACE" replay -q --events "$TMP/cow" -o "$TMP/cow.db"
expect_status 0 "$SWAPTRACE" replay -q "$TMP/inj" -o "$TMP/noev.db"

# meta events.max_nr is the widest stored event.
expect_sql "$TMP/inj.db" "SELECT value = (SELECT max(nr) FROM events) AND value > 1
	FROM meta WHERE key = 'events.max_nr'" 1 "events.max_nr"

for db in "$TMP/inj.db" "$TMP/cow.db"; do
	# One slot's history follows its chain: searches by key, no scan of a table.
	ok
	q "$db" "EXPLAIN QUERY PLAN SELECT * FROM slot_history WHERE type = 0 AND slot = 5" \
		>"$TMP/plan"
	grep -q 'SEARCH s USING PRIMARY KEY' "$TMP/plan" &&
		grep -Eq 'SEARCH [er] USING INTEGER PRIMARY KEY' "$TMP/plan" &&
		! grep -Eq 'SCAN (s|e|r|p|h|l|k|sp|meta)( |$)' "$TMP/plan" ||
		fail "slot_history scans: $(cat "$TMP/plan")"
	# Exactly the rows of the unbounded range join, for every slot.
	expect_sql "$db" "SELECT count(*) FROM slot_history" \
		"$(q "$db" "SELECT count(*) FROM slots s JOIN events e ON e.type = s.type
			AND e.offset <= s.offset AND s.offset < e.offset + e.nr")" "slot_history rows"
	expect_sql "$db" "SELECT count(*) FROM (SELECT s.type, s.offset, e.seq FROM slots s
		JOIN events e ON e.type = s.type AND e.offset <= s.offset AND s.offset < e.offset + e.nr
		EXCEPT SELECT type, slot, seq FROM slot_history)" 0 "slot_history misses rows"
	# Relative times: t_s is (ts_ns - first event) in seconds.
	expect_sql "$db" "SELECT count(*) FROM events_rel, trace_bounds b
		WHERE abs(t_s * 1e9 - (ts_ns - b.start_ts_ns)) > 1" 0 "events_rel.t_s"
	expect_sql "$db" "SELECT min(t_s) = 0 AND max(t_s) * 1e9 = (SELECT span_ns FROM trace_bounds)
		FROM events_rel" 1 "events_rel spans the trace"
	expect_sql "$db" "SELECT count(*) FROM findings_rel f JOIN events e USING (seq)
		WHERE f.t_s IS NULL OR abs(f.t_s - (e.ts_ns - (SELECT start_ts_ns FROM trace_bounds)) / 1e9) > 1e-9" \
		0 "findings_rel.t_s"
	expect_sql "$db" "SELECT count(*) FROM retention_rel
		WHERE abs((end_t_s - start_t_s) - duration_s) > 1e-9" 0 "retention_rel"
	# Hex: the same number, printed as the kernel prints it.
	expect_sql "$db" "SELECT count(*) FROM events_rel WHERE pfn IS NOT NULL AND
		CAST(pfn_hex AS TEXT) != printf('0x%x', pfn) OR (pfn IS NULL) != (pfn_hex IS NULL)" \
		0 "events_rel.pfn_hex"
done

# Kernel call sites read as kernel addresses, not negative numbers.
expect_sql "$TMP/cow.db" "SELECT count(*) > 0 FROM events WHERE ip < 0" 1 "kernel ips"
expect_sql "$TMP/cow.db" "SELECT count(*) FROM slot_history WHERE ip < 0 AND
	ip_hex NOT LIKE '0xffffffff%'" 0 "slot_history.ip_hex"
expect_sql "$TMP/cow.db" "SELECT count(*) FROM retention_rel WHERE start_ip < 0 AND
	start_ip_hex NOT LIKE '0xffffffff%'" 0 "retention_rel.start_ip_hex"

# Without --events: meta says so, slot_history is empty, the report tells.
expect_sql "$TMP/noev.db" "SELECT value FROM meta WHERE key = 'options.events'" 0 "options.events"
expect_sql "$TMP/noev.db" "SELECT count(*) FROM slot_history" 0 "slot_history without --events"
expect_status 0 "$SWAPTRACE" report "$TMP/noev.db" &&
	expect_grep '^  events +[0-9]+ \(not stored: slot_history is empty; replay with --events' "$TMP/out"
expect_status 0 "$SWAPTRACE" report "$TMP/inj.db" &&
	expect_grep '^  events +[0-9]+ \(stored: slot_history has them\)' "$TMP/out"
# Thresholds in human units, not raw nanoseconds.
expect_grep '^  stale after +1\.0 ms$' "$TMP/out"
ok
grep -q 'thr ns' "$TMP/out" && fail "report prints raw-ns thresholds"

finish
