#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check a kernel swap trace recorded by kernel/qemu/swaptrace-qemu.

Reads the CTF trace with babeltrace2 (text output), as LTTng records it
(swap_entry_alloc) or as perf's converter writes it (swap:swap_entry_alloc,
with perf_* and common_* fields beside the event's), and checks that

 - every event kind required appears (--require), with its schema fields
   (event schema v1 or v2, told apart by the fields the trace carries)
   and plausible values (pfn non-zero where a folio is involved, cluster
   size and device size non-zero);
 - a small reference model of DESIGN.md section 4 (slot allocated, count,
   cache binding, and in v2 the moves and splits of the binding) holds: no
   error rule fires on a recording of a correct kernel, and every slot
   allocated or found in use by the state dump is freed by the end of a
   workload that exits and swaps off (alloc/free balance);
 - a v2 state dump is whole: begin, runs that cover every slot of the
   device once in offset order, end;

and prints the event counts per kind and what the write faults decided.
A perf recording's lost-event records (perf-lost.tsv beside the trace,
kernel/record/swaptrace-record) count as lost events, like LTTng's
discarded events.
This is not the replayer: it is the kernel suite's independent check that
the emit points are placed so that the abstract model holds.  With
--expect-errors it only reports.

With --require-large KIND,... each listed kind must appear at least once
covering a range of more than one slot (a large folio: 6.12's mTHP).

usage: check-trace.py [--require KIND,...] [--require-large KIND,...]
                      [--expect-errors] TRACE_DIR
exit: 0 ok, 1 check failed, 2 usage or babeltrace2 failure
"""
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict

SATURATED = 0x3E
V1_FIELDS = {
    "entry_alloc": "type offset nr pfn ip",
    "entry_dup": "type offset nr pfn count ret ip",
    "entry_put": "type offset nr pfn count ip",
    "entry_free": "type offset nr ip",
    "cache_add": "type offset nr pfn ret ip",
    "cache_del": "type offset nr pfn ip",
    "fault": "type offset nr pfn write exclusive freed lru refs ip",
    "device_on": "type nr_slots cluster_size ip",
    "device_off": "type ip",
    "state": "type offset nr count pfn ip",
}
V2_FIELDS = dict(V1_FIELDS)
V2_FIELDS.update({
    "fault": V1_FIELDS["fault"] + " cached tried writeback ksm mlocked swap_full",
    "state": "type offset nr count pfn pinned ip",
    "cache_move": "type offset nr pfn new_pfn ip",
    "cache_split": "type offset nr pfn new_nr ip",
    "state_begin": "type nr_slots cluster_size ip",
    "state_end": "type ip",
    "lazyfree": "pfn nr dirty refs mapcount verdict ip",
})
V2_ONLY = set(V2_FIELDS) - set(V1_FIELDS)
# LTTng: "[ts] (+delta) host swap_x: {...}"; perf: "[ts] (+delta) swap:swap_x: {...}".
LINE = re.compile(r"^\[[^\]]*\] \([^)]*\) (?:\S+ )?(?:swap:)?swap_(\w+): (.*)$")
FIELD = re.compile(r"(\w+) = (-?0x[0-9A-Fa-f]+|-?\d+|\"[^\"]*\")")
# A cache pin whose folio the state dump could not see.
UNKNOWN = "unknown"


class Slot:
    __slots__ = ("allocated", "count", "cache")

    def __init__(self):
        self.allocated = False
        self.count = 0
        self.cache = None  # None: not cached; int pfn (0: pinned, no folio yet)


def main(argv):
    require = []
    require_large = []
    expect_errors = False
    args = []
    i = 0
    while i < len(argv):
        if argv[i] == "--require" and i + 1 < len(argv):
            require = [k for k in argv[i + 1].split(",") if k]
            i += 2
        elif argv[i] == "--require-large" and i + 1 < len(argv):
            require_large = [k for k in argv[i + 1].split(",") if k]
            i += 2
        elif argv[i] == "--expect-errors":
            expect_errors = True
            i += 1
        else:
            args.append(argv[i])
            i += 1
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    trace = args[0]
    proc = subprocess.Popen(["babeltrace2", trace], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)

    counts = Counter()
    findings = Counter()
    examples = {}
    problems = []
    slots = defaultdict(Slot)
    alloc_slots = freed_slots = state_slots = 0
    faults = Counter()
    large = defaultdict(Counter)  # kind -> nr -> events covering nr > 1 slots
    markers = 0
    devices = {}
    dumping = {}  # type -> next offset the v2 dump must name
    version = 1

    def find(rule, seq, what):
        findings[rule] += 1
        examples.setdefault(rule, "event #%d %s" % (seq, what))

    def cache_check(rule, s, pfn, seq, what):
        if s.cache != UNKNOWN and s.cache != pfn:
            find(rule, seq, what)

    seq = 0
    for line in proc.stdout:
        m = LINE.match(line)
        if not m:
            continue
        kind = m.group(1)
        payload = m.group(2).rsplit("{", 1)[-1]
        f = {k: v for k, v in FIELD.findall(payload)}
        seq += 1
        counts[kind] += 1
        if kind in V2_ONLY or (kind == "fault" and "cached" in f):
            version = 2
        fields = (V2_FIELDS if version == 2 else V1_FIELDS).get(kind)
        if fields is None:
            problems.append("unknown event swap_%s" % kind)
            continue
        missing = [n for n in fields.split() if n not in f]
        if missing:
            problems.append("swap_%s lacks %s" % (kind, ",".join(missing)))
            continue
        v = {k: int(x, 0) for k, x in f.items() if not x.startswith('"')}
        what = "swap_%s %s" % (kind, payload.strip(" }\n"))
        if kind in ("device_on", "state_begin"):
            if v["nr_slots"] <= 0 or v["cluster_size"] <= 0:
                problems.append("implausible " + what)
            devices[v["type"]] = v["nr_slots"]
            if kind == "state_begin":
                dumping[v["type"]] = 0
            continue
        if kind == "state_end":
            if dumping.get(v["type"]) != devices.get(v["type"]):
                problems.append("state dump of device %d ends at slot %s of %s"
                                % (v["type"], dumping.get(v["type"]),
                                   devices.get(v["type"])))
            dumping.pop(v["type"], None)
            markers += 1
            continue
        if kind == "device_off":
            continue
        if kind == "lazyfree":
            faults["lazyfree " + ("discarded", "redirtied", "referenced")[v["verdict"]]] += 1
            continue
        if kind == "state" and version == 1 and v["nr"] == 0:
            # v1 end-of-dump marker (events-v2.md, "What changed from v1"): names no slot.
            if v["offset"] != devices.get(v["type"]) or v["count"] or v["pfn"]:
                problems.append("bad end-of-dump marker: " + what)
            markers += 1
            continue
        if v["nr"] < 1:
            problems.append("nr < 1: " + what)
        elif v["nr"] > 1 and kind != "state":
            large[kind][v["nr"]] += 1
        # v2 pins a synchronous swap-in before its folio exists (pfn 0).
        if kind in ("entry_alloc", "fault", "cache_split") + \
                (("cache_del",) if version == 1 else ()) and v["pfn"] == 0:
            problems.append("pfn 0: " + what)
        if kind == "cache_add" and version == 1 and v["ret"] == 0 and v["pfn"] == 0:
            problems.append("pfn 0: " + what)
        if kind == "cache_move" and v["new_pfn"] == 0:
            problems.append("new_pfn 0: " + what)
        if kind == "fault":
            if v["write"]:
                faults["write"] += 1
                faults["write freed"] += v["freed"]
                if version == 2 and not v["freed"] and v["cached"] and v["exclusive"]:
                    faults["write in place, cache kept"] += 1
            continue
        if kind == "state" and version == 2:
            t = v["type"]
            if t not in dumping:
                problems.append("swap_state outside a dump: " + what)
            elif v["offset"] != dumping[t]:
                problems.append("dump of device %d skips from slot %d to %d"
                                % (t, dumping[t], v["offset"]))
            dumping[t] = v["offset"] + v["nr"]
        for off in range(v["offset"], v["offset"] + v["nr"]):
            s = slots[(v["type"], off)]
            if kind == "state":
                free = v["count"] == 0 and v["pfn"] == 0 and not v.get("pinned", 0)
                if version == 2 and free:
                    s.allocated, s.count, s.cache = False, 0, None
                    continue
                s.allocated, s.count = True, v["count"]
                if v["pfn"]:
                    s.cache = v["pfn"]
                elif v.get("pinned"):
                    s.cache = UNKNOWN
                else:
                    s.cache = None
                state_slots += 1
            elif kind == "entry_alloc":
                if s.allocated:
                    find("alloc_in_use", seq, what)
                s.allocated, s.count, s.cache = True, 0, v["pfn"]
                alloc_slots += 1
            elif kind in ("entry_dup", "entry_put"):
                if kind == "entry_dup" and v["ret"] != 0:
                    if not s.allocated:
                        find("dup_unallocated", seq, what)
                    continue
                op = kind[6:]
                if not s.allocated:
                    find(op + "_unallocated", seq, what)
                if v["pfn"]:
                    cache_check(op + "_uncached", s, v["pfn"], seq, what)
                if op == "dup":
                    s.count += 1
                elif s.count == 0:
                    find("put_underflow", seq, what)
                else:
                    s.count -= 1
                if v["count"] < SATURATED and s.count < SATURATED \
                        and v["count"] != s.count:
                    find("count_mismatch", seq, what)
                    s.count = v["count"]
            elif kind == "cache_add":
                if v["ret"] != 0:
                    continue
                if s.cache is not None:
                    find("cache_add_occupied", seq, what)
                if s.count == 0:
                    find("cache_add_zero_count", seq, what)
                s.cache = v["pfn"]
            elif kind == "cache_del":
                if s.cache is None:
                    find("cache_del_mismatch", seq, what)
                else:
                    cache_check("cache_del_mismatch", s, v["pfn"], seq, what)
                s.cache = None
            elif kind == "cache_move":
                if s.cache is None:
                    find("move_uncached", seq, what)
                else:
                    cache_check("move_mismatch", s, v["pfn"], seq, what)
                s.cache = v["new_pfn"]
            elif kind == "cache_split":
                if s.cache is None:
                    find("split_uncached", seq, what)
                else:
                    cache_check("split_mismatch", s, v["pfn"], seq, what)
                rel = off - v["offset"]
                s.cache = v["pfn"] + rel - rel % v["new_nr"]
            elif kind == "entry_free":
                if not s.allocated:
                    find("free_unallocated", seq, what)
                if s.count > 0:
                    find("free_referenced", seq, what)
                if s.cache is not None:
                    find("free_cached", seq, what)
                s.allocated, s.count, s.cache = False, 0, None
                freed_slots += 1
    proc.wait()
    err = proc.stderr.read()
    if proc.returncode != 0:
        print("check-trace: babeltrace2 failed on '%s':\n%s" % (trace, err),
              file=sys.stderr)
        return 2
    if "discarded" in err.lower():
        problems.append("the trace has discarded events")
    lost_file = os.path.join(os.path.dirname(os.path.abspath(trace)), "perf-lost.tsv")
    if os.path.exists(lost_file):
        lost = [line.split("\t") for line in open(lost_file)
                if line.strip() and not line.startswith("#")]
        if lost:
            problems.append("perf lost %d events in %d records (%s)"
                            % (sum(int(r[2]) for r in lost), len(lost), lost_file))

    for key, s in slots.items():
        if s.allocated:
            rule = "slot_leak" if s.count == 0 and s.cache is None \
                else "still_in_use"
            find(rule, 0, "slot %d:%d count=%d cache=%s at trace end"
                 % (key[0], key[1], s.count, s.cache))

    print("event schema: v%d" % version)
    for k in sorted(V2_FIELDS if version == 2 else V1_FIELDS):
        print("swap_%-12s %d" % (k, counts[k]))
    print("slots: allocated %d + in use at start %d, freed %d"
          % (alloc_slots, state_slots, freed_slots))
    print("write faults: %d freed %d" % (faults["write"], faults["write freed"]))
    for k in sorted(faults):
        if k not in ("write", "write freed"):
            print("%s: %d" % (k, faults[k]))
    for rule in sorted(findings):
        print("finding %s: %d (first: %s)" % (rule, findings[rule], examples[rule]))
    for k in sorted(large):
        print("large ranges: swap_%s %s" % (k, " ".join(
            "%dx%d" % (n, large[k][n]) for n in sorted(large[k]))))
    print("end-of-dump markers: %d" % markers)
    if counts["state"] and not markers:
        problems.append("state dump without an end")
    for t in dumping:
        problems.append("state dump of device %d never ends" % t)
    for k in require:
        if counts[k] == 0:
            problems.append("no swap_%s event" % k)
    for k in require_large:
        if not large[k]:
            problems.append("no swap_%s event of a large folio (nr > 1)" % k)
    if not expect_errors and findings:
        problems.append("%d model violations" % sum(findings.values()))
    if not expect_errors and alloc_slots + state_slots != freed_slots:
        problems.append("allocations and frees do not balance")
    for p in problems[:20]:
        print("check-trace: FAIL: %s" % p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
