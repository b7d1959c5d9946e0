# THPs through swap on a non-rotational disk (whole-THP swap-out), touched
# while still in the swap cache, shared with a child, then paged out by
# halves, which splits the swap-cache THP (swap_cache_split).
# swaptrace-qemu: --thp always --nonrot --memory-max 32
exec "$SWAPTRACE_BIN/swap-thp" --size 8 --rounds 2
