#!/usr/bin/env python3
"""Deterministic CTF mutation fuzzer over the recorded fixtures (traces/).

Each case copies one fixture (every fixture in turn), applies one to three
mutations drawn from its own seeded generator -- stream bytes (flips,
packet header and context fields set to extremes, truncations, deleted,
emptied, duplicated or swapped packets), LTTng index files, and metadata
edits (integer sizes, alignments, byte orders, array lengths, clock
frequency and offset, deleted or duplicated lines, impossible packet
headers) -- then runs `swaptrace replay` on the copy and judges what it did:

  crash         swaptrace died of a signal, exited with a status that is not
                0, 1 or 2, or a sanitizer reported an error in it
                (babeltrace2 crashing inside the decoder child is not one:
                that is the child's job, and the error must say so)
  hang          still running after --timeout seconds
  leftover      a file left beside the output that should not be there, an
                output after a failure, or anything written inside the input
  dropped       exit 0 although fewer events were read than the fixture
                holds and no gap says so (data dropped silently)
  unnamed       a rejection (exit 1 or 2) whose first error line does not name the
                trace, or that gives no cause

Case i depends only on --seed and i, so any case can be rerun alone
(--only I, --keep DIR keeps its files).  Prints one line per failing case
and a closing table; exits 1 if any of the five counts is not 0.

usage: ctf-mutate.py --swaptrace BIN --traces DIR [--cases N] [--seed S]
                     [--jobs J] [--timeout SEC] [--work DIR] [--only I]
                     [--keep DIR] [--fixtures a,b]
"""
import argparse
import concurrent.futures
import os
import random
import re
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time

SANITIZER = re.compile(r'(ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:|'
                       r'SUMMARY: (Address|Undefined|Leak)\w*Sanitizer)')
META_MAGIC = 0x75D11D57
STREAM_MAGIC = 0xC1FC1FC1
INDEX_MAGIC = 0xC1F1DCC1


# ---- the trace's files ----

def stream_files(trace):
    """(path, index path or None) of every stream file below trace."""
    out = []
    for root, dirs, files in os.walk(trace):
        dirs.sort()
        if 'metadata' not in files:
            continue
        for f in sorted(files):
            if f == 'metadata' or f.startswith('.'):
                continue
            idx = os.path.join(root, 'index', f + '.idx')
            out.append((os.path.join(root, f), idx if os.path.exists(idx) else None))
    return out


def metadata_files(trace):
    out = []
    for root, dirs, files in os.walk(trace):
        dirs.sort()
        if 'metadata' in files:
            out.append(os.path.join(root, 'metadata'))
    return sorted(out)


def index_files(trace):
    out = []
    for root, dirs, files in os.walk(trace):
        dirs.sort()
        out += [os.path.join(root, f) for f in sorted(files) if f.endswith('.idx')]
    return out


