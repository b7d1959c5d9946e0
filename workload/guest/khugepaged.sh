# The upstream mm selftest khugepaged (linux-source-6.12), MADV_COLLAPSE
# context on anonymous memory: its cases collapse ranges with swapped-out
# pages, which are swapped in first.
# swaptrace-qemu: --thp madvise --nonrot --memory-max 64
"$SWAPTRACE_BIN/khugepaged" madvise:anon
rc=$?
echo "khugepaged exit status $rc"
[ $rc -lt 128 ]
