# Random-access writes and reads over more memory than the cgroup allows,
# no swap readahead: the pattern of the write-fault swap-cache regression.
# swaptrace-qemu: --page-cluster 0 --memory-max 6
exec "$SWAPTRACE_BIN/swap-randwrite" --size 12 --ops 10000 --seed 1
