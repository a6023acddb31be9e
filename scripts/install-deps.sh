#!/bin/sh
# Install everything rift needs to build, run and test, from Debian 12 only.
# Idempotent: does nothing when every tool is present. Needs root for apt.
set -eu

# command-or-file : package
need() {
	case "$1" in
	/*) [ -e "$1" ] ;;
	*) command -v "$1" >/dev/null 2>&1 ;;
	esac
}

missing=""
check() { need "$1" || missing="$missing $2"; }

check aarch64-linux-gnu-gcc       gcc-aarch64-linux-gnu
check qemu-system-aarch64         qemu-system-arm
check qemu-aarch64                qemu-user
check dtc                         device-tree-compiler
check lspci                       pciutils
check /usr/include/x86_64-linux-gnu/pci/pci.h libpci-dev
check clang                       clang
check ld.lld                      lld
# Big-endian unit tests: s390x cross gcc with its C library, run by
# qemu-user's qemu-s390x.
check s390x-linux-gnu-gcc         gcc-s390x-linux-gnu
check /usr/s390x-linux-gnu/include/stdio.h  libc6-dev-s390x-cross
check qemu-s390x                  qemu-user
check /usr/lib/aarch64-linux-gnu/libfdt.a   libfdt-dev:arm64
check /usr/lib/aarch64-linux-musl/libc.a    musl-dev:arm64
check cpio                        cpio
/usr/bin/python3 -c 'import jinja2' 2>/dev/null || missing="$missing python3-jinja2"
# libFuzzer runtime for clang
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 \
	|| missing="$missing libclang-rt-dev"

if [ -z "$missing" ]; then
	exit 0
fi

echo "install-deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: not root; run as root: apt-get install$missing" >&2
	exit 1
fi
case " $missing " in
*:arm64*)
	dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
	;;
esac
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# libclang-rt-dev is a virtual name on some releases; pick the versioned one.
pkgs=""
for p in $missing; do
	if [ "$p" = libclang-rt-dev ]; then
		v=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
		p="libclang-rt-${v:-14}-dev"
	fi
	pkgs="$pkgs $p"
done
apt-get install -y -q --no-install-recommends $pkgs
