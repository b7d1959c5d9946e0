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
# lttng-sessiond (workload/emitter/swaptrace-record-ust), replayed into
# $tmp/NAME.db.  The recorder puts the trace in DIR/trace and the emitter's
# kallsyms in DIR, where swaptrace replay finds it.
record() {
	# sh has no locals: rec_* names keep the caller's variables intact.
	rec_name=$1 rec_seed=$2 rec_ops=$3 rec_inject=${4:-}
	rec_dir=$tmp/$rec_name
	rec_rc=0
	# $EMIT_ARGS: more workload options (--threads, --large-folios, ...)
	"$RECORD_UST" -o "$rec_dir" -- "$SWAPTRACE_EMIT" --seed "$rec_seed" --ops "$rec_ops" \
		${rec_inject:+--inject "$rec_inject"} ${EMIT_ARGS:-} --out-dir "$rec_dir/emitter" \
		>"$tmp/$rec_name.record.log" 2>&1 ||
		rec_rc=$?
	if [ "$rec_rc" = 77 ]; then
		cat "$tmp/$rec_name.record.log" >&2
		skip "LTTng cannot record here"
	elif [ "$rec_rc" != 0 ]; then
		cat "$tmp/$rec_name.record.log" >&2
		fail "recording $rec_name (seed $rec_seed${rec_inject:+, --inject $rec_inject})"
	fi
	# Thresholds spelled out: the verdicts the tests expect must not move
	# with the replayer's defaults.
	replay "$rec_dir/trace" "$tmp/$rec_name.db" --stale-threshold=1ms --full-threshold=1ms
}

# replay TRACE DB [OPTIONS...]
replay() {
	rp_trace=$1 rp_db=$2
	shift 2
	if ! "$SWAPTRACE" replay -q "$@" -o "$rp_db" "$rp_trace" >"$rp_db.log" 2>&1; then
		cat "$rp_db.log" >&2
		fail "swaptrace replay $rp_trace"
	fi
}

# diff_status BASE NEW [ARGS...]: prints the diff, returns its exit status in $status.
diff_status() {
	status=0
	"$SWAPTRACE" diff "$@" >"$tmp/diff.out" 2>&1 || status=$?
	cat "$tmp/diff.out"
}
