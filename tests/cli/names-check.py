#!/usr/bin/env python3
"""names-check.py DB TRACE: the events table of DB (swaptrace replay --events
TRACE) holds exactly the swap events that babeltrace2 itself prints for
TRACE, whatever their naming: kernel `swap_entry_alloc` or UST
`swap:entry_alloc` both become kind `entry_alloc` with the same timestamp and
payload.  Exit 0 when they agree; prints the first differences otherwise."""
import collections
import re
import sqlite3
import subprocess
import sys

KINDS = {'entry_alloc', 'entry_dup', 'entry_put', 'entry_free', 'cache_add',
         'cache_del', 'fault', 'device_on', 'device_off', 'state',
         # event schema v2
         'cache_move', 'cache_split', 'state_begin', 'state_end', 'lazyfree'}
COMPARED = ('type', 'offset', 'nr', 'pfn', 'count', 'ret', 'refs', 'ip',
            'nr_slots', 'cluster_size')
UNSIGNED64 = ('offset', 'pfn', 'ip', 'nr_slots')
LINE = re.compile(r'^\[(\d+)\.(\d{9})\] \(\S+\) \S+ (swap[:_](\w+)): .*\{ ([^{}]*) \}$')
FIELD = re.compile(r'(\w+) = (-?(?:0x[0-9A-Fa-f]+|\d+))')


def from_babeltrace(trace):
    out = subprocess.run(['babeltrace2', '--clock-seconds', trace], check=True,
                         capture_output=True, text=True).stdout
    events, names = collections.Counter(), set()
    for line in out.splitlines():
        m = LINE.match(line)
        if not m or m.group(4) not in KINDS:
            continue
        names.add(m.group(3))
        fields = {k: int(v, 0) for k, v in FIELD.findall(m.group(5)) if k in COMPARED}
        events[(int(m.group(1)) * 10**9 + int(m.group(2)), m.group(4),
                tuple(sorted(fields.items())))] += 1
    return events, names


def from_db(db, bt_events):
    con = sqlite3.connect(db)
    cols = ', '.join(COMPARED)
    rows = con.execute('SELECT ts_ns, kind, %s FROM events' % cols).fetchall()
    # Only the fields the trace's event class has (babeltrace2's keys).
    shape = {(ts, kind): [k for k, _ in fields] for ts, kind, fields in bt_events}
    events = collections.Counter()
    for ts, kind, *vals in rows:
        keys = shape.get((ts, kind), COMPARED)
        row = dict(zip(COMPARED, vals))
        for k in UNSIGNED64:  # SQLite integers are signed 64-bit
            if row[k] is not None and row[k] < 0:
                row[k] += 1 << 64
        # flags-like fields (fault write/exclusive/freed/lru) are not compared
        events[(ts, kind, tuple(sorted((k, row[k]) for k in keys)))] += 1
    return events


def main():
    db, trace = sys.argv[1], sys.argv[2]
    bt, names = from_babeltrace(trace)
    mine = from_db(db, bt)
    print('%d swap events, names: %s' % (sum(bt.values()), ' '.join(sorted(names))))
    if not bt:
        print('babeltrace2 printed no swap events')
        return 1
    if bt == mine:
        return 0
    for e in list((bt - mine).elements())[:5]:
        print('babeltrace2 only:', e)
    for e in list((mine - bt).elements())[:5]:
        print('database only:   ', e)
    return 1


if __name__ == '__main__':
    sys.exit(main())
