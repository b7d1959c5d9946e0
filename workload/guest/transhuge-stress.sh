# The upstream mm selftest transhuge-stress (linux-source-6.12): THP allocation and
# freeing, while a memory hog in the same cgroup keeps
# reclaim swapping the test's pages out.  Cases that 6.1 does not support
# fail or skip; the run passes unless the test crashes.
# swaptrace-qemu: --thp always --nonrot --memory-max 16
"$SWAPTRACE_BIN/swap-randwrite" --size 12 --ops 1000000000 --pause-ms 50 >/dev/null &
hog=$!
"$SWAPTRACE_BIN/transhuge-stress" -d 8 8
rc=$?
kill $hog
wait $hog 2>/dev/null
echo "transhuge-stress exit status $rc"
[ $rc -lt 128 ]
