#!/usr/bin/env python3
"""Replay benchmark against babeltrace2's dummy sink.

usage: bench.py SWAPTRACE RECORD EMIT [--ops N[,N...]] [--cache DIR]
                [--repeat R] [--decoder NAME] [--only CMD[,CMD...]]

For each N (default 1000000,3500000) records
`swaptrace-emit --seed 1 --ops N --threads 2 --large-folios` through
swaptrace-record-ust (lossless) into CACHE/ops-N (default cache
/var/tmp/swaptrace-bench; a recording already there is reused), then times,
each in a fresh process, R rounds alternating the commands:

  dummy            babeltrace2 TRACE -c sink.utils.dummy  (the reference)
  check            swaptrace check REC
  replay           swaptrace replay REC -o OUT.db
  replay --events  swaptrace replay --events REC -o OUT.db

and prints one table: median CPU time (user+sys, the decoder child
included), events/s of CPU time, the throughput as a ratio to the dummy
sink on the same trace (dummy CPU / command CPU), median wall time and
peak RSS (getrusage ru_maxrss: the largest of swaptrace and its decoder
child).  CPU time because the machine is shared: wall time says more about
the neighbours.  Run it on an optimised build without sanitizers:

    meson setup build-rel --buildtype=release
    meson test -C build-rel --suite bench --verbose
    scripts/bench.sh build-rel            # the same, with options
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run_measured(cmd):
    t0 = time.monotonic()
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: a wrapper
    # process per command makes it this command's own peak (a process's
    # figure includes the children it waited for: the decoder).
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


def record(args, ops, rec):
    if os.path.exists(os.path.join(rec, 'emitter', 'summary.json')):
        return 0
    shutil.rmtree(rec, ignore_errors=True)
    t0 = time.monotonic()
    r = subprocess.run([args.record, '-o', rec, '--', args.emit, '--seed', '1',
                        '--ops', str(ops), '--threads', '2', '--large-folios',
                        '--out-dir', os.path.join(rec, 'emitter')],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode == 77:
        print('SKIP: LTTng cannot record here')
        return 77
    if r.returncode != 0:
        print(r.stdout)
        shutil.rmtree(rec, ignore_errors=True)
        return 1
    print('recorded %d ops in %.1f s into %s' % (ops, time.monotonic() - t0, rec))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('swaptrace')
    ap.add_argument('record')
    ap.add_argument('emit')
    ap.add_argument('--ops', default='1000000,3500000')
    ap.add_argument('--cache', default='/var/tmp/swaptrace-bench')
    ap.add_argument('--repeat', type=int, default=1)
    ap.add_argument('--decoder', help='pass --decoder NAME to swaptrace')
    ap.add_argument('--only', help='commands to run, comma-separated (dummy,check,replay,events)')
    ap.add_argument('--babeltrace2', default='babeltrace2')
    args = ap.parse_args()

    if not shutil.which(args.babeltrace2):
        print('SKIP: no babeltrace2')
        return 77
    os.makedirs(args.cache, exist_ok=True)
    only = set(args.only.split(',')) if args.only else None
    dec = ['--decoder', args.decoder] if args.decoder else []
    tmp = tempfile.mkdtemp(prefix='swaptrace-bench.')
    status = 0
    rows = []
    try:
        for ops in [int(x) for x in args.ops.split(',')]:
            rec = os.path.join(args.cache, 'ops-%d' % ops)
            r = record(args, ops, rec)
            if r:
                return r
            summary = json.load(open(os.path.join(rec, 'emitter', 'summary.json')))
            events = summary['events']
            size = sum(os.path.getsize(os.path.join(d, f))
                       for d, _, fs in os.walk(os.path.join(rec, 'trace')) for f in fs)
            trace = os.path.join(rec, 'trace')
            db = os.path.join(tmp, 'out.db')
            cmds = [
                ('dummy', 'babeltrace2 -c sink.utils.dummy',
                 [args.babeltrace2, trace, '-c', 'sink.utils.dummy']),
                ('check', 'check', [args.swaptrace, 'check'] + dec + [rec]),
                ('replay', 'replay', [args.swaptrace, 'replay', '-q'] + dec + [rec, '-o', db]),
                ('events', 'replay --events',
                 [args.swaptrace, 'replay', '-q', '--events'] + dec + [rec, '-o', db]),
            ]
            cmds = [c for c in cmds if c[0] == 'dummy' or not only or c[0] in only]
            res = {c[0]: [] for c in cmds}
            dbsize = {}
            for _ in range(args.repeat):
                for key, label, cmd in cmds:
                    if os.path.exists(db):
                        os.unlink(db)
                    rc, wall, cpu, rss = run_measured(cmd)
                    if rc not in (0, 1) or (key not in ('check',) and rc != 0):
                        print('%s failed: exit %d: %s' % (label, rc, ' '.join(cmd)))
                        status = 1
                    res[key].append((cpu, wall, rss))
                    if os.path.exists(db):
                        dbsize[key] = os.path.getsize(db) / 2**20
            dummy_cpu = statistics.median(x[0] for x in res['dummy'])
            for key, label, cmd in cmds:
                cpu = statistics.median(x[0] for x in res[key])
                wall = statistics.median(x[1] for x in res[key])
                rss = max(x[2] for x in res[key]) / 1024
                rows.append((ops, events, size / 2**20, label, cpu, events / max(cpu, 1e-9),
                             dummy_cpu / max(cpu, 1e-9), wall, rss, dbsize.get(key)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print('CPU = user+sys, median of %d round(s), decoder child included; '
          'x = throughput / dummy sink\'s%s' % (args.repeat,
                                                '; --decoder ' + args.decoder
                                                if args.decoder else ''))
    print()
    print('| trace | command | CPU s | events/s (CPU) | x dummy | wall s | peak RSS MiB | db MiB |')
    print('|---|---|---|---|---|---|---|---|')
    for ops, events, mib, label, cpu, eps, ratio, wall, rss, dbm in rows:
        print('| %.1fM ops, %.1fM ev, %.0f MiB | %s | %.2f | %.0f | %.2fx | %.2f | %.1f | %s |' % (
            ops / 1e6, events / 1e6, mib, label, cpu, eps, ratio, wall, rss,
            '%.0f' % dbm if dbm is not None else '-'))
    return status


if __name__ == '__main__':
    sys.exit(main())
