#!/usr/bin/env python3
"""tests/ust: recordings of swaptrace-emit through a real lttng-sessiond,
read back with babeltrace2 (python3-bt2), and the emitter's own outputs.

usage: ust-test.py TEST --emit EMIT --record RECORD --schema-dump DUMP
                   --schema-md MD --workdir DIR

Exit status 0 pass, 1 fail, 77 skip (LTTng cannot run here), as meson wants.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

SKIP = 77
SAT = 0x3E
EEXIST = 17


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


# ---- running things ----

def emit(args, out_dir, extra=()):
    """Runs the emitter without tracing (tracepoints disabled, no sessiond)."""
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    cmd = [args.emit, "--out-dir", out_dir, "--event-log", *extra]
    env = dict(os.environ, LTTNG_UST_REGISTER_TIMEOUT="0")
    subprocess.run(cmd, check=True, env=env, stderr=subprocess.DEVNULL)
    return out_dir


def record(args, name, emit_args, lossy=False):
    """Records one emitter run; returns (trace_dir, emitter_out_dir)."""
    out = os.path.join(args.workdir, name)
    if os.path.isdir(out):
        shutil.rmtree(out)
    cmd = ["sh", args.record]
    if lossy:
        cmd += ["--lossy", "--expect-loss"]
    cmd += ["-o", out, "--", args.emit, "--out-dir", os.path.join(out, "emitter"),
            "--event-log", *emit_args]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode == SKIP:
        print(r.stdout)
        raise SystemExit(SKIP)
    if r.returncode != 0:
        log = os.path.join(out, "record.log")
        if os.path.exists(log):
            print(open(log).read())
        raise Fail("recording failed (%d):\n%s" % (r.returncode, r.stdout))
    return os.path.join(out, "trace"), os.path.join(out, "emitter")


def read_trace(path):
    """Events as (kind, [(field, value)...], stream_id, vtid); discarded count."""
    import bt2

    events, discarded = [], 0
    for msg in bt2.TraceCollectionMessageIterator(path):
        if type(msg) is bt2._DiscardedEventsMessageConst:
            discarded += msg.count or 1
            continue
        if type(msg) is bt2._DiscardedPacketsMessageConst:
            discarded += 1
            continue
        if type(msg) is not bt2._EventMessageConst:
            continue
        ev = msg.event
        check(ev.name.startswith("swap:"), "foreign event %s" % ev.name)
        fields = [(k, int(v)) for k, v in ev.payload_field.items()]
        ctx = ev.common_context_field
        vtid = int(ctx["vtid"]) if ctx is not None and "vtid" in ctx else None
        check(ctx is not None and all(c in ctx for c in ("vpid", "vtid", "procname")),
              "missing vpid/vtid/procname contexts")
        events.append((ev.name[5:], fields, ev.stream.id, vtid))
    return events, discarded


def read_log(out_dir):
    """emitted.tsv as (kind, [(field, value)...])."""
    events = []
    with open(os.path.join(out_dir, "emitted.tsv")) as f:
        for line in f:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            check(int(parts[0]) == len(events), "emitted.tsv: seq out of order")
            fields = []
            for p in parts[2:]:
                k, v = p.split("=", 1)
                fields.append((k, int(v)))
            events.append((parts[1], fields))
    return events


def summary(out_dir):
    with open(os.path.join(out_dir, "summary.json")) as f:
        return json.load(f)


def schema_table(args, history=None):
    """The table: fields {name: (type, bits, signed, unit)}, events {name:
    (emitter, [field...])}; history, when given, gets {name: (since, v1 fields
    or None)}."""
    fields, events = {}, {}
    history = {} if history is None else history
    out = subprocess.run([args.schema_dump], check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    for line in out.splitlines():
        p = line.split("\t")
        if p[0] == "field":
            fields[p[1]] = (p[2], int(p[3]), int(p[4]), p[5])
        elif p[0] == "event":
            events[p[1]] = (p[2], p[3].split(","))
            history[p[1]] = (int(p[4]), None if p[5] == "-" else p[5].split(","))
    return fields, events


# ---- a reference checker of DESIGN.md §4, applied to emitted events ----

UNKNOWN = "?"  # a cache binding a dump line could not show (pinned, pfn 0)
REFERENCED = 2  # lazyfree verdict (LazyfreeVerdict)


def find_violations(events):
    """Literal replay of emitted events (emitted.tsv order = trace order).

    Reads schema v2 events and v1 ones (a fault without `cached`, a state
    line without `pinned`, the v1 end-of-dump marker).  Returns
    [(rule, type, offset, nr, seq)].  A slot's cache binding is None (not
    pinned), a pfn (pinned by that folio; 0: the pin is held, no folio
    yet) or UNKNOWN.  Retention starts when a put leaves a cached slot at
    count 0 (a fresh allocation is not retention); retention_stale needs no
    time threshold here and, in v2, a write in place (cached, exclusive);
    slot_leak demands that the very next event resolves a count-0 uncached
    allocated slot; lazyfree_swapped is proved by the allocation of a folio
    whose last lazyfree verdict was `referenced`.
    """
    devs = {}  # type -> dict(nr_slots, cluster, used, slots)
    found = []
    leak = None  # (type, offset, nr, seq) waiting for the next event
    written_pfn = {}  # pfn -> seq of a write fault that kept the cache
    lazy_referenced = {}  # pfn -> seq of its `referenced` lazyfree verdict

    def slot(t, o):
        d = devs.setdefault(t, {"nr_slots": 1 << 62, "cluster": 1 << 62, "used": 0,
                                "slots": {}})
        return d["slots"].setdefault(o, {"alloc": 0, "count": 0, "cache": None})

    def full(t):
        d = devs[t]
        return d["used"] * 2 > d["nr_slots"]

    for seq, (kind, fl) in enumerate(events):
        f = dict(fl)
        t, off, nr = f.get("type"), f.get("offset"), f.get("nr")
        hits = set()
        if kind in ("device_on", "state_begin"):
            d = devs.setdefault(t, {"used": 0, "slots": {}})
            d["nr_slots"], d["cluster"] = f["nr_slots"], f["cluster_size"]
            continue
        if kind in ("device_off", "state_end"):
            continue
        if kind == "lazyfree":
            if f["verdict"] == REFERENCED:
                lazy_referenced[f["pfn"]] = seq
            else:
                lazy_referenced.pop(f["pfn"], None)
            continue
        if kind == "state" and nr == 0:
            # the v1 end-of-dump marker names no slot; the unlisted slots it
            # says are free are free here already (every slot starts free)
            continue
        rng = [slot(t, off + i) for i in range(nr)]
        if leak is not None:
            lt, lo, ln, lseq = leak
            resolved = (t == lt and off == lo and
                        (kind == "entry_free" or (kind == "cache_add" and f["ret"] == 0)
                         or kind == "entry_dup"))
            if not resolved:
                found.append(("slot_leak", lt, lo, ln, lseq))
            leak = None
        d = devs[t]
        if kind == "state":
            v1 = "pinned" not in f
            in_use = v1 or f["count"] or f["pfn"] or f["pinned"]
            for s in rng:
                d["used"] += (1 if in_use else 0) - s["alloc"]
                if not in_use:
                    s.update(alloc=0, count=0, cache=None)
                elif v1:
                    s.update(alloc=1, count=f["count"], cache=f["pfn"] or None)
                else:
                    s.update(alloc=1, count=f["count"],
                             cache=(f["pfn"] or UNKNOWN) if f["pinned"] else None)
            continue
        if kind == "entry_alloc":
            if nr > 1 and (off % nr or off // d["cluster"] != (off + nr - 1) // d["cluster"]):
                hits.add("alloc_misaligned")
            if f["pfn"] in lazy_referenced:
                hits.add("lazyfree_swapped")
                del lazy_referenced[f["pfn"]]
            for s in rng:
                if s["alloc"]:
                    hits.add("alloc_in_use")
                else:
                    d["used"] += 1
                s.update(alloc=1, count=0, cache=f["pfn"])
        elif kind in ("entry_dup", "entry_put"):
            dup = kind == "entry_dup"
            for s in rng:
                if not s["alloc"]:
                    hits.add("dup_unallocated" if dup else "put_unallocated")
                elif not dup and s["count"] == 0:
                    hits.add("put_underflow")
                elif f["pfn"] and s["cache"] not in (f["pfn"], UNKNOWN):
                    hits.add("dup_uncached" if dup else "put_uncached")
                if dup and f.get("ret", 0) != 0:
                    continue
                want = s["count"] + 1 if dup else max(s["count"] - 1, 0)
                if not hits and want < SAT and f["count"] < SAT and f["count"] != want:
                    hits.add("count_mismatch")
                s["count"] = f["count"] if f["count"] < SAT else want
                if (not dup and s["alloc"] and s["count"] == 0 and s["cache"] is not None
                        and s["cache"] != UNKNOWN and full(t)):
                    hits.add("retention_full")
            if not hits and not dup and all(s["alloc"] and s["count"] == 0
                                            and s["cache"] is None for s in rng):
                leak = (t, off, nr, seq)
        elif kind == "entry_free":
            for s in rng:
                if not s["alloc"]:
                    hits.add("free_unallocated")
                elif s["count"] > 0:
                    hits.add("free_referenced")
                elif s["cache"] not in (None, UNKNOWN):
                    hits.add("free_cached")
                if s["alloc"]:
                    d["used"] -= 1
                s.update(alloc=0, count=0, cache=None)
        elif kind == "cache_add":
            if f["ret"] == -EEXIST:
                hits.add("swapin_race")
            elif f["ret"] == 0:
                for s in rng:
                    if s["cache"] not in (None, UNKNOWN):
                        hits.add("cache_add_occupied")
                    elif s["count"] == 0:
                        hits.add("cache_add_zero_count")
                    s["cache"] = f["pfn"]
        elif kind == "cache_del":
            for s in rng:
                if s["cache"] not in (f["pfn"], UNKNOWN):
                    hits.add("cache_del_mismatch")
                else:
                    s["cache"] = None
            if not hits and all(s["alloc"] and s["count"] == 0 for s in rng):
                leak = (t, off, nr, seq)
        elif kind in ("cache_move", "cache_split"):
            for i, s in enumerate(rng):
                if s["cache"] not in (f["pfn"], UNKNOWN):
                    hits.add("cache_move_mismatch")
                # the kernel's word wins: the slot is bound to the folio named next
                if kind == "cache_move":
                    s["cache"] = f["new_pfn"]
                else:
                    s["cache"] = f["pfn"] + i - i % f["new_nr"]
            if kind == "cache_move" and f["pfn"] in written_pfn:
                written_pfn[f["new_pfn"]] = written_pfn.pop(f["pfn"])
        elif kind == "fault":
            pfn = f["pfn"]
            # v2: only a write in place into the swap-cache folio is a write
            kept = f["write"] and not f["freed"] and f.get("cached", 1)
            if kept:
                written_pfn[pfn] = seq
                if f.get("exclusive", 1) or "cached" not in f:
                    for s in rng:
                        if s["alloc"] and s["cache"] == pfn and s["count"] == 0:
                            hits.add("retention_stale")
            elif f["freed"] and pfn in written_pfn:
                hits.add("wp_roundtrip")
                del written_pfn[pfn]
        for h in sorted(hits):
            found.append((h, t, off, nr, seq))
    if leak is not None:
        found.append(("slot_leak",) + leak)
    return found


# ---- the tests ----

def test_fields(args):
    """Every recorded event and field equals what the emitter says it emitted."""
    trace, out = record(args, "fields", ["--seed", "7", "--ops", "3000", "--threads", "2",
                                         "--large-folios", "--start-mid-life=500",
                                         "--state-dump", "--teardown"])
    got, discarded = read_trace(trace)
    want = read_log(out)
    check(discarded == 0, "discarded events in a lossless recording")
    check(len(got) == len(want) == summary(out)["events"],
          "event counts differ: trace %d, emitted.tsv %d, summary %d"
          % (len(got), len(want), summary(out)["events"]))
    for i, (g, w) in enumerate(zip(got, want)):
        check((g[0], g[1]) == w, "event %d differs:\n trace   %s\n emitted %s" % (i, g[:2], w))
    kinds = {g[0] for g in got}
    check(kinds == {se for se in schema_table(args)[1]},
          "some event kinds never recorded: %s" % kinds)
    check(got[0][0] == "state_begin", "--state-dump does not start with state_begin")
    with open(os.path.join(os.path.dirname(trace), "kallsyms")) as f:
        syms = {int(l.split()[0], 16): l.split()[2] for l in f}
    check_dump(want, syms)
    for g in got:
        ip = dict(g[1])["ip"]
        base = max(a for a in syms if a <= ip)
        check(ip - base < 0x1000 and syms[base] != "_etext", "ip %#x not symbolised" % ip)
    check(not find_violations(want), "clean recording has violations: %s"
          % find_violations(want)[:5])
    print("%d events, all fields equal" % len(got))


def check_dump(events, syms):
    """The state dump (schema v2): per device on, state_begin, then state
    runs covering every slot of the device once, in offset order, none
    crossing a cluster, then state_end, all with the dump's call site,
    before any other event; device_on is never part of it.  A run is free
    (count 0, pfn 0, pinned 0) or in use; pfn != 0 implies pinned."""
    dump_ip = [a for a, n in syms.items() if n == "swap_state_dump"][0]
    ip_of = lambda f: f["ip"] - (f["ip"] & 0xFFF)
    cur, ended, i, pinned_no_pfn = None, [], 0, 0
    for i, (kind, fl) in enumerate(events):
        f = dict(fl)
        if kind not in ("state_begin", "state", "state_end") or ip_of(f) != dump_ip:
            break
        if kind == "state_begin":
            check(cur is None, "dump of device %s has no state_end" % cur)
            cur, nr_slots, cluster, nxt = f["type"], f["nr_slots"], f["cluster_size"], 0
            continue
        check(cur == f["type"], "dump event of device %d outside its dump" % f["type"])
        if kind == "state_end":
            check(nxt == nr_slots, "dump of device %d ends at slot %d of %d"
                  % (cur, nxt, nr_slots))
            ended.append(cur)
            cur = None
            continue
        check(f["nr"] > 0 and f["offset"] == nxt, "dump run %s: expected offset %d" % (f, nxt))
        check(f["offset"] // cluster == (f["offset"] + f["nr"] - 1) // cluster,
              "dump run %s crosses a cluster" % f)
        check(f["pinned"] or not f["pfn"], "dump run %s: a pfn without the pin" % f)
        pinned_no_pfn += f["pinned"] and not f["pfn"]
        nxt = f["offset"] + f["nr"]
    check(cur is None, "dump of device %s has no state_end" % cur)
    check(ended == [0, 1], "devices dumped: %s" % ended)
    check(not any(k.startswith("state") for k, _ in events[i:]), "state event after the dump")
    check(not any(k == "device_on" and ip_of(dict(f)) == dump_ip for k, f in events),
          "a device_on from the dump")
    return pinned_no_pfn


def payloads(events):
    return [(e[0], e[1]) for e in events]


def test_same_seed(args):
    """Two recordings with one seed have one payload sequence; another seed differs."""
    common = ["--ops", "2000", "--threads", "2", "--large-folios"]
    a, _ = record(args, "seed-a", ["--seed", "42"] + common)
    b, _ = record(args, "seed-b", ["--seed", "42"] + common)
    c, _ = record(args, "seed-c", ["--seed", "43"] + common)
    pa, pb, pc = (payloads(read_trace(x)[0]) for x in (a, b, c))
    check(pa == pb, "same seed, different payloads")
    check(pa != pc, "different seeds, same payloads")
    # --threads and --batch change the streams, never the payloads
    d, _ = record(args, "seed-d", ["--seed", "42", "--ops", "2000", "--threads", "3",
                                   "--batch", "5", "--large-folios"])
    check(payloads(read_trace(d)[0]) == pa, "seed 42 with 3 threads: other payloads")
    print("%d events, identical for seed 42 (2 and 3 threads)" % len(pa))


def test_streams(args):
    """--threads 4 spreads events over several streams and 4 threads."""
    trace, out = record(args, "streams", ["--seed", "3", "--ops", "4000", "--threads", "4",
                                          "--batch", "1", "--inject", "swapin_race"])
    got, _ = read_trace(trace)
    with open(os.path.join(out, "ground-truth.jsonl")) as f:
        race = json.loads(f.readline())["seq_hint"]
    winner, loser = got[race - 1], got[race]
    check(winner[0] == loser[0] == "cache_add" and dict(loser[1])["ret"] == -EEXIST,
          "swapin_race: events %s, %s" % (winner[:2], loser[:2]))
    check(winner[3] != loser[3], "the -EEXIST cache_add came from the winning thread")
    streams = {g[2] for g in got}
    vtids = {g[3] for g in got}
    ncpu = len(os.sched_getaffinity(0))
    # the 4 workers, and main() for the first device_on events
    check(len(vtids) >= 4, "expected 4 emitting threads, got %d" % len(vtids))
    check(len(streams) >= min(2, ncpu), "events in %d stream(s) only" % len(streams))
    check(payloads(got) == read_log(out), "multi-thread trace order is not emission order")
    print("%d events in %d streams from %d threads" % (len(got), len(streams), len(vtids)))


def test_lossy(args):
    """--lossy produces real discarded events, and babeltrace2 says so."""
    trace, out = record(args, "lossy", ["--seed", "5", "--ops", "30000", "--threads", "2"],
                        lossy=True)
    got, discarded = read_trace(trace)
    emitted = summary(out)["events"]
    check(discarded > 0, "no discarded events message")
    check(len(got) < emitted, "nothing lost: %d of %d" % (len(got), emitted))
    print("%d of %d events recorded, %d discarded" % (len(got), emitted, emitted - len(got)))


def md_tables(path, changes=None):
    """events-v2.md: {event: [(field, ctype, unit)]}, the Fields table, the
    emitters; changes, when given, gets the "What changed from v1" rows
    {event: (what, [v1 field...])}."""
    per_event, fields, emitters, cur, section = {}, {}, {}, None, None
    changes = {} if changes is None else changes
    with open(path) as f:
        for line in f:
            if line.startswith("## "):
                section, cur = line[3:].strip(), None
            elif line.startswith("### `"):
                cur = line.split("`")[1]
                per_event[cur] = []
            elif line.startswith("Emitted by `") and cur:
                emitters[cur] = line.split("`")[1]
            elif line.startswith("| `"):
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                name = cells[0].strip("`")
                if section == "Fields":
                    fields[name] = (cells[1].strip("`"), cells[2])
                elif section == "Events" and cur:
                    per_event[cur].append((name, cells[1].strip("`"), cells[2]))
                elif section == "Event summary":
                    emitters.setdefault(name, cells[1].strip("`"))
                    emitters[name + "#summary"] = (cells[1].strip("`"),
                                                   [x.strip() for x in cells[2].split(",")])
                elif section == "What changed from v1":
                    changes[name] = (cells[1], [x.strip() for x in cells[2].split(",")
                                                if x.strip()])
    return per_event, fields, emitters


CTYPE = {("u", 8): "uint8_t", ("u", 32): "uint32_t", ("u", 64): "uint64_t",
         ("s", 32): "int32_t"}


def test_schema(args):
    """events-v2.md, the recorded field classes and schema/event-schema.c agree."""
    import bt2

    history, changes = {}, {}
    fields, events = schema_table(args, history)
    per_event, md_fields, emitters = md_tables(args.schema_md, changes)
    # the document
    check(set(per_event) == set(events), "events-v2.md events %s != table %s"
          % (sorted(per_event), sorted(events)))
    for name, (ftype, bits, signed, unit) in fields.items():
        ctype = CTYPE[("s" if signed else "u", bits)]
        check(md_fields.get(name, (None,))[0] == ctype,
              "events-v2.md field %s: %s, table says %s" % (name, md_fields.get(name), ctype))
        check(md_fields[name][1] == unit, "events-v2.md field %s unit %s, table %s"
              % (name, md_fields[name][1], unit))
    for ev, (emitter, flds) in events.items():
        doc = per_event[ev]
        check([d[0] for d in doc] == flds, "events-v2.md %s fields %s, table %s"
              % (ev, [d[0] for d in doc], flds))
        for fname, ctype, unit in doc:
            check(ctype == md_fields[fname][0], "events-v2.md %s.%s type %s" % (ev, fname, ctype))
        check(emitters.get(ev) == emitter, "events-v2.md %s emitter %s, table %s"
              % (ev, emitters.get(ev), emitter))
        check(emitters.get(ev + "#summary") == (emitter, flds),
              "events-v2.md summary row for %s: %s" % (ev, emitters.get(ev + "#summary")))
        since, v1 = history[ev]
        want = ("new", []) if since == 2 else ("changed", v1) if v1 else None
        check(changes.get(ev) == want, "events-v2.md, what changed from v1, %s: %s, table %s"
              % (ev, changes.get(ev), want))
    # the provider, as babeltrace2 reads a recorded trace
    trace, _ = record(args, "schema", ["--seed", "11", "--ops", "1000", "--start-mid-life=300",
                                       "--state-dump", "--teardown", "--large-folios"])
    seen = {}
    for msg in bt2.TraceCollectionMessageIterator(trace):
        if type(msg) is not bt2._EventMessageConst:
            continue
        cls = msg.event.cls
        if cls.name in seen:
            continue
        layout = []
        for mname, member in cls.payload_field_class.items():
            fc = member.field_class
            check(isinstance(fc, bt2._IntegerFieldClassConst),
                  "%s.%s is not an integer" % (cls.name, mname))
            signed = isinstance(fc, bt2._SignedIntegerFieldClassConst)
            layout.append((mname, fc.field_value_range, int(signed)))
        seen[cls.name] = layout
    check(set(seen) == {"swap:" + e for e in events},
          "recorded event classes %s" % sorted(seen))
    for ev, (_, flds) in events.items():
        want = [(f, fields[f][1], fields[f][2]) for f in flds]
        check(seen["swap:" + ev] == want, "provider %s: %s, table %s"
              % (ev, seen["swap:" + ev], want))
    print("%d events, %d fields agree in table, document and provider"
          % (len(events), len(fields)))


def test_injections(args):
    """Each --inject RULE yields exactly that finding, at its ground-truth event."""
    rules = subprocess.run([args.emit, "--list-rules"], check=True, stdout=subprocess.PIPE,
                           text=True).stdout.split()
    check(len(rules) == 21, "expected 21 rules, got %d" % len(rules))
    for seed in (1, 2, 3):
        for extra in ([], ["--large-folios"], ["--threads", "3"]):
            out = emit(args, os.path.join(args.workdir, "clean"),
                       ["--seed", str(seed), "--ops", "20000"] + extra)
            v = find_violations(read_log(out))
            check(not v, "clean seed %d %s: %s" % (seed, extra, v[:5]))
    # long enough, with enough processes sharing entries, for counts past
    # SWAP_COUNT_SATURATED: still clean
    out = emit(args, os.path.join(args.workdir, "clean"),
               ["--seed", "1", "--ops", "100000", "--large-folios", "--max-procs", "128"])
    log = read_log(out)
    check(any(dict(f).get("count") == SAT for _, f in log), "no saturated count reported")
    v = find_violations(log)
    check(not v, "clean saturated run: %s" % v[:5])
    for i, rule in enumerate(rules):
        for spec, extra in ((rule, ["--large-folios"]), (rule + "@777", ["--threads", "2"])):
            out = emit(args, os.path.join(args.workdir, "inj-" + rule),
                       ["--seed", str(100 + i), "--ops", "3000", "--inject", spec] + extra)
            with open(os.path.join(out, "ground-truth.jsonl")) as f:
                truth = [json.loads(l) for l in f]
            check(len(truth) == 1 and truth[0]["rule"] == rule, "ground truth %s" % truth)
            gt = truth[0]
            if "@" in spec:
                check(gt["op"] == 777, "%s ran at op %d" % (spec, gt["op"]))
            v = find_violations(read_log(out))
            check(len(v) == 1, "%s: expected one finding, got %s" % (spec, v[:6]))
            r, t, off, nr, seq = v[0]
            check((r, t, off, seq) == (rule, gt["type"], gt["offset"], gt["seq_hint"]),
                  "%s: finding %s, ground truth %s" % (spec, v[0], gt))
    # the regression kernel: the same programs, write faults that keep the cache
    for seed in (1, 2):
        out = emit(args, os.path.join(args.workdir, "regression"),
                   ["--seed", str(seed), "--ops", "20000", "--large-folios", "--regression"])
        log = read_log(out)
        v = find_violations(log)
        check(v and {x[0] for x in v} <= {"retention_stale", "wp_roundtrip"},
              "--regression seed %d: %s" % (seed, v[:5]))
        for r, t, off, nr, seq in v:
            if r == "retention_stale":
                f = dict(log[seq][1])
                check(log[seq][0] == "fault" and
                      (f["write"], f["exclusive"], f["cached"], f["tried"], f["freed"],
                       f["lru"], f["refs"]) == (1, 1, 1, 0, 0, 0, 3),
                      "--regression: stale by %s" % (log[seq],))
    # several at once
    out = emit(args, os.path.join(args.workdir, "inj-all"),
               ["--seed", "9", "--ops", "20000", "--large-folios"] +
               [a for r in rules for a in ("--inject", r)])
    truth = [json.loads(l) for l in open(os.path.join(out, "ground-truth.jsonl"))]
    v = sorted(find_violations(read_log(out)), key=lambda x: x[4])
    check([(x[0], x[4]) for x in v] == sorted(((g["rule"], g["seq_hint"]) for g in truth),
                                              key=lambda x: x[1]),
          "all rules at once: findings %s\n truth %s" % (v, truth))
    print("%d rules, each found once and only where injected" % len(rules))


def test_final_state(args):
    """final-state.tsv is the literal replay of the emitted events."""
    out = emit(args, os.path.join(args.workdir, "final"),
               ["--seed", "21", "--ops", "5000", "--large-folios", "--inject", "free_cached",
                "--inject", "count_mismatch", "--inject", "cache_move_mismatch@100",
                "--inject", "cache_move_mismatch@201"])
    slots = {}
    for kind, fl in read_log(out):
        f = dict(fl)
        if "offset" not in f:
            continue
        for o in range(f["offset"], f["offset"] + f["nr"]):
            if kind == "state" and not (f["count"] or f["pfn"] or f["pinned"]):
                break  # a free run names no slot final-state.tsv lists
            s = slots.setdefault((f["type"], o), [0, 0, 0, 0])
            # s: allocated, count, pinned, cache_pfn (events-v2.md, last section)
            if kind == "entry_alloc":
                s[:] = [1, 0, 1, f["pfn"]]
            elif kind == "entry_dup":
                s[1] = f["count"] if f["count"] < SAT else s[1] + 1
            elif kind == "entry_put":
                s[1] = f["count"] if f["count"] < SAT else s[1] - 1
            elif kind == "entry_free":
                s[:] = [0, 0, 0, 0]
            elif kind == "cache_add" and f["ret"] == 0:
                s[2:] = [1, f["pfn"]]
            elif kind == "cache_del" and s[2] and s[3] == f["pfn"]:
                s[2:] = [0, 0]
            elif kind == "cache_move":
                s[2:] = [1, f["new_pfn"]]
            elif kind == "cache_split":
                i = o - f["offset"]
                s[2:] = [1, f["pfn"] + i - i % f["new_nr"]]
            elif kind == "state":
                s[:] = [1, f["count"], f["pinned"], f["pfn"]]
    want = sorted("%d\t%d\t%d\t%d\t%d" % (k + (v[0], v[1], v[3])) for k, v in slots.items())
    with open(os.path.join(out, "final-state.tsv")) as f:
        got = [l.rstrip("\n") for l in f][1:]
    check(got == sorted(got, key=lambda l: tuple(int(x) for x in l.split()[:2])),
          "final-state.tsv not sorted")
    check(sorted(got) == want, "final-state.tsv differs from the replayed events")
    sat = [l for l in got if int(l.split("\t")[3]) >= SAT]
    print("%d slots match; %d above saturation" % (len(got), len(sat)))


def test_fixtures(args):
    """traces/ust-*/: recorded payloads, counts and ground truth agree."""
    names = sorted(d for d in os.listdir(args.traces) if d.startswith("ust-"))
    check(names, "no traces/ust-* fixtures")
    for name in names:
        d = os.path.join(args.traces, name)
        got, discarded = read_trace(os.path.join(d, "trace"))
        check(discarded == 0, "%s: discarded events" % name)
        with open(os.path.join(d, "summary.json")) as f:
            summ = json.load(f)
        check(len(got) == summ["events"], "%s: event count" % name)
        with open(os.path.join(d, "ground-truth.jsonl")) as f:
            truth = sorted((g["rule"], g["type"], g["offset"], g["seq_hint"])
                           for g in map(json.loads, f))
        found = sorted((v[0], v[1], v[2], v[4])
                       for v in find_violations([(g[0], g[1]) for g in got]))
        extra = []
        if summ.get("regression"):
            # the regression kernel's own findings, which no ground truth lists
            extra = [v for v in found if v not in truth]
            check(extra and {v[0] for v in extra} <= {"retention_stale", "wp_roundtrip"},
                  "%s: regression findings %s" % (name, extra[:5]))
            found = [v for v in found if v in truth]
        check(found == truth, "%s: findings %s, ground truth %s" % (name, found, truth))
        print("%s: %d events, %d findings as in ground-truth.jsonl%s"
              % (name, len(got), len(found),
                 ", and %d of the regression kernel" % len(extra) if extra else ""))


def test_loss_alarm(args):
    """The recorder fails loudly when the trace holds fewer events than emitted."""
    liar = os.path.join(args.workdir, "swaptrace-emit-lying")
    with open(liar, "w") as f:
        # the real emitter, then a summary claiming one event more than it emitted
        f.write('#!/bin/sh\n"%s" "$@" || exit\n' % os.path.abspath(args.emit))
        f.write('for a in "$@"; do [ "$p" = --out-dir ] && d=$a; p=$a; done\n')
        f.write('n=$(sed -n \'s/^ *"events": \\([0-9]*\\),$/\\1/p\' "$d/summary.json")\n')
        f.write('sed -i "s/^  \\"events\\": $n,/  \\"events\\": $((n + 1)),/" '
                '"$d/summary.json"\n')
    os.chmod(liar, 0o755)
    out = os.path.join(args.workdir, "alarm")
    r = subprocess.run(["sh", args.record, "-o", out, "--", liar, "--ops", "300",
                        "--out-dir", os.path.join(out, "emitter")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode == SKIP:
        raise SystemExit(SKIP)
    check(r.returncode == 1 and "lost events" in r.stdout,
          "no alarm (%d): %s" % (r.returncode, r.stdout))
    print(r.stdout.strip().splitlines()[-2])


TESTS = {
    "loss-alarm": test_loss_alarm,
    "fixtures": test_fixtures,
    "fields": test_fields,
    "same-seed": test_same_seed,
    "streams": test_streams,
    "lossy": test_lossy,
    "schema": test_schema,
    "injections": test_injections,
    "final-state": test_final_state,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("test", choices=sorted(TESTS))
    ap.add_argument("--emit", required=True)
    ap.add_argument("--record", required=True)
    ap.add_argument("--schema-dump", required=True)
    ap.add_argument("--schema-md", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--traces", default=None)
    args = ap.parse_args()
    args.workdir = os.path.join(args.workdir, args.test)
    os.makedirs(args.workdir, exist_ok=True)
    if args.test not in ("injections", "final-state"):
        try:
            import bt2  # noqa: F401
        except ImportError:
            print("python3-bt2 not available to %s: skipped" % sys.executable)
            return SKIP
    try:
        TESTS[args.test](args)
    except Fail as e:
        print("FAIL: %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
