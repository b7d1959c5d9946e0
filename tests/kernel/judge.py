#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Judge replay databases of kernel recordings, one line each.

For every DB: events, error findings, warnings by cause, unverified
checks; with --correct, fail unless the recording of a correct kernel has
0 error findings and every warning attributed to a cause (a stale
retention warning to the keep reason of the write fault behind it, never
'unknown' or none; a full one to the device's fill; a lazyfree warning to
its lazyfree decision).  --no-stale fails on
any retention_stale (the upstream `cow` selftest writes only copies),
--expect RULE fails unless RULE fired, --forbid RULE unless it did not.

usage: judge.py [--correct] [--no-stale] [--expect RULE]... [--forbid RULE]...
                NAME=DB...
exit: 0 every DB passed, 1 one failed, 2 usage
"""
import sqlite3
import sys


def judge(name, path, opts):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    meta = dict(db.execute("SELECT key, value FROM meta"))
    by_rule = dict(db.execute(
        "SELECT rule, COUNT(*) FROM findings GROUP BY rule"))
    errors = db.execute(
        "SELECT COUNT(*) FROM findings WHERE severity = 'error'").fetchone()[0]
    # retention warnings by the keep reason of the interval they report
    causes = {}
    for rule, reason, n in db.execute(
            "SELECT f.rule, r.keep_reason, COUNT(*) FROM findings AS f "
            "LEFT JOIN retention AS r ON r.type = f.type AND r.offset = f.offset "
            "AND r.start_seq = f.setup_seq "
            "WHERE f.severity = 'warning' GROUP BY f.rule, r.keep_reason"):
        # full retention's cause is the device's fill (vm_swap_full());
        # stale retention's is the write fault that kept the folio
        if rule in ("lazyfree_swapped", "retention_full"):
            key = rule
        else:
            key = "%s:%s" % (rule.replace("retention_", ""), reason or "none")
        causes[key] = causes.get(key, 0) + n
    unattributed = sum(n for k, n in causes.items()
                       if k.endswith(":none") or k.endswith(":unknown"))
    kept = db.execute(
        "SELECT COALESCE(SUM(in_place), 0) FROM write_faults").fetchone()[0]
    writes = int(meta.get("write_faults") or 0)
    line = "%-22s %8s %6d %6d/%-6d %7s  %s" % (
        name, meta.get("events.swap"), errors, kept, writes,
        meta.get("unverified"),
        ", ".join("%s %d" % kv for kv in sorted(causes.items())) or "-")
    print(line)
    problems = []
    if opts["correct"]:
        if errors:
            problems.append("%d error findings" % errors)
        if unattributed:
            problems.append("%d unattributed warnings" % unattributed)
    if opts["no_stale"] and by_rule.get("retention_stale"):
        problems.append("%d retention_stale" % by_rule["retention_stale"])
    for rule in opts["expect"]:
        if not by_rule.get(rule):
            problems.append("no %s finding" % rule)
    for rule in opts["forbid"]:
        if by_rule.get(rule):
            problems.append("%d %s findings" % (by_rule[rule], rule))
    for p in problems:
        print("judge: FAIL: %s: %s" % (name, p), file=sys.stderr)
    return not problems


def main(argv):
    opts = {"correct": False, "no_stale": False, "expect": [], "forbid": []}
    dbs = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--correct":
            opts["correct"] = True
        elif a == "--no-stale":
            opts["no_stale"] = True
        elif a in ("--expect", "--forbid") and i + 1 < len(argv):
            opts[a[2:]].append(argv[i + 1])
            i += 1
        elif "=" in a and not a.startswith("-"):
            dbs.append(a.split("=", 1))
        else:
            print(__doc__, file=sys.stderr)
            return 2
        i += 1
    if not dbs:
        print(__doc__, file=sys.stderr)
        return 2
    ok = True
    for name, path in dbs:
        ok &= judge(name, path, opts)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
