#!/bin/sh
# swaptrace's command line: --help, usage errors (exit 2), refusing to
# overwrite an output, the rule listing (git t0012-help, t5318).
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

small_trace "$TMP/t"
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
expect_status 1 "$SWAPTRACE" replay "$TMP/t" -o "$TMP/x.db" &&
	expect_grep "^error: output '.*x.db' already exists \(use --force" "$TMP/err"
expect_grep '^precious$' "$TMP/x.db"
expect_status 0 "$SWAPTRACE" replay --force "$TMP/t" -o "$TMP/x.db"
expect_status 0 sqlite3 "$TMP/x.db" "SELECT value FROM meta WHERE key = 'events.swap'" &&
	expect_grep '^6$' "$TMP/out"
expect_status 0 "$SWAPTRACE" replay "$TMP/t" -o "$TMP/y.db" &&
	expect_grep '^6 swap events replayed' "$TMP/out"
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
	retention_stale retention_full wp_roundtrip swapin_race; do
	expect_grep "^$rule +(error|warning|info) +[A-Z]" "$TMP/out"
done
ok
[ "$(wc -l <"$TMP/out")" = 19 ] || fail "rules lists $(wc -l <"$TMP/out") lines, want 19"

# check: a clean trace exits 0; JSON has the documented keys.
expect_status 0 "$SWAPTRACE" check --format=json "$TMP/t"
cp "$TMP/out" "$TMP/json"
expect_status 0 "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) >= {"findings", "unverified", "events", "gaps"}, d.keys()
assert d["events"] == 6 and d["gaps"] == 0 and d["findings"] == [], d
assert len(d["unverified"]) == 19
' "$TMP/json"

# check: an error finding exits 1 and is printed under its rule.
mkctf "$TMP/bad" <<'EOT'
0 device_on type=0 nr_slots=1024 cluster_size=512
100 entry_alloc type=0 offset=8 nr=1 pfn=4096
200 cache_del type=0 offset=8 nr=1 pfn=4096
300 entry_free type=0 offset=8 nr=1
400 entry_free type=0 offset=8 nr=1
EOT
expect_status 1 "$SWAPTRACE" check "$TMP/bad" && expect_grep '^free_unallocated \(error\): 1$' "$TMP/out"
expect_status 1 "$SWAPTRACE" check --format=json "$TMP/bad"
cp "$TMP/out" "$TMP/json"
expect_status 0 "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = d["findings"]
assert [x["rule"] for x in f] == ["free_unallocated"], f
assert f[0]["seq"] == 4 and f[0]["severity"] == "error" and f[0]["offset"] == 8, f
' "$TMP/json"

# A missing trace is an input error: replay 1, check 2.
expect_status 1 "$SWAPTRACE" replay "$TMP/nope" -o "$TMP/n.db" &&
	expect_grep "^error: cannot read trace '.*nope': No such file or directory" "$TMP/err"
expect_status 2 "$SWAPTRACE" check "$TMP/nope"

# Kernel ("swap_entry_alloc") and UST ("swap:entry_alloc") names are one
# kind: the same events give the same tables.
mkctf "$TMP/k" --kernel <<'EOT'
0 device_on type=0 nr_slots=1024 cluster_size=512
100 entry_alloc type=0 offset=8 nr=1 pfn=4096
200 entry_dup type=0 offset=8 nr=1 pfn=4096 count=1
300 cache_del type=0 offset=8 nr=1 pfn=4096
400 entry_put type=0 offset=8 nr=1 pfn=0 count=0
500 entry_free type=0 offset=8 nr=1
EOT
expect_status 0 "$SWAPTRACE" replay --events "$TMP/k" -o "$TMP/k.db"
expect_status 0 "$SWAPTRACE" replay --events "$TMP/t" -o "$TMP/u.db"
for table in events slots lifetimes devices findings; do
	sqlite3 "$TMP/k.db" "SELECT * FROM $table" >"$TMP/k.txt"
	sqlite3 "$TMP/u.db" "SELECT * FROM $table" >"$TMP/u.txt"
	ok
	cmp -s "$TMP/k.txt" "$TMP/u.txt" || fail "kernel and UST names give different $table"
done
expect_status 0 sqlite3 "$TMP/k.db" "SELECT COUNT(*) FROM events" && expect_grep '^6$' "$TMP/out"

# SIGINT mid-replay: the temporary database goes with the process (git's
# lockfile.h), no output appears.
"$PYTHON" -c '
for i in range(150000):
	o = (i % 4096) * 2
	print(i * 40, "entry_alloc type=0 offset=%d nr=1 pfn=%d" % (o, 4096 + o))
	print(i * 40 + 10, "cache_del type=0 offset=%d nr=1 pfn=%d" % (o, 4096 + o))
	print(i * 40 + 20, "entry_free type=0 offset=%d nr=1" % o)
' | mkctf "$TMP/big"
"$SWAPTRACE" replay --events "$TMP/big" -o "$TMP/sig.db" >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 500 ] && ! ls "$TMP"/sig.db.tmp-* >/dev/null 2>&1; do
	sleep 0.01
	i=$((i + 1))
done
kill -INT $pid 2>/dev/null
wait $pid
status=$?
ok
case $status in
130) ;;
0) echo "note: the replay ended before SIGINT; signal path not exercised" ;;
*) fail "replay interrupted by SIGINT exited $status, want 130" ;;
esac
[ $status = 0 ] || no_output_left "$TMP/sig.db"

finish
