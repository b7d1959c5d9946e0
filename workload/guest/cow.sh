# The upstream mm selftest cow (linux-source-6.12): its "swapped out" cases
# page anonymous memory out (base pages and THPs) and fault it back through
# fork and COW.  Cases that 6.1 does not support fail or skip; the run
# passes unless the test crashes.
# swaptrace-qemu: --thp always --nonrot --memory-max 64
"$SWAPTRACE_BIN/cow"
rc=$?
echo "cow exit status $rc"
[ $rc -lt 128 ]
