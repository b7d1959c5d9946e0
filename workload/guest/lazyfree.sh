# Lazyfree (MADV_FREE) memory paged out while a second thread splices it
# into a pipe and back: transient references that make 6.1's
# try_to_unmap_one() set clean lazyfree folios swap-backed again (seed 003).
# swaptrace-qemu: --memory-max 16
exec "$SWAPTRACE_BIN/swap-lazyfree" --size 4 --rounds 20 --refs
