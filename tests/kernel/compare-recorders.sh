#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Both recorders on one 6.1 run: DIR holds a recording made by
# swaptrace-qemu --perf-beside, LTTng's trace in DIR/trace and perf's,
# attached to the same tracepoints at the same time, in DIR/perf/trace.
# Requires that
#
#  - check-trace.py passes on both traces with the same event counts;
#  - `swaptrace replay` gives identical slots, lifetimes and findings
#    tables from both (compare-dbs.py; the columns perf cannot fill, and
#    the times each tracer reads for itself, are listed there with the
#    reason);
#  - perf lost no events, and the converter's CTF was read as perf's (no
#    event counted as "other"), with perf's thread ids.
#
# usage: compare-recorders.sh SWAPTRACE DIR
set -eu
swaptrace=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
check=$here/check-trace.py
compare=$here/compare-dbs.py

# (LTTng's metadata is in trace/kernel/, perf's in trace/.)
for d in "$out" "$out/perf"; do
	for f in uname.txt swaps.txt kallsyms; do
		[ -s "$d/$f" ] || { echo "missing $d/$f"; exit 1; }
	done
	find "$d/trace" -name metadata | grep -q . || { echo "no CTF in $d/trace"; exit 1; }
done
[ -f "$out/perf/perf-lost.tsv" ] || { echo "missing $out/perf/perf-lost.tsv"; exit 1; }

# The same events, counted by kind, in both traces.
python3 "$check" "$out/trace" >"$out/check-lttng.txt" || {
	tail -n 20 "$out/check-lttng.txt"
	exit 1
}
python3 "$check" "$out/perf/trace" >"$out/check-perf.txt" || {
	tail -n 20 "$out/check-perf.txt"
	exit 1
}
grep '^swap_' "$out/check-lttng.txt" >"$out/counts-lttng.txt"
grep '^swap_' "$out/check-perf.txt" >"$out/counts-perf.txt"
diff -u "$out/counts-lttng.txt" "$out/counts-perf.txt" || {
	echo "LTTng and perf recorded different events"
	exit 1
}

# The same tables from both replays; every perf event read as a swap
# event, none as "other", and perf's thread ids.
"$swaptrace" replay --force "$out/trace" -o "$out/lttng.db" >"$out/replay-lttng.txt"
"$swaptrace" replay --force "$out/perf/trace" -o "$out/perf.db" >"$out/replay-perf.txt"
python3 - "$out/lttng.db" "$out/perf.db" <<'EOF2'
import sqlite3, sys
meta = [dict(sqlite3.connect(p).execute("SELECT key, value FROM meta")) for p in sys.argv[1:]]
for k in ("events.swap", "events.other", "event_classes.other", "findings.error",
          "findings.warning", "findings.info", "gaps"):
    print("%-20s LTTng %-8s perf %s" % (k, meta[0].get(k), meta[1].get(k)))
assert meta[1]["events.other"] == 0 and meta[1]["event_classes.other"] == 0, "perf events read as other"
assert meta[0]["events.swap"] == meta[1]["events.swap"], "different event counts"
assert meta[1]["gaps"] == 0, "perf lost events"
# Thread ids as LTTng's; no procname in perf (compare-dbs.py says why).
q = "SELECT tid FROM retention ORDER BY id"
assert [r for r in sqlite3.connect(sys.argv[1]).execute(q)] == \
    [r for r in sqlite3.connect(sys.argv[2]).execute(q)], "perf's thread ids differ"
assert sqlite3.connect(sys.argv[2]).execute(
    "SELECT count(*) FROM retention WHERE tid IS NULL").fetchone()[0] == 0, "no perf_tid"
EOF2
python3 "$compare" "$out/lttng.db" "$out/perf.db"
