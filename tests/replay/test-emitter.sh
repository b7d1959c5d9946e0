#!/bin/sh
# A real LTTng-UST recording of swaptrace-emit, replayed: the database
# matches the emitter's own account (check-emitter.py), and it is the same,
# byte for byte, on a second run, from a copy at another path and from a
# copy whose stream files were created in another order (DESIGN.md §6).
# usage: test-emitter.sh RECORD EMIT EMIT-ARGS...
# (exit 77, skipped, when LTTng cannot run here)
. "$(dirname "$0")/lib.sh"

RECORD=$1
EMIT=$2
shift 2

rec="$TMP/rec"
"$RECORD" -o "$rec" -- "$EMIT" --event-log --out-dir "$rec/emitter" "$@" >"$TMP/record.log" 2>&1
status=$?
if [ $status = 77 ]; then
	cat "$TMP/record.log"
	echo "SKIP: LTTng cannot record here"
	exit 77
fi
if [ $status != 0 ]; then
	cat "$TMP/record.log" >&2
	echo "FAIL: recording failed ($status)" >&2
	exit 1
fi

expect_status 0 "$SWAPTRACE" replay --events "$rec" -o "$TMP/a.db" &&
	expect_grep '^[0-9]+ swap events replayed' "$TMP/out"
expect_status 0 "$PYTHON" "$(dirname "$0")/check-emitter.py" "$TMP/a.db" "$rec/emitter" ||
	cat "$TMP/out" >&2
expect_status 0 "$SWAPTRACE" replay "$rec" -o "$TMP/noevents.db"
expect_status 0 "$PYTHON" "$(dirname "$0")/check-emitter.py" "$TMP/noevents.db" "$rec/emitter" ||
	cat "$TMP/out" >&2

# Identical bytes: again, from elsewhere, with files created in reverse order.
expect_status 0 "$SWAPTRACE" replay --events "$rec" -o "$TMP/b.db"
ok
cmp "$TMP/a.db" "$TMP/b.db" || fail "second replay differs"

# Both decoders (the default, auto, takes the fast one on our layout):
# the same bytes, with and without events.
expect_status 0 "$SWAPTRACE" replay --decoder=babeltrace2 --events "$rec" -o "$TMP/bt.db"
ok
cmp "$TMP/a.db" "$TMP/bt.db" || fail "--decoder=babeltrace2 differs from the default"
expect_status 0 "$SWAPTRACE" replay --decoder=fast --events "$rec" -o "$TMP/fast.db"
ok
cmp "$TMP/a.db" "$TMP/fast.db" || fail "--decoder=fast differs from the default"
expect_status 0 "$SWAPTRACE" replay --decoder=babeltrace2 "$rec" -o "$TMP/bt-noevents.db"
ok
cmp "$TMP/noevents.db" "$TMP/bt-noevents.db" || fail "--decoder=babeltrace2 differs without --events"

mkdir -p "$TMP/else/where"
cp -r "$rec" "$TMP/else/where/rec"
(cd "$TMP/else/where" && "$SWAPTRACE" replay --events rec -o "$TMP/c.db") >/dev/null
ok
cmp "$TMP/a.db" "$TMP/c.db" || fail "replay of a copy at another path differs"

mkdir "$TMP/reordered"
(cd "$TMP" && find rec -type d | sort | while read -r d; do mkdir -p "reordered/$d"; done)
(cd "$TMP" && find rec -type f | sort -r | while read -r f; do cp "$f" "reordered/$f"; done)
mv "$TMP/reordered/rec" "$TMP/reordered-rec" && mkdir -p "$TMP/r2" && mv "$TMP/reordered-rec" "$TMP/r2/rec"
expect_status 0 "$SWAPTRACE" replay --events "$TMP/r2/rec" -o "$TMP/d.db"
ok
cmp "$TMP/a.db" "$TMP/d.db" || fail "replay with stream files created in reverse order differs"

# The trace split in two at its middle event (babeltrace2's trimmer and
# sink.ctf.fs), both parts given: the same state, findings and events
# (DESIGN.md §6); only trace and stream names differ.
mid=$(sqlite3 "$TMP/a.db" "SELECT ts_ns FROM events WHERE seq = (SELECT MAX(seq) / 2 FROM events)")
at() { printf '%d.%09d' $(($1 / 1000000000)) $(($1 % 1000000000)); }
ctf=$(cd "$rec" && find . -name metadata | head -1)
ctf="$rec/${ctf%/metadata}"
mkdir "$TMP/split"
cp "$rec/kallsyms" "$TMP/split/" 2>/dev/null
babeltrace2 "$ctf" -c flt.utils.trimmer -p "end=\"$(at "$mid")\"" -o ctf -w "$TMP/split/one" >/dev/null &&
	babeltrace2 "$ctf" -c flt.utils.trimmer -p "begin=\"$(at $((mid + 1)))\"" -o ctf -w "$TMP/split/two" >/dev/null
split_status=$?
ok
if [ $split_status != 0 ]; then
	fail "babeltrace2 could not split the trace"
else
	expect_status 0 "$SWAPTRACE" replay --events "$TMP/split/one" "$TMP/split/two" -o "$TMP/split.db"
	for q in "SELECT * FROM slots" "SELECT * FROM lifetimes" "SELECT * FROM findings" \
		"SELECT * FROM events" "SELECT * FROM retention" "SELECT * FROM races" \
		"SELECT * FROM roundtrips" "SELECT * FROM rule_stats" "SELECT * FROM devices"; do
		sqlite3 "$TMP/a.db" "$q" >"$TMP/whole.txt"
		sqlite3 "$TMP/split.db" "$q" >"$TMP/split.txt"
		ok
		cmp -s "$TMP/whole.txt" "$TMP/split.txt" || fail "split trace: '$q' differs"
	done
fi

# Nothing of this machine or this run in the database.
ok
if strings "$TMP/a.db" | grep -Fq "$TMP"; then
	fail "the database holds a path of this run"
fi

# check agrees with the database's findings.
expect_status 0 sqlite3 "$TMP/a.db" "SELECT COUNT(*) FROM findings WHERE severity = 'error'"
errors=$(cat "$TMP/out")
if [ "$errors" = 0 ]; then
	expect_status 0 "$SWAPTRACE" check "$rec"
else
	expect_status 1 "$SWAPTRACE" check "$rec"
fi

finish
