# The kernel's guest tests (issue 12): a bare-metal aarch64 test guest,
# built with the kernel's compiler into a flat binary at its guest-physical
# load address, and gvmm, the small test VMM that carries it and serves
# its exits (tests/integration/test_60_guest.py, make bench).
GUEST_TEST_DIR := $(B)/guest-test
GUEST_TEST_BIN := $(GUEST_TEST_DIR)/guest.bin
GUEST_TEST_SRCS := tests/domains/guest/guest_start.S tests/domains/guest/guest_main.c
GUEST_TEST_CFLAGS := -std=gnu11 -O2 $(WARN) -ffreestanding -nostdlib -nostdinc \
	-isystem $(KCC_INCLUDE) -mgeneral-regs-only -fno-pic -fno-pie \
	-fno-stack-protector $(KCC_NO_LIBCALLS) -march=armv8.2-a

$(GUEST_TEST_DIR)/guest.elf: $(GUEST_TEST_SRCS) tests/domains/guest/guest.lds \
		tests/domains/guest/guest_abi.h tests/domains/guest/domain.mk
	@mkdir -p $(@D)
	@echo "  GUEST   $@"
	$(Q)$(KCC) $(GUEST_TEST_CFLAGS) -static -Wl,-T,tests/domains/guest/guest.lds \
		-Wl,--build-id=none $(KLDFLAGS) $(GUEST_TEST_SRCS) -o $@

$(GUEST_TEST_BIN): $(GUEST_TEST_DIR)/guest.elf
	$(Q)$(KOBJCOPY) -O binary $< $@

gvmm_SRCS := tests/domains/guest/gvmm.c tests/domains/guest/gvmm_image.c
TEST_DOMAINS += gvmm
$(B)/dom/tests/domains/guest/gvmm_image.c.o: $(GUEST_TEST_BIN)
$(B)/dom/tests/domains/guest/gvmm_image.c.o: DOMAIN_CFLAGS += \
	-DGUEST_BIN='"$(abspath $(GUEST_TEST_BIN))"'
