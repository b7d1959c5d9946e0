#!/bin/sh
# swaptrace diff on the real kernel fixtures: the regression kernel (write
# swap-in faults no longer drain the LRU batch, so its reference keeps
# written folios in the swap cache) is a regression against the correct one
# (exit 1: stale retention, write faults kept in place, the lru_batch
# reason), and two recordings of one workload on the correct kernel compare
# equal (exit 0), with the default tolerance set from the measured noise.
. "$(dirname "$0")/lib.sh"

traces=$SOURCE_ROOT/traces
good=$traces/kernel-randwrite
again=$traces/kernel-randwrite-again
bad=$traces/kernel-regression-randwrite
for d in "$good" "$again" "$bad"; do
	[ -d "$d" ] || skip "no fixture $d (recorded by kernel/qemu/make-fixture)"
done

replay "$good" "$tmp/good.db"
replay "$again" "$tmp/again.db"
replay "$bad" "$tmp/bad.db"

diff_status "$tmp/good.db" "$tmp/bad.db"
expect_eq "$status" 1 "diff kernel-randwrite -> kernel-regression-randwrite"
grep -Eq '^  stale_slot_seconds .* WORSE$' "$tmp/diff.out" ||
	fail "diff: stale slot-seconds not worse on the regression kernel"
grep -Eq '^  findings\.retention_stale .* WORSE$' "$tmp/diff.out" ||
	fail "diff: retention_stale not worse on the regression kernel"
grep -Eq '^  write_faults\.kept_in_place\.lru_batch .* WORSE$' "$tmp/diff.out" ||
	fail "diff: the lru_batch share of write faults is not worse"

"$SWAPTRACE" report "$tmp/bad.db" >"$tmp/bad.txt" || fail "report kernel-regression-randwrite"
sed -n '/^Write faults that kept the swap cache/,/^$/p' "$tmp/bad.txt"
grep -q '^  lru_batch: LRU batch reference' "$tmp/bad.txt" ||
	fail "report: the cause is not named"
"$SWAPTRACE" report "$tmp/bad.db" --html "$tmp/bad.html" >/dev/null || fail "report --html"
grep -q '<h2>Write faults that kept the swap cache</h2>' "$tmp/bad.html" ||
	fail "html: no write-fault section"
grep -q 'lru_batch</td><td class="n">[1-9]' "$tmp/bad.html" || fail "html: lru_batch row"
top=$(q "$tmp/bad.db" "SELECT reason FROM write_fault_keeps ORDER BY in_place DESC LIMIT 1")
expect_eq "$top" lru_batch "the reason most write faults kept the cache for"

diff_status "$tmp/good.db" "$tmp/again.db"
expect_eq "$status" 0 "diff kernel-randwrite -> kernel-randwrite-again"
diff_status "$tmp/again.db" "$tmp/good.db"
expect_eq "$status" 0 "diff kernel-randwrite-again -> kernel-randwrite"
echo "PASS"
