# stress-ng's memory stressors (Debian's stress-ng) in a small cgroup.
# swaptrace-qemu: --memory-max 8
exec stress-ng --vm 2 --vm-bytes 8M --vm-method all --mmap 1 --mmap-bytes 6M \
	--timeout 6s --metrics-brief
