#!/bin/sh
# A clean emitter recording (the model of a correct kernel) gives only lazy
# retention: no stale or full interval, no retention, round-trip or race
# finding, and no error.
. "$(dirname "$0")/lib.sh"

# usage: clean.sh SEED [EMITTER OPTIONS...]
seed=${1:-42}
[ $# -gt 0 ] && shift
EMIT_ARGS="$*"
record clean "$seed" "${OPS:-20000}"
db=$tmp/clean.db
"$SWAPTRACE" report "$db" >"$tmp/report.txt" || fail "swaptrace report"

lazy=$(q "$db" "SELECT count(*) FROM retention WHERE verdict = 'lazy'")
[ "$lazy" -gt 0 ] || fail "seed $seed: no lazy retention at all (the workload swaps in)"
expect_eq "$(q "$db" "SELECT group_concat(verdict || ' ' || n, ', ') FROM (SELECT verdict,
	count(*) AS n FROM retention WHERE verdict <> 'lazy' GROUP BY verdict)")" "" \
	"seed $seed: stale or full retention intervals"
expect_eq "$(q "$db" "SELECT group_concat(rule || ' ' || findings, ', ') FROM rule_stats
	WHERE findings > 0")" "" "seed $seed: findings"
expect_eq "$(q "$db" "SELECT count(*) FROM roundtrips")" 0 "round trips"
expect_eq "$(q "$db" "SELECT count(*) FROM races")" 0 "races"
grep -Eq '^  stale +0 ' "$tmp/report.txt" || fail "report: stale intervals"
grep -Eq '^  full +0 ' "$tmp/report.txt" || fail "report: full intervals"
grep -q '^  0 errors, 0 warnings, 0 info;' "$tmp/report.txt" || fail "report: findings"
echo "PASS"
