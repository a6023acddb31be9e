# The platform register server (docs/platforms.md): the pure core (topology,
# backend choice, backends) shared with the host tests, the server around
# it, and the platform.idl dispatcher.
PLAT_CORE_SRCS := $(addprefix drivers-domain/platform/,plat_topo.c \
	plat_select.c plat_virt.c plat_shub1.c)
platform_SRCS := $(PLAT_CORE_SRCS) $(addprefix drivers-domain/platform/,\
	plat_main.c plat_handlers.c plat_dev.c) \
	$(IDL_GEN_DIR)/platform_server.c
platform_LIBS := $(CONSOLE_CLIENT_LIBS) $(LIBFDT_ARM64)
$(B)/domains/platform: $(CONSOLE_CLIENT_A)
PRODUCT_DOMAINS += platform
