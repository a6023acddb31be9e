# QEMU virt (aarch64): the reference board.
ARCH := aarch64

# How QEMU models the board. Tests and tools add -m/-smp/-numa as they need.
QEMU := qemu-system-aarch64
QEMU_MACHINE := virt,virtualization=on,gic-version=3,iommu=smmuv3
QEMU_CPU := neoverse-n1
QEMU_MEM := 1G
QEMU_SMP := 1
# Extra devices (make run) come from the description's rift,qemu-devices.
# Deterministic runs for benchmarks (see docs/performance.md).
QEMU_BENCH_MACHINE := $(QEMU_MACHINE),dtb-randomness=off
QEMU_BENCH_FLAGS := -icount shift=0,sleep=off -rtc base=2024-01-01T00:00:00,clock=vm
