# The console server (docs/console.md) and its client library.

console_SRCS := $(wildcard drivers-domain/console/*.c) \
	$(IDL_GEN_DIR)/console_server.c
PRODUCT_DOMAINS += console

# libconsole_client.a: the runtime backend that sends a domain's stdout and
# stderr to the console (drivers-domain/console/client/), with the generated
# console stubs. It runs inside the runtime's upcall handler, so it is built
# like librift: no stack protector, no outline atomics.
CONSOLE_CLIENT_A := $(B)/libs/libconsole_client.a
CONSOLE_CLIENT_OBJS := $(B)/dom/drivers-domain/console/client/console_client.c.o \
	$(B)/dom/$(IDL_GEN_DIR)/console_client.c.o
$(CONSOLE_CLIENT_OBJS): DOMAIN_CFLAGS += -fno-stack-protector -mno-outline-atomics
$(B)/dom/drivers-domain/console/client/console_client.c.o: DOMAIN_CFLAGS += \
	-Idrivers-domain/console/client

$(CONSOLE_CLIENT_A): $(CONSOLE_CLIENT_OBJS)
	@mkdir -p $(dir $@)
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)aarch64-linux-gnu-ar rcs $@ $^

# How a domain links it: <name>_LIBS += $(CONSOLE_CLIENT_LIBS) and
# $(B)/domains/<name>: $(CONSOLE_CLIENT_A). The whole archive, because the
# linker has already taken librift's weak rt_console_write() by then and
# would not look for a strong one in a later archive; librift again after
# it, for the transport the stubs call.
CONSOLE_CLIENT_LIBS = -Wl,--whole-archive $(CONSOLE_CLIENT_A) \
	-Wl,--no-whole-archive $(LIBRIFT_A)
# Where client programs find console_client.h.
CONSOLE_CLIENT_INC := -Idrivers-domain/console/client

# The product's domains print through the console when their description
# gives them a console channel (platforms/qemu-virt/system.dts), and
# through the kernel log when it does not (the test descriptions).
$(foreach d,hello crasher pingpong,$(eval $(d)_LIBS += $$(CONSOLE_CLIENT_LIBS)))
$(patsubst %,$(B)/domains/%,hello crasher pingpong): $(CONSOLE_CLIENT_A)
