#!/bin/sh
# Stream data that is not there, in copies of the recorded fixtures: a
# stream file deleted, emptied, turned into a directory or a dangling link,
# or cut at a packet boundary (with or without its index).  babeltrace2 skips such data without a word,
# and the replay once exited 0 with false errors (free_referenced ... data
# loss) and 0 gaps.  Now each is a gap, with a warning naming the file, and
# the checks the lost packets may hide count as unverified: no error
# finding, and never a clean trace.
. "$(dirname "$0")/../replay/lib.sh"

# clean_but_gaps N: the summary ($TMP/out) says no error finding, some
# checks unverified and N gaps.
clean_but_gaps() {
	expect_grep '^  findings +0 errors, ' "$TMP/out" &&
		expect_grep '^  unverified +[1-9][0-9]* checks' "$TMP/out" &&
		expect_grep "^  gaps +$1 gaps? \\(" "$TMP/out"
}

fixture ust-demo "$TMP/orig"
D=trace/ust/uid/0/64-bit
expect_status 0 "$SWAPTRACE" replay "$TMP/orig" -o "$TMP/orig.db" &&
	expect_grep '^  gaps +none' "$TMP/out"

# lost NAME HOW WHY: replay the copy NAME, whose swapchan_1 HOW made it WHY.
lost() {
	expect_status 0 "$SWAPTRACE" replay "$TMP/$1" -o "$TMP/$1.db" &&
		expect_grep "^warning: trace '$TMP/$1/$D': stream file 'swapchan_1' is $3" "$TMP/err" &&
		clean_but_gaps 1 && expect_grep '\(0 events and 1 packets lost\)' "$TMP/out"
	expect_status 0 sqlite3 "$TMP/$1.db" "SELECT kind, stream, count FROM gaps" &&
		expect_grep "^packets\\|$1/$D/swapchan_1\\|1\$" "$TMP/out"
	# check says the same, and exits 0: the trace holds no error it can prove.
	expect_status 0 "$SWAPTRACE" check "$TMP/$1"
}

cp -r "$TMP/orig" "$TMP/deleted" && rm "$TMP/deleted/$D/swapchan_1"
lost deleted "rm" "missing: 1 packet its index lists is lost"
cp -r "$TMP/orig" "$TMP/emptied" && : >"$TMP/emptied/$D/swapchan_1"
lost emptied ": >" "empty: 1 packet its index lists is lost"
cp -r "$TMP/orig" "$TMP/dir" && rm "$TMP/dir/$D/swapchan_1" && mkdir "$TMP/dir/$D/swapchan_1"
lost dir "mkdir" "not a regular file: 1 packet its index lists is lost"
cp -r "$TMP/orig" "$TMP/dangling" && rm "$TMP/dangling/$D/swapchan_1" &&
	ln -s "$TMP/nowhere" "$TMP/dangling/$D/swapchan_1"
lost dangling "ln -s" "missing: 1 packet its index lists is lost"

# A stream deleted with its index leaves no trace of itself but its
# number: LTTng writes a stream per possible CPU, so swapchan_1 without
# swapchan_0 means one is gone.  The whole trace is distrusted.
cp -r "$TMP/orig" "$TMP/gone" && rm "$TMP/gone/$D/swapchan_0" "$TMP/gone/$D/index/swapchan_0.idx"
expect_status 0 "$SWAPTRACE" replay "$TMP/gone" -o "$TMP/gone.db" &&
	expect_grep "^warning: trace '$TMP/gone/$D': stream file 'swapchan_0' is missing, and so is its index, although its channel has higher-numbered streams" "$TMP/err" &&
	clean_but_gaps 1

# Without its index, an emptied stream says nothing of what it held: the
# whole trace is distrusted.
cp -r "$TMP/emptied" "$TMP/noindex" && rm "$TMP/noindex/$D/index/swapchan_1.idx"
expect_status 0 "$SWAPTRACE" replay "$TMP/noindex" -o "$TMP/noindex.db" &&
	expect_grep "^warning: .*'swapchan_1' is empty and has no index: what it held is lost" "$TMP/err" &&
	clean_but_gaps 1

# A kernel stream of several packets cut after its second: the rest lost,
# with the time span the index gives them.
fixture kernel-zram "$TMP/korig"
K=trace/kernel
cp -r "$TMP/korig" "$TMP/cut"
truncate -s 2097152 "$TMP/cut/$K/swap_0"
expect_status 0 "$SWAPTRACE" replay "$TMP/cut" -o "$TMP/cut.db" &&
	expect_grep "^warning: trace '$TMP/cut/$K': stream file 'swap_0' is cut short: [1-9][0-9]* packets? its index lists (is|are) lost" "$TMP/err" &&
	clean_but_gaps 1
expect_status 0 sqlite3 "$TMP/cut.db" "SELECT count, begin_ts_ns IS NOT NULL, end_ts_ns > begin_ts_ns FROM gaps" &&
	expect_grep '^[1-9][0-9]*\|1\|1$' "$TMP/out"

# The fixture has no error finding; the cut copy must have none either.
expect_status 0 sqlite3 "$TMP/cut.db" "SELECT COUNT(*) FROM findings WHERE severity = 'error'" &&
	expect_grep '^0$' "$TMP/out"

# The same cut with that stream's index deleted too: the file alone reads
# as a whole, shorter stream.  The other stream's index says when the
# session stopped; from swap_0's last packet to then is a gap, so the
# replay is never clean.  The babeltrace2 path judges it (the fast decoder
# declines a stream without an index), under every --decoder choice.
cp -r "$TMP/cut" "$TMP/cutnoidx" && rm "$TMP/cutnoidx/$K/index/swap_0.idx"
for dec in auto babeltrace2; do
	expect_status 0 "$SWAPTRACE" replay --decoder=$dec "$TMP/cutnoidx" -o "$TMP/cutnoidx-$dec.db" &&
		expect_grep "^warning: trace '$TMP/cutnoidx/$K': stream file 'swap_0' has no usable index and ends [0-9.]+ s before the trace's other streams: it may have been cut" "$TMP/err" &&
		clean_but_gaps 1
done
expect_status 0 cmp "$TMP/cutnoidx-auto.db" "$TMP/cutnoidx-babeltrace2.db"
expect_status 0 sqlite3 "$TMP/cutnoidx-auto.db" \
	"SELECT count, end_ts_ns > begin_ts_ns FROM gaps; SELECT COUNT(*) FROM findings WHERE severity = 'error'" &&
	expect_grep '^\|1$' "$TMP/out" && expect_grep '^0$' "$TMP/out"
expect_status 2 "$SWAPTRACE" replay --decoder=fast "$TMP/cutnoidx" -o "$TMP/cutnoidx-fast.db" &&
	expect_grep "has no index" "$TMP/err"
# Without any index nothing tells a cut stream from a short one: the
# replay says so rather than pass for whole.
cp -r "$TMP/cutnoidx" "$TMP/allnoidx" && rm -r "$TMP/allnoidx/$K/index"
expect_status 0 "$SWAPTRACE" replay "$TMP/allnoidx" -o "$TMP/allnoidx.db" &&
	expect_grep "^warning: trace '$TMP/allnoidx/$K' has no index: a stream file cut at a packet boundary cannot be detected" "$TMP/err"

finish
