#!/bin/sh
# Where swaptrace may write and what it may read, and what reaches the
# terminal, on copies of the recorded fixtures (their mutated copies are
# made here, from the real recordings):
#  - outputs: --force replaces regular files only, keeping their mode;
#    nothing is written inside an input trace; report --html follows the
#    same rules; a killed run's temporary file names its process and the
#    next run removes it; -o '' is a usage error
#  - inputs: symbolic link cycles, deep trees and /proc end quickly with an
#    error; FIFOs are refused, never opened; unrelated recordings are not
#    merged without --merge
#  - signals: an inherited SIG_IGN stays ignored; a closed pipe after the
#    commit does not change the result
#  - text: control characters from the trace are escaped; absurd clock
#    offsets make no undefined arithmetic
. "$(dirname "$0")/../replay/lib.sh"

EDIT="$PYTHON $(dirname "$0")/../fuzz/ctf-edit.py"
fixture ust-demo "$TMP/t"
T="$TMP/t"
D=trace/ust/uid/0/64-bit
expect_status 0 "$SWAPTRACE" replay "$T" -o "$TMP/good.db"

# ---- outputs ----

# --force over what is not a regular file: refused, left as it was.
mkfifo "$TMP/fifo"
expect_status 2 "$SWAPTRACE" replay --force "$T" -o "$TMP/fifo" &&
	expect_grep "^error: output '$TMP/fifo' exists and is a FIFO, not a regular file; refusing to replace it" "$TMP/err"
ok
[ -p "$TMP/fifo" ] || fail "the FIFO was replaced"
echo keep >"$TMP/target"
ln -s "$TMP/target" "$TMP/link"
expect_status 2 "$SWAPTRACE" replay --force "$T" -o "$TMP/link" &&
	expect_grep "is a symbolic link, not a regular file" "$TMP/err"
ok
{ [ -L "$TMP/link" ] && [ "$(cat "$TMP/target")" = keep ]; } || fail "the link or its target changed"
mkdir "$TMP/adir"
expect_status 2 "$SWAPTRACE" replay --force "$T" -o "$TMP/adir" &&
	expect_grep "is a directory, not a regular file" "$TMP/err"
no_output_left "$TMP/fifo.db"

# Never inside an input trace, not even with --force over a stream file.
cp "$T/$D/swapchan_0" "$TMP/stream.orig"
expect_status 2 "$SWAPTRACE" replay --force "$T" -o "$T/$D/swapchan_0" &&
	expect_grep "^error: output '$T/$D/swapchan_0' is inside trace '$T/$D'; write it elsewhere" "$TMP/err"
ok
cmp -s "$TMP/stream.orig" "$T/$D/swapchan_0" || fail "a stream file of the input was replaced"
expect_status 2 "$SWAPTRACE" replay "$T" -o "$T/$D/index/x.db"
ok
[ -e "$T/$D/index/x.db" ] && fail "a database was written inside the trace"

# An empty output name is a usage error, before any work.
expect_status 2 "$SWAPTRACE" replay "$T" -o '' &&
	expect_grep "^error: empty output name" "$TMP/err"

# A replaced file keeps its mode.
cp "$TMP/good.db" "$TMP/private.db"
chmod 600 "$TMP/private.db"
expect_status 0 "$SWAPTRACE" replay --force "$T" -o "$TMP/private.db"
ok
[ "$(stat -c %a "$TMP/private.db")" = 600 ] || fail "mode became $(stat -c %a "$TMP/private.db")"

# report --html: an existing file only with --force, and only a regular one.
echo old >"$TMP/page.html"
expect_status 2 "$SWAPTRACE" report "$TMP/good.db" --html "$TMP/page.html" &&
	expect_grep "^error: output '$TMP/page.html' already exists \\(use --force to overwrite it\\)" "$TMP/err"
ok
[ "$(cat "$TMP/page.html")" = old ] || fail "report --html replaced a file without --force"
chmod 640 "$TMP/page.html"
expect_status 0 "$SWAPTRACE" report "$TMP/good.db" --html "$TMP/page.html" --force
ok
{ grep -q '<!DOCTYPE html>' "$TMP/page.html" && [ "$(stat -c %a "$TMP/page.html")" = 640 ]; } ||
	fail "report --html --force did not replace the page, keeping its mode"
expect_status 2 "$SWAPTRACE" report "$TMP/good.db" --html "$TMP/fifo" --force &&
	expect_grep "is a FIFO, not a regular file" "$TMP/err"

