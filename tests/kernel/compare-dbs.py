#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compare the slots, lifetimes and findings tables of two swaptrace
databases replayed from one run recorded by two tracers at once: LTTng
(A) and perf (B), attached to the same tracepoints
(kernel/qemu/swaptrace-qemu --perf-beside).

Every column must be equal, row for row, except what perf cannot give the
same way, each for a documented reason:

 - procname: perf's CTF has no process name (the converter writes
   perf_tid and perf_pid only), so perf's findings say NULL;
 - tid: LTTng's kernel "tid" context and perf's perf_tid name the same
   thread; compared;
 - *_ts_ns: the two CTF clocks have different origins (LTTng's clock
   counts from the epoch, perf's converter writes its CLOCK_MONOTONIC
   times with offset 0, i.e. from boot), and each tracer reads the clock
   for itself, a moment apart, at each event: under QEMU TCG on a busy
   host a vCPU can be descheduled between the two probes of one
   tracepoint for milliseconds (the first event of a session costs LTTng
   several more).  So times are compared after taking off the median
   offset between the two clocks, within --tolerance-ns (default 100 ms),
   and the worst case is printed; the order of events, which every seq
   column records, must be the same;
 - cached_zero_ns: a duration between two events, each timestamped by
   each tracer: compared within the same tolerance;
 - message: a finding's text quotes such durations ("kept ... for 1549
   us", a race's wait): the text must be the same with every duration
   taken out, and each duration within the same tolerance.

usage: compare-dbs.py [--tolerance-ns N] A.db B.db
exit: 0 equal, 1 different, 2 usage
"""
import re
import sqlite3
import sys

# A duration as the analyzer writes it in a message: "1549 us", "2.5 ms".
DURATION = re.compile(r"\b(\d+(?:\.\d+)?) (ns|us|ms|s)\b")
UNIT_NS = {"ns": 1, "us": 1000, "ms": 1000000, "s": 1000000000}


def message_diff(x, y):
    """None if the messages differ in nothing but durations, else why;
    otherwise the largest difference of their durations in ns."""
    if DURATION.sub("#", x) != DURATION.sub("#", y):
        return None
    dx = [float(v) * UNIT_NS[u] for v, u in DURATION.findall(x)]
    dy = [float(v) * UNIT_NS[u] for v, u in DURATION.findall(y)]
    return max((abs(p - q) for p, q in zip(dx, dy)), default=0)

TABLES = {
    # table: (ORDER BY, time columns, duration columns, columns perf lacks)
    "slots": ("type, offset", (), (), ()),
    "lifetimes": ("type, offset, alloc_seq, free_seq",
                  ("alloc_ts_ns", "free_ts_ns"), ("cached_zero_ns",), ()),
    "findings": ("id", ("ts_ns",), (), ("procname",)),
}


def rows(db, table, order):
    cur = db.execute("SELECT * FROM %s ORDER BY %s" % (table, order))
    cols = [d[0] for d in cur.description]
    return cols, cur.fetchall()


def clock_offset(a, b):
    """Median of A's minus B's time of the same allocations and frees."""
    q = ("SELECT alloc_ts_ns, free_ts_ns FROM lifetimes "
         "ORDER BY type, offset, alloc_seq, free_seq")
    d = sorted(x - y for ra, rb in zip(a.execute(q), b.execute(q))
               for x, y in zip(ra, rb) if x is not None and y is not None)
    return d[len(d) // 2] if d else 0


def main(argv):
    tolerance = 100000000
    if len(argv) >= 2 and argv[0] == "--tolerance-ns":
        tolerance = int(argv[1])
        argv = argv[2:]
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    a, b = sqlite3.connect(argv[0]), sqlite3.connect(argv[1])
    offset = clock_offset(a, b)
    print("clock offset (median, A - B): %d ns" % offset)
    failed = False
    for table, (order, times, durations, lacking) in TABLES.items():
        cols, ra = rows(a, table, order)
        cols_b, rb = rows(b, table, order)
        assert cols == cols_b, (cols, cols_b)
        worst = 0
        diffs = []
        if len(ra) != len(rb):
            diffs.append("%d rows against %d" % (len(ra), len(rb)))
        for i, (x, y) in enumerate(zip(ra, rb)):
            for c, vx, vy in zip(cols, x, y):
                if c in lacking:
                    if vy is not None:
                        diffs.append("row %d: perf has a %s: %r" % (i, c, vy))
                    continue
                if (c in times or c in durations) and vx is not None and vy is not None:
                    d = abs(vx - vy - offset) if c in times else abs(vx - vy)
                    worst = max(worst, d)
                    if d > tolerance:
                        diffs.append("row %d: %s %r against %r (%d ns apart)"
                                     % (i, c, vx, vy, d))
                    continue
                if c == "message" and isinstance(vx, str) and isinstance(vy, str) and vx != vy:
                    d = message_diff(vx, vy)
                    if d is not None:
                        worst = max(worst, int(d))
                        if d <= tolerance:
                            continue
                if vx != vy:
                    diffs.append("row %d: %s %r against %r" % (i, c, vx, vy))
        print("%s: %d rows%s; times at most %d ns apart"
              % (table, len(ra), ", identical" if not diffs else "", worst))
        for d in diffs[:10]:
            print("  " + d)
        if diffs:
            print("  (%d differences)" % len(diffs))
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
