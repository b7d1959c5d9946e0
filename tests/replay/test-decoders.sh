#!/bin/sh
# Every fixture of traces/ through both decoders: `--decoder=fast` (which
# must accept every LTTng recording, and refuse perf's by name) and
# `--decoder=babeltrace2` give the same database byte for byte, with and
# without --events, and the default (auto) is the same again.
. "$(dirname "$0")/lib.sh"

for dir in "$TRACES"/*/; do
	name=$(basename "$dir")
	[ -d "$dir/trace" ] || continue
	if [ -f "$dir/perf-lost.tsv" ]; then
		# perf's CTF is not LTTng's layout: the fast decoder declines it by
		# name, and the default reads it with babeltrace2, byte for byte.
		expect_status 2 "$SWAPTRACE" replay -q --decoder=fast "$dir" -o "$TMP/$name-fast.db" &&
			expect_grep "with --decoder=fast: .*--decoder=auto reads it with babeltrace2" "$TMP/err"
		no_output_left "$TMP/$name-fast.db"
		expect_status 0 "$SWAPTRACE" replay -q --decoder=babeltrace2 --events "$dir" \
			-o "$TMP/$name-bt.db"
		expect_status 0 "$SWAPTRACE" replay -q --events "$dir" -o "$TMP/$name-auto.db"
		ok
		cmp -s "$TMP/$name-bt.db" "$TMP/$name-auto.db" ||
			fail "$name: the default decoder differs from babeltrace2"
		rm -f "$TMP/$name"-*.db
		continue
	fi
	for events in "" --events; do
		rm -f "$TMP/$name"-*.db
		expect_status 0 "$SWAPTRACE" replay -q --decoder=babeltrace2 $events "$dir" \
			-o "$TMP/$name-bt.db" || { cat "$TMP/err" >&2; continue; }
		expect_status 0 "$SWAPTRACE" replay -q --decoder=fast $events "$dir" \
			-o "$TMP/$name-fast.db" || { cat "$TMP/err" >&2; continue; }
		expect_status 0 "$SWAPTRACE" replay -q $events "$dir" -o "$TMP/$name-auto.db"
		ok
		cmp -s "$TMP/$name-bt.db" "$TMP/$name-fast.db" ||
			fail "$name${events:+ $events}: --decoder=fast differs from --decoder=babeltrace2"
		ok
		cmp -s "$TMP/$name-bt.db" "$TMP/$name-auto.db" ||
			fail "$name${events:+ $events}: the default decoder differs from babeltrace2"
		rm -f "$TMP/$name"-*.db
	done
	# check: the same findings either way.
	"$SWAPTRACE" check --decoder=babeltrace2 "$dir" >"$TMP/check-bt.txt" 2>&1
	s1=$?
	"$SWAPTRACE" check --decoder=fast "$dir" >"$TMP/check-fast.txt" 2>&1
	s2=$?
	ok
	[ $s1 = $s2 ] && cmp -s "$TMP/check-bt.txt" "$TMP/check-fast.txt" ||
		fail "$name: check differs between the decoders"
done

# Usage: an unknown decoder is a usage error.
expect_status 2 "$SWAPTRACE" replay --decoder=nope "$TRACES/ust-demo" -o "$TMP/x.db" &&
	expect_grep "unknown decoder 'nope'" "$TMP/err"
finish
