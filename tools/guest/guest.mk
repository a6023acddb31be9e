# guest_dt: host tool printing the device tree the VMM gives a guest, from
# the VMM's own code (make guest-dt; docs/guests.md). Included by build.mk.
GUEST_DT := $(B)/host/tools/guest_dt
GUEST_DT_SRCS := tools/guest/guest_dt.c drivers-domain/vmm/vm_boot.c \
	drivers-domain/vmm/vm_fdt.c drivers-domain/vmm/vm_image.c

$(GUEST_DT): $(GUEST_DT_SRCS) $(wildcard drivers-domain/vmm/*.h) $(HOST_LIBFDT)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=gnu11 -O2 -g $(WARN) $(GUEST_DT_SRCS) $(HOST_LIBFDT) -o $@

HOST_TOOLS += $(GUEST_DT)

# make guest-dt [SYSTEM=linux] [GUEST_KERNEL= GUEST_INITRD= GUEST_APPEND=]:
# the guest device trees of a description, as source.
.PHONY: guest-dt
guest-dt: $(GUEST_DT) images
	$(Q)$(PYTHON) tools/guest/guest_dt.py --build $(B) --tool $(GUEST_DT) \
		--system "$(SYSTEM)"
