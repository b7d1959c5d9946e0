#!/bin/sh
# SPDX-License-Identifier: MIT
# Every C file of swaptrace follows .clang-format (kernel/ follows kernel
# style and checkpatch.pl instead; test data is not ours to format).
# usage: test-format.sh SRCDIR   (exit 77, skipped, without clang-format)
set -eu
cd "$1"
command -v clang-format >/dev/null 2>&1 || {
	echo "clang-format missing (scripts/deps.sh test)"
	exit 77
}
files=$(find schema replay analyzer store report cli workload tests -name '*.[ch]' \
	-not -path 'tests/bad-input/data/*' | sort)
n=$(echo "$files" | wc -l)
# shellcheck disable=SC2086
if ! clang-format --dry-run --Werror $files; then
	echo "not clang-formatted (clang-format -i FILE)"
	exit 1
fi
echo "$n C files follow .clang-format"
