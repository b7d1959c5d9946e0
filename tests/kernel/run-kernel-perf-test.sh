#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Both recorders on one 6.1 run: boot the cached 6.1 kernel, record a
# workload with LTTng and, attached to the same tracepoints at the same
# time, with perf (swaptrace-qemu --perf-beside), and require that
#
#  - check-trace.py passes on both traces with the same event counts;
#  - `swaptrace replay` gives identical slots, lifetimes and findings
#    tables from both (compare-dbs.py; the columns perf cannot fill are
#    listed there with the reason);
#  - perf lost no events, and the converter's CTF was read as perf's (no
#    event counted as "other").
#
# usage: run-kernel-perf-test.sh SRCDIR OUTDIR SWAPTRACE virtio|zram
set -eu
src=$1
out=$2
swaptrace=$3
variant=$4
harness=$src/kernel/qemu/swaptrace-qemu
check=$src/tests/kernel/check-trace.py
compare=$src/tests/kernel/compare-dbs.py

if [ "$(id -u)" != 0 ]; then
	echo "kernel suite needs root (QEMU 9p export of /)"
	exit 77
fi
for tool in qemu-system-x86_64 perf; do
	command -v $tool >/dev/null 2>&1 || {
		echo "$tool missing (scripts/deps.sh)"
		exit 77
	}
done
case $variant in
virtio|zram) ;;
*) echo "usage: $0 SRCDIR OUTDIR SWAPTRACE virtio|zram" >&2; exit 2 ;;
esac

rm -rf "$out"
start=$(date +%s)
"$harness" --out "$out" --swap "$variant" --perf-beside --workload exerciser
echo "harness: $(($(date +%s) - start)) s"
for d in "$out" "$out/perf"; do
	for f in trace/metadata uname.txt swaps.txt kallsyms; do
		[ -s "$d/$f" ] || { echo "missing $d/$f"; exit 1; }
	done
done
[ -f "$out/perf/perf-lost.tsv" ] || { echo "missing $out/perf/perf-lost.tsv"; exit 1; }

# The same events, counted by kind, in both traces.
python3 "$check" "$out/trace" >"$out/check-lttng.txt"
python3 "$check" "$out/perf/trace" >"$out/check-perf.txt"
grep '^swap_' "$out/check-lttng.txt" >"$out/counts-lttng.txt"
grep '^swap_' "$out/check-perf.txt" >"$out/counts-perf.txt"
cat "$out/counts-lttng.txt"
diff -u "$out/counts-lttng.txt" "$out/counts-perf.txt" || {
	echo "LTTng and perf recorded different events"
	exit 1
}

# The same tables from both replays; every perf event read as a swap
# event, none as "other", and perf's thread ids.
"$swaptrace" replay "$out/trace" -o "$out/lttng.db"
"$swaptrace" replay "$out/perf/trace" -o "$out/perf.db"
python3 - "$out/lttng.db" "$out/perf.db" <<'EOF2'
import sqlite3, sys
meta = [dict(sqlite3.connect(p).execute("SELECT key, value FROM meta")) for p in sys.argv[1:]]
for k in ("events.swap", "events.other", "event_classes.other", "findings.error", "gaps"):
    print("%-20s LTTng %-8s perf %s" % (k, meta[0].get(k), meta[1].get(k)))
assert meta[1]["events.other"] == 0 and meta[1]["event_classes.other"] == 0, "perf events read as other"
assert meta[0]["events.swap"] == meta[1]["events.swap"], "different event counts"
assert meta[0]["findings.error"] == 0 == meta[1]["findings.error"], "error findings"
# Thread ids as LTTng's; no procname in perf (compare-dbs.py says why).
q = "SELECT tid FROM retention ORDER BY id"
assert [r for r in sqlite3.connect(sys.argv[1]).execute(q)] == \
    [r for r in sqlite3.connect(sys.argv[2]).execute(q)], "perf's thread ids differ"
assert sqlite3.connect(sys.argv[2]).execute(
    "SELECT count(*) FROM retention WHERE tid IS NULL").fetchone()[0] == 0, "no perf_tid"
EOF2
python3 "$compare" "$out/lttng.db" "$out/perf.db"