def packets(stream, idx):
    """(offset, size) of each packet, from the index or the packet headers."""
    if idx:
        data = open(idx, 'rb').read()
        if len(data) >= 16:
            magic, _, _, ln = struct.unpack('>IIII', data[:16])
            if magic == INDEX_MAGIC and ln >= 56:
                out = []
                for off in range(16, len(data) - ln + 1, ln):
                    o, psize = struct.unpack('>QQ', data[off:off + 16])
                    out.append((o, psize // 8))
                if out:
                    return out
    size = os.path.getsize(stream)
    return [(0, size)] if size else []


def plain_text(text):
    """Metadata text as a plain-text metadata file must start: with its signature."""
    if not text.startswith('/* CTF 1.8'):
        text = '/* CTF 1.8 */\n' + text
    return text


def depacketize(data):
    """Metadata text, from LTTng's packetized form or as it is."""
    if len(data) >= 4 and struct.unpack('<I', data[:4])[0] == META_MAGIC:
        e = '<'
    elif len(data) >= 4 and struct.unpack('>I', data[:4])[0] == META_MAGIC:
        e = '>'
    else:
        return data
    out, off = b'', 0
    while off + 37 <= len(data):
        content, packet = struct.unpack(e + 'II', data[off + 24:off + 32])
        if packet == 0 or content < 37 * 8:
            break
        out += data[off + 37:off + content // 8]
        off += packet // 8
    return out


# ---- mutations: each takes (rng, trace dir), returns a description ----

def pick_stream(rng, trace):
    files = [f for f in stream_files(trace) if os.path.exists(f[0])]
    if not files:
        return None, None
    # Weighted by size: the big streams hold the events.
    sizes = [max(os.path.getsize(f[0]), 1) for f in files]
    return rng.choices(files, weights=sizes)[0]


def rel(trace, path):
    return os.path.relpath(path, trace)


def m_flip_bytes(rng, trace):
    s, _ = pick_stream(rng, trace)
    if not s or not os.path.getsize(s):
        return 'no stream'
    data = bytearray(open(s, 'rb').read())
    n = rng.randint(1, 16)
    for _ in range(n):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    open(s, 'wb').write(data)
    return 'flip %d bits of %s' % (n, rel(trace, s))


def m_packet_field(rng, trace):
    s, idx = pick_stream(rng, trace)
    if not s:
        return 'no stream'
    pk = packets(s, idx)
    data = bytearray(open(s, 'rb').read())
    if not pk or not data:
        return 'no packet'
    off, size = rng.choice(pk)
    # Packet header and context: magic, uuid, stream id, timestamps, sizes,
    # sequence number, discarded count, cpu id all live in the first 96 bytes.
    pos = off + rng.randrange(0, 96, 4)
    width = rng.choice([1, 2, 4, 8])
    value = rng.choice([0, 1, 0xff, 0x7f, 0x80, 0xffffffff, 0x80000000, 0x7fffffffffffffff,
                        0xffffffffffffffff, rng.getrandbits(64)])
    raw = (value & ((1 << (8 * width)) - 1)).to_bytes(width, 'little')
    if pos + width <= len(data):
        data[pos:pos + width] = raw
    open(s, 'wb').write(data)
    return 'set %d bytes at %d of %s to %#x' % (width, pos, rel(trace, s), value)


def m_truncate(rng, trace):
    s, idx = pick_stream(rng, trace)
    if not s:
        return 'no stream'
    size = os.path.getsize(s)
    pk = packets(s, idx)
    how = rng.choice(['random', 'boundary', 'zero', 'header'])
    if how == 'boundary' and len(pk) > 1:
        cut = rng.choice(pk[1:])[0]
    elif how == 'zero':
        cut = 0
    elif how == 'header':
        cut = rng.randint(1, 40)
    else:
        cut = rng.randrange(size) if size else 0
    os.truncate(s, min(cut, size))
    return 'truncate %s to %d of %d bytes (%s)' % (rel(trace, s), min(cut, size), size, how)


def m_delete_stream(rng, trace):
    s, _ = pick_stream(rng, trace)
    if not s:
        return 'no stream'
    if rng.random() < 0.5:
        os.unlink(s)
        return 'delete %s' % rel(trace, s)
    open(s, 'wb').close()
    return 'empty %s' % rel(trace, s)


def m_packet_order(rng, trace):
    s, idx = pick_stream(rng, trace)
    if not s:
        return 'no stream'
    pk = packets(s, idx)
    data = open(s, 'rb').read()
    if not pk:
        return 'no packet'
    chunks = [data[o:o + n] for o, n in pk]
    how = rng.choice(['duplicate', 'swap', 'drop-middle'])
    if how == 'duplicate':
        chunks.insert(rng.randrange(len(chunks) + 1), rng.choice(chunks))
    elif how == 'swap' and len(chunks) > 1:
        i, j = rng.sample(range(len(chunks)), 2)
        chunks[i], chunks[j] = chunks[j], chunks[i]
    elif len(chunks) > 2:
        del chunks[rng.randrange(1, len(chunks) - 1)]
    open(s, 'wb').write(b''.join(chunks))
    return '%s a packet of %s' % (how, rel(trace, s))


def m_zero_range(rng, trace):
    s, _ = pick_stream(rng, trace)
    if not s or not os.path.getsize(s):
        return 'no stream'
    data = bytearray(open(s, 'rb').read())
    start = rng.randrange(len(data))
    n = rng.choice([1, 8, 64, 4096, 65536])
    fill = rng.choice([0, 0xff])
    data[start:start + n] = bytes([fill]) * len(data[start:start + n])
    open(s, 'wb').write(data)
    return 'fill %d bytes at %d of %s with %#x' % (n, start, rel(trace, s), fill)


def m_index(rng, trace):
    idxs = index_files(trace)
    if not idxs:
        return 'no index'
    i = rng.choice(idxs)
    data = bytearray(open(i, 'rb').read())
    how = rng.choice(['flip', 'truncate', 'delete', 'size'])
    if how == 'delete':
        os.unlink(i)
    elif how == 'truncate':
        data = data[:rng.randrange(len(data) + 1)]
        open(i, 'wb').write(data)
    elif how == 'size' and len(data) >= 16 + 24:
        k = 16 + rng.randrange(0, len(data) - 16 - 24 + 1, 8)
        data[k:k + 8] = struct.pack('>Q', rng.choice([0, 8, 1 << 40, rng.getrandbits(64)]))
        open(i, 'wb').write(data)
    elif data:
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        open(i, 'wb').write(data)
    return '%s %s' % (how, rel(trace, i))


def text_edit(rng, text):
    """One edit of metadata text; returns (text, description)."""
    lines = text.split('\n')
    kind = rng.choice(['size', 'align', 'signed', 'byte_order', 'delete', 'duplicate', 'swap',
                       'id', 'array', 'freq', 'offset', 'truncate', 'char', 'env', 'enum'])
    if kind in ('delete', 'duplicate', 'swap') and len(lines) <= 2:
        kind = 'char'
    if kind in ('delete', 'duplicate', 'swap'):
        i = rng.randrange(len(lines))
        if kind == 'delete':
            del lines[i]
        elif kind == 'duplicate':
            lines.insert(i, lines[i])
        else:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        return '\n'.join(lines), '%s line %d' % (kind, i + 1)
    if kind == 'truncate':
        n = rng.randrange(len(text) + 1)
        return text[:n], 'truncate metadata text at %d' % n
    if kind == 'char':
        n = rng.randrange(len(text) + 1)
        c = rng.choice(['{', '}', ';', '"', '\x00', '\x1b', '9', ' ', '=', '\n'])
        return text[:n] + c + text[n:], 'insert %r at %d' % (c, n)
    patterns = {
        'size': (r'size = \d+', lambda: 'size = %d' % rng.choice(
            [0, 1, 7, 8, 16, 31, 32, 33, 63, 64, 65, 128, 1 << 31, 1 << 40])),
        'align': (r'align = \d+|align\(\d+\)', lambda: ''),  # below
        'signed': (r'signed = (0|1|true|false)', lambda: 'signed = %s' % rng.choice(
            ['0', '1', 'true', 'false'])),
        'byte_order': (r'byte_order = \w+', lambda: 'byte_order = %s' % rng.choice(
            ['le', 'be', 'native', 'network', 'x'])),
        'id': (r'(?<=[^_])id = \d+', lambda: 'id = %d' % rng.choice(
            [0, 1, 2, 30, 31, 65535, 1 << 31, rng.randrange(64)])),
        'array': (r'\[\d+\]', lambda: '[%d]' % rng.choice([0, 1, 16, 1 << 20, 1 << 31, 1 << 33])),
        'freq': (r'freq = \d+', lambda: 'freq = %d' % rng.choice(
            [0, 1, 3, 1000, 10 ** 18, (1 << 63) - 1, 1 << 64])),
        'offset': (r'offset(_s)? = -?\d+', lambda: 'offset%s = %d' % (
            rng.choice(['', '_s']), rng.choice([0, -1, 1 << 62, (1 << 63) - 1, -(1 << 63),
                                                 10 ** 19]))),
        'env': (r'hostname = "[^"]*"', lambda: 'hostname = "%s"' % rng.choice(
            ['\\x1b[2J', 'a' * 5000, '\\t', 'vm2', ''])),
        'enum': (r'\d+ \.\.\. \d+', lambda: '%d ... %d' % (rng.randrange(70000),
                                                          rng.randrange(70000))),
    }
    pat, repl = patterns[kind]
    found = list(re.finditer(pat, text))
    if not found:
        return text, 'no %s to edit' % kind
    m = rng.choice(found)
    r = repl()
    if kind == 'align' and m.group(0).startswith('align('):
        r = 'align(%d)' % rng.choice([0, 1, 2, 3, 64, 4096, 1 << 20, 1 << 31])
    elif kind == 'align':
        r = 'align = %d' % rng.choice([0, 1, 2, 3, 64, 4096, 1 << 20, 1 << 31])
    return text[:m.start()] + r + text[m.end():], '%s: %r -> %r at %d' % (
        kind, m.group(0), r, m.start())


def m_metadata(rng, trace):
    metas = metadata_files(trace)
    if not metas:
        return 'no metadata'
    mp = rng.choice(metas)
    data = open(mp, 'rb').read()
    if rng.random() < 0.15 and struct.unpack('<I', data[:4])[0] == META_MAGIC:
        # The packet header itself: content past the packet, sizes of 0.
        d = bytearray(data)
        field = rng.choice([24, 28])
        d[field:field + 4] = struct.pack('<I', rng.choice([0, 8, 37 * 8 - 8, 0xffffffff,
                                                            struct.unpack('<I', d[28:32])[0] + 8]))
        open(mp, 'wb').write(d)
        return 'metadata packet header field at %d of %s' % (field, rel(trace, mp))
    text = plain_text(depacketize(data).decode('utf-8', 'replace'))
    text, what = text_edit(rng, text)
    # Plain-text metadata: a CTF reader takes either form.
    open(mp, 'wb').write(text.encode('utf-8', 'replace'))
    return 'metadata %s: %s' % (rel(trace, mp), what)


MUTATIONS = [
    (m_flip_bytes, 6), (m_packet_field, 5), (m_truncate, 4), (m_delete_stream, 2),
    (m_packet_order, 2), (m_zero_range, 2), (m_index, 3), (m_metadata, 8),
]


# ---- running and judging ----

def listing(d):
    out = {}
    for root, dirs, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            try:
                st = os.lstat(p)
            except OSError:
                continue
            out[os.path.relpath(p, d)] = (st.st_size, st.st_mtime_ns)
    return out


def meta_counts(db):
    try:
        con = sqlite3.connect('file:%s?mode=ro' % db, uri=True)
        rows = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('events', 'gaps')"))
        con.close()
        return int(rows.get('events', 0)), int(rows.get('gaps', 0))
    except Exception:
        return None, None


def run(bin_, trace_in, out_db, timeout, extra=()):
    env = dict(os.environ)
    # Sanitizer errors of swaptrace itself must show as a crash, not as an error exit.
    env['ASAN_OPTIONS'] = env.get('ASAN_OPTIONS', '') + ':exitcode=86:detect_leaks=1'
    env['UBSAN_OPTIONS'] = env.get('UBSAN_OPTIONS', '') + ':halt_on_error=1:exitcode=87:print_stacktrace=1'
    start = time.monotonic()
    p = subprocess.Popen([bin_, 'replay', '-q'] + list(extra) + [trace_in, '-o', out_db],
                         stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        hung = True
    return p.returncode, err.decode('utf-8', 'replace'), hung, time.monotonic() - start


FAST_DECODER_FAILED = re.compile(r'the fast decoder (crashed|exited with status|ran out of memory|'
                                 r'made no progress|used more CPU time|did not stop)[^\n]*')


def own_sanitizer_report(err):
    """A sanitizer line of swaptrace itself, the fast decoder's ('  fast decoder: ') included;
    babeltrace2's, which the decoder child contains, are quoted after '  babeltrace2: '."""
    for line in err.split('\n'):
        if SANITIZER.search(line) and not line.startswith('  babeltrace2:'):
            return line.strip()
    return None


def judge(case, fixture, baseline, what, trace_in, out_dir, before_in, rc, err, hung):
    problems = []
    if hung:
        problems.append(('hang', 'still running after the time limit'))
    elif rc is None or rc < 0 or rc not in (0, 1, 2):
        problems.append(('crash', 'exit status %s' % rc))
    rep = own_sanitizer_report(err)
    if rep and not hung:
        problems.append(('crash', rep))
    # The fast decoder is swaptrace's own code: its crash, runaway or
    # hang in the decoder child is swaptrace's, not babeltrace2's, even
    # though the child contains it.
    fast = FAST_DECODER_FAILED.search(err)
    if fast and not rep and not hung:
        problems.append(('crash', fast.group(0)))
    left = sorted(os.listdir(out_dir))
    want = ['out.db'] if rc == 0 else []
    if left != want and not hung:
        problems.append(('leftover', 'output directory holds %s' % left))
    if listing(trace_in) != before_in:
        problems.append(('leftover', 'the input trace changed'))
    if rc == 0 and not hung:
        events, gaps = meta_counts(os.path.join(out_dir, 'out.db'))
        if events is None:
            problems.append(('dropped', 'exit 0 but the database cannot be read'))
        elif events < baseline and gaps == 0 and 'cannot be detected' not in err:
            # (perf's CTF has no index: replay warns that a missing stream
            # file cannot be detected, which is not silence)
            problems.append(('dropped', 'exit 0 with %d of %d events and no gap' %
                             (events, baseline)))
    if rc in (1, 2) and not hung:
        errors = [l for l in err.split('\n') if l.startswith('error: ')]
        first = errors[0] if errors else err.split('\n', 1)[0]
        if not errors or trace_in not in first:
            problems.append(('unnamed', 'first line: %r' % first[:200]))
        elif not re.search(r"': \S", first) and 'no swap events' not in first:
            problems.append(('unnamed', 'no cause: %r' % first[:200]))
    return problems


def one_case(args, fixtures, baselines, i):
    rng = random.Random(args.seed * 1000003 + i)
    fixture = fixtures[i % len(fixtures)]
    work = tempfile.mkdtemp(prefix='case-%05d-' % i, dir=args.work)
    trace_in = os.path.join(work, 'in')
    out_dir = os.path.join(work, 'out')
    os.mkdir(out_dir)
    shutil.copytree(os.path.join(args.traces, fixture, 'trace'), os.path.join(trace_in, 'trace'))
    for beside in ('kallsyms', 'perf-lost.tsv'):
        f = os.path.join(args.traces, fixture, beside)
        if os.path.exists(f):
            shutil.copy(f, trace_in)
    whats = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        fn = rng.choices([m for m, _ in MUTATIONS], weights=[w for _, w in MUTATIONS])[0]
        try:
            whats.append(fn(rng, os.path.join(trace_in, 'trace')))
        except (OSError, ValueError, IndexError, struct.error) as e:
            # The mutator's own trouble (a file an earlier mutation removed):
            # the case goes on with what it did.
            whats.append('%s failed: %s' % (fn.__name__, e))
    what = '; '.join(whats)
    before_in = listing(trace_in)
    rc, err, hung, secs = run(args.swaptrace, trace_in, os.path.join(out_dir, 'out.db'),
                              args.timeout)
    problems = judge(i, fixture, baselines[fixture], what, trace_in, out_dir, before_in, rc, err,
                     hung)
    fast_ok = None
    if args.differential and not hung:
        # The default decoder (auto: the fast one where it knows the layout)
        # against babeltrace2 alone: both fail cleanly, or the same bytes.
        bt_dir = os.path.join(work, 'out-bt')
        os.mkdir(bt_dir)
        rc2, err2, hung2, _ = run(args.swaptrace, trace_in, os.path.join(bt_dir, 'out.db'),
                                  args.timeout, ['--decoder=babeltrace2'])
        if hung2:
            pass  # babeltrace2's own hang: judged by the plain campaign
        elif (rc == 0) != (rc2 == 0):
            problems.append(('differ', 'default decoder exit %s, babeltrace2 exit %s: %s' % (
                rc, rc2, ((err if rc else err2).strip().split('\n') or [''])[0][:200])))
        elif rc == 0 and open(os.path.join(out_dir, 'out.db'), 'rb').read() != \
                open(os.path.join(bt_dir, 'out.db'), 'rb').read():
            problems.append(('differ', 'databases differ from babeltrace2\'s'))
        fast_dir = os.path.join(work, 'out-fast')
        os.mkdir(fast_dir)
        rc3, _, _, _ = run(args.swaptrace, trace_in, os.path.join(fast_dir, 'out.db'),
                           args.timeout, ['--decoder=fast'])
        fast_ok = rc3 == 0
        if fast_ok and rc2 == 0 and open(os.path.join(fast_dir, 'out.db'), 'rb').read() != \
                open(os.path.join(bt_dir, 'out.db'), 'rb').read():
            problems.append(('differ', '--decoder=fast differs from babeltrace2'))
        elif fast_ok and rc2 != 0:
            problems.append(('differ', '--decoder=fast accepted what babeltrace2 refused'))
    info = {
        'case': i, 'fixture': fixture, 'what': what, 'rc': rc, 'hung': hung, 'secs': secs,
        'problems': problems, 'fast_ok': fast_ok,
        'decoder_crash': 'babeltrace2 crashed' in err or 'ran out of memory' in err,
        'decoder_stopped': 'made no progress' in err or 'more CPU time' in err,
        'gaps_warned': 'warning: ' in err,
        'first_line': ([l for l in err.split('\n') if l.startswith('error: ')] or [''])[0][:300],
    }
    if args.keep and problems:
        dest = os.path.join(args.keep, 'case-%05d' % i)
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(work, dest, symlinks=True)
        open(os.path.join(dest, 'stderr.txt'), 'w').write(err)
        open(os.path.join(dest, 'what.txt'), 'w').write(what + '\n')
    shutil.rmtree(work, ignore_errors=True)
    return info


def baseline(args, fixture):
    work = tempfile.mkdtemp(prefix='base-', dir=args.work)
    trace_in = os.path.join(work, 'in')
    shutil.copytree(os.path.join(args.traces, fixture, 'trace'), os.path.join(trace_in, 'trace'))
    rc, err, hung, _ = run(args.swaptrace, trace_in, os.path.join(work, 'out.db'), args.timeout)
    if rc != 0:
        sys.exit('baseline replay of %s failed (%s): %s' % (fixture, rc, err))
    events, _ = meta_counts(os.path.join(work, 'out.db'))
    shutil.rmtree(work, ignore_errors=True)
    return events


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--swaptrace', required=True)
    ap.add_argument('--traces', required=True, help='the fixtures: traces/')
    ap.add_argument('--cases', type=int, default=200)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--jobs', type=int, default=1)
    ap.add_argument('--timeout', type=float, default=120.0,
                    help='seconds a case may run before it counts as a hang')
    ap.add_argument('--work', default=None, help='scratch directory (default: a new temp dir)')
    ap.add_argument('--only', type=int, default=None, help='run case I alone')
    ap.add_argument('--keep', default=None, help='copy each failing case here')
    ap.add_argument('--fixtures', default=None, help='comma-separated subset of traces/')
    ap.add_argument('--log', default=None, help='one line per case here')
    ap.add_argument('--differential', action='store_true',
                    help='also replay each case with --decoder=babeltrace2 and --decoder=fast: '
                    'both fail cleanly, or the same bytes')
    args = ap.parse_args()

    fixtures = sorted(f for f in os.listdir(args.traces)
                      if os.path.isdir(os.path.join(args.traces, f, 'trace')))
    if args.fixtures:
        fixtures = [f for f in fixtures if f in args.fixtures.split(',')]
    if not fixtures:
        sys.exit('no fixture with a trace/ in %s' % args.traces)
    own_work = args.work is None
    if own_work:
        args.work = tempfile.mkdtemp(prefix='swaptrace-ctf-mutate-')
    os.makedirs(args.work, exist_ok=True)
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    baselines = {f: baseline(args, f) for f in fixtures}
    cases = [args.only] if args.only is not None else list(range(args.cases))
    counts = dict.fromkeys(['crash', 'hang', 'leftover', 'dropped', 'unnamed', 'differ'], 0)
    fast_accepted = 0
    outcome = dict.fromkeys(['exit 0', 'exit 1', 'exit 2', 'other'], 0)
    contained = stopped = warned = 0
    longest = 0.0
    log = open(args.log, 'w') if args.log else None
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for info in pool.map(lambda i: one_case(args, fixtures, baselines, i), cases):
            kinds = sorted({k for k, _ in info['problems']})
            for k in kinds:
                counts[k] += 1
            rc = info['rc']
            outcome['exit %d' % rc if rc in (0, 1, 2) and not info['hung'] else 'other'] += 1
            fast_accepted += bool(info['fast_ok'])
            contained += info['decoder_crash']
            stopped += info['decoder_stopped']
            warned += info['gaps_warned']
            longest = max(longest, info['secs'])
            if log:
                log.write('%05d %-14s rc=%s %.1fs %s | %s | %s\n' % (
                    info['case'], info['fixture'], rc, info['secs'], ','.join(kinds) or 'ok',
                    info['what'], info['first_line']))
                log.flush()
            if info['problems']:
                print('case %d (%s; %s): %s' % (info['case'], info['fixture'], info['what'],
                                                '; '.join('%s: %s' % p for p in info['problems'])),
                      flush=True)
    if own_work:
        shutil.rmtree(args.work, ignore_errors=True)
    total = len(cases)
    print()
    print('%-44s %8s' % ('mutated traces (cases), seed %d' % args.seed, total))
    print('%-44s %8s' % ('fixtures', len(fixtures)))
    for k, v in outcome.items():
        print('%-44s %8d' % ('  ' + k, v))
    print('%-44s %8d' % ('  babeltrace2 crashes contained (exit 2)', contained))
    print('%-44s %8d' % ('  decoders stopped by the watchdog/limits', stopped))
    print('%-44s %8d' % ('  runs warning of lost data', warned))
    print('%-44s %8d' % ('crashes', counts['crash']))
    print('%-44s %8d' % ('hangs past the %g s limit' % args.timeout, counts['hang']))
    print('%-44s %8d' % ('leftover files', counts['leftover']))
    print('%-44s %8d' % ('exit 0 on dropped data', counts['dropped']))
    print('%-44s %8d' % ('rejections without the trace name or cause', counts['unnamed']))
    if args.differential:
        print('%-44s %8d' % ('  decoded by the fast decoder (--decoder=fast)', fast_accepted))
        print('%-44s %8d' % ('default/fast differing from babeltrace2', counts['differ']))
    print('%-44s %8.1f' % ('longest case, s', longest))
    print('%-44s %8.0f' % ('wall time, s', time.monotonic() - start))
    return 1 if any(counts.values()) else 0


if __name__ == '__main__':
    sys.exit(main())
