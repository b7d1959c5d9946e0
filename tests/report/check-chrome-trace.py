#!/usr/bin/env python3
"""An independent reading of `swaptrace export --format=chrome-json`.

  check-chrome-trace.py TRACE.json DB

Parses the file with Python's json module and checks it against the Trace
Event Format (the JSON Object Format: traceEvents, displayTimeUnit,
otherData; phases X, I, C, M with the fields each requires; slices of one
thread nested, as viewers need) and against the database it came from,
read with Python's sqlite3: one track per slot with a finding or stale or
full retention, every finding of those slots as an instant at its time
with its rule, seq and message, every lifetime and retention interval as
a slice of the right length, the counters ending where the tables say,
and with --events every event of those slots.  Prints what it checked;
exit 1 on the first mismatch.
"""
import collections
import json
import sqlite3
import sys

PHASES = {'X', 'I', 'i', 'C', 'M'}
METADATA = {'process_name': 'name', 'process_sort_index': 'sort_index',
            'thread_name': 'name', 'thread_sort_index': 'sort_index',
            'process_labels': 'labels'}
# The reserved colour names of catapult's color_scheme.
CNAMES = {'good', 'bad', 'terrible', 'yellow', 'olive', 'grey', 'black', 'white',
          'generic_work', 'thread_state_iowait', 'thread_state_running',
          'thread_state_runnable', 'thread_state_sleeping', 'thread_state_unknown',
          'thread_state_uninterruptible', 'rail_response', 'rail_animation', 'rail_idle',
          'rail_load', 'startup'}
EPS_US = 0.0015  # ts and dur carry ns as 0.001 us; allow for the rounding of both ends


