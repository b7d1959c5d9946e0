#!/bin/sh
# Corrupted copies of our own recordings: a stream file cut mid-packet,
# bytes flipped in a stream's packet header, bytes flipped in the metadata.
# Each must exit 2 naming the trace, and leave neither output nor temporary
# file; an existing output must survive untouched.  (Swap events whose
# fields break event schema v1: test-schema.sh.)
# usage: test-corrupt.sh [RECORD EMIT]: corrupt a fresh recording of
# swaptrace-emit (exit 77 if LTTng cannot run), or by default a copy of the
# recorded fixture traces/ust-demo
. "$(dirname "$0")/../replay/lib.sh"

if [ $# -ge 2 ]; then
	record_or_skip "$1" "$TMP/orig" -- "$2" --seed 7 --ops 3000 --threads 2 --large-folios \
		--out-dir "$TMP/orig/emitter"
else
	fixture ust-demo "$TMP/orig"
fi
expect_status 0 "$SWAPTRACE" replay "$TMP/orig" -o "$TMP/orig.db" &&
	expect_grep '^[1-9][0-9]* swap events replayed' "$TMP/out"

# must_fail TRACE_DIR PATTERN: replay and check both refuse it.
must_fail() {
	expect_status 2 "$SWAPTRACE" replay "$1" -o "$TMP/out.db" &&
		expect_grep "^error: cannot read trace '$1'?.*$2" "$TMP/err"
	no_output_left "$TMP/out.db"
	expect_status 2 "$SWAPTRACE" check "$1"
	# --force over an existing database: the old one survives a failure.
	cp "$TMP/orig.db" "$TMP/keep.db"
	expect_status 2 "$SWAPTRACE" replay --force "$1" -o "$TMP/keep.db"
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

# The same stream file with its first packet's magic number flipped.
cp -r "$TMP/orig" "$TMP/magic"
"$PYTHON" - "$TMP/magic/$stream" <<'EOT'
import sys
path = sys.argv[1]
data = bytearray(open(path, 'rb').read())
assert data[:4] in (b'\xc1\x1f\xfc\xc1', b'\xc1\xfc\x1f\xc1'), data[:4]
for k in range(4):
	data[k] ^= 0x5a
open(path, 'wb').write(data)
EOT
must_fail "$TMP/magic" ""

# A stream file cut to nothing but half a packet header.
cp -r "$TMP/orig" "$TMP/header"
truncate -s 7 "$TMP/header/$stream"
must_fail "$TMP/header" ""

finish
