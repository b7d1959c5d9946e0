# The upstream mm selftest madv_populate (linux-source-6.12): MADV_POPULATE_READ and
# _WRITE of anonymous memory, while a memory hog in the same cgroup keeps
# reclaim swapping the test's pages out.  Cases that 6.1 does not support
# fail or skip; the run passes unless the test crashes.
# swaptrace-qemu: --memory-max 12
"$SWAPTRACE_BIN/swap-randwrite" --size 12 --ops 1000000000 --pause-ms 50 >/dev/null &
hog=$!
"$SWAPTRACE_BIN/madv_populate"
rc=$?
kill $hog
wait $hog 2>/dev/null
echo "madv_populate exit status $rc"
[ $rc -lt 128 ]
