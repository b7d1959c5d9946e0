#!/bin/sh
# Events whose ranges no kernel could name, recorded through a real
# lttng-sessiond from the real `swap` provider (tests/replay/bounds-emit.c):
# a corrupt nr once cost 20 s of CPU per event in rule_alloc_misaligned, or
# gigabytes of slot state on a device never announced.  Now the reader
# refuses what no kernel names (exit 2, naming the trace and the event),
# and what it lets through costs at most EVENT_NR_MAX slots per event.
# usage: test-bounds.sh RECORD BOUNDS_EMIT   (exit 77 if LTTng cannot run)
. "$(dirname "$0")/../replay/lib.sh"

RECORD=$1
EMIT=$2

record_or_skip "$RECORD" "$TMP/huge" -- "$EMIT" huge-nr
start=$(date +%s)
expect_status 2 "$SWAPTRACE" replay "$TMP/huge" -o "$TMP/huge.db"
secs=$(($(date +%s) - start))
expect_grep "^error: cannot read trace '$TMP/huge/[^']*': event 1 \\(entry_alloc\\) names 4294967295 slots, more than any kernel names at once \\(1048576\\)" "$TMP/err"
no_output_left "$TMP/huge.db"
ok
[ "$secs" -le 20 ] || fail "huge-nr took $secs s"

record_or_skip "$RECORD" "$TMP/type" -- "$EMIT" bad-type
expect_status 2 "$SWAPTRACE" check "$TMP/type" &&
	expect_grep "^error: cannot read trace '$TMP/type/[^']*': event 0 \\(entry_alloc\\) names swap device 4000000, beyond the kernel's 32" "$TMP/err"

# The most the reader lets through, on a device it knows nothing of.
record_or_skip "$RECORD" "$TMP/big" -- "$EMIT" unknown-big
start=$(date +%s)
expect_status 0 "$SWAPTRACE" replay "$TMP/big" -o "$TMP/big.db"
secs=$(($(date +%s) - start))
ok
[ "$secs" -le 120 ] || fail "unknown-big took $secs s"
expect_grep "^4 swap events replayed" "$TMP/out"
expect_status 0 sqlite3 "$TMP/big.db" "SELECT slots_touched FROM devices WHERE type = 3" &&
	expect_grep '^4194304$' "$TMP/out"

finish
