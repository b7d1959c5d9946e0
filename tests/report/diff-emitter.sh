#!/bin/sh
# swaptrace diff on emitter recordings: two recordings of the same seed
# compare equal (exit 0); a recording with an injected stale retention is a
# regression against the clean one (exit 1), and --format=json says so too.
. "$(dirname "$0")/lib.sh"

seed=${SEED:-1234}
ops=${OPS:-20000}

record a "$seed" "$ops"
record b "$seed" "$ops"
record bug "$seed" "$ops" retention_stale@100

diff_status "$tmp/a.db" "$tmp/b.db"
expect_eq "$status" 0 "diff of two clean recordings of seed $seed"
grep -q '^no regression$' "$tmp/diff.out" || fail "diff: no 'no regression' line"

# One stale interval is within the default floors, which the measured
# noise of real kernels sets (diff.c); with floors of 0 it is a regression.
diff_status "$tmp/a.db" "$tmp/bug.db"
expect_eq "$status" 0 "diff clean -> injected retention_stale, default floors"
diff_status --min-count 0 --min-slot-time 0 "$tmp/a.db" "$tmp/bug.db"
expect_eq "$status" 1 "diff clean -> injected retention_stale, floors 0"
grep -Eq '^  findings\.retention_stale +0 +1 +new +WORSE$' "$tmp/diff.out" ||
	fail "diff: retention_stale not reported worse"
grep -Eq '^  stale_slot_seconds +0 +[0-9.e-]+ +new' "$tmp/diff.out" ||
	fail "diff: stale_slot_seconds not new"

# The other direction is an improvement, not a regression.
diff_status "$tmp/bug.db" "$tmp/a.db"
expect_eq "$status" 0 "diff injected -> clean"

diff_status --format=json --min-count 0 --min-slot-time 0 "$tmp/a.db" "$tmp/bug.db"
expect_eq "$status" 1 "json diff clean -> injected"
grep -q '"worse": true' "$tmp/diff.out" || fail "json: no \"worse\": true"
grep -Eq '"metric": "findings.retention_stale", "unit": "count", "base": 0, "new": 1, .*"worse": true' \
	"$tmp/diff.out" || fail "json: retention_stale metric"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$tmp/diff.out" ||
	fail "json: does not parse"
echo "PASS"
