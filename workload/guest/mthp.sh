# Anonymous large folios (6.12's mTHP, 16 to 64 KiB) through swap: reclaim
# and MADV_PAGEOUT swap them out whole (a non-rotational disk or zram gives
# them naturally aligned slots), they are touched while still cached (the
# whole folio mapped back from the swap cache), paged out by halves (the
# swap-cache folio is split) and shared with a child; on zram the
# synchronous swap-in maps them back whole (swapcache_prepare() of 16
# slots).  Needs --kernel-version 6.12.
# swaptrace-qemu: --mthp 16,32,64 --nonrot --memory-max 8
exec "$SWAPTRACE_BIN/swap-thp" --size "$SWAPTRACE_SIZE" --rounds 2 --unit 64
