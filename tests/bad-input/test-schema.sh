#!/bin/sh
# Swap events whose fields break event schema v1, in real recordings: the
# test-only provider of tests/replay/bad-schema-tp.h, fired by
# bad-schema-emit and recorded through lttng-sessiond.  Replay must exit 2
# naming the trace, the event class and the field, check must exit 2, and
# neither may leave an output or a temporary file; an existing output must
# survive untouched.
# usage: test-schema.sh RECORD BAD_SCHEMA_EMIT   (exit 77 if LTTng cannot run)
. "$(dirname "$0")/../replay/lib.sh"

RECORD=$1
BAD=$2

# A valid database to protect: the recorded fixture traces/ust-demo.
fixture ust-demo "$TMP/orig"
expect_status 0 "$SWAPTRACE" replay "$TMP/orig" -o "$TMP/orig.db"

# must_fail TRACE_DIR PATTERN: replay and check both refuse it.
must_fail() {
	expect_status 2 "$SWAPTRACE" replay "$1" -o "$TMP/out.db" &&
		expect_grep "^error: cannot read trace '$1[^']*': $2" "$TMP/err"
	ok
	[ "$(wc -l <"$TMP/err")" = 1 ] || fail "$1: error is not one line"
	no_output_left "$TMP/out.db"
	expect_status 2 "$SWAPTRACE" check "$1" &&
		expect_grep "^error: cannot read trace '$1[^']*': $2" "$TMP/err"
	cp "$TMP/orig.db" "$TMP/keep.db"
	expect_status 2 "$SWAPTRACE" replay --force "$1" -o "$TMP/keep.db"
	ok
	cmp -s "$TMP/orig.db" "$TMP/keep.db" || fail "$1: failed replay --force changed the output"
	for t in "$TMP"/keep.db.tmp-*; do
		[ -e "$t" ] && fail "temporary '$t' left behind"
	done
}

# breach CASE PATTERN: record bad-schema-emit CASE, check the recording
# holds the breach (babeltrace2 reads it), then that replay refuses it.
breach() {
	record_or_skip "$RECORD" "$TMP/$1" -- "$BAD" "$1"
	expect_status 0 babeltrace2 "$TMP/$1/trace" &&
		expect_grep '^\[.*swap:device_on: ' "$TMP/out"
	must_fail "$TMP/$1" "$2"
}

breach dup-count-unsigned "event 'swap:entry_dup' field 'count' is u32 \(event schema v1 wants s32\)"
breach put-type-signed "event 'swap:entry_put' field 'type' is s32 \(event schema v1 wants u32\)"
breach free-offset-narrow "event 'swap:entry_free' field 'offset' is u32 \(event schema v1 wants u64\)"
breach alloc-no-pfn "event 'swap:entry_alloc' has no field 'pfn' \(event schema v1 wants u64\)"

finish
