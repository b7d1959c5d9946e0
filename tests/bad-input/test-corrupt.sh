#!/bin/sh
# Corrupted copies of our own traces: a stream file cut mid-packet, bytes
# flipped in the metadata, swap events whose fields break event schema v1.
# Each must exit 1 naming the trace, and leave neither output nor temporary
# file; an existing output must survive untouched.
# usage: test-corrupt.sh [RECORD EMIT]: corrupt a fresh recording of
# swaptrace-emit (exit 77 if LTTng cannot run), or by default a synthetic
# trace from mkctf.py
. "$(dirname "$0")/../replay/lib.sh"

if [ $# -ge 2 ]; then
	"$1" -o "$TMP/orig" -- "$2" --seed 7 --ops 3000 --threads 2 --large-folios \
		--out-dir "$TMP/orig/emitter" >"$TMP/record.log" 2>&1
	status=$?
	if [ $status = 77 ]; then
		echo "SKIP: LTTng cannot record here"
		exit 77
	elif [ $status != 0 ]; then
		cat "$TMP/record.log" >&2
		exit 1
	fi
else
	small_trace "$TMP/orig"
fi
expect_status 0 "$SWAPTRACE" replay "$TMP/orig" -o "$TMP/orig.db"

# must_fail TRACE_DIR PATTERN: replay and check both refuse it.
must_fail() {
	expect_status 1 "$SWAPTRACE" replay "$1" -o "$TMP/out.db" &&
		expect_grep "^error: cannot read trace '$1'?.*$2" "$TMP/err"
	no_output_left "$TMP/out.db"
	expect_status 2 "$SWAPTRACE" check "$1"
	# --force over an existing database: the old one survives a failure.
	cp "$TMP/orig.db" "$TMP/keep.db"
	expect_status 1 "$SWAPTRACE" replay --force "$1" -o "$TMP/keep.db"
	ok
	cmp -s "$TMP/orig.db" "$TMP/keep.db" || fail "$1: failed replay --force changed the output"
	for t in "$TMP"/keep.db.tmp-*; do
		[ -e "$t" ] && fail "temporary '$t' left behind"
	done
}

# The largest stream file, cut in the middle of a packet.
stream=$(cd "$TMP/orig" && find . -type f ! -name metadata ! -path '*/index/*' -printf '%s %p\n' |
	sort -rn | head -1 | cut -d' ' -f2)
cp -r "$TMP/orig" "$TMP/cut"
size=$(stat -c %s "$TMP/cut/$stream")
truncate -s $((size / 2 + 13)) "$TMP/cut/$stream"
must_fail "$TMP/cut" ""

# Metadata with the first "event" keyword flipped.
for meta in $(cd "$TMP/orig" && find . -name metadata | sort); do
	cp -r "$TMP/orig" "$TMP/flip"
	"$PYTHON" - "$TMP/flip/$meta" <<'EOT'
import sys
path = sys.argv[1]
data = bytearray(open(path, 'rb').read())
i = data.index(b'event {')
for k in range(5):
	data[i + k] ^= 0xff
open(path, 'wb').write(data)
EOT
	must_fail "$TMP/flip" ""
	rm -rf "$TMP/flip"
	break
done

# Schema breaches name the event class, the field and the trace.
echo "100 entry_dup type=0 offset=8 nr=1 pfn=4096 count=1" >"$TMP/ev"
mkctf "$TMP/width" --field-type entry_dup.count=u32 <"$TMP/ev"
must_fail "$TMP/width" "event 'swap:entry_dup' field 'count' is u32 \(event schema v1 wants s32\)"
mkctf "$TMP/sign" --field-type entry_dup.type=s32 <"$TMP/ev"
must_fail "$TMP/sign" "event 'swap:entry_dup' field 'type' is s32"
echo "100 entry_alloc type=0 offset=8 nr=1 pfn=4096" >"$TMP/ev"
mkctf "$TMP/missing" --kernel --drop entry_alloc.pfn <"$TMP/ev"
must_fail "$TMP/missing" "event 'swap_entry_alloc' has no field 'pfn'"

finish
