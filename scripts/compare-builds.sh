#!/bin/sh
# Compares what two swaptrace binaries make of the same traces: for each
# TRACE, the database of `replay` (with and without --events), the output
# and exit status of `check` (text and --format=json), `report` (text and
# --html), and `diff` between consecutive traces' databases.  Meant for
# refactors that must not change any output: build the old tree in one
# build directory, the new one in another, and run
#
#	scripts/compare-builds.sh OLD/swaptrace NEW/swaptrace traces/* [MORE...]
#
# Databases are compared byte for byte; when the bytes differ, the tables
# are compared too (`sqlite3 .dump` of every table), so a change that only
# adds or rewrites a view shows as "tables identical".  JSON that differs
# in bytes is compared parsed (python3), as it may differ in layout only.
# Prints one line per trace and a summary; exit status 1 when any table or
# text output differs, 0 otherwise.  Needs sqlite3 and python3.
set -eu

[ $# -ge 3 ] || { echo "usage: $0 OLD_SWAPTRACE NEW_SWAPTRACE TRACE..." >&2; exit 2; }
old=$(realpath "$1")
new=$(realpath "$2")
shift 2
work=$(mktemp -d "${TMPDIR:-/tmp}/swaptrace-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/old" "$work/new"

status=0
n=0
n_bytes=0
n_tables=0
n_json_layout=0
prev=

# run SIDE NAME ARGS...: runs the SIDE binary in $work/SIDE, output in NAME.out/.rc
run() {
	run_side=$1 run_name=$2
	shift 2
	run_bin=$old
	[ "$run_side" = new ] && run_bin=$new
	(cd "$work/$run_side" && { rc=0; "$run_bin" "$@" >"$run_name.out" 2>"$run_name.err" || rc=$?; echo $rc >"$run_name.rc"; })
}

# same NAME: 0 when old and new NAME.out and NAME.rc are identical
same() {
	cmp -s "$work/old/$1.out" "$work/new/$1.out" && cmp -s "$work/old/$1.rc" "$work/new/$1.rc"
}

tables() {
	for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"); do
		sqlite3 "$1" ".dump $t"
	done
}

json_equal() {
	python3 -c 'import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(a != b)' "$work/old/$1.out" "$work/new/$1.out"
}

for trace in "$@"; do
	trace=$(realpath "$trace")
	name=$(basename "$trace")
	n=$((n + 1))
	verdict=""
	for side in old new; do
		run $side "$name-replay" replay -q "$trace" -o "$name.db"
		run $side "$name-replay-ev" replay -q --events "$trace" -o "$name.ev.db"
		run $side "$name-check" check "$trace"
		run $side "$name-json" check --format=json "$trace"
		run $side "$name-report" report "$name.db"
		run $side "$name-html" report "$name.db" --html "$name.html"
		cp "$work/$side/$name.html" "$work/$side/$name-html.out" 2>/dev/null || : >"$work/$side/$name-html.out"
		if [ -n "$prev" ]; then
			run $side "$name-diff" diff "$prev.db" "$name.db"
			run $side "$name-diffjson" diff --format=json "$prev.db" "$name.db"
		fi
	done
	for db in "$name.db" "$name.ev.db"; do
		if cmp -s "$work/old/$db" "$work/new/$db"; then
			continue
		fi
		if [ "$(tables "$work/old/$db")" = "$(tables "$work/new/$db")" ]; then
			verdict="$verdict $db:tables-identical"
			n_tables=$((n_tables + 1))
		else
			verdict="$verdict $db:TABLES-DIFFER"
			status=1
		fi
	done
	for out in replay replay-ev check report html ${prev:+diff}; do
		same "$name-$out" || { verdict="$verdict $out:DIFFERS"; status=1; }
	done
	for out in json ${prev:+diffjson}; do
		if ! same "$name-$out"; then
			if cmp -s "$work/old/$name-$out.rc" "$work/new/$name-$out.rc" && json_equal "$name-$out"; then
				verdict="$verdict $out:same-json-other-layout"
				n_json_layout=$((n_json_layout + 1))
			else
				verdict="$verdict $out:DIFFERS"
				status=1
			fi
		fi
	done
	[ -z "$verdict" ] && { verdict=" identical"; n_bytes=$((n_bytes + 1)); }
	echo "$name:$verdict"
	prev=$name
done
echo "$n traces: $n_bytes byte-identical in every output; $n_tables databases with identical tables" \
	"but other bytes; $n_json_layout JSON outputs equal once parsed; exit $status"
exit $status
