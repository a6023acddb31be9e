# User-level libraries for rift domains, included by build.mk.
# Uses B (build dir), Q and WARN from build.mk.
#
# A domain program is ordinary C built with Debian's musl:
#   $(MUSLCC) $(DOMAIN_CFLAGS) -c prog.c -o prog.o
#   $(MUSLCC) $(DOMAIN_LDFLAGS) prog.o $(DOMAIN_LIBS) $(DOMAIN_LDLIBS) -o prog
# DOMAIN_LIBS comes after the program's objects; musl's libc follows it
# (added by the driver, or in DOMAIN_LDLIBS), so librift's uses of musl
# resolve. The entry is _rift_start (libs/rt/start.S); -u pulls it (and with
# it the upcall handler) out of the archive even though no object refers to
# it.
#
# With gcc, Debian's musl-gcc wrapper does it all. Debian has no such wrapper
# for clang, so the same is spelled out here (docs/decisions/clang-musl.md):
# musl's headers, then clang's own (stddef.h, arm_neon.h, ...); at link,
# musl's start files and libc.a, the cross gcc's libgcc.a for helper
# functions, and lld. DOMAIN_LDLIBS closes every link line.
MUSL_INC := /usr/include/aarch64-linux-musl
MUSL_LIB := /usr/lib/aarch64-linux-musl
ifeq ($(TOOLCHAIN),clang)
MUSLCC := clang --target=aarch64-linux-musl
MUSL_CFLAGS := -nostdinc -isystem $(MUSL_INC) -isystem $(KCC_INCLUDE)
MUSL_LDFLAGS := -fuse-ld=lld -nostdlib $(MUSL_LIB)/crt1.o $(MUSL_LIB)/crti.o
DOMAIN_LDLIBS := $(MUSL_LIB)/libc.a $(LIBGCC_A) $(MUSL_LIB)/crtn.o
else
MUSLCC := aarch64-linux-musl-gcc
MUSL_CFLAGS :=
MUSL_LDFLAGS :=
DOMAIN_LDLIBS :=
endif

# Never -I/usr/include (glibc headers); -idirafter only so that <libfdt.h>
# is found after musl's own headers.
DOMAIN_CFLAGS := -std=gnu11 -O2 -g $(WARN) $(MUSL_CFLAGS) -Ilibs/include \
	-idirafter /usr/include -fno-omit-frame-pointer
DOMAIN_LDFLAGS := -static -Wl,-e,_rift_start -Wl,-u,_rift_start $(MUSL_LDFLAGS)
LIBRIFT_A := $(B)/libs/librift.a
DOMAIN_LIBS := $(LIBRIFT_A)

# The runtime runs before musl is set up and inside the upcall handler:
# no stack protector (its guard is set by musl later), no outline atomics
# (they read HWCAP through musl).
LIBRIFT_CFLAGS := $(DOMAIN_CFLAGS) -fno-stack-protector -mno-outline-atomics -MMD -MP

LIBRIFT_SRCS := $(wildcard libs/rt/*.c libs/rt/*.S)
LIBRIFT_OBJS := $(patsubst libs/rt/%,$(B)/libs/rt/%,$(addsuffix .o,$(basename $(LIBRIFT_SRCS))))

# Objects are <name>.o, not <name>.c.o, so build.mk's kernel pattern rules
# for $(B)/%.c.o never apply to them.
$(B)/libs/rt/%.o: libs/rt/%.c
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSLCC) $(LIBRIFT_CFLAGS) -c $< -o $@

$(B)/libs/rt/%.o: libs/rt/%.S
	@mkdir -p $(dir $@)
	@echo "  MUSLAS  $<"
	$(Q)$(MUSLCC) $(LIBRIFT_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(LIBRIFT_A): $(LIBRIFT_OBJS)
	@mkdir -p $(dir $@)
	@echo "  AR      $@"
	$(Q)rm -f $@
	$(Q)aarch64-linux-gnu-ar rcs $@ $^

# A trivial program linked the way every domain is: checks that the entry
# is _rift_start and that the upcall handler is in.
RT_HELLO := $(B)/libs/rt-hello
$(B)/libs/rt-hello.o: libs/rt/selftest/hello.c
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSLCC) $(DOMAIN_CFLAGS) -c $< -o $@

$(RT_HELLO): $(B)/libs/rt-hello.o $(LIBRIFT_A)
	@echo "  LD      $@"
	$(Q)$(MUSLCC) $(DOMAIN_LDFLAGS) $< $(DOMAIN_LIBS) $(DOMAIN_LDLIBS) -o $@
	$(Q)entry=$$(aarch64-linux-gnu-readelf -h $@ | awk '/Entry point/ { print $$4 }'); \
	start=$$(aarch64-linux-gnu-nm $@ | awk '$$3 == "_rift_start" { print $$1 }'); \
	aarch64-linux-gnu-nm $@ | grep -q ' T __rift_upcall$$' || \
		{ echo "$@: __rift_upcall missing" >&2; rm -f $@; exit 1; }; \
	[ "$$((entry))" = "$$((0x$$start))" ] || \
		{ echo "$@: entry $$entry is not _rift_start" >&2; rm -f $@; exit 1; }

.PHONY: librift librift-check
librift: $(LIBRIFT_A)
librift-check: $(RT_HELLO)

-include $(LIBRIFT_OBJS:.o=.d)
