#!/bin/sh
# Every trace of ../shared/data/ctf-peer (babeltrace2's own test traces, none
# with swap events; see its README.md): broken ones fail with exit 2, an
# error naming the trace and babeltrace2's cause chain, and no output or
# temporary file; valid ones fail too, since they hold no swap event, with
# a hint, after reading their gaps.
# usage: test-peer.sh PEER_DIR   (exit 77, "skipped", when it is absent)
. "$(dirname "$0")/../replay/lib.sh"

PEER=$1
if [ ! -d "$PEER" ]; then
	echo "SKIP: peer traces not found at '$PEER' (they live in the shared data, not the repository)"
	exit 77
fi

n=0
for meta in $(find "$PEER" -name metadata | sort); do
	trace=$(dirname "$meta")
	rel=${trace#"$PEER"/}
	name=$(basename "$trace")
	db="$TMP/$n.db"
	n=$((n + 1))
	case $rel in
	fail/*)
		# The headline names the trace; babeltrace2's whole cause chain follows.
		expect_status 2 "$SWAPTRACE" replay "$trace" -o "$db" &&
			expect_grep "^error: cannot read trace '[^']*$name': ." "$TMP/err" &&
			expect_grep "^  babeltrace2: " "$TMP/err"
		ok
		[ "$(grep -cv '^  babeltrace2: ' "$TMP/err")" = 1 ] ||
			fail "$rel: more than the headline outside the cause chain"
		no_output_left "$db"
		expect_status 2 "$SWAPTRACE" check "$trace" &&
			expect_grep "^error: cannot read trace '[^']*$name'" "$TMP/err"
		;;
	*)
		# No swap event: an error with a hint, and no database.
		expect_status 2 "$SWAPTRACE" replay "$trace" -o "$db" &&
			expect_grep "^error: no swap events in '$trace' \([0-9]+ events of other kinds\): is the swap probe loaded" "$TMP/err"
		no_output_left "$db"
		expect_status 2 "$SWAPTRACE" check "$trace" &&
			expect_grep "^error: no swap events in" "$TMP/err"
		;;
	esac
done
ok
[ $n -ge 10 ] || fail "only $n peer traces found"

# The metadata line at fault, which babeltrace2 logs but does not put in a cause.
expect_status 2 "$SWAPTRACE" replay "$PEER/fail/fail1" -o "$TMP/f1.db" &&
	expect_grep "^  babeltrace2: .*At line 15 in metadata stream: Invalid trace's .minor. attribute" "$TMP/err"

# Lost events and packets become gaps (the README's babeltrace2 column),
# as the decoder hands them over (-v).
expect_status 2 "$SWAPTRACE" check -v "$PEER/succeed/ev-disc-no-ts-begin-end" &&
	expect_grep '^swaptrace-replay: ev-disc-no-ts-begin-end/stream: 17 events lost after seq -1$' "$TMP/err"
expect_status 2 "$SWAPTRACE" check -v "$PEER/packet-seq-num/2-lost-before-last" &&
	expect_grep ': 2 packets lost after seq -1$' "$TMP/err"
expect_status 2 "$SWAPTRACE" check -v "$PEER/packet-seq-num/no-lost"
ok
grep -q ' lost after seq' "$TMP/err" && fail "no-lost: a gap reported"

# Two domains side by side, found below one directory, from one host and
# clock: read together (no --merge needed), the kernel one's gap kept.
expect_status 2 "$SWAPTRACE" check -v "$PEER/succeed/multi-domains" &&
	expect_grep "^swaptrace-replay: trace 0: 'multi-domains/kernel'" "$TMP/err" &&
	expect_grep "^swaptrace-replay: trace 1: 'multi-domains/ust'" "$TMP/err" &&
	expect_grep ': 728 events lost after seq -1$' "$TMP/err" &&
	expect_grep "^error: no swap events in '$PEER/succeed/multi-domains' \(4272 events" "$TMP/err"

# The whole fail/ directory: the first broken trace is named.
expect_status 2 "$SWAPTRACE" replay "$PEER/fail" -o "$TMP/all.db" &&
	expect_grep "^error: cannot read trace '$PEER/fail/[a-z0-9-]+" "$TMP/err"
no_output_left "$TMP/all.db"

finish
