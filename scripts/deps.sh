#!/bin/sh
# Installs every Debian 12 package swaptrace needs, build and tests alike.
# Idempotent; run as root (or it re-runs itself through sudo).
set -eu
if [ "$(id -u)" != 0 ]; then
	exec sudo "$0" "$@"
fi

# build and replay
pkgs="gcc meson ninja-build pkg-config libglib2.0-dev libbabeltrace2-dev babeltrace2
      libsqlite3-dev sqlite3 libjson-glib-dev clang-format"
# recording real UST traces (emitter, tests)
pkgs="$pkgs liblttng-ust-dev lttng-tools python3 python3-bt2 util-linux"
# the patched kernel under QEMU (kernel suite); lttng-modules source is
# fetched with `apt-get download`, never installed (see kernel/qemu/README.md)
pkgs="$pkgs linux-source-6.1 linux-source-6.12 qemu-system-x86 busybox-static stress-ng bc bison flex
      libelf-dev libssl-dev cpio kmod xz-utils dpkg-dev make patch"
# HTML report check (headless browser)
pkgs="$pkgs chromium"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	# One update per fresh machine; apt lists older than a day are refreshed.
	if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null)" ]; then
		apt-get update -qq
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi
