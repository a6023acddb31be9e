# The supervisor: first domain, loaded by the kernel.
supervisor_SRCS := $(wildcard drivers-domain/supervisor/*.c)
supervisor_LIBS := $(LIBFDT_ARM64)
PRODUCT_DOMAINS += supervisor
