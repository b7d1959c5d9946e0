#!/bin/sh
# What swaptrace's tracing costs the traced device (issue: performance,
# item 5): one swap-heavy workload (workload/guest/overhead.sh, five timed
# runs of swap-randwrite) on three kernels booted under QEMU TCG by
# kernel/qemu/swaptrace-qemu, all with the same config:
#   unpatched  Debian's linux-source-6.1 as it is
#   off        the patched kernel, tracepoints compiled in but disabled
#   on         the patched kernel, recording with LTTng (swaptrace-record)
# Prints each run's time, the median per kernel, the overhead against the
# unpatched kernel, and (recording) the cost per recorded event.  TCG
# emulates the CPU, so absolute times are slow and ratios are what counts.
# Builds the unpatched kernel once (5 to 15 min on 2 cores; cached).
#
# TCG timing moves by 20-30% from boot to boot, so the kernels are booted
# in turn, ROUNDS times each (default 3), and the medians are over all
# their runs.
#
# usage: sudo scripts/bench-device.sh [OUT_DIR [ROUNDS]]   (default /var/tmp/swaptrace-bench-device, 3)
set -eu
cd "$(dirname "$0")/.."
out=${1:-/var/tmp/swaptrace-bench-device}
rounds=${2:-3}
mkdir -p "$out"
r=1
while [ "$r" -le "$rounds" ]; do
	for cfg in unpatched off on; do
		case $cfg in
		unpatched) opts="--kernel unpatched" ;;
		off) opts="--no-record" ;;
		on) opts= ;;
		esac
		echo "bench-device: round $r: $cfg"
		# shellcheck disable=SC2086
		kernel/qemu/swaptrace-qemu --out "$out/$cfg-$r" --workload overhead $opts \
			>"$out/$cfg-$r.log" 2>&1 || {
			tail -n 20 "$out/$cfg-$r.log" >&2
			echo "bench-device: the $cfg run failed (log: $out/$cfg-$r.log)" >&2
			exit 1
		}
	done
	r=$((r + 1))
done
events=0
r=1
while [ "$r" -le "$rounds" ]; do
	n=$(babeltrace2 "$out/on-$r/trace" 2>/dev/null | grep -c ' swap_' || true)
	events=$((events + n))
	r=$((r + 1))
done
python3 - "$out" "$rounds" "$events" <<'EOT'
import re, statistics, sys
out, rounds, events = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
times = {}
for cfg in ('unpatched', 'off', 'on'):
    times[cfg] = []
    for r in range(1, rounds + 1):
        log = open('%s/%s-%d/workload.log' % (out, cfg, r)).read()
        t = [int(us) / 1e6 for us in re.findall(r'^overhead: run \d+: (\d+) us$', log, re.M)]
        if len(t) != 5:
            sys.exit('bench-device: %s-%d: %d timed runs in workload.log, want 5' % (cfg, r, len(t)))
        times[cfg] += t
base = statistics.median(times['unpatched'])
print('| kernel | runs | min s | median s | max s | median vs unpatched |')
print('|---|---|---|---|---|---|')
for cfg in ('unpatched', 'off', 'on'):
    t = times[cfg]
    m = statistics.median(t)
    print('| %s | %d | %.2f | %.2f | %.2f | %+.1f%% |' % (cfg, len(t), min(t), m, max(t),
                                                        100 * (m / base - 1)))
on, off = sum(times['on']), sum(times['off'])
print('recorded swap events: %d in %d recordings (holder and swapoff included)' % (events, rounds))
if events:
    print('recording cost per event (sum of runs, on - off): %.0f ns' % ((on - off) * 1e9 / events))
EOT
