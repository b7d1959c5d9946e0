#!/bin/sh
# Every trace of ../shared/data/ctf-peer (babeltrace2's own test traces, none
# with swap events; see its README.md): broken ones fail with exit 2, an
# error naming the trace, and no output or temporary file; valid ones
# succeed, say that no swap events were found, and record their gaps.
# usage: test-peer.sh PEER_DIR   (exit 77, "skipped", when it is absent)
. "$(dirname "$0")/../replay/lib.sh"

PEER=$1
if [ ! -d "$PEER" ]; then
	echo "SKIP: peer traces not found at '$PEER' (they live in the shared data, not the repository)"
	exit 77
fi

# gaps_are DB SQL-ROWS: the gaps table, as "kind|count", sorted.
gaps_are() {
	got=$(sqlite3 "$1" "SELECT kind || '|' || COALESCE(count, '?') FROM gaps ORDER BY id")
	ok
	[ "$got" = "$2" ] || fail "$1: gaps are '$got', want '$2'"
}

n=0
for meta in $(find "$PEER" -name metadata | sort); do
	trace=$(dirname "$meta")
	rel=${trace#"$PEER"/}
	name=$(basename "$trace")
	db="$TMP/$n.db"
	n=$((n + 1))
	case $rel in
	fail/*)
		expect_status 2 "$SWAPTRACE" replay "$trace" -o "$db" &&
			expect_grep "^error: cannot read trace '[^']*$name': ." "$TMP/err"
		ok
		[ "$(wc -l <"$TMP/err")" = 1 ] || fail "$rel: error is not one line"
		no_output_left "$db"
		expect_status 2 "$SWAPTRACE" check "$trace" &&
			expect_grep "^error: cannot read trace '[^']*$name'" "$TMP/err"
		;;
	*)
		expect_status 0 "$SWAPTRACE" replay "$trace" -o "$db" &&
			expect_grep "^no swap events found in '$trace'" "$TMP/out"
		expect_status 0 "$SWAPTRACE" check "$trace" &&
			expect_grep "^no swap events found" "$TMP/out"
		expect_status 0 sqlite3 "$db" "SELECT COUNT(*) FROM findings" &&
			expect_grep '^0$' "$TMP/out"
		;;
	esac
done
ok
[ $n -ge 10 ] || fail "only $n peer traces found"

# Lost events and packets become gaps (the README's babeltrace2 column).
expect_status 0 "$SWAPTRACE" replay "$PEER/succeed/ev-disc-no-ts-begin-end" -o "$TMP/ev.db"
gaps_are "$TMP/ev.db" "events|17"
expect_status 0 sqlite3 "$TMP/ev.db" "SELECT begin_ts_ns IS NULL, end_ts_ns IS NULL, after_seq IS NULL, stream FROM gaps" &&
	expect_grep '^1\|1\|1\|ev-disc-no-ts-begin-end/stream$' "$TMP/out"
expect_status 0 "$SWAPTRACE" replay "$PEER/packet-seq-num/2-lost-before-last" -o "$TMP/pk.db" &&
	expect_grep '1 gap \(0 events and 2 packets lost\)' "$TMP/out"
gaps_are "$TMP/pk.db" "packets|2"
expect_status 0 "$SWAPTRACE" replay "$PEER/packet-seq-num/no-lost" -o "$TMP/nl.db"
gaps_are "$TMP/nl.db" ""

# Two domains side by side, found below one directory: both traces read,
# the kernel one's gap kept, names relative to the input.
expect_status 0 "$SWAPTRACE" replay "$PEER/succeed/multi-domains" -o "$TMP/md.db"
gaps_are "$TMP/md.db" "events|728"
expect_status 0 sqlite3 "$TMP/md.db" "SELECT value FROM meta WHERE key IN ('traces', 'trace.0.name', 'trace.1.name', 'events.other', 'env.domain') ORDER BY key" &&
	expect_grep '^kernel$' "$TMP/out" && expect_grep '^multi-domains/kernel$' "$TMP/out" &&
	expect_grep '^multi-domains/ust$' "$TMP/out" && expect_grep '^4272$' "$TMP/out"
ok
if grep -q "$PEER" "$TMP/md.db"; then
	fail "an absolute path reached the database"
fi

# Inputs in either order, or one parent: the same bytes.
expect_status 0 "$SWAPTRACE" replay "$PEER/succeed/multi-domains/ust" "$PEER/succeed/multi-domains/kernel" -o "$TMP/uk.db"
expect_status 0 "$SWAPTRACE" replay "$PEER/succeed/multi-domains/kernel" "$PEER/succeed/multi-domains/ust" -o "$TMP/ku.db"
ok
cmp -s "$TMP/uk.db" "$TMP/ku.db" || fail "input order changed the database"

# The whole fail/ directory: the first broken trace is named.
expect_status 2 "$SWAPTRACE" replay "$PEER/fail" -o "$TMP/all.db" &&
	expect_grep "^error: cannot read trace '$PEER/fail/[a-z0-9-]+" "$TMP/err"
no_output_left "$TMP/all.db"

finish
