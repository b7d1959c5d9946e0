#!/usr/bin/env python3
"""Compares a replayed database with what swaptrace-emit says it emitted.

usage: check-emitter.py DB EMITTER_DIR

EMITTER_DIR is swaptrace-emit's --out-dir: summary.json (event counts),
final-state.tsv (type offset allocated count cache_pfn, one row per slot the
run touched) and, with --event-log, emitted.tsv (every event in emission
order).  Checks:
  - meta events.swap and events.<kind> equal summary.json's counts;
  - slots equals final-state.tsv (cache_pfn NULL <-> 0);
  - lifetimes equals the alloc/free history rebuilt from emitted.tsv, by
    sequence number (emission order is muxer order: the emitter serialises
    its events and stamps them in that order);
  - with --events, the events table has as many rows as were emitted.
Exit 0 when all hold, 1 otherwise, printing the first differences.
"""
import json
import os
import sqlite3
import sys


def main():
    db_path, emit_dir = sys.argv[1], sys.argv[2]
    db = sqlite3.connect(db_path)
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)

    summary = json.load(open(os.path.join(emit_dir, 'summary.json')))
    meta = dict(db.execute('SELECT key, value FROM meta'))
    check(meta['events.swap'] == summary['events'],
          'events.swap %s != emitted %s' % (meta['events.swap'], summary['events']))
    for kind, n in summary['events_per_kind'].items():
        check(meta.get('events.' + kind) == n,
              'events.%s %s != emitted %s' % (kind, meta.get('events.' + kind), n))
    if meta.get('options.events') == 1:
        (rows,) = db.execute('SELECT COUNT(*) FROM events').fetchone()
        check(rows == summary['events'], 'events rows %d != emitted %d' % (rows, summary['events']))

    want = set()
    with open(os.path.join(emit_dir, 'final-state.tsv')) as f:
        header = f.readline().split()
        assert header == ['type', 'offset', 'allocated', 'count', 'cache_pfn'], header
        for line in f:
            want.add(tuple(int(x) for x in line.split()))
    got = {(t, o, a, c, p or 0) for t, o, a, c, p in db.execute(
        'SELECT type, offset, allocated, count, cache_pfn FROM slots')}
    check(got == want, 'slots differ from final-state.tsv: %d missing, %d extra, e.g. %s / %s'
          % (len(want - got), len(got - want), sorted(want - got)[:3], sorted(got - want)[:3]))

    log = os.path.join(emit_dir, 'emitted.tsv')
    if os.path.exists(log):
        open_at = {}
        lifetimes = set()
        with open(log) as f:
            for line in f:
                if line.startswith('#'):
                    continue
                fields = line.rstrip('\n').split('\t')
                seq, kind = int(fields[0]), fields[1]
                if kind not in ('entry_alloc', 'entry_free'):
                    continue
                v = dict(x.split('=', 1) for x in fields[2:])
                t, off, nr = int(v['type']), int(v['offset']), int(v['nr'])
                for o in range(off, off + nr):
                    if kind == 'entry_alloc':
                        open_at[(t, o)] = seq
                    else:
                        lifetimes.add((t, o, open_at.pop((t, o), None), seq))
        for (t, o), seq in open_at.items():
            lifetimes.add((t, o, seq, None))
        got = set(db.execute('SELECT type, offset, alloc_seq, free_seq FROM lifetimes'))
        check(got == lifetimes,
              'lifetimes differ from emitted.tsv: %d missing, %d extra, e.g. %s / %s'
              % (len(lifetimes - got), len(got - lifetimes), sorted(lifetimes - got, key=str)[:3],
                 sorted(got - lifetimes, key=str)[:3]))

    for f in failures:
        print('FAIL:', f)
    print('%s: %d slots, %d events: %s' % (db_path, len(want), summary['events'],
                                          'ok' if not failures else 'MISMATCH'))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
