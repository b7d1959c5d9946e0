#!/bin/sh
# Live sessions: a real lttng-relayd and lttng-sessiond on loopback (private
# ports, private LTTNG_HOME and, as root, a private mount namespace with its
# own /var/run/lttng and /dev/shm, so parallel tests do not meet), a live
# session recording swaptrace-emit with an injected put_underflow, and
# swaptrace watching it through the relay daemon:
#
#   0. a session the relay does not have, a malformed URL, a URL among
#      other inputs: exit 2 and a message saying so;
#   1. `check net://...` prints the injected finding while the emitter is
#      still running (paused, --pause-at, until the test has seen it), and
#      ends when the session is destroyed;
#   2. `replay --events net://... -o live.db` ends when the session is
#      destroyed, and live.db equals the database of the trace the relay
#      daemon saved, in every table, meta but for the keys a live database
#      has (live.*) and the trace's name;
#   3. SIGINT during a live replay writes a complete database of what was
#      received (live.ended_by SIGINT); two leave a complete one or none.
#
# usage: test-live.sh EMIT      (exit 77, skipped, when LTTng cannot run here)
set -u
emit=$1

for tool in lttng-relayd lttng-sessiond lttng babeltrace2; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "SKIP: '$tool' not found (scripts/deps.sh test installs lttng-tools and babeltrace2)"
		exit 77
	fi
done
# Root: lttng-sessiond ignores LTTNG_HOME and uses /var/run/lttng, so the
# test runs in its own mount namespace with a private one.
if [ "$(id -u)" = 0 ] && [ -z "${SWAPTRACE_LIVE_NS:-}" ]; then
	if ! unshare -m --propagation private true 2>/dev/null; then
		echo "SKIP: running as root without a private mount namespace (unshare -m)"
		exit 77
	fi
	SWAPTRACE_LIVE_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi

. "$(dirname "$0")/../replay/lib.sh"

export LTTNG_HOME="$TMP/home"
mkdir -p "$LTTNG_HOME" "$TMP/relay"
if [ "${SWAPTRACE_LIVE_NS:-}" = 1 ]; then
	mkdir -p "$TMP/run" "$TMP/shm" /var/run/lttng
	mount --bind "$TMP/run" /var/run/lttng
	mount -t tmpfs -o size=1g,mode=1777 tmpfs /dev/shm 2>/dev/null ||
		mount --bind "$TMP/shm" /dev/shm
	rundir=/var/run/lttng
else
	rundir=$LTTNG_HOME/.lttng
fi

