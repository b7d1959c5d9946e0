#!/bin/sh
# An emitter recording with one injected retention / round-trip / race
# pattern gives exactly that record in the database, on the slot the
# emitter's ground truth names, with the expected verdict, and the report
# shows it.
#
# usage: inject.sh RULE   (retention_stale, retention_full, wp_roundtrip, swapin_race)
. "$(dirname "$0")/lib.sh"

rule=$1
seed=${SEED:-42}
# Early in a long run: an interval the pattern leaves open lasts until the
# end of the trace, many times the 1 ms threshold on any machine.
ops=${OPS:-20000}
record inj "$seed" "$ops" "$rule@100"
db=$tmp/inj.db

# The injected slot, from the emitter's ground truth (one JSON line per
# injection: rule, type, offset, nr, op, seq_hint).
truth=$tmp/inj/emitter/ground-truth.jsonl
[ -s "$truth" ] || fail "no emitter ground truth $truth"
slot=$(python3 -c 'import json, sys
t = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert len(t) == 1 and t[0]["rule"] == sys.argv[2], t
print(t[0]["type"], t[0]["offset"])' "$truth" "$rule") || fail "ground truth: $(cat "$truth")"
set -- $slot
type=$1 offset=$2
at="type = $type AND offset = $offset"

# Exactly one finding of the injected rule, on the injected slot.
expect_eq "$(q "$db" "SELECT count(*) FROM findings WHERE rule = '$rule' AND $at")" 1 \
	"$rule findings on slot $type:$offset"
# wp_roundtrip's slot is cached with count 0, written, for the few
# microseconds between two events; a preempted emitter may stretch that
# past the threshold into a (true) retention_stale on that slot.
expect_eq "$(q "$db" "SELECT count(*) FROM findings WHERE rule <> '$rule'
	AND NOT ('$rule' = 'wp_roundtrip' AND rule = 'retention_stale' AND $at)")" 0 \
	"findings of other rules"
# The call sites the emitter uses (workload/emitter/emit.c callsite_ip()):
# folio_put_swap and do_swap_page, each at +0x5a.
put_ip=ffffffff8100505a
fault_ip=ffffffff8100c05a

case $rule in
retention_stale)
	# The write fault kept the cache: one interval, written, started by
	# the put that dropped the count to 0, still open at trace end (the
	# pattern's slot is never touched again).
	expect_eq "$(q "$db" "SELECT verdict || ' ' || written || ' ' || (end_seq IS NULL) || ' '
		|| printf('%x', start_ip) FROM retention WHERE $at")" "stale 1 1 $put_ip" \
		"the injected slot's interval"
	expect_eq "$(q "$db" "SELECT count(*) FROM retention WHERE verdict = 'stale'")" 1 \
		"stale intervals"
	expect_eq "$(q "$db" "SELECT count(*) FROM retention WHERE verdict = 'full'")" 0 \
		"full intervals"
	expect_eq "$(q "$db" "SELECT count(*) FROM roundtrips")" 0 "round trips"
	expect_eq "$(q "$db" "SELECT count(*) FROM races")" 0 "races"
	;;
retention_full)
	# A read fault kept the cache while the small device was over half
	# full: one interval, not written, fill over 500 per mille.
	expect_eq "$(q "$db" "SELECT verdict || ' ' || written || ' ' || (fill_permille_max > 500)
		|| ' ' || printf('%x', start_ip) FROM retention WHERE $at")" "full 0 1 $put_ip" \
		"the injected slot's interval"
	expect_eq "$(q "$db" "SELECT count(*) FROM retention WHERE verdict = 'full'")" 1 \
		"full intervals"
	expect_eq "$(q "$db" "SELECT count(*) FROM retention WHERE verdict = 'stale'")" 0 \
		"stale intervals"
	expect_eq "$(q "$db" "SELECT count(*) FROM roundtrips")" 0 "round trips"
	expect_eq "$(q "$db" "SELECT count(*) FROM races")" 0 "races"
	;;
wp_roundtrip)
	# The first write fault kept the cache; the second fault freed it.
	expect_eq "$(q "$db" "SELECT count(*) FROM roundtrips")" 1 "round trips"
	expect_eq "$(q "$db" "SELECT count(*) FROM roundtrips WHERE $at AND delay_ns >= 0
		AND free_seq > fault_seq AND printf('%x', ip) = '$fault_ip'")" 1 \
		"the round trip's slot, order and call site"
	expect_eq "$(q "$db" "SELECT count(*) FROM retention WHERE verdict <> 'lazy'
		AND NOT $at")" 0 "stale or full intervals elsewhere"
	expect_eq "$(q "$db" "SELECT count(*) FROM races")" 0 "races"
	;;
swapin_race)
	# The loser's -EEXIST add, matched with the winner's insert.
	expect_eq "$(q "$db" "SELECT count(*) FROM races")" 1 "races"
	expect_eq "$(q "$db" "SELECT count(*) FROM races WHERE $at AND winner_seq < seq
		AND wait_ns >= 0")" 1 "the race's slot, winner and wait"
	expect_eq "$(q "$db" "SELECT count(*) FROM retention WHERE verdict <> 'lazy'")" 0 \
		"stale or full intervals"
	expect_eq "$(q "$db" "SELECT count(*) FROM roundtrips")" 0 "round trips"
	;;
*)
	fail "unknown rule '$rule'"
	;;
esac

# The report says the same.
"$SWAPTRACE" report "$db" >"$tmp/report.txt" || fail "swaptrace report"
cat "$tmp/report.txt"
severity=$(q "$db" "SELECT DISTINCT severity FROM findings WHERE rule = '$rule'")
n=$(q "$db" "SELECT count(*) FROM findings WHERE rule = '$rule'")
grep -Eq "^  $severity +$rule +$n " "$tmp/report.txt" || fail "report: no '$rule $n' line"
case $rule in
retention_stale)
	n=$(q "$db" "SELECT count(*) FROM retention WHERE verdict = 'stale'")
	grep -Eq "^  stale +$n " "$tmp/report.txt" || fail "report: no stale intervals"
	grep -Eq "folio_put_swap|0x$put_ip" "$tmp/report.txt" || fail "report: no call site"
	;;
retention_full)
	grep -Eq '^  full +1 ' "$tmp/report.txt" || fail "report: no full interval"
	grep -Eq "swap device $type\$" "$tmp/report.txt" || fail "report: no device $type"
	;;
wp_roundtrip)
	grep -Eq '^  1 round trips; delay' "$tmp/report.txt" || fail "report: no round trip"
	grep -Eq "^ +1 .* (do_swap_page|0x$fault_ip)" "$tmp/report.txt" ||
		fail "report: no round-trip site"
	;;
swapin_race)
	grep -Eq '^  1 races on 1 slots' "$tmp/report.txt" || fail "report: no race"
	grep -Eq 'wait until the winning insert: p50' "$tmp/report.txt" || fail "report: no wait"
	;;
esac
# Same database, same bytes (DESIGN.md §6): text and HTML.
"$SWAPTRACE" report "$db" --html "$tmp/a.html" >"$tmp/again.txt"
"$SWAPTRACE" report "$db" --html "$tmp/b.html" >/dev/null
cmp "$tmp/report.txt" "$tmp/again.txt" || fail "report not deterministic"
cmp "$tmp/a.html" "$tmp/b.html" || fail "HTML report not deterministic"
echo "PASS: $rule"
