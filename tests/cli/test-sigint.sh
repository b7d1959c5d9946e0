#!/bin/sh
# SIGINT mid-replay of a large real recording (swaptrace-emit through
# lttng-sessiond): the temporary database goes with the process (git's
# lockfile.h), no output appears, the exit status is 130.
# usage: test-sigint.sh RECORD EMIT   (exit 77, skipped, when LTTng cannot run)
. "$(dirname "$0")/../replay/lib.sh"

record_or_skip "$1" "$TMP/big" -- "$2" --seed 11 --ops 200000 --threads 2 --large-folios \
	--out-dir "$TMP/big/emitter"

# A background job of a non-interactive sh starts with SIGINT ignored, and
# swaptrace keeps an inherited SIG_IGN (nohup): give it the default back.
env --default-signal=INT "$SWAPTRACE" replay --events "$TMP/big" -o "$TMP/sig.db" >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 500 ] && ! ls "$TMP"/sig.db.tmp-* >/dev/null 2>&1; do
	sleep 0.01
	i=$((i + 1))
done
kill -INT $pid 2>/dev/null
wait $pid
status=$?
ok
case $status in
130) ;;
0) echo "note: the replay ended before SIGINT; signal path not exercised" ;;
*) fail "replay interrupted by SIGINT exited $status, want 130" ;;
esac
[ $status = 0 ] || no_output_left "$TMP/sig.db"

# Uninterrupted, the same recording replays completely.
expect_status 0 "$SWAPTRACE" replay "$TMP/big" -o "$TMP/full.db"
n=$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["events"])' "$TMP/big/emitter/summary.json")
expect_grep "^$n swap events replayed" "$TMP/out"

finish
