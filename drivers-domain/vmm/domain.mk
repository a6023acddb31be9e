# The VMM (docs/guests.md): one domain per guest. Pure parts (vm_*.c) are
# host-tested (tests/unit/unit.mk, test_vmm); vcpu.c and vmm.c are the
# kernel calls and the glue.
vmm_SRCS := $(wildcard drivers-domain/vmm/*.c)
vmm_LIBS := $(CONSOLE_CLIENT_LIBS) $(LIBFDT_ARM64)
$(B)/domains/vmm: $(CONSOLE_CLIENT_A)
$(patsubst %,$(B)/dom/%.o,$(wildcard drivers-domain/vmm/*.c)): \
	DOMAIN_CFLAGS += $(CONSOLE_CLIENT_INC)
PRODUCT_DOMAINS += vmm
