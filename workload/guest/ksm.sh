# The upstream mm selftest ksm_functional_tests (linux-source-6.12): KSM merging, unmerging and
# COW of merged pages, while a memory hog in the same cgroup keeps
# reclaim swapping the test's pages out.  Cases that 6.1 does not support
# fail or skip; the run passes unless the test crashes.
# swaptrace-qemu: --memory-max 12
"$SWAPTRACE_BIN/swap-randwrite" --size 12 --ops 1000000000 --pause-ms 50 >/dev/null &
hog=$!
"$SWAPTRACE_BIN/ksm_functional_tests"
rc=$?
kill $hog
wait $hog 2>/dev/null
echo "ksm_functional_tests exit status $rc"
[ $rc -lt 128 ]
