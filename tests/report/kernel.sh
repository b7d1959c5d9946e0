#!/bin/sh
# swaptrace diff on the real kernel fixtures: the deliberately buggy kernel
# (write swap-in faults no longer free the swap cache) is a regression
# against the correct one (exit 1, stale retention and round trips up),
# and two recordings of the correct kernel compare equal (exit 0).
. "$(dirname "$0")/lib.sh"

traces=$SOURCE_ROOT/traces
good=$traces/kernel-virtio
bug=$traces/kernel-bug
[ -d "$good" ] || skip "no fixture $good (recorded by the kernel suite, tests/kernel/)"
[ -d "$bug" ] || skip "no fixture $bug (recorded by the kernel suite, tests/kernel/)"

# A fixture is traces/NAME/ with the CTF trace in trace/ (or the directory
# itself) and kallsyms beside it.
fixture_trace() {
	if [ -d "$1/trace" ]; then echo "$1/trace"; else echo "$1"; fi
}

replay "$(fixture_trace "$good")" "$tmp/good.db"
replay "$(fixture_trace "$bug")" "$tmp/bug.db"

diff_status "$tmp/good.db" "$tmp/bug.db"
expect_eq "$status" 1 "diff kernel-virtio -> kernel-bug"
grep -Eq '^  stale_slot_seconds .* WORSE$' "$tmp/diff.out" ||
	fail "diff: stale slot-seconds not worse on the buggy kernel"
grep -Eq '^  findings\.retention_stale .* WORSE$' "$tmp/diff.out" ||
	fail "diff: retention_stale not worse on the buggy kernel"

"$SWAPTRACE" report "$tmp/bug.db" >"$tmp/bug.txt" || fail "report kernel-bug"
cat "$tmp/bug.txt"
stale=$(q "$tmp/bug.db" "SELECT count(*) FROM retention WHERE verdict = 'stale'")
[ "$stale" -gt 0 ] || fail "kernel-bug: no stale retention"

# Two recordings of the correct kernel: another traces/kernel-virtio*
# fixture (same workload, same device, another boot).  kernel-zram is not
# one: another device keeps the cache differently.
second=
for d in "$traces"/kernel-virtio?*; do
	[ -d "$d" ] && second=$d && break
done
if [ -z "$second" ]; then
	echo "note: one correct-kernel recording only; comparing it with itself"
	second=$good
fi
replay "$(fixture_trace "$second")" "$tmp/good2.db"
diff_status "$tmp/good.db" "$tmp/good2.db"
expect_eq "$status" 0 "diff kernel-virtio -> $(basename "$second")"
echo "PASS"
