#!/bin/sh
# Host (x86_64) libfdt for unit tests and fuzzing. Debian's libfdt-dev and
# libfdt-dev:arm64 conflict, and the arm64 one is needed installed, so the
# host archive is unpacked from Debian's package into the build tree instead.
# Usage: host-libfdt.sh <dest-dir>   (leaves <dest-dir>/lib/libfdt.a)
set -eu
dest=$1
[ -f "$dest/lib/libfdt.a" ] && exit 0
arch=$(dpkg --print-architecture)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
# Package lists may be missing on a machine that already has every tool
# (install-deps.sh then never ran apt-get update): update once and retry.
(cd "$tmp" && apt-get download -q "libfdt-dev:$arch" >/dev/null 2>&1) ||
	{ apt-get update -q >/dev/null &&
	  (cd "$tmp" && apt-get download -q "libfdt-dev:$arch" >/dev/null); } || {
	echo "host-libfdt: cannot download Debian's libfdt-dev:$arch" >&2
	exit 1
}
dpkg-deb -x "$tmp"/libfdt-dev_*.deb "$tmp/x"
mkdir -p "$dest/lib"
cp "$tmp/x/usr/lib/"*/libfdt.a "$dest/lib/libfdt.a"
