#!/usr/bin/env python3
"""Replay benchmark: events/s and peak memory of `swaptrace replay` on a
1,000,000-operation emitter recording.

usage: bench.py SWAPTRACE RECORD EMIT [--ops N] [--keep DIR]

Records `swaptrace-emit --seed 1 --ops N --threads 4 --large-folios` through
swaptrace-record-ust (lossless), then times, each in a fresh process:
  replay -o OUT.db            (the default database)
  replay -o OUT.db --events   (plus every event)
  check                        (no database)
and prints wall time, events/s and peak RSS (getrusage ru_maxrss of the
child).  Run it on an optimised build (buildtype=release or debugoptimized,
no sanitizers):
    meson test -C BUILD --suite bench --verbose
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


def run_measured(cmd):
    t0 = time.monotonic()
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: a wrapper
    # process per command makes it this command's own peak.
    wrapper = [sys.executable, '-c',
               'import resource, subprocess, sys\n'
               'r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n'
               'u = resource.getrusage(resource.RUSAGE_CHILDREN)\n'
               'print(u.ru_maxrss, u.ru_utime + u.ru_stime)\n'
               'sys.exit(r.returncode)'] + cmd
    out = subprocess.run(wrapper, stdout=subprocess.PIPE, text=True)
    wall = time.monotonic() - t0
    rss, cpu = (out.stdout.split() + ['0', '0'])[:2]
    return out.returncode, wall, float(cpu), int(rss)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('swaptrace')
    ap.add_argument('record')
    ap.add_argument('emit')
    ap.add_argument('--ops', type=int, default=1000000)
    ap.add_argument('--keep')
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix='swaptrace-bench.')
    try:
        rec = args.keep or os.path.join(tmp, 'rec')
        if not os.path.exists(os.path.join(rec, 'emitter', 'summary.json')):
            t0 = time.monotonic()
            r = subprocess.run([args.record, '-o', rec, '--', args.emit, '--seed', '1',
                                '--ops', str(args.ops), '--threads', '4', '--large-folios',
                                '--out-dir', os.path.join(rec, 'emitter')],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if r.returncode == 77:
                print('SKIP: LTTng cannot record here')
                return 77
            if r.returncode != 0:
                print(r.stdout)
                return 1
            print('recorded %d ops in %.1f s' % (args.ops, time.monotonic() - t0))
        summary = json.load(open(os.path.join(rec, 'emitter', 'summary.json')))
        events = summary['events']
        size = sum(os.path.getsize(os.path.join(d, f))
                   for d, _, fs in os.walk(os.path.join(rec, 'trace')) for f in fs)
        print('trace: %d ops, %d events, %.1f MiB of CTF' % (summary['ops'], events,
                                                            size / 2**20))
        status = 0
        for label, cmd in [
                ('replay', [args.swaptrace, 'replay', '-q', rec, '-o',
                            os.path.join(tmp, 'a.db')]),
                ('replay --events', [args.swaptrace, 'replay', '-q', '--events', rec, '-o',
                                     os.path.join(tmp, 'b.db')]),
                ('check', [args.swaptrace, 'check', rec])]:
            rc, wall, cpu, rss_kib = run_measured(cmd)
            if rc not in (0, 1) or (label != 'check' and rc != 0):
                print('%s failed: exit %d' % (label, rc))
                status = 1
            db = os.path.join(tmp, 'a.db' if label == 'replay' else 'b.db')
            db_size = os.path.getsize(db) / 2**20 if label != 'check' else 0
            # CPU time too: on a shared machine wall time says more about the
            # neighbours than about swaptrace.
            print('%-16s wall %6.2f s (%8.0f events/s)  cpu %6.2f s (%8.0f events/s)  '
                  'peak RSS %6.1f MiB%s' % (
                label, wall, events / wall, cpu, events / max(cpu, 1e-9), rss_kib / 1024,
                '  database %.1f MiB' % db_size if label != 'check' else ''))
        return status
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
