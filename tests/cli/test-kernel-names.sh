#!/bin/sh
# Kernel ("swap_entry_alloc") and UST ("swap:entry_alloc") event names are
# one kind: replaying recorded kernel fixtures (traces/kernel-*/, made by
# kernel/qemu/make-fixture) and the UST fixture traces/ust-demo, the events
# table of each holds exactly the swap events babeltrace2 prints for it
# (names-check.py), under the same kind names.
# usage: test-kernel-names.sh TRACES_DIR   (exit 77, skipped, without a kernel fixture)
. "$(dirname "$0")/../replay/lib.sh"

# One v1 recording, and v2 ones that hold every kind between them (moves in
# compaction, splits in thp, lazyfree decisions in lazyfree); replaying
# every kernel fixture twice over would take minutes.
kernel=
for n in kernel-v1-virtio kernel-compaction kernel-thp kernel-lazyfree; do
	[ -d "$TRACES/$n/trace" ] && kernel="$kernel $TRACES/$n"
done
if [ -z "$kernel" ]; then
	echo "SKIP: no recorded kernel fixture under '$TRACES/kernel-*/' yet (kernel/qemu/make-fixture makes one)"
	exit 77
fi

kinds() {
	sqlite3 "$1" "SELECT DISTINCT kind FROM events ORDER BY kind" >"$2"
}

for trace in "$TRACES/ust-demo" $kernel; do
	name=$(basename "$trace")
	expect_status 0 "$SWAPTRACE" replay --events "$trace" -o "$TMP/$name.db" &&
		expect_grep '^[1-9][0-9]* swap events replayed' "$TMP/out"
	expect_status 0 "$PYTHON" "$(dirname "$0")/names-check.py" "$TMP/$name.db" "$trace" ||
		sed 's/^/  | /' "$TMP/out" >&2
	case $name in
	kernel-*) expect_grep 'names: swap_' "$TMP/out" ;;
	*) expect_grep 'names: swap:' "$TMP/out" ;;
	esac
	kinds "$TMP/$name.db" "$TMP/$name.kinds"
	ok
	if grep -v -E '^(entry_alloc|entry_dup|entry_put|entry_free|cache_add|cache_del|fault|device_on|device_off|state|cache_move|cache_split|state_begin|state_end|lazyfree)$' "$TMP/$name.kinds"; then
		fail "$name: kinds outside event schema v2"
	fi
done

finish