# Temporary files name their process; those of dead processes go at the next run.
sh -c 'exit 0' &
dead=$!
wait $dead
: >"$TMP/out.db.tmp-$dead-AbCdEf"
: >"$TMP/out.db.tmp-$$-AbCdEf" # a live process: not ours to remove
expect_status 0 "$SWAPTRACE" replay "$T" -o "$TMP/out.db"
ok
[ -e "$TMP/out.db.tmp-$dead-AbCdEf" ] && fail "a dead run's temporary file was left"
ok
[ -e "$TMP/out.db.tmp-$$-AbCdEf" ] || fail "a live process's temporary file was removed"
rm -f "$TMP/out.db.tmp-$$-AbCdEf"

# A run killed outright leaves OUT.tmp-PID-XXXXXX, which the next run removes.
fixture kernel-zram "$TMP/k"
"$SWAPTRACE" replay --events "$TMP/k" -o "$TMP/killed.db" >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 1000 ] && ! ls "$TMP"/killed.db.tmp-* >/dev/null 2>&1; do
	sleep 0.01
	i=$((i + 1))
done
kill -KILL $pid 2>/dev/null
wait $pid
status=$?
if [ $status = 137 ]; then
	ok
	ls "$TMP"/killed.db.tmp-$pid-?????? >/dev/null 2>&1 ||
		fail "no temporary file named after process $pid: $(ls "$TMP")"
	expect_status 0 "$SWAPTRACE" replay "$TMP/k" -o "$TMP/killed.db"
	ok
	ls "$TMP"/killed.db.tmp-* >/dev/null 2>&1 && fail "the killed run's temporary file survived"
else
	echo "note: the replay ended before SIGKILL ($status); stale-file path not exercised"
fi

# ---- inputs ----

# A symbolic link cycle ends at once, with an error naming it.
mkdir "$TMP/cyc"
cp -r "$T" "$TMP/cyc/rec"
ln -s .. "$TMP/cyc/rec/up"
expect_status 2 timeout 60 "$SWAPTRACE" replay "$TMP/cyc" -o "$TMP/cyc.db" &&
	expect_grep "^error: cannot read trace '$TMP/cyc/rec/up': symbolic link cycle" "$TMP/err"
no_output_left "$TMP/cyc.db"
# Deeper than 16 directories: an error, not a crawl.
deep="$TMP/deep"
for i in $(seq 1 20); do deep="$deep/d"; done
mkdir -p "$deep"
expect_status 2 "$SWAPTRACE" replay "$TMP/deep" -o "$TMP/deep.db" &&
	expect_grep "nested deeper than 16 levels" "$TMP/err"
# /proc is no trace, and reading it must end.
expect_status 2 timeout 60 "$SWAPTRACE" replay /proc/self -o "$TMP/proc.db" &&
	expect_grep "^error: cannot read trace '/proc/self" "$TMP/err"

# FIFOs are refused, never opened: as an input, inside a trace, as a database.
expect_status 2 timeout 60 "$SWAPTRACE" replay "$TMP/fifo" -o "$TMP/f.db" &&
	expect_grep "^error: cannot read trace '$TMP/fifo': a FIFO, not a directory" "$TMP/err"
cp -r "$T" "$TMP/withfifo"
mkfifo "$TMP/withfifo/$D/swapchan_9"
expect_status 2 timeout 60 "$SWAPTRACE" replay "$TMP/withfifo" -o "$TMP/wf.db" &&
	expect_grep "^error: cannot read trace '$TMP/withfifo/$D': 'swapchan_9' is a FIFO, not a regular file" "$TMP/err"
no_output_left "$TMP/wf.db"
expect_status 2 timeout 60 "$SWAPTRACE" report "$TMP/fifo" &&
	expect_grep "^error: cannot open database '$TMP/fifo': a FIFO, not a regular file" "$TMP/err"
expect_status 2 timeout 60 "$SWAPTRACE" diff "$TMP/good.db" "$TMP/fifo" &&
	expect_grep "a FIFO, not a regular file" "$TMP/err"

# Unrelated recordings are not muxed into one timeline without --merge
# (perf's recordings, each with a clock of its own, not even with it).
expect_status 2 "$SWAPTRACE" check "$TRACES" &&
	expect_grep "^error: cannot replay traces '.*' on one timeline: (recorded (on different hosts|by different sessions).*use --merge|timed by different clocks)" "$TMP/err"
# Only LTTng's recordings: the hosts or sessions are named.
mkdir "$TMP/lttng-only"
for f in "$TRACES"/ust-* "$TRACES"/kernel-[a-z]*; do
	case $f in */kernel-6.*) continue ;; esac
	ln -s "$f" "$TMP/lttng-only/"
