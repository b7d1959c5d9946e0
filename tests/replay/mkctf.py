#!/usr/bin/env python3
"""Writes a small CTF 1.8 trace of swap events, for tests that must not
depend on LTTng (CLI behaviour, schema errors, corrupted inputs).

usage: mkctf.py OUTDIR [--field-type EVENT.FIELD=TYPE] [--drop EVENT.FIELD]
                       [--kernel] < EVENTS

EVENTS: one event a line, "TS_NS KIND field=value ...", e.g.
    100 entry_alloc type=0 offset=8 nr=1 pfn=4096 ip=0
Fields left out are 0.  Event names follow the UST provider ("swap:KIND"),
or the kernel ("swap_KIND") with --kernel.  TYPE is u8, u32, s32 or u64.
The widths come from schema/event-schema.c's table, copied here.
"""
import argparse
import os
import struct
import sys

FIELD_TYPES = {
    'type': 'u32', 'offset': 'u64', 'nr': 'u32', 'pfn': 'u64', 'count': 's32',
    'ret': 's32', 'write': 'u8', 'exclusive': 'u8', 'freed': 'u8', 'lru': 'u8',
    'refs': 's32', 'nr_slots': 'u64', 'cluster_size': 'u32', 'ip': 'u64',
}
EVENTS = {
    'entry_alloc': ['type', 'offset', 'nr', 'pfn', 'ip'],
    'entry_dup': ['type', 'offset', 'nr', 'pfn', 'count', 'ret', 'ip'],
    'entry_put': ['type', 'offset', 'nr', 'pfn', 'count', 'ip'],
    'entry_free': ['type', 'offset', 'nr', 'ip'],
    'cache_add': ['type', 'offset', 'nr', 'pfn', 'ret', 'ip'],
    'cache_del': ['type', 'offset', 'nr', 'pfn', 'ip'],
    'fault': ['type', 'offset', 'nr', 'pfn', 'write', 'exclusive', 'freed', 'lru', 'refs',
              'ip'],
    'device_on': ['type', 'nr_slots', 'cluster_size', 'ip'],
    'device_off': ['type', 'ip'],
    'state': ['type', 'offset', 'nr', 'count', 'pfn', 'ip'],
}
PACK = {'u8': '<B', 'u32': '<I', 's32': '<i', 'u64': '<Q'}
TSDL = {'u8': 'uint8_t', 'u32': 'uint32_t', 's32': 'int32_t', 'u64': 'uint64_t'}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('outdir')
    ap.add_argument('--field-type', action='append', default=[])
    ap.add_argument('--drop', action='append', default=[])
    ap.add_argument('--kernel', action='store_true')
    args = ap.parse_args()

    override = {}
    for spec in args.field_type:
        key, t = spec.split('=')
        override[tuple(key.split('.'))] = t
    dropped = {tuple(spec.split('.')) for spec in args.drop}

    def fields_of(kind):
        out = []
        for f in EVENTS[kind]:
            if (kind, f) in dropped:
                continue
            out.append((f, override.get((kind, f), FIELD_TYPES[f])))
        return out

    os.makedirs(args.outdir, exist_ok=True)
    kinds = list(EVENTS)
    prefix = 'swap_' if args.kernel else 'swap:'
    meta = ['/* CTF 1.8 */',
            'typealias integer { size = 8; align = 8; signed = false; } := uint8_t;',
            'typealias integer { size = 32; align = 8; signed = false; } := uint32_t;',
            'typealias integer { size = 32; align = 8; signed = true; } := int32_t;',
            'typealias integer { size = 64; align = 8; signed = false; } := uint64_t;',
            'trace { major = 1; minor = 8; byte_order = le;',
            '  packet.header := struct { uint32_t magic; uint32_t stream_id; }; };',
            'env { hostname = "mkctf"; domain = "%s"; tracer_name = "mkctf"; };'
            % ('kernel' if args.kernel else 'ust'),
            'clock { name = "monotonic"; freq = 1000000000; offset = 0; };',
            'typealias integer { size = 64; align = 8; signed = false;',
            '  map = clock.monotonic.value; } := uint64_clock_t;',
            'stream { id = 0;',
            '  event.header := struct { uint32_t id; uint64_clock_t timestamp; };',
            '  packet.context := struct { uint32_t cpu_id; }; };']
    for i, kind in enumerate(kinds):
        members = ' '.join('%s %s;' % (TSDL[t], f) for f, t in fields_of(kind))
        meta.append('event { name = "%s%s"; id = %d; stream_id = 0;' % (prefix, kind, i))
        meta.append('  fields := struct { %s }; };' % members)
    with open(os.path.join(args.outdir, 'metadata'), 'w') as f:
        f.write('\n'.join(meta) + '\n')

    data = bytearray(struct.pack('<III', 0xC1FC1FC1, 0, 0))  # header, cpu_id 0
    for line in sys.stdin:
        line = line.split('#', 1)[0].split()
        if not line:
            continue
        ts, kind = int(line[0]), line[1]
        values = dict(kv.split('=') for kv in line[2:])
        data += struct.pack('<IQ', kinds.index(kind), ts)
        for f, t in fields_of(kind):
            data += struct.pack(PACK[t], int(values.get(f, '0'), 0))
    with open(os.path.join(args.outdir, 'stream_0'), 'wb') as f:
        f.write(data)


if __name__ == '__main__':
    main()
