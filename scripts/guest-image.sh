#!/bin/sh
# The guest image for `make run` and `make test` (docs/guests.md): Debian's
# arm64 Linux kernel and busybox-static, fetched with `apt-get download`
# (nothing is installed), unpacked into a cache folder outside git, and a
# small initramfs built from them.
#
#   scripts/guest-image.sh [CACHE_DIR]        (default: cache/guest)
#
# Produces CACHE_DIR/Image (the kernel, an uncompressed arm64 Image),
# CACHE_DIR/initrd.gz (busybox + tools/guest/init) and CACHE_DIR/VERSION.
# Idempotent: when the packages apt resolves today are the ones already
# unpacked and the init script is unchanged, it does nothing.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${1:-$ROOT/cache/guest}
mkdir -p "$CACHE/debs"
CACHE=$(cd "$CACHE" && pwd)

say() { echo "guest-image: $*"; }
die() { echo "guest-image: error: $*" >&2; exit 1; }

need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is missing (apt-get install $2)"; }
need apt-get apt
need dpkg-deb dpkg
need python3 python3

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	die "dpkg does not know the arm64 architecture; run as root:
    dpkg --add-architecture arm64 && apt-get update"
fi

# The kernel package the metapackage linux-image-arm64 points at today
# (linux-image-6.1.0-<abi>-arm64 on bookworm), and its version.
resolve() {
	KPKG=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-arm64\)\(:arm64\)\{0,1\}$/\1/p' | head -1)
	KVER=""
	BVER=""
	if [ -n "$KPKG" ]; then
		KVER=$(apt-cache policy "$KPKG:arm64" 2>/dev/null | sed -n 's/^ *Candidate: //p')
		BVER=$(apt-cache policy busybox-static:arm64 2>/dev/null | sed -n 's/^ *Candidate: //p')
	fi
}

say "[1/5] resolving linux-image-arm64:arm64 and busybox-static:arm64 with apt"
resolve
if [ -z "$KPKG" ] || [ -z "$KVER" ] || [ "$KVER" = "(none)" ] || [ -z "$BVER" ] || [ "$BVER" = "(none)" ]; then
	if [ "$(id -u)" = 0 ]; then
		say "      apt knows no candidate; running apt-get update (arm64 lists)"
		apt-get update -q || die "apt-get update failed (network? see the lines above)"
		resolve
	fi
fi
[ -n "$KPKG" ] && [ -n "$KVER" ] && [ "$KVER" != "(none)" ] ||
	die "apt cannot resolve linux-image-arm64:arm64 to a kernel package.
    Check that arm64 package lists are present (as root: apt-get update),
    and that bookworm's main component is in /etc/apt/sources.list."
[ -n "$BVER" ] && [ "$BVER" != "(none)" ] ||
	die "apt has no candidate for busybox-static:arm64 (as root: apt-get update)"
say "      kernel $KPKG $KVER, busybox-static $BVER"

INIT="$ROOT/tools/guest/init"
MKINIT="$ROOT/tools/guest/mkinitramfs.py"
STAMP="$KPKG $KVER busybox-static $BVER init $(cksum <"$INIT" | cut -d' ' -f1) mkinit $(cksum <"$MKINIT" | cut -d' ' -f1)"
if [ -f "$CACHE/Image" ] && [ -f "$CACHE/initrd.gz" ] && [ -f "$CACHE/VERSION" ] &&
	[ "$(cat "$CACHE/VERSION")" = "$STAMP" ]; then
	say "up to date ($CACHE: $KPKG $KVER)"
	exit 0
fi

fetch() { # package version
	deb=$(ls "$CACHE/debs/$1"_*"_arm64.deb" 2>/dev/null | head -1 || true)
	if [ -n "$deb" ] && dpkg-deb -f "$deb" Version | grep -qxF "$2"; then
		say "      $1 $2: already downloaded"
		return 0
	fi
	rm -f "$CACHE/debs/$1"_*"_arm64.deb"
	say "      downloading $1:arm64 $2 (apt-get download)"
	(cd "$CACHE/debs" && apt-get -q -o APT::Sandbox::User=root download "$1:arm64=$2") ||
		die "apt-get download $1:arm64=$2 failed (network or apt lists? as root: apt-get update)"
}

say "[2/5] downloading (apt-get download, nothing is installed)"
fetch "$KPKG" "$KVER"
fetch busybox-static "$BVER"

say "[3/5] unpacking with dpkg-deb -x"
rm -rf "$CACHE/root"
mkdir -p "$CACHE/root"
for d in "$CACHE/debs/$KPKG"_*_arm64.deb "$CACHE/debs/busybox-static"_*_arm64.deb; do
	dpkg-deb -x "$d" "$CACHE/root" || die "dpkg-deb -x $d failed (corrupt download? delete $CACHE/debs)"
done

say "[4/5] checking the kernel image"
VMLINUZ=$(ls "$CACHE"/root/boot/vmlinuz-* 2>/dev/null | head -1)
[ -n "$VMLINUZ" ] || die "$KPKG has no /boot/vmlinuz-*"
# The arm64 Image header has the magic "ARM\x64" at offset 56
# (Documentation/arm64/booting.rst). Debian's is uncompressed; a
# gzip-compressed one is unpacked here.
magic() { od -An -tx1 -j56 -N4 "$1" | tr -d ' \n'; }
if [ "$(magic "$VMLINUZ")" = 41524d64 ]; then
	cp "$VMLINUZ" "$CACHE/Image.tmp"
elif [ "$(od -An -tx1 -N2 "$VMLINUZ" | tr -d ' \n')" = 1f8b ]; then
	say "      $VMLINUZ is gzip-compressed: decompressing"
	gzip -dc "$VMLINUZ" >"$CACHE/Image.tmp" || die "cannot decompress $VMLINUZ"
	[ "$(magic "$CACHE/Image.tmp")" = 41524d64 ] || die "$VMLINUZ decompressed is not an arm64 Image"
else
	die "$VMLINUZ is not an arm64 Image (no ARM\\x64 magic at offset 56) and not gzip"
fi
mv "$CACHE/Image.tmp" "$CACHE/Image"
say "      $(basename "$VMLINUZ"): arm64 Image, $(wc -c <"$CACHE/Image") bytes"

say "[5/5] building the initramfs (busybox + tools/guest/init)"
[ -x "$CACHE/root/bin/busybox" ] || die "busybox-static has no /bin/busybox"
python3 "$MKINIT" --busybox "$CACHE/root/bin/busybox" --init "$INIT" \
	-o "$CACHE/initrd.gz" | sed 's/^/      /'
echo "$STAMP" >"$CACHE/VERSION"
say "done: $CACHE/Image, $CACHE/initrd.gz"