done
expect_status 2 "$SWAPTRACE" check "$TMP/lttng-only" &&
	expect_grep "^error: cannot replay traces '[^']*' and '[^']*' on one timeline: recorded (on different hosts|by different sessions).*use --merge" "$TMP/err"
fixture ust-injected "$TMP/u2"
expect_status 2 "$SWAPTRACE" check "$T" "$TMP/u2" &&
	expect_grep "recorded by different sessions \\('swaptrace[0-9]+@[0-9T]+\\+0000' and 'swaptrace[0-9]+@[0-9T]+\\+0000'\\)" "$TMP/err"
"$SWAPTRACE" check --merge "$T" "$TMP/u2" >"$TMP/out" 2>"$TMP/err"
ok
[ $? -le 1 ] && grep -q '2 traces' "$TMP/out" || fail "--merge did not replay both traces"

# ---- signals ----

# An inherited SIG_IGN (nohup) stays ignored: SIGHUP mid-replay changes nothing.
sh -c "trap '' HUP; exec \"\$0\" replay --events \"\$1\" -o \"\$2\"" "$SWAPTRACE" "$TMP/k" "$TMP/hup.db" \
	>/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 1000 ] && ! ls "$TMP"/hup.db.tmp-* >/dev/null 2>&1; do
	sleep 0.01
	i=$((i + 1))
done
kill -HUP $pid 2>/dev/null
wait $pid
status=$?
ok
[ $status = 0 ] || fail "a replay ignoring SIGHUP died of it ($status)"
ok
[ -f "$TMP/hup.db" ] || fail "a replay ignoring SIGHUP left no database"

# A reader that closes the pipe after the commit: still a success, with its database.
{ "$SWAPTRACE" replay "$T" -o "$TMP/pipe.db"; echo $? >"$TMP/pipe.rc"; } | true
ok
[ "$(cat "$TMP/pipe.rc")" = 0 ] && [ -f "$TMP/pipe.db" ] ||
	fail "replay into a closed pipe exited $(cat "$TMP/pipe.rc")"

# ---- text from the trace ----

# A host name and a kallsyms symbol with escape sequences, and an error
# quoting a directory name with one: escaped wherever they are printed.
cp -r "$TMP/k" "$TMP/esc"
$EDIT "$TMP/esc/trace/kernel/metadata" 'hostname = "[^"]*"' 'hostname = "evil\x1b[2Jhost"'
sed -i '0,/ T /s/ T \([a-z_]*\)/ T \1\x1b[31m/' "$TMP/esc/kallsyms"
expect_status 0 "$SWAPTRACE" replay "$TMP/esc" -o "$TMP/esc.db"
expect_status 0 "$SWAPTRACE" report "$TMP/esc.db" &&
	expect_grep 'evil\\x1b\[2Jhost' "$TMP/out"
ok
if LC_ALL=C grep -q "$(printf '\033')" "$TMP/out" "$TMP/err"; then
	fail "an escape character reached the terminal"
fi
bad_dir="$TMP/$(printf 'x\033[2Jy')"
cp -r "$T" "$bad_dir"
: >"$bad_dir/$D/metadata"
expect_status 2 "$SWAPTRACE" replay "$bad_dir" -o "$TMP/bad.db" &&
	expect_grep 'x\\x1b\[2Jy' "$TMP/err"
ok
if LC_ALL=C grep -q "$(printf '\033')" "$TMP/err"; then
	fail "an escape character reached the terminal in an error"
fi

# Clock offsets at the ends of int64: an error or a report, never undefined
# arithmetic (a sanitizer build says "runtime error").
for offset in 'offset = 9223372000000000000' 'offset = -9223372000000000000' 'offset_s = 9223372036'; do
	cp -r "$TMP/k" "$TMP/clock"
	$EDIT "$TMP/clock/trace/kernel/metadata" 'offset = [0-9]+' "$offset"
	"$SWAPTRACE" replay "$TMP/clock" -o "$TMP/clock.db" >"$TMP/out" 2>"$TMP/err"
	status=$?
	ok
	[ $status = 0 ] || [ $status = 2 ] || fail "clock '$offset': replay exited $status"
	if [ $status = 0 ]; then
		"$SWAPTRACE" report "$TMP/clock.db" --html "$TMP/clock.html" >>"$TMP/out" 2>>"$TMP/err"
		ok
		[ $? = 0 ] || fail "clock '$offset': report failed"
	fi
	ok
	grep -q 'runtime error' "$TMP/err" && fail "clock '$offset': $(grep 'runtime error' "$TMP/err")"
	rm -rf "$TMP/clock" "$TMP/clock.db" "$TMP/clock.html"
done

finish
