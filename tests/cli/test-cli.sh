#!/bin/sh
# swaptrace's command line: --help, usage errors (exit 2), refusing to
# overwrite an output, the rule listing (git t0012-help, t5318), on the
# recorded fixtures traces/ust-demo (clean) and traces/ust-injected (one
# finding per rule, its ground-truth.jsonl).
. "$(dirname "$0")/../replay/lib.sh"

expect_status 0 "$SWAPTRACE" --help && expect_grep '^   replay' "$TMP/out"
expect_status 2 "$SWAPTRACE"
expect_status 2 "$SWAPTRACE" frobnicate && expect_grep "'frobnicate' is not a swaptrace command" "$TMP/err"

for cmd in replay check rules; do
	expect_status 0 "$SWAPTRACE" $cmd --help && expect_grep "swaptrace $cmd" "$TMP/out"
	expect_status 2 "$SWAPTRACE" $cmd --no-such-option && expect_grep '^error: ' "$TMP/err"
done
expect_status 0 "$SWAPTRACE" replay --help && expect_grep 'Exit status' "$TMP/out"
expect_status 0 "$SWAPTRACE" check --help && expect_grep '"unverified"' "$TMP/out"

fixture ust-demo "$TMP/t"
n_events=$(fixture_events ust-demo)
expect_status 2 "$SWAPTRACE" replay -o "$TMP/x.db" && expect_grep 'no trace given' "$TMP/err"
expect_status 2 "$SWAPTRACE" replay "$TMP/t" && expect_grep 'no output given' "$TMP/err"
expect_status 2 "$SWAPTRACE" replay "$TMP/t" -o "$TMP/x.db" --stale-threshold=soon &&
	expect_grep "invalid duration 'soon'" "$TMP/err"
no_output_left "$TMP/x.db"
expect_status 2 "$SWAPTRACE" check && expect_grep 'no trace given' "$TMP/err"
expect_status 2 "$SWAPTRACE" check --format=xml "$TMP/t" && expect_grep "unknown format 'xml'" "$TMP/err"
expect_status 2 "$SWAPTRACE" rules extra

# Durations: every unit parses.
for d in 0 1.5 250ms 10us 7ns 2m 1h 3s; do
	expect_status 0 "$SWAPTRACE" check --stale-threshold=$d "$TMP/t"
done

# An existing output is refused, untouched, without --force.
echo precious >"$TMP/x.db"
expect_status 2 "$SWAPTRACE" replay "$TMP/t" -o "$TMP/x.db" &&
	expect_grep "^error: output '.*x.db' already exists \(use --force" "$TMP/err"
expect_grep '^precious$' "$TMP/x.db"
expect_status 0 "$SWAPTRACE" replay --force "$TMP/t" -o "$TMP/x.db"
expect_status 0 sqlite3 "$TMP/x.db" "SELECT value FROM meta WHERE key = 'events.swap'" &&
	expect_grep "^$n_events\$" "$TMP/out"
expect_status 0 "$SWAPTRACE" replay "$TMP/t" -o "$TMP/y.db" &&
	expect_grep "^$n_events swap events replayed" "$TMP/out"
expect_status 0 "$SWAPTRACE" replay --quiet "$TMP/t" -o "$TMP/z.db"
ok
[ -s "$TMP/out" ] && fail "--quiet printed: $(cat "$TMP/out")"

# Not a terminal: no progress line on stderr.
ok
[ -s "$TMP/err" ] && fail "stderr not empty without a terminal: $(cat "$TMP/err")"

# The rule table: every rule once, with its severity.
expect_status 0 "$SWAPTRACE" rules
for rule in alloc_in_use alloc_misaligned dup_unallocated put_unallocated put_underflow \
	dup_uncached put_uncached cache_add_occupied cache_add_zero_count cache_del_mismatch \
	free_referenced free_cached free_unallocated count_mismatch slot_leak \
	retention_stale retention_full wp_roundtrip swapin_race cache_move_mismatch \
	lazyfree_swapped; do
	expect_grep "^$rule +(error|warning|info) +[A-Z]" "$TMP/out"
done
ok
[ "$(wc -l <"$TMP/out")" = 21 ] || fail "rules lists $(wc -l <"$TMP/out") lines, want 21"

# check: a clean trace exits 0; JSON has the documented keys.
expect_status 0 "$SWAPTRACE" check --format=json "$TMP/t"
cp "$TMP/out" "$TMP/json"
expect_status 0 "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) >= {"findings", "unverified", "events", "gaps"}, d.keys()
assert d["events"] == int(sys.argv[2]) and d["gaps"] == 0 and d["findings"] == [], d
assert len(d["unverified"]) == 21
' "$TMP/json" "$n_events"

# check: error findings exit 1 and are printed under their rule; the
# findings are exactly the injections of the emitter's ground truth.
fixture ust-injected "$TMP/bad"
expect_status 1 "$SWAPTRACE" check "$TMP/bad" && expect_grep '^free_unallocated \(error\): 1$' "$TMP/out"
expect_status 1 "$SWAPTRACE" check --format=json "$TMP/bad"
cp "$TMP/out" "$TMP/json"
expect_status 0 "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = d["findings"]
truth = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
assert len(truth) == 21, truth
# seq_hint is the proving or the setting-up event (tests/analyzer/check-emitter.py)
assert len(f) == len(truth), f
for t in truth:
	m = [x for x in f if (x["rule"], x["type"], x["offset"], x["nr"]) ==
		(t["rule"], t["type"], t["offset"], t["nr"]) and t["seq_hint"] in (x["seq"], x["setup_seq"])]
	assert len(m) == 1, (t, f)
fu = [x for x in f if x["rule"] == "free_unallocated"]
assert len(fu) == 1 and fu[0]["severity"] == "error", fu
' "$TMP/json" "$TRACES/ust-injected/ground-truth.jsonl"

# A missing trace is an input error: 2 for every command.
expect_status 2 "$SWAPTRACE" replay "$TMP/nope" -o "$TMP/n.db" &&
	expect_grep "^error: cannot read trace '.*nope': No such file or directory" "$TMP/err"
expect_status 2 "$SWAPTRACE" check "$TMP/nope"

# Kernel event names ("swap_entry_alloc"): tests/cli/test-kernel-names.sh
# on a recorded kernel fixture.  SIGINT mid-replay: tests/cli/test-sigint.sh
# on a large real recording.

finish
