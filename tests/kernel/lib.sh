# SPDX-License-Identifier: MIT
#
# What the kernel suite's scripts share (run-kernel-test.sh,
# run-kernel-612-test.sh, run-kernel-perf-test.sh), sourced first: their
# arguments, SRCDIR OUTDIR SWAPTRACE VARIANT, become src, out, swaptrace
# and variant.
# shellcheck shell=sh
set -eu
src=$1
out=$2
swaptrace=$3
variant=$4
harness=$src/kernel/qemu/swaptrace-qemu
here=$src/tests/kernel

# need_tools TOOL...: skip (exit 77) unless root and every TOOL is there.
need_tools() {
	if [ "$(id -u)" != 0 ]; then
		echo "kernel suite needs root (QEMU 9p export of /, apt-get download)"
		exit 77
	fi
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 || {
			echo "$tool missing (scripts/deps.sh kernel)"
			exit 77
		}
	done
}

# table_start: OUTDIR/table.txt with its header; judge adds lines to it.
table_start() {
	table=$out/table.txt
	echo "recording                events errors in-place/writes unverified  warnings by cause" >"$table"
}

# judge [judge.py options] NAME=DB...: a line each in the table; a failed
# judgement sets status=1.
judge() {
	python3 "$here/judge.py" "$@" >>"$table" 2>&1 || status=1
}
