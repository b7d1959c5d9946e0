#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The measurement behind `swaptrace diff`'s default tolerance
# (report/diff.c, diff_options_init()): record each workload N times on
# the correct kernel in one boot, and once on the regression kernel; print
# every metric diff compares, per recording, with its spread (max |a - b|
# and max a/b over pairs), then run `swaptrace diff` on every ordered pair
# of recordings of one workload (all must exit 0) and from each correct
# randwrite recording to the regression's (all must exit 1).
#
# usage: tests/kernel/noise.sh SWAPTRACE OUTDIR [N [WORKLOAD...]]
#   default: N 5, workloads exerciser randwrite stress-ng thp
# Needs root and the QEMU harness (kernel/qemu/swaptrace-qemu); not part of
# any suite: about 1 min per recording on 2 idle cores (20 recordings: 25
# min with a cached kernel).
set -eu
[ $# -ge 2 ] || { sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
swaptrace=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=$2
n=${3:-5}
shift 2
[ $# -gt 0 ] && shift
workloads=${*:-exerciser randwrite stress-ng thp}
src=$(cd "$(dirname "$0")/../.." && pwd)
harness=$src/kernel/qemu/swaptrace-qemu

rm -rf "$out"
mkdir -p "$out/scripts"
set --
for w in $workloads; do
	i=1
	while [ $i -le "$n" ]; do
		cp "$src/workload/guest/$w.sh" "$out/scripts/$w-$i.sh"
		set -- "$@" --script "$out/scripts/$w-$i.sh"
		i=$((i + 1))
	done
done
"$harness" --out "$out/correct" "$@"
"$harness" --out "$out/regression" --kernel regression --workload randwrite
for d in "$out"/correct/*/ "$out/regression"; do
	[ -d "$d/trace" ] && "$swaptrace" replay --force "$d" -o "$d/replay.db" >/dev/null
done

python3 - "$out" $workloads <<'EOF'
import itertools, sqlite3, sys

out, workloads = sys.argv[1], sys.argv[2:]


def metrics(path):
    db = sqlite3.connect(path)
    m = {"findings." + r: n for r, n in
         db.execute("SELECT rule, COUNT(*) FROM findings GROUP BY rule")}
    for v, ns in db.execute("SELECT verdict, slot_ns FROM retention_by_verdict"):
        m[v + "_slot_seconds"] = ns / 1e9
    wf = int(dict(db.execute("SELECT key, value FROM meta"))["write_faults"])
    ip = db.execute("SELECT SUM(in_place) FROM write_faults").fetchone()[0]
    m["write_faults"] = wf
    if wf >= 100:
        m["kept_in_place_per_1000"] = ip * 1000.0 / wf
    return m


def fmt(v):
    return "%.3g" % v if isinstance(v, float) else str(v)


import glob
for w in workloads:
    runs = sorted(glob.glob("%s/correct/%s-*/replay.db" % (out, w)))
    ms = [metrics(p) for p in runs]
    print("== %s (%d recordings)" % (w, len(ms)))
    for k in sorted(set(k for m in ms for k in m)):
        vals = [m.get(k, 0) for m in ms]
        if not any(vals):
            continue
        pairs = list(itertools.combinations(vals, 2))
        dmax = max(abs(a - b) for a, b in pairs)
        rmax = max(max(a, b) / min(a, b) for a, b in pairs if min(a, b) > 0) \
            if any(min(a, b) > 0 for a, b in pairs) else float("nan")
        print("  %-34s %s   max|d| %s  max ratio %s" % (
            k, " ".join(fmt(v) for v in vals), fmt(dmax), fmt(rmax)))
reg = metrics("%s/regression/replay.db" % out)
print("== randwrite on the regression kernel")
for k in sorted(reg):
    print("  %-34s %s" % (k, fmt(reg[k])))
EOF

fail=0
for w in $workloads; do
	for a in "$out"/correct/"$w"-*/replay.db; do
		for b in "$out"/correct/"$w"-*/replay.db; do
			[ "$a" = "$b" ] && continue
			rc=0
			"$swaptrace" diff "$a" "$b" >/dev/null || rc=$?
			[ $rc = 0 ] || { echo "FAIL: diff $a $b exited $rc, want 0"; fail=1; }
		done
	done
done
for a in "$out"/correct/randwrite-*/replay.db; do
	[ -f "$a" ] || continue
	rc=0
	"$swaptrace" diff "$a" "$out/regression/replay.db" >/dev/null || rc=$?
	[ $rc = 1 ] || { echo "FAIL: diff $a -> regression exited $rc, want 1"; fail=1; }
done
[ $fail = 0 ] && echo "every same-kernel pair exits 0; every correct -> regression pair exits 1"
exit $fail
