#!/bin/sh
# swaptrace export --format=chrome-json on real recordings: the same
# database gives the same bytes; the file is written as replay -o writes
# (an existing one kept without --force, no temporary left); an
# independent parser (check-chrome-trace.py) finds it valid Trace Event
# Format that says what the database says; and a real viewer, the
# Performance panel of Debian's Chromium DevTools in headless Chromium
# (view-chrome-trace.py), loads it and shows every slot track, its slices
# and its findings.  The screenshot is kept in OUT_DIR.
#
# usage: export.sh OUT_DIR
. "$(dirname "$0")/lib.sh"

out_dir=$1
here=$(dirname "$0")
PY=${PYTHON:-python3}

# ust-regression with --events (stale retention kept by the LRU batch
# reference, bindings, events), ust-injected without (every rule, ranges
# of several slots).
for name in ust-regression ust-injected; do
	[ -d "$SOURCE_ROOT/traces/$name/trace" ] || skip "no traces/$name fixture"
done
replay "$SOURCE_ROOT/traces/ust-regression" "$tmp/kb.db" --events
replay "$SOURCE_ROOT/traces/ust-injected" "$tmp/inj.db"

for db in kb inj; do
	"$SWAPTRACE" export "$tmp/$db.db" -o "$tmp/$db.json" || fail "export $db"
	"$SWAPTRACE" export --format=chrome-json "$tmp/$db.db" -o "$tmp/$db.again.json" ||
		fail "export $db again"
	cmp -s "$tmp/$db.json" "$tmp/$db.again.json" || fail "$db: two exports differ"
	"$PY" "$here/check-chrome-trace.py" "$tmp/$db.json" "$tmp/$db.db" || fail "$db: check"
done
grep -q '"cat": "binding"' "$tmp/kb.json" || fail "ust-regression: no swap cache binding slices"
grep -q '"cat": "event"' "$tmp/kb.json" || fail "ust-regression: no slot events"
grep -q '"name": "process_labels", "args": {"labels": "replayed without --events' \
	"$tmp/inj.json" || fail "ust-injected: no note that events were not stored"

# --max-slots keeps the most telling slots: errors before warnings.
"$SWAPTRACE" export --max-slots 1 "$tmp/inj.db" -o "$tmp/one.json" || fail "--max-slots 1"
[ "$(grep -c '"name": "thread_name"' "$tmp/one.json")" = 1 ] || fail "--max-slots 1: not one track"
first=$(q "$tmp/inj.db" "SELECT 'slot ' || type || ':' || offset FROM findings
	WHERE severity = 'error' ORDER BY seq LIMIT 1")
grep -q "\"name\": \"$first\"" "$tmp/one.json" || fail "--max-slots 1 did not keep $first"

# Output safety, as replay -o: refuse, keep, leave nothing behind; --force.
echo precious >"$tmp/keep.json"
status=0
"$SWAPTRACE" export "$tmp/kb.db" -o "$tmp/keep.json" 2>"$tmp/err" || status=$?
expect_eq "$status" 2 "export over an existing file"
grep -q "^error: output '$tmp/keep.json' already exists (use --force" "$tmp/err" ||
	fail "message: $(cat "$tmp/err")"
expect_eq "$(cat "$tmp/keep.json")" precious "the existing file"
"$SWAPTRACE" export --force "$tmp/kb.db" -o "$tmp/keep.json" || fail "export --force"
cmp -s "$tmp/keep.json" "$tmp/kb.json" || fail "--force wrote something else"
status=0
"$SWAPTRACE" export "$tmp/kb.db" -o "$tmp/no/such/dir/t.json" 2>"$tmp/err" || status=$?
expect_eq "$status" 2 "export into a missing directory"
for f in "$tmp"/*.tmp-* "$tmp"/no; do
	[ -e "$f" ] && fail "left behind: $f"
done

# A real viewer.
mkdir -p "$out_dir"
png=$(cd "$out_dir" && pwd)/export-ust-regression.png
rm -f "$png"
rc=0
"$PY" "$here/view-chrome-trace.py" "$tmp/kb.json" "$png" >"$tmp/view.json" 2>"$tmp/view.err" || rc=$?
[ $rc = 77 ] && skip "$(cat "$tmp/view.err")"
[ $rc = 0 ] || fail "viewer did not load the trace: $(cat "$tmp/view.json" "$tmp/view.err")"
"$PY" - "$tmp/view.json" "$tmp/kb.json" <<'PYEOF' || fail "the viewer shows something else"
import collections, json, sys
shown = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
ev = doc['traceEvents']
threads = [e['args']['name'] for e in ev if e['ph'] == 'M' and e['name'] == 'thread_name']
# The panel labels a track "NAME (tid)".
labels = [t.rsplit(' (', 1)[0] for t in shown['tracks']]
missing = [t for t in threads if t not in labels]
assert not missing, ('tracks not shown', missing, shown['tracks'])
drawn = collections.Counter(e['name'] for e in ev if e['ph'] in ('X', 'I'))
for name, n in drawn.items():
    assert shown['entries'].get(name) == n, (name, n, shown['entries'].get(name))
rules = {e['name'] for e in ev if e['ph'] == 'I' and e['cat'].startswith('finding')}
assert rules and all(shown['entries'].get(r) for r in rules), rules
print('viewer: %d tracks, %d entries, findings %s' %
      (len(shown['tracks']), sum(shown['entries'].values()), sorted(rules)))
PYEOF
[ -s "$png" ] || fail "no screenshot"
size=$(wc -c <"$png")
[ "$size" -gt 20000 ] || fail "screenshot suspiciously small ($size bytes)"
echo "screenshot: $png"
echo "PASS"
