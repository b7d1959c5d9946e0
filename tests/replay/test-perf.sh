#!/bin/sh
# SPDX-License-Identifier: MIT
#
# perf's CTF through the replayer, on a fixture recorded with perf
# (kernel/record/swaptrace-record --perf, traces/kernel-6.12-*):
#
#  - every event is read as a swap event (none "other"), with perf's
#    thread ids, and no error finding;
#  - a perf lost-event record in perf-lost.tsv beside the trace becomes one
#    gap, placed right after the last event its CPU recorded before the
#    loss, and the slots after it are unverified;
#  - a malformed perf-lost.tsv fails the replay with exit status 2 (an
#    input that cannot be read) and a message naming the file.
#
# usage: test-perf.sh SWAPTRACE TRACES_DIR FIXTURE
set -eu
swaptrace=$1
fixture=$2/$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*"
	exit 1
}

meta() { # meta DB KEY (the meta table read once per database)
	[ -f "$1.meta" ] || python3 -c 'import sqlite3, sys
for k, v in sqlite3.connect(sys.argv[1]).execute("SELECT key, value FROM meta"):
    print("%s\t%s" % (k, v))' "$1" >"$1.meta"
	awk -F '\t' -v k="$2" '$1 == k { print $2 }' "$1.meta"
}

sql() { # sql DB QUERY
	python3 -c 'import sqlite3, sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(*row)' "$1" "$2"
}

# The fixture as recorded.
"$swaptrace" replay "$fixture" -o "$tmp/a.db"
[ "$(meta "$tmp/a.db" events.other)" = 0 ] || fail "perf events read as other events"
[ "$(meta "$tmp/a.db" event_classes.other)" = 0 ] || fail "perf event classes not recognised"
[ "$(meta "$tmp/a.db" events.swap)" -gt 0 ] || fail "no swap events"
[ "$(meta "$tmp/a.db" findings.error)" = 0 ] || fail "error findings on a correct kernel"
[ "$(meta "$tmp/a.db" gaps)" = "$(grep -vc '^#' "$fixture/perf-lost.tsv" || true)" ] ||
	fail "gaps do not match perf-lost.tsv"
[ "$(sql "$tmp/a.db" 'SELECT count(*) FROM retention WHERE tid IS NULL')" = 0 ] ||
	fail "perf_tid not read"
echo "ok: $(meta "$tmp/a.db" events.swap) perf events, none other, perf_tid read, no error"

# One lost-event record in the middle: a gap after the 1000th event of the
# CPU it names, whatever came before on the other CPUs.
mkdir "$tmp/lossy"
cp -r "$fixture/trace" "$fixture/kallsyms" "$tmp/lossy/"
line=$(babeltrace2 --clock-seconds "$fixture/trace" | sed -n '1000{p;q;}')
ts=$(echo "$line" | sed 's/^\[\([0-9]*\)\.\([0-9]*\)\].*/\1\2/')
cpu=$(echo "$line" | sed 's/.*cpu_id = \([0-9]*\).*/\1/')
[ -n "$ts" ] && [ -n "$cpu" ] || fail "cannot read the 1000th event"
printf '# test\n%s\t%s\t%s\t7\n' "$cpu" "$ts" "$((ts + 1000))" >"$tmp/lossy/perf-lost.tsv"
"$swaptrace" replay "$tmp/lossy" -o "$tmp/b.db"
[ "$(meta "$tmp/b.db" gaps)" = 1 ] || fail "the lost-event record is not one gap"
[ "$(meta "$tmp/b.db" gaps.discarded_events)" = 7 ] || fail "the gap does not count 7 events"
gap=$(sql "$tmp/b.db" 'SELECT stream, begin_ts_ns, count FROM gaps')
[ "$gap" = "lossy/trace/cpu$cpu $ts 7" ] || fail "gap is '$gap'"
after=$(sql "$tmp/b.db" 'SELECT after_seq FROM gaps')
# The 1000th event of the muxed trace is seq 999, unless other events
# share its timestamp; the gap follows the last of them.
[ "$after" -ge 999 ] && [ "$after" -lt 1010 ] || fail "gap after seq $after, not 999"
[ "$(meta "$tmp/b.db" unverified)" -gt 0 ] || fail "no check unverified after the gap"
[ "$(meta "$tmp/b.db" findings.error)" = 0 ] || fail "error findings after the gap"
echo "ok: a perf-lost.tsv record is a gap after seq $after; $(meta "$tmp/b.db" unverified) checks unverified"

# A malformed file names itself.
printf '0\tsoon\t5\t1\n' >"$tmp/lossy/perf-lost.tsv"
if "$swaptrace" replay "$tmp/lossy" -o "$tmp/c.db" 2>"$tmp/err"; then
	fail "a malformed perf-lost.tsv was accepted"
else
	rc=$?
fi
[ "$rc" = 2 ] || fail "exit status $rc, not 2"
grep -q "perf-lost.tsv" "$tmp/err" || fail "the message does not name the file: $(cat "$tmp/err")"
echo "ok: a malformed perf-lost.tsv: $(cat "$tmp/err")"
