# Timed swap traffic for scripts/bench-device.sh, which boots the unpatched
# kernel, the patched one with its tracepoints off and the patched one
# recording, and compares: swap-randwrite's random writes and reads over
# twice the cgroup's memory, five times, each timed here in the guest so
# that boot and recorder start-up do not count.
# swaptrace-qemu: --page-cluster 0 --memory-max 6
runs=5
i=1
while [ "$i" -le "$runs" ]; do
	t0=$(date +%s%N)
	"$SWAPTRACE_BIN/swap-randwrite" --size 12 --ops 10000 --seed "$i" || exit 1
	t1=$(date +%s%N)
	echo "overhead: run $i: $(((t1 - t0) / 1000)) us"
	i=$((i + 1))
done
