# swap-exerciser: page-out, fork, read and write swap-ins in child and
# parent, a second page-out, contents verified, unmap.
# swaptrace-qemu: --memory-max 6
exec "$SWAPTRACE_BIN/swap-exerciser" --size "$SWAPTRACE_SIZE"
