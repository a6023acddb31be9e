#!/bin/sh
# libfdt from Debian's libfdt-dev package, unpacked into the build tree.
#
# Host (x86_64) libfdt for unit tests and fuzzing: Debian's libfdt-dev and
# libfdt-dev:arm64 conflict, and the arm64 one is needed installed, so the
# host archive is unpacked from Debian's package instead.
# Another Debian architecture (s390x, for the big-endian unit tests; see
# docs/decisions/bigendian-libfdt.md): its package is downloaded with a
# private copy of apt's package lists for that architecture alone, so the
# machine's own apt configuration and dpkg architectures stay as they are.
# Usage: host-libfdt.sh <dest-dir> [<debian-arch>]
#   (leaves <dest-dir>/lib/libfdt.a and <dest-dir>/include/{libfdt,fdt,libfdt_env}.h)
set -eu
dest=$1
arch=${2:-$(dpkg --print-architecture)}
[ -f "$dest/lib/libfdt.a" ] && [ -f "$dest/include/libfdt.h" ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
mkdir -p "$tmp/dl"
chmod 777 "$tmp/dl"
if [ "$arch" = "$(dpkg --print-architecture)" ] ||
	dpkg --print-foreign-architectures | grep -qx "$arch"; then
	# Package lists may be missing on a machine that already has every tool
	# (install-deps.sh then never ran apt-get update): update once and retry.
	(cd "$tmp/dl" && apt-get download -q "libfdt-dev:$arch" >/dev/null 2>&1) ||
		{ apt-get update -q >/dev/null &&
		  (cd "$tmp/dl" && apt-get download -q "libfdt-dev:$arch" >/dev/null); } || {
		echo "host-libfdt: cannot download Debian's libfdt-dev:$arch" >&2
		exit 1
	}
else
	mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial"
	apt_own="-o APT::Architecture=$arch -o APT::Architectures=$arch \
		-o Dir::State::Lists=$tmp/lists -o Dir::Cache=$tmp/cache"
	# The download decides: a source of the machine's that has nothing for
	# this architecture may make the update report an error.
	# shellcheck disable=SC2086
	apt-get $apt_own update -q >"$tmp/update.log" 2>&1 || true
	# shellcheck disable=SC2086
	(cd "$tmp/dl" && apt-get $apt_own download -q libfdt-dev >/dev/null) || {
		cat "$tmp/update.log" >&2
		echo "host-libfdt: cannot download Debian's libfdt-dev:$arch" >&2
		exit 1
	}
fi
dpkg-deb -x "$tmp"/dl/libfdt-dev_*.deb "$tmp/x"
mkdir -p "$dest/lib" "$dest/include"
cp "$tmp/x/usr/lib/"*/libfdt.a "$dest/lib/libfdt.a"
cp "$tmp/x/usr/include/libfdt.h" "$tmp/x/usr/include/fdt.h" \
	"$tmp/x/usr/include/libfdt_env.h" "$dest/include/"
