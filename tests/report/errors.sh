#!/bin/sh
# report and diff on what is not a swaptrace database: exit status and the
# message, git's wording: "error: cannot open database 'X': ...".
. "$(dirname "$0")/lib.sh"

# status_of CMD...: run, keep stderr in $tmp/err, exit status in $status.
status_of() {
	status=0
	"$@" >"$tmp/out" 2>"$tmp/err" || status=$?
}

status_of "$SWAPTRACE" report "$tmp/missing.db"
expect_eq "$status" 2 "report of a missing file"
grep -q "^error: cannot open database '$tmp/missing.db': " "$tmp/err" || fail "message: $(cat "$tmp/err")"
[ ! -e "$tmp/missing.db" ] || fail "report created the missing database"

echo "not a database" >"$tmp/text.db"
status_of "$SWAPTRACE" report "$tmp/text.db"
expect_eq "$status" 2 "report of a text file"
grep -q "^error: cannot open database '$tmp/text.db': " "$tmp/err" || fail "message: $(cat "$tmp/err")"

# SQLite, but not ours: user_version 0, then ours by user_version but no meta.
sqlite3 "$tmp/other.db" "CREATE TABLE t (x);"
status_of "$SWAPTRACE" report "$tmp/other.db"
expect_eq "$status" 2 "report of another SQLite database"
grep -q "not a swaptrace database" "$tmp/err" || fail "message: $(cat "$tmp/err")"
sqlite3 "$tmp/v1.db" "PRAGMA user_version = 1; CREATE TABLE t (x);"
status_of "$SWAPTRACE" report "$tmp/v1.db"
expect_eq "$status" 2 "report of a user_version 1 database without meta"
grep -q "not a swaptrace database" "$tmp/err" || fail "message: $(cat "$tmp/err")"

# Usage errors: 2, for report and diff alike.
status_of "$SWAPTRACE" report
expect_eq "$status" 2 "report without a database"
status_of "$SWAPTRACE" report --top 0 "$tmp/other.db"
expect_eq "$status" 2 "report --top 0"
status_of "$SWAPTRACE" report --no-such-option "$tmp/other.db"
expect_eq "$status" 2 "report with an unknown option"
status_of "$SWAPTRACE" diff "$tmp/other.db"
expect_eq "$status" 2 "diff with one database"
status_of "$SWAPTRACE" diff --format=xml "$tmp/other.db" "$tmp/other.db"
expect_eq "$status" 2 "diff --format=xml"
status_of "$SWAPTRACE" diff --tolerance=-1 "$tmp/other.db" "$tmp/other.db"
expect_eq "$status" 2 "diff --tolerance=-1"
# 1 means "worse" in diff (and nothing in report): an unreadable database is 2.
status_of "$SWAPTRACE" diff "$tmp/text.db" "$tmp/other.db"
expect_eq "$status" 2 "diff of unreadable databases"
grep -q "^error: cannot open database '$tmp/text.db': " "$tmp/err" || fail "message: $(cat "$tmp/err")"

# An HTML page that cannot be written: exit 2, and no temporary file left.
demo=$SOURCE_ROOT/traces/ust-demo/trace
if [ -d "$demo" ]; then
	replay "$demo" "$tmp/demo.db"
	status_of "$SWAPTRACE" report --html "$tmp/no/such/dir/r.html" "$tmp/demo.db"
	expect_eq "$status" 2 "report --html into a missing directory"
	grep -q "^error: cannot write '$tmp/no/such/dir/r.html': " "$tmp/err" ||
		fail "message: $(cat "$tmp/err")"
	mkdir "$tmp/page.html"
	status_of "$SWAPTRACE" report --html "$tmp/page.html" "$tmp/demo.db"
	expect_eq "$status" 2 "report --html over a directory"
	for f in "$tmp"/page.html.tmp-*; do
		[ -e "$f" ] && fail "temporary file left behind: $f"
	done
	status_of "$SWAPTRACE" report --html "$tmp/ok.html" "$tmp/demo.db"
	expect_eq "$status" 0 "report --html"
	grep -q '</html>' "$tmp/ok.html" || fail "incomplete page"
else
	echo "note: no traces/ust-demo fixture, --html write errors not checked"
fi

status_of "$SWAPTRACE" report --help
expect_eq "$status" 0 "report --help"
grep -q -- "--html" "$tmp/out" || fail "report --help does not mention --html"
status_of "$SWAPTRACE" diff --help
expect_eq "$status" 0 "diff --help"
grep -q -- "--tolerance" "$tmp/out" || fail "diff --help does not mention --tolerance"
echo "PASS"
