# swap-exerciser while memory is compacted over and over: compaction
# migrates folios that sit in the swap cache (swap_cache_move).
# swaptrace-qemu: --memory-max 6
"$SWAPTRACE_BIN/swap-exerciser" --size "$SWAPTRACE_SIZE" --rounds 2 &
pid=$!
n=0
while kill -0 $pid 2>/dev/null; do
	echo 1 >/proc/sys/vm/compact_memory
	n=$((n + 1))
done
wait $pid
rc=$?
echo "compact_memory written $n times"
exit $rc
