# Lazyfree (MADV_FREE) memory paged out with nobody else touching it: every
# clean lazyfree folio is discarded, none gets a swap slot.
# swaptrace-qemu: --memory-max 16
exec "$SWAPTRACE_BIN/swap-lazyfree" --size 4 --rounds 20
