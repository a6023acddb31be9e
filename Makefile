# rift: top-level Makefile. All rules live in build.mk; see README.md.
#   make run    build everything and boot it in QEMU
#   make test   host unit tests, then QEMU integration tests
#   make bench  benchmarks (exact instruction counts)
# Variables: PLATFORM=qemu-virt (default), V=1 for verbose commands.

.DEFAULT_GOAL := all
include build.mk
