#!/bin/sh
# Installs the Debian 12 packages swaptrace needs, by profile:
#
#   scripts/deps.sh [PROFILE...]      (default: all)
#
#   build   compile swaptrace and replay traces (the binary's libraries)
#   demo    what scripts/demo.sh needs: build, nothing more
#   test    the default test suites (scripts/test.sh with
#           SWAPTRACE_SKIP_KERNEL=1): build, clang-format, LTTng to record
#           UST traces, Chromium and python3-websocket for the HTML report
#           and exported traces in a real viewer, scdoc, bash-completion and
#           man for the install test
#   kernel  the QEMU kernel suite: kernel sources and toolchain, QEMU,
#           busybox, and the LTTng tools the guest runs from the host
#   all     every profile
#
# Idempotent; run as root (or it re-runs itself through sudo).
set -eu
if [ "$(id -u)" != 0 ]; then
	exec sudo "$0" "$@"
fi

build="gcc meson ninja-build pkg-config python3 libglib2.0-dev libbabeltrace2-dev babeltrace2
       libsqlite3-dev sqlite3 libjson-glib-dev"
# recording real UST traces (emitter, tests), and live sessions (lttng-tools
# has lttng-relayd; tests/live)
lttng="liblttng-ust-dev lttng-tools python3 python3-bt2 util-linux"
test="$build $lttng clang-format chromium python3-websocket scdoc bash-completion man-db"
# the patched kernels under QEMU (kernel suite; perf records 6.12 and
# beside LTTng on 6.1); lttng-modules source is
# fetched with `apt-get download`, never installed (see kernel/qemu/README.md)
kernel="$build $lttng linux-source-6.1 linux-source-6.12 qemu-system-x86 busybox-static stress-ng bc
        bison flex libelf-dev libssl-dev cpio kmod xz-utils dpkg-dev make patch linux-perf"

[ $# -gt 0 ] || set -- all
pkgs=""
for profile in "$@"; do
	case $profile in
	build | demo) pkgs="$pkgs $build" ;;
	test) pkgs="$pkgs $test" ;;
	kernel) pkgs="$pkgs $kernel" ;;
	all) pkgs="$pkgs $test $kernel" ;;
	*)
		echo "usage: scripts/deps.sh [build|demo|test|kernel|all]..." >&2
		exit 2
		;;
	esac
done

missing=""
for p in $(printf '%s\n' $pkgs | sort -u); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	# One update per fresh machine; apt lists older than a day are refreshed.
	if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null)" ]; then
		apt-get update -qq
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi
