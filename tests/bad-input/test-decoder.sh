#!/bin/sh
# babeltrace2 crashing, hanging or outgrowing its memory stays inside the
# decoder child: the replay exits 2 naming the trace, the signal and what
# babeltrace2 said, and leaves no file behind (it once died with it,
# leaving a 0-byte OUT.db.tmp-XXXXXX).  The inputs: babeltrace2's own
# meta-ctx-sequence test trace (data/, which 2.0.4 aborts on) and mutated
# copies of the recorded fixtures.
. "$(dirname "$0")/../replay/lib.sh"

EDIT="$PYTHON $(dirname "$0")/../fuzz/ctf-edit.py"
DATA="$(dirname "$0")/data"

# nothing_left DIR: DIR holds no file at all.
nothing_left() {
	ok
	[ -z "$(ls -A "$1")" ] || fail "left in '$1': $(ls -A "$1")"
}

# An assertion of babeltrace2 while it opens the trace.
mkdir "$TMP/o1"
cp -r "$DATA/meta-ctx-sequence" "$TMP/mcs"
expect_status 2 "$SWAPTRACE" replay "$TMP/mcs" -o "$TMP/o1/out.db" &&
	expect_grep "^error: cannot read trace '$TMP/mcs': babeltrace2 crashed \\(SIGABRT, signal 6\\)" "$TMP/err" &&
	expect_grep "^  babeltrace2: .*update_field_class_stored_value_index\\(\\): Assertion .tgt_fc. failed" "$TMP/err"
nothing_left "$TMP/o1"
expect_status 2 "$SWAPTRACE" check "$TMP/mcs" &&
	expect_grep "babeltrace2 crashed" "$TMP/err"

# A precondition abort while it decodes events: a copy of ust-demo whose
# metadata declares its procname context 8 Gi bytes long.  An existing
# output survives a --force replay that fails.
fixture ust-demo "$TMP/orig"
expect_status 0 "$SWAPTRACE" replay "$TMP/orig" -o "$TMP/orig.db"
cp -r "$TMP/orig" "$TMP/arr"
$EDIT "$TMP/arr/trace/ust/uid/0/64-bit/metadata" '_procname\[17\]' '_procname[8589934592]'
mkdir "$TMP/o2"
cp "$TMP/orig.db" "$TMP/o2/keep.db"
expect_status 2 "$SWAPTRACE" replay --force "$TMP/arr" -o "$TMP/o2/keep.db" &&
	expect_grep "^error: cannot read trace '$TMP/arr/trace/ust/uid/0/64-bit': babeltrace2 crashed \\(SIGABRT" "$TMP/err" &&
	expect_grep "^  babeltrace2: .*precondition not satisfied" "$TMP/err"
ok
cmp -s "$TMP/orig.db" "$TMP/o2/keep.db" || fail "a failed --force replay changed the output"
ok
[ "$(ls -A "$TMP/o2")" = keep.db ] || fail "left in o2: $(ls -A "$TMP/o2")"

# With a sound trace beside it (--merge: the copies share a session), the
# crash is blamed on the trace that causes it, decoded again alone.
mkdir "$TMP/two"
cp -r "$TMP/orig" "$TMP/two/a-good"
cp -r "$TMP/arr" "$TMP/two/b-bad"
expect_status 2 "$SWAPTRACE" replay --merge "$TMP/two" -o "$TMP/two.db" &&
	expect_grep "^error: cannot read trace '$TMP/two/b-bad/trace/ust/uid/0/64-bit': babeltrace2 crashed" "$TMP/err"
no_output_left "$TMP/two.db"

# The watchdog: a decoder that sends nothing for --decoder-timeout is stopped.
# (babeltrace2's containment: --decoder=babeltrace2, since the default reads
# these fixtures with the fast decoder.)
fixture kernel-zram "$TMP/k"
mkdir "$TMP/o3"
expect_status 2 "$SWAPTRACE" replay --decoder=babeltrace2 --decoder-timeout 1ms "$TMP/k" -o "$TMP/o3/out.db" &&
	expect_grep "^error: cannot read trace '$TMP/k/trace/kernel': babeltrace2 made no progress for 0.001 s and was stopped" "$TMP/err"
nothing_left "$TMP/o3"
# The message names the decoder that ran: the fast one is not babeltrace2.
expect_status 2 "$SWAPTRACE" replay --decoder=fast --decoder-timeout 1ms "$TMP/k" -o "$TMP/o3/out.db" &&
	expect_grep "^error: cannot read trace '$TMP/k/trace/kernel': the fast decoder made no progress for 0.001 s" "$TMP/err"
nothing_left "$TMP/o3"

# The decoder child is the running binary, started by its path while that
# is still there, so tools that follow exec by path (valgrind
# --trace-children) see swaptrace and not themselves.
mkdir "$TMP/bin" && cp "$SWAPTRACE" "$TMP/bin/st"
expect_status 0 "$TMP/bin/st" replay --verbose "$TMP/k" -o "$TMP/o3/path.db" &&
	expect_grep "decoder [0-9]+ started on 1 trace from '$TMP/bin/st'" "$TMP/err"

# The memory limit: babeltrace2 cannot map a 4 MiB stream in 16 MiB of
# address space (under AddressSanitizer, whose allocator enforces the
# limit, the decoder is stopped instead).
mkdir "$TMP/o4"
expect_status 2 "$SWAPTRACE" replay --decoder=babeltrace2 --decoder-memory 16M "$TMP/k" -o "$TMP/o4/out.db" &&
	expect_grep "^error: cannot read trace '$TMP/k/trace/kernel': " "$TMP/err" &&
	expect_grep "(Cannot allocate memory|ran out of memory)" "$TMP/err"
nothing_left "$TMP/o4"

# Impossible metadata packet headers, which babeltrace2 2.0.4 reads
# forever, are refused before it sees them.
cp -r "$TMP/k" "$TMP/loop"
"$PYTHON" - "$TMP/loop/trace/kernel/metadata" <<'EOT'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, 'rb').read())
packet = struct.unpack('<I', data[28:32])[0]
data[24:28] = struct.pack('<I', packet + 8)  # content size past the packet size
open(path, 'wb').write(data)
EOT
expect_status 2 timeout 60 "$SWAPTRACE" replay "$TMP/loop" -o "$TMP/loop.db" &&
	expect_grep "^error: cannot read trace '$TMP/loop/trace/kernel': metadata packet 0 \\(byte 0\\): content size larger than the packet size" "$TMP/err"

finish
