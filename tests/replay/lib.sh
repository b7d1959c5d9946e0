# Shared by the shell tests of tests/{cli,replay,bad-input}: sourced, not run.
# Environment (set by meson.build): SWAPTRACE, PYTHON, MKCTF.
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

# mkctf DIR [ARGS...] < EVENTS: a small synthetic swap trace.
mkctf() {
	"$PYTHON" "$MKCTF" "$@"
}

# A clean little trace: one slot allocated, duplicated, swapped in, freed.
small_trace() {
	mkctf "$1" <<'EOT'
0 device_on type=0 nr_slots=1024 cluster_size=512
100 entry_alloc type=0 offset=8 nr=1 pfn=4096
200 entry_dup type=0 offset=8 nr=1 pfn=4096 count=1
300 cache_del type=0 offset=8 nr=1 pfn=4096
400 entry_put type=0 offset=8 nr=1 pfn=0 count=0
500 entry_free type=0 offset=8 nr=1
EOT
}

finish() {
	echo "$tests checks, $failures failures"
	[ "$failures" = 0 ]
	exit $?
}
