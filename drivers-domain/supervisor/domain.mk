# The supervisor: first domain, loaded by the kernel.
supervisor_SRCS := $(wildcard drivers-domain/supervisor/*.c) \
	$(IDL_GEN_DIR)/platform_client.c
supervisor_LIBS := $(LIBFDT_ARM64)
PRODUCT_DOMAINS += supervisor