relayd_pid=
sessiond_pid=
bg_pids=
cleanup() {
	# Only those still our children: a reaped one's pid may be someone else's now.
	for p in $bg_pids; do
		[ "$(awk '{ print $4 }' "/proc/$p/stat" 2>/dev/null)" = $$ ] && kill -KILL "$p" 2>/dev/null
	done
	[ -n "$sessiond_pid" ] && kill "$sessiond_pid" 2>/dev/null
	[ -n "$relayd_pid" ] && kill "$relayd_pid" 2>/dev/null
	for p in $sessiond_pid $relayd_pid; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	done
	if [ "${SWAPTRACE_LIVE_NS:-}" = 1 ]; then
		umount /dev/shm 2>/dev/null
		umount /var/run/lttng 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# Three free loopback ports: control, data, live.
set -- $("$PYTHON" -c 'import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
cport=$1 dport=$2 lport=$3
lttng-relayd -C "tcp://127.0.0.1:$cport" -D "tcp://127.0.0.1:$dport" \
	-L "tcp://127.0.0.1:$lport" -o "$TMP/relay" >"$TMP/relayd.log" 2>&1 &
relayd_pid=$!
i=0
until babeltrace2 -i lttng-live "net://127.0.0.1:$lport" >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -ge 100 ] || ! kill -0 $relayd_pid 2>/dev/null; then
		cat "$TMP/relayd.log"
		echo "SKIP: lttng-relayd cannot listen on loopback here"
		exit 77
	fi
	sleep 0.1
done
if ! lttng-sessiond --daemonize --no-kernel >"$TMP/sessiond.log" 2>&1; then
	cat "$TMP/sessiond.log"
	echo "SKIP: lttng-sessiond cannot start here"
	exit 77
fi
sessiond_pid=$(cat "$rundir/lttng-sessiond.pid")
host=$(hostname)

lttng_run() {
	lttng "$@" >>"$TMP/lttng.log" 2>&1 || {
		cat "$TMP/lttng.log" >&2
		echo "FAIL: 'lttng $*' failed" >&2
		exit 1
	}
}

# start_session NAME: a live session on our relay daemon (100 ms live timer),
# recording swap:* losslessly, started.
start_session() {
	lttng_run create "$1" --live=100000 --set-url="net://127.0.0.1:$cport:$dport"
	lttng_run enable-channel -u -s "$1" --blocking-timeout=inf --subbuf-size=1M \
		--num-subbuf=4 swapchan
	lttng_run enable-event -u -s "$1" -c swapchan 'swap:*'
	lttng_run add-context -u -s "$1" -c swapchan -t vpid -t vtid -t procname
	lttng_run start "$1"
}

end_session() {
	lttng_run stop "$1"
	lttng_run destroy "$1"
}

# wait_viewer NAME: until a viewer (swaptrace) is attached to session NAME,
# so that it sees the session from its first event.
wait_viewer() {
	i=0
	until babeltrace2 -i lttng-live "net://127.0.0.1:$lport" 2>/dev/null |
		grep -q "/host/$host/$1 (.* 1 client(s) connected)"; do
		i=$((i + 1))
		if [ $i -ge 300 ]; then
			fail "no viewer attached to session $1 within 30 s"
			return 1
		fi
		sleep 0.1
	done
}

# wait_grep PATTERN FILE SECONDS: until FILE holds PATTERN (grep -E).
wait_grep() {
	i=0
	until grep -Eq -- "$1" "$2"; do
		i=$((i + 1))
		[ $i -ge $(($3 * 10)) ] && return 1
		sleep 0.1
	done
}

# wait_exit PID SECONDS: its exit status, or 124 after killing it.
wait_exit() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt $(($2 * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -KILL "$1"
		wait "$1"
		return 124
	fi
	wait "$1"
}

# emitter NAME [PAUSE_OP]: the emitter recording into session NAME in the
# background ($emit_pid), with put_underflow injected at operation 200;
# with PAUSE_OP it waits there until $TMP/NAME.go exists.
emitter() {
	LTTNG_UST_ALLOW_BLOCKING=1 LTTNG_UST_REGISTER_TIMEOUT=-1 "$emit" --seed 5 --ops 4000 \
		--threads 2 --inject put_underflow@200 ${2:+--pause-at "$2:$TMP/$1.go"} \
		--out-dir "$TMP/$1.emit" >"$TMP/$1.emit.log" 2>&1 &
	emit_pid=$!
	bg_pids="$bg_pids $emit_pid"
}

url() {
	echo "net://127.0.0.1:$lport/host/$host/$1"
}

# The injected finding as swaptrace prints it live; once the emitter has
# ended (finding_re NAME), on the slot its ground truth names.
any_finding='^put_underflow \(error\) [0-9]+:[0-9]+ seq [0-9]+'
finding_re() {
	"$PYTHON" -c 'import json, sys
g = json.loads(open(sys.argv[1]).readline())
print("^put_underflow \\(error\\) %d:%d " % (g["type"], g["offset"]))' "$TMP/$1.emit/ground-truth.jsonl"
}

# ---- 0. what is not a session says so ----
expect_status 2 "$SWAPTRACE" check "$(url nosuch)" &&
	expect_grep "the relay daemon at 'net://127.0.0.1:$lport' has no live session '$host/nosuch'" "$TMP/err"
expect_status 2 "$SWAPTRACE" check "net://127.0.0.1:$lport/nosuch" &&
	expect_grep "not an lttng-live session URL" "$TMP/err"
expect_status 2 "$SWAPTRACE" replay "$(url nosuch)" "$TMP" -o "$TMP/mixed.db" &&
	expect_grep "a live session is replayed alone" "$TMP/err"

# ---- 1. check prints the finding while the emitter runs ----
start_session s1
"$SWAPTRACE" check "$(url s1)" >"$TMP/check.out" 2>"$TMP/check.err" &
check_pid=$!
bg_pids="$bg_pids $check_pid"
wait_viewer s1
emitter s1 2000
ok
if wait_grep 'paused before op 2000' "$TMP/s1.emit.log" 60; then
	re=$any_finding
	ok
	if wait_grep "$re" "$TMP/check.out" 60; then
		ok
		kill -0 $emit_pid 2>/dev/null || fail "the emitter ended before the finding was seen"
		grep -q 'summary\|swap events replayed' "$TMP/check.out" &&
			fail "check printed its summary before the session ended"
	else
		fail "check did not print /$re/ while the emitter ran"
		sed 's/^/  | /' "$TMP/check.out" "$TMP/check.err" >&2
	fi
else
	fail "the emitter did not reach its pause"
	sed 's/^/  | /' "$TMP/s1.emit.log" >&2
fi
touch "$TMP/s1.go"
wait $emit_pid || fail "the emitter failed: $(cat "$TMP/s1.emit.log")"
expect_grep "$(finding_re s1)" "$TMP/check.out"
end_session s1
wait_exit $check_pid 60
status=$?
ok
[ $status = 1 ] || {
	fail "check of a live session with an error finding exited $status, want 1"
	sed 's/^/  stderr: /' "$TMP/check.err" >&2
}
n=$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["events"])' "$TMP/s1.emit/summary.json")
expect_grep "^$n swap events replayed from 'net://" "$TMP/check.out"
expect_grep '^put_underflow \(error\): 1$' "$TMP/check.out"
expect_grep 'live +the session ended' "$TMP/check.out"
expect_grep "stream files +not checked against LTTng's index" "$TMP/check.out"

# ---- 2. replay ends with the session, and equals the saved trace's ----
start_session s2
"$SWAPTRACE" replay --events "$(url s2)" -o "$TMP/live.db" >"$TMP/replay.out" 2>"$TMP/replay.err" &
replay_pid=$!
bg_pids="$bg_pids $replay_pid"
wait_viewer s2
emitter s2
wait $emit_pid || fail "the emitter failed: $(cat "$TMP/s2.emit.log")"
ok
[ -e "$TMP/live.db" ] && fail "live.db appeared before the session ended"
end_session s2
wait_exit $replay_pid 60
status=$?
ok
[ $status = 0 ] || {
	fail "replay of a live session exited $status, want 0"
	sed 's/^/  stderr: /' "$TMP/replay.err" >&2
}
expect_grep "$(finding_re s2)" "$TMP/replay.out"
saved=$(find "$TMP/relay" -path "*/s2-*" -name metadata -exec dirname {} \;)
ok
[ -n "$saved" ] || fail "the relay daemon saved no trace of session s2"
expect_status 0 "$SWAPTRACE" replay --events "$saved" -o "$TMP/disk.db"
# Every table equal; meta too, but for what only a live database has.
ok
"$PYTHON" - "$TMP/live.db" "$TMP/disk.db" <<'PY' || fail "live.db differs from the saved trace's database"
import sqlite3, sys
live, disk = (sqlite3.connect(p) for p in sys.argv[1:3])
def tables(db):
    return [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
def rows(db, t):
    return db.execute(f'SELECT * FROM "{t}" ORDER BY 1, 2').fetchall()
bad = 0
if tables(live) != tables(disk):
    print("tables differ:", tables(live), tables(disk)); bad = 1
for t in tables(disk):
    a, b = rows(live, t), rows(disk, t)
    if t == "meta":
        skip = lambda k: k.startswith("live.") or k == "trace.0.name"
        a = [r for r in a if not skip(r[0])]
        b = [r for r in b if not skip(r[0])]
        lm = dict(rows(live, t))
        if lm.get("live.ended_by") != "session" or not lm.get("live.stream_check"):
            print("live meta:", {k: v for k, v in lm.items() if k.startswith("live.")}); bad = 1
    if a != b:
        print(f"table {t}: {len(a)} rows live, {len(b)} saved; first difference:",
              next(((x, y) for x, y in zip(a, b) if x != y), None)); bad = 1
    elif t in ("event_rows", "findings") and not a:
        print(f"table {t} is empty"); bad = 1
sys.exit(bad)
PY

# ---- 3. SIGINT: a complete database of what was received, or none ----
start_session s3
env --default-signal=INT "$SWAPTRACE" replay "$(url s3)" -o "$TMP/int.db" \
	>"$TMP/int.out" 2>"$TMP/int.err" &
int_pid=$!
bg_pids="$bg_pids $int_pid"
wait_viewer s3
emitter s3 2000
if wait_grep "$any_finding" "$TMP/int.out" 60; then
	kill -INT $int_pid
	wait_exit $int_pid 30
	status=$?
	ok
	[ $status = 0 ] || {
		fail "replay interrupted by one SIGINT exited $status, want 0"
		sed 's/^/  stderr: /' "$TMP/int.err" >&2
	}
	expect_grep 'live +interrupted by SIGINT before the session ended' "$TMP/int.out"
	ok
	"$PYTHON" - "$TMP/int.db" <<'PY' || fail "int.db is not a complete database"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
m = dict(db.execute("SELECT key, value FROM meta"))
assert m["live.ended_by"] == "SIGINT", m.get("live.ended_by")
assert int(m["events.swap"]) > 0 and int(m["findings.error"]) == 1, m
assert db.execute("SELECT count(*) FROM findings WHERE rule = 'put_underflow'").fetchone()[0] == 1
PY
	for t in "$TMP"/int.db.tmp-*; do
		[ -e "$t" ] && fail "temporary '$t' left behind"
	done
else
	fail "replay did not print the injected finding before SIGINT"
	sed 's/^/  | /' "$TMP/int.out" "$TMP/int.err" >&2
fi
# Two signals at once: the second may land before the database is
# committed; then nothing, never half a file.
env --default-signal=INT "$SWAPTRACE" replay "$(url s3)" -o "$TMP/int2.db" \
	>"$TMP/int2.out" 2>"$TMP/int2.err" &
int_pid=$!
bg_pids="$bg_pids $int_pid"
wait_viewer s3
kill -INT $int_pid
kill -INT $int_pid
wait_exit $int_pid 30
status=$?
ok
case $status in
0) "$PYTHON" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
assert dict(db.execute("SELECT key, value FROM meta"))["live.ended_by"] == "SIGINT"' "$TMP/int2.db" ||
	fail "int2.db is not a complete database" ;;
2 | 130) no_output_left "$TMP/int2.db" ;;
*) fail "replay interrupted by two SIGINTs exited $status, want 0, 2 or 130" ;;
esac
touch "$TMP/s3.go"
wait $emit_pid || fail "the emitter failed: $(cat "$TMP/s3.emit.log")"
end_session s3

finish
