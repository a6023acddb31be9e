# The probe guest (tests/guests/probe): a bare-metal arm64 Image built with
# the kernel's cross compiler, put in test.cpio as guest-probe. Bad images
# for guest_bad_image: a truncated copy and a file that is no Image at all.
PROBE_SRCS := tests/guests/probe/start.S tests/guests/probe/probe.c
PROBE_ELF := $(B)/guests/probe.elf
PROBE_CFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -nostdlib \
	-fno-stack-protector -mgeneral-regs-only -mstrict-align -fno-pic \
	-fno-pie -march=armv8-a

$(PROBE_ELF): $(PROBE_SRCS) tests/guests/probe/probe.lds
	@mkdir -p $(dir $@)
	@echo "  GUEST   $@"
	$(Q)$(KCC) $(PROBE_CFLAGS) -static -Wl,--build-id=none -Wl,-T,tests/guests/probe/probe.lds \
		$(KLDFLAGS) $(PROBE_SRCS) -o $@

$(B)/archive/test/guest-probe: $(PROBE_ELF)
	$(Q)$(KOBJCOPY) -O binary $< $@
# Cut after 40 bytes: the header's magic is gone.
$(B)/archive/test/guest-truncated: $(B)/archive/test/guest-probe
	$(Q)head -c 40 $< > $@
# Not an Image: an ELF file (the probe's own).
$(B)/archive/test/guest-notimage: $(PROBE_ELF)
	$(Q)cp $< $@

TEST_EXTRA_FILES += $(B)/archive/test/guest-probe \
	$(B)/archive/test/guest-truncated $(B)/archive/test/guest-notimage
