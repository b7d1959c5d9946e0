# Shared by the shell tests of tests/{cli,replay,bad-input}: sourced, not run.
# Environment (set by meson.build): SWAPTRACE, PYTHON, TRACES (traces/).
set -u

TMP=$(mktemp -d "${TMPDIR:-/tmp}/swaptrace-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
failures=0
tests=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

ok() {
	tests=$((tests + 1))
}

# expect_status WANT CMD...: run CMD, capture stdout/stderr in $TMP/out, $TMP/err.
expect_status() {
	want=$1
	shift
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	ok
	if [ "$got" != "$want" ]; then
		fail "'$*' exited $got, want $want"
		sed 's/^/  stderr: /' "$TMP/err" >&2
		return 1
	fi
	return 0
}

# expect_grep PATTERN FILE: FILE contains PATTERN (grep -E).
expect_grep() {
	ok
	if ! grep -Eq -- "$1" "$2"; then
		fail "'$2' lacks /$1/"
		sed 's/^/  | /' "$2" >&2
	fi
}

# no_output_left FILE: neither FILE nor any FILE.tmp-* remains.
no_output_left() {
	ok
	if [ -e "$1" ]; then
		fail "'$1' was left behind"
	fi
	for t in "$1".tmp-*; do
		if [ -e "$t" ]; then
			fail "temporary '$t' was left behind"
		fi
	done
}

# fixture NAME DEST: a private copy of the recorded fixture traces/NAME
# (TRACES, set by meson.build), safe to modify.
fixture() {
	if [ ! -d "$TRACES/$1/trace" ]; then
		echo "FAIL: fixture '$TRACES/$1' not found" >&2
		exit 1
	fi
	mkdir -p "$2"
	cp -r "$TRACES/$1/trace" "$2/"
	[ -f "$TRACES/$1/kallsyms" ] && cp "$TRACES/$1/kallsyms" "$2/"
	return 0
}

# fixture_events NAME: the number of swap events the emitter says it
# recorded in traces/NAME (its summary.json).
fixture_events() {
	"$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["events"])' \
		"$TRACES/$1/summary.json"
}

# record_or_skip RECORD OUT_DIR -- PROGRAM ARGS...: a real recording through
# lttng-sessiond (workload/emitter/swaptrace-record-ust); the test is skipped
# (exit 77) when LTTng cannot run here, failed when the recording fails.
record_or_skip() {
	rec_script=$1
	rec_out=$2
	shift 2
	sh "$rec_script" -o "$rec_out" "$@" >"$TMP/record.log" 2>&1
	rec_status=$?
	if [ $rec_status = 77 ]; then
		cat "$TMP/record.log"
		echo "SKIP: LTTng cannot record here"
		exit 77
	elif [ $rec_status != 0 ]; then
		cat "$TMP/record.log" >&2
		[ -f "$rec_out/record.log" ] && sed 's/^/  record.log: /' "$rec_out/record.log" >&2
		echo "FAIL: recording failed ($rec_status)" >&2
		exit 1
	fi
}

finish() {
	echo "$tests checks, $failures failures"
	[ "$failures" = 0 ]
	exit $?
}
