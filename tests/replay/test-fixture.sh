#!/bin/sh
# A recorded fixture traces/NAME/ (trace/, kallsyms, README.md, expected/)
# replayed and compared with its reviewed expected output, diff -u
# (babeltrace's .expect files).  Expected files are tool output, never
# edited by hand: `meson compile -C BUILD update-expected` rewrites them.
#
#   expected/summary.txt  swaptrace replay's summary paragraph
#   expected/check.txt    swaptrace check (text), then "exit status N"
#   expected/check.json   swaptrace check --format=json
#   expected/report.txt   swaptrace report on the database
#   expected/NAME.txt     sqlite3 -header on the database, with the query in
#                         expected/NAME.sql
#
# usage: test-fixture.sh [--update] SWAPTRACE TRACES_DIR NAME
#   (--update with NAME "all": every fixture that has expected/)
set -u
update=0
if [ "$1" = --update ]; then
	update=1
	shift
fi
SWAPTRACE=$1
TRACES=$2
NAME=$3
case $SWAPTRACE in /*) ;; *) SWAPTRACE=$PWD/$SWAPTRACE ;; esac
case $TRACES in /*) ;; *) TRACES=$PWD/$TRACES ;; esac

if [ "$NAME" = all ]; then
	status=0
	for d in "$TRACES"/*/; do
		n=$(basename "$d")
		[ -d "$TRACES/$n/expected" ] || continue
		if [ $update = 1 ]; then
			sh "$0" --update "$SWAPTRACE" "$TRACES" "$n" || status=1
		else
			sh "$0" "$SWAPTRACE" "$TRACES" "$n" || status=1
		fi
	done
	exit $status
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/swaptrace-fixture.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
exp="$TRACES/$NAME/expected"
status=0

# produce FILE: writes what expected/FILE should hold to $TMP/FILE.
produce() {
	f=$1
	case $f in
	summary.txt) cat "$TMP/summary" ;;
	check.txt)
		# The verdict is part of the expected output.
		(cd "$TRACES" && "$SWAPTRACE" check "$NAME")
		echo "exit status $?"
		;;
	check.json)
		(cd "$TRACES" && "$SWAPTRACE" check --format=json "$NAME")
		[ $? -le 1 ]
		;;
	report.txt) (cd "$TMP" && "$SWAPTRACE" report db) ;;
	*.txt)
		if [ -f "$exp/${f%.txt}.sql" ]; then
			sqlite3 -header "$TMP/db" <"$exp/${f%.txt}.sql"
		else
			echo "no rule to produce expected/$f (see tests/replay/test-fixture.sh)" >&2
			return 1
		fi
		;;
	*) return 0 ;;
	esac >"$TMP/$f"
}

if ! (cd "$TRACES" && "$SWAPTRACE" replay --events "$NAME" -o "$TMP/db") >"$TMP/summary"; then
	echo "FAIL: swaptrace replay $NAME" >&2
	exit 1
fi
for path in "$exp"/*.txt "$exp"/*.json; do
	[ -e "$path" ] || continue
	f=$(basename "$path")
	produce "$f" || {
		status=1
		continue
	}
	if [ $update = 1 ]; then
		cp "$TMP/$f" "$path"
		echo "updated $path"
	elif ! diff -u "$path" "$TMP/$f"; then
		echo "FAIL: $NAME: expected/$f differs" >&2
		status=1
	fi
done
exit $status