def fail(msg):
    print('FAIL: ' + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_format(doc):
    check(isinstance(doc, dict), 'top level is not an object')
    check(isinstance(doc.get('traceEvents'), list), 'no traceEvents array')
    check(doc.get('displayTimeUnit') in ('ms', 'ns'), 'displayTimeUnit')
    check(isinstance(doc.get('otherData'), dict), 'otherData is not an object')
    for i, e in enumerate(doc['traceEvents']):
        where = 'event %d %s' % (i, json.dumps(e)[:200])
        check(isinstance(e, dict), where + ': not an object')
        check(e.get('ph') in PHASES, where + ': phase')
        check(isinstance(e.get('name'), str) and e['name'], where + ': name')
        for k in ('pid', 'tid'):
            check(isinstance(e.get(k), int) and 0 <= e[k] < 2**31, where + ': ' + k)
        if 'cname' in e:
            check(e['cname'] in CNAMES, where + ': cname not reserved')
        if 'args' in e:
            check(isinstance(e['args'], dict), where + ': args')
        if e['ph'] == 'M':
            check(e['name'] in METADATA, where + ': metadata name')
            check(METADATA[e['name']] in e.get('args', {}), where + ': metadata args')
            continue
        check(number(e.get('ts')) and e['ts'] >= 0, where + ': ts')
        if e['ph'] == 'X':
            check(number(e.get('dur')) and e['dur'] >= 0, where + ': dur')
            check(isinstance(e.get('cat'), str), where + ': cat')
        elif e['ph'] in ('I', 'i'):
            check(e.get('s', 't') in ('g', 'p', 't'), where + ': instant scope')
        elif e['ph'] == 'C':
            check(e.get('args') and all(number(v) for v in e['args'].values()),
                  where + ': counter values')


def check_nesting(events):
    by_thread = collections.defaultdict(list)
    for e in events:
        if e['ph'] == 'X':
            by_thread[(e['pid'], e['tid'])].append(e)
    for key, xs in by_thread.items():
        xs.sort(key=lambda e: (e['ts'], -e['dur']))
        stack = []
        for e in xs:
            begin, end = e['ts'], e['ts'] + e['dur']
            while stack and stack[-1] <= begin + EPS_US:
                stack.pop()
            check(not stack or end <= stack[-1] + EPS_US,
                  'thread %s: %s [%f, %f] overlaps its parent ending %f' %
                  (key, e['name'], begin, end, stack[-1] if stack else 0))
            stack.append(end)
    return sum(len(v) for v in by_thread.values())


def main():
    trace, db_path = sys.argv[1], sys.argv[2]
    with open(trace, encoding='utf-8') as f:
        doc = json.load(f)
    check_format(doc)
    events = doc['traceEvents']
    slices = check_nesting(events)

    db = sqlite3.connect('file:%s?mode=ro' % db_path, uri=True)
    meta = dict(db.execute('SELECT key, value FROM meta'))
    start = meta['first_ts_ns']
    check(doc['otherData']['trace_start_ts_ns'] == start, 'otherData.trace_start_ts_ns')
    events_stored = bool(meta.get('options.events'))
    check(doc['otherData']['events_stored'] == events_stored, 'otherData.events_stored')

    def us(ts_ns):
        return (ts_ns - start) / 1000.0

    # Threads: one per slot with a finding or stale/full retention.
    names = {}
    for e in events:
        if e['ph'] == 'M' and e['name'] == 'thread_name':
            names[(e['pid'], e['tid'])] = e['args']['name']
    want = {'slot %d:%d' % row for row in db.execute(
        "SELECT type, offset FROM findings UNION SELECT type, offset FROM retention"
        " WHERE verdict IN ('stale', 'full')")}
    shown = set(names.values())
    check(len(shown) == len(names), 'two threads share a name')
    if len(want) <= doc['otherData']['slot_tracks']:
        check(shown == want, 'slot tracks %s, want %s' % (sorted(shown), sorted(want)))
    else:
        check(shown < want, 'capped slot tracks are not a subset')
    slot_of = {k: tuple(int(x) for x in v.split()[1].split(':')) for k, v in names.items()}
    for e in events:
        if e['ph'] in ('X', 'I'):
            check((e['pid'], e['tid']) in slot_of, 'an event on an unnamed thread')
            check(e['pid'] == slot_of[(e['pid'], e['tid'])][0] + 1, 'slot on another device')

    def on_slot(e):
        return slot_of[(e['pid'], e['tid'])]

    # Findings: every finding of a shown slot, once, at its time.
    got = collections.Counter()
    for e in events:
        if e['ph'] == 'I' and e.get('cat', '').startswith('finding'):
            a = e['args']
            check(e['name'] == a['rule'], 'finding instant named by its rule')
            check(a['site'], 'finding without a call site field')
            got[(on_slot(e), a['rule'], a['seq'], a['message'], round(e['ts'], 3))] += 1
    exp = collections.Counter()
    for t, o, rule, seq, msg, ts in db.execute(
            'SELECT type, offset, rule, seq, message, ts_ns FROM findings'):
        if (t, o) in slot_of.values():
            exp[((t, o), rule, seq, msg, round(us(ts), 3))] += 1
    check(got == exp, 'finding instants differ from the findings table: %s vs %s' %
          (sorted(got - exp)[:3], sorted(exp - got)[:3]))

    # Slices: continued parts add up to the rows they came from.
    total = collections.defaultdict(float)
    count = collections.Counter()
    for e in events:
        if e['ph'] != 'X':
            continue
        a = e['args']
        if e['cat'] == 'lifetime':
            key = ('life', on_slot(e), a['alloc_seq'], a['free_seq'])
        elif e['cat'] == 'retention':
            check(e['name'] == 'retention: ' + a['verdict'], 'retention slice name')
            key = ('retention', on_slot(e), a['start_seq'])
        else:
            check(e['cat'] == 'binding' and events_stored, 'binding slice without --events')
            continue
        total[key] += e['dur']
        if not a.get('continued'):
            count[key] += 1
    first, last = meta['first_ts_ns'], meta['last_ts_ns']
    n_life = n_ret = 0
    for t, o, aseq, fseq, ats, fts in db.execute(
            'SELECT type, offset, alloc_seq, free_seq, alloc_ts_ns, free_ts_ns FROM lifetimes'):
        if (t, o) not in slot_of.values():
            continue
        key = ('life', (t, o), aseq, fseq)
        dur = ((fts if fts is not None else last) - (ats if ats is not None else first)) / 1000
        check(count[key] == 1, 'lifetime %s drawn %d times' % (key, count[key]))
        check(abs(total[key] - dur) <= EPS_US * 4, 'lifetime %s lasts %f, want %f' %
              (key, total[key], dur))
        n_life += 1
    for t, o, sseq, dur in db.execute(
            'SELECT type, offset, start_seq, duration_ns FROM retention'):
        if (t, o) not in slot_of.values():
            continue
        key = ('retention', (t, o), sseq)
        check(count[key] == 1, 'retention %s drawn %d times' % (key, count[key]))
        check(abs(total[key] - dur / 1000) <= EPS_US * 4, 'retention %s lasts %f, want %f' %
              (key, total[key], dur / 1000))
        n_ret += 1
    check(sum(v for k, v in count.items() if k[0] == 'life') == n_life, 'extra lifetimes')
    check(sum(v for k, v in count.items() if k[0] == 'retention') == n_ret, 'extra retention')

    # Events of the shown slots, with --events.
    n_ev = sum(1 for e in events if e['ph'] == 'I' and e.get('cat') == 'event')
    want_ev = 0
    if events_stored:
        for t, o in set(slot_of.values()):
            want_ev += db.execute('SELECT count(*) FROM slot_history WHERE type = ? AND slot = ?',
                                  (t, o)).fetchone()[0]
    check(n_ev == want_ev, '%d event instants, want %d' % (n_ev, want_ev))

    # Counters end where the tables do.
    last_value = {}
    samples = 0
    for e in sorted((e for e in events if e['ph'] == 'C'), key=lambda e: e['ts']):
        last_value[(e['pid'], e['name'])] = list(e['args'].values())[0]
        samples += 1
    for (t,) in db.execute('SELECT type FROM devices'):
        in_use = db.execute('SELECT count(*) FROM lifetimes WHERE type = ? AND free_seq IS NULL',
                            (t,)).fetchone()[0]
        cached = db.execute('SELECT count(*) FROM retention WHERE type = ? AND end_seq IS NULL'
                            ' AND NOT truncated', (t,)).fetchone()[0]
        check(last_value.get((t + 1, 'slots')) == in_use,
              'device %d: slots in use ends at %s, want %d' %
              (t, last_value.get((t + 1, 'slots')), in_use))
        check(last_value.get((t + 1, 'swap cache')) == cached,
              'device %d: swap cache count 0 ends at %s, want %d' %
              (t, last_value.get((t + 1, 'swap cache')), cached))
    print('%s: %d events valid; %d slot tracks, %d nested slices, %d findings, %d lifetimes, '
          '%d retention intervals, %d slot events, %d counter samples match %s' %
          (trace, len(events), len(names), slices, sum(exp.values()), n_life, n_ret, n_ev,
           samples, db_path))


if __name__ == '__main__':
    main()
