# Helpers sourced by the tests/report scripts.  Every database these tests
# read is made here, from a real recording (emitter through LTTng-UST, or a
# kernel fixture under traces/), never checked in.
#
# Environment (set by tests/report/meson.build): SWAPTRACE, SWAPTRACE_EMIT,
# RECORD_UST, SOURCE_ROOT.
set -eu

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/swaptrace-report.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# q DB SQL: one query, plain output.
q() {
	sqlite3 -batch -noheader "$1" "$2"
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

# record NAME SEED OPS [RULE]: emitter recording through a private
# lttng-sessiond (kernel/emitter/swaptrace-record-ust), replayed into
# $tmp/NAME.db.  The recorder puts the trace in DIR/trace and the emitter's
# kallsyms in DIR, where swaptrace replay finds it.
record() {
	name=$1 seed=$2 ops=$3 rule=${4:-}
	dir=$tmp/$name
	rc=0
	# $EMIT_ARGS: more workload options (--threads, --large-folios, ...)
	"$RECORD_UST" -o "$dir" -- "$SWAPTRACE_EMIT" --seed "$seed" --ops "$ops" \
		${rule:+--inject "$rule"} ${EMIT_ARGS:-} --out-dir "$dir/emitter" \
		>"$tmp/$name.record.log" 2>&1 ||
		rc=$?
	if [ "$rc" = 77 ]; then
		cat "$tmp/$name.record.log" >&2
		skip "LTTng cannot record here"
	elif [ "$rc" != 0 ]; then
		cat "$tmp/$name.record.log" >&2
		fail "recording $name (seed $seed${rule:+, --inject $rule})"
	fi
	replay "$dir/trace" "$tmp/$name.db"
}

# replay TRACE DB
replay() {
	if ! "$SWAPTRACE" replay -q -o "$2" "$1" >"$2.log" 2>&1; then
		cat "$2.log" >&2
		fail "swaptrace replay $1"
	fi
}

# diff_status BASE NEW [ARGS...]: prints the diff, returns its exit status in $status.
diff_status() {
	status=0
	"$SWAPTRACE" diff "$@" >"$tmp/diff.out" 2>&1 || status=$?
	cat "$tmp/diff.out"
}
