#!/bin/sh
# One exit-status convention for every command (README.md, swaptrace(1)):
# 0 all is well; 1 the answer is bad (check: error findings, diff: a
# regression), and no other command ever exits 1; 2 a usage error, an
# input that cannot be read or an output that cannot be written.  One
# duration syntax for every duration option (1ms, 250us, 1.5 = seconds),
# the deprecated diff spellings still accepted with a warning; progress
# on stderr when, and only when, it is a terminal.
. "$(dirname "$0")/../replay/lib.sh"

fixture ust-demo "$TMP/clean"
fixture ust-injected "$TMP/bad"
echo "not a database" >"$TMP/text.db"

# Usage errors: every command, 2.
expect_status 2 "$SWAPTRACE"
expect_status 2 "$SWAPTRACE" frobnicate
for cmd in replay check rules report diff export; do
	expect_status 2 "$SWAPTRACE" $cmd --no-such-option && expect_grep '^error: ' "$TMP/err"
	# --help documents the convention.
	expect_status 0 "$SWAPTRACE" $cmd --help && expect_grep 'Exit status' "$TMP/out"
done
expect_status 0 "$SWAPTRACE" --help && expect_grep '1 the answer is bad' "$TMP/out"
expect_status 2 "$SWAPTRACE" replay "$TMP/clean"
expect_status 2 "$SWAPTRACE" check
expect_status 2 "$SWAPTRACE" rules extra
expect_status 2 "$SWAPTRACE" report
expect_status 2 "$SWAPTRACE" diff "$TMP/text.db"
expect_status 2 "$SWAPTRACE" export
expect_status 2 "$SWAPTRACE" export "$TMP/text.db"

# Success: 0; the verdict commands' "bad" answer: 1.
expect_status 0 "$SWAPTRACE" rules
expect_status 0 "$SWAPTRACE" replay -q "$TMP/clean" -o "$TMP/clean.db"
expect_status 0 "$SWAPTRACE" replay -q "$TMP/bad" -o "$TMP/bad.db"
expect_status 0 "$SWAPTRACE" report "$TMP/bad.db"
expect_status 0 "$SWAPTRACE" export "$TMP/bad.db" -o "$TMP/bad.json"
expect_status 0 "$SWAPTRACE" check "$TMP/clean"
expect_status 1 "$SWAPTRACE" check "$TMP/bad"
expect_status 0 "$SWAPTRACE" diff "$TMP/bad.db" "$TMP/bad.db"
expect_status 1 "$SWAPTRACE" diff "$TMP/clean.db" "$TMP/bad.db" && expect_grep '^regression' "$TMP/out"

# Inputs that cannot be read, outputs that cannot be written: 2, for all.
expect_status 2 "$SWAPTRACE" replay "$TMP/nope" -o "$TMP/n.db"
expect_status 2 "$SWAPTRACE" check "$TMP/nope"
expect_status 2 "$SWAPTRACE" report "$TMP/text.db"
expect_status 2 "$SWAPTRACE" diff "$TMP/text.db" "$TMP/bad.db"
expect_status 2 "$SWAPTRACE" export "$TMP/text.db" -o "$TMP/t.json"
expect_status 2 "$SWAPTRACE" replay "$TMP/clean" -o "$TMP/clean.db"
expect_status 2 "$SWAPTRACE" export "$TMP/bad.db" -o "$TMP/bad.json"
expect_status 2 "$SWAPTRACE" report --html "$TMP/no/such/dir/r.html" "$TMP/bad.db"
expect_status 2 "$SWAPTRACE" replay "$TMP/clean" -o "$TMP/no/such/dir/x.db"

# Durations: one syntax, every option that takes one.
for opt in --stale-threshold --full-threshold; do
	for d in 1ms 250us 1.5 2s 7ns; do
		expect_status 0 "$SWAPTRACE" check $opt=$d "$TMP/clean"
	done
	expect_status 2 "$SWAPTRACE" check $opt=soon "$TMP/clean" &&
		expect_grep "invalid duration 'soon' for $opt" "$TMP/err"
	expect_status 2 "$SWAPTRACE" replay $opt=-1ms "$TMP/clean" -o "$TMP/d.db"
done
for opt in --min-wait --min-slot-time; do
	for d in 1ms 250us 1.5 2s 7ns; do
		expect_status 0 "$SWAPTRACE" diff $opt=$d "$TMP/bad.db" "$TMP/bad.db"
	done
	expect_status 2 "$SWAPTRACE" diff $opt=soon "$TMP/bad.db" "$TMP/bad.db" &&
		expect_grep "invalid duration 'soon' for $opt" "$TMP/err"
done
# The deprecated spellings: same meaning, a warning, and not both at once.
expect_status 1 "$SWAPTRACE" diff --min-wait-us=1000 "$TMP/clean.db" "$TMP/bad.db" &&
	expect_grep '^warning: --min-wait-us is deprecated; use --min-wait=DUR' "$TMP/err"
cp "$TMP/out" "$TMP/old.txt"
expect_status 1 "$SWAPTRACE" diff --min-wait=1ms "$TMP/clean.db" "$TMP/bad.db"
ok
cmp -s "$TMP/out" "$TMP/old.txt" || fail "--min-wait-us=1000 and --min-wait=1ms differ"
expect_status 1 "$SWAPTRACE" diff --min-slot-seconds=0.01 "$TMP/clean.db" "$TMP/bad.db" &&
	expect_grep '^warning: --min-slot-seconds is deprecated' "$TMP/err"
cp "$TMP/out" "$TMP/old.txt"
expect_status 1 "$SWAPTRACE" diff --min-slot-time=10ms "$TMP/clean.db" "$TMP/bad.db"
ok
cmp -s "$TMP/out" "$TMP/old.txt" || fail "--min-slot-seconds=0.01 and --min-slot-time=10ms differ"
expect_status 2 "$SWAPTRACE" diff --min-wait=1ms --min-wait-us=5 "$TMP/clean.db" "$TMP/bad.db"

# Progress: on a terminal (script(1) gives stderr a pty), for check and
# replay; never when stderr is a file or a pipe.  kernel-zram has more
# events than one progress step.
if command -v script >/dev/null && [ -d "$TRACES/kernel-zram/trace" ]; then
	fixture kernel-zram "$TMP/kb"
	for cmd in "check $TMP/kb" "replay $TMP/kb -o $TMP/kb.db"; do
		ok
		script -qec "$SWAPTRACE $cmd >/dev/null" /dev/null >"$TMP/tty" 2>&1
		grep -Eq '(checking|replaying): +[0-9]+% through the trace' "$TMP/tty" ||
			fail "no progress on a terminal for '$cmd': $(od -c "$TMP/tty" | head -3)"
	done
	"$SWAPTRACE" check "$TMP/kb" >/dev/null 2>"$TMP/err"
	ok
	[ -s "$TMP/err" ] && fail "check wrote to stderr without a terminal: $(cat "$TMP/err")"
else
	echo "note: no script(1) or no kernel-zram fixture: progress not checked"
fi

finish
