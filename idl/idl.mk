# SPDX-License-Identifier: MIT
# IDL: C stubs and dispatchers generated from idl/*.idl, their host tests,
# and fuzzing of the generated decoders. See docs/idl.md.
#
# Included by build.mk, which defines before including this file:
#   B (build dir), PYTHON, HOSTCC, HOST_CFLAGS, BE_CC, BE_CFLAGS, BE_DIR,
#   Q (@ or empty).
#
# For users of generated code:
#   $(IDL_GEN_DIR)/<iface>.h, <iface>_client.c, <iface>_server.c
#   IDL_HEADERS, IDL_CLIENT_SRCS, IDL_SERVER_SRCS   all interfaces
#   IDL_INCLUDES                                     -I flags for them
# Targets: idl (generate all), idl-test (build and run the IDL host tests),
#   fuzz / idl-fuzz (FUZZ_SECONDS per target, default 20).

IDL_INTERFACES := $(basename $(notdir $(wildcard idl/*.idl)))
IDL_GEN := idl/riftidl.py
IDL_GEN_DIR := $(B)/gen/idl
IDL_HEADERS := $(IDL_INTERFACES:%=$(IDL_GEN_DIR)/%.h)
IDL_CLIENT_SRCS := $(IDL_INTERFACES:%=$(IDL_GEN_DIR)/%_client.c)
IDL_SERVER_SRCS := $(IDL_INTERFACES:%=$(IDL_GEN_DIR)/%_server.c)
IDL_INCLUDES := -I$(IDL_GEN_DIR) -Ilibs/include

# "  IDL     file" when quiet
idl_say = $(if $(Q),@printf '  %-7s %s\n' '$(1)' '$(2)';)

# One run of the generator makes all three files (a pattern rule with
# several targets is a grouped target). The depfile names the .idl, the
# generator's own sources and every template it read.
$(IDL_GEN_DIR)/%.h $(IDL_GEN_DIR)/%_client.c $(IDL_GEN_DIR)/%_server.c: idl/%.idl $(IDL_GEN)
	$(call idl_say,IDL,$<)
	$(Q)$(PYTHON) $(IDL_GEN) --out-dir $(IDL_GEN_DIR) --depfile $(IDL_GEN_DIR)/$*.d $<

.PHONY: idl
idl: $(IDL_HEADERS) $(IDL_CLIENT_SRCS) $(IDL_SERVER_SRCS)

# -- host tests ---------------------------------------------------------------
# Test interfaces live in tests/idl/ and generate into their own directory,
# with the file name as C prefix (testiface_v2.idl is `interface testiface`).

IDL_TEST_GEN_DIR := $(B)/gen/idl-test
IDL_HOST_DIR := $(B)/host/idl

$(IDL_TEST_GEN_DIR)/%.h $(IDL_TEST_GEN_DIR)/%_client.c $(IDL_TEST_GEN_DIR)/%_server.c: tests/idl/%.idl $(IDL_GEN)
	$(call idl_say,IDL,$<)
	$(Q)$(PYTHON) $(IDL_GEN) --out-dir $(IDL_TEST_GEN_DIR) --c-prefix $* --depfile $(IDL_TEST_GEN_DIR)/$*.d $<

IDL_TEST_CFLAGS := $(HOST_CFLAGS) -std=gnu11 -fno-sanitize-recover=all \
	-Itests/unit -Itests/idl -I$(IDL_TEST_GEN_DIR) $(IDL_INCLUDES)

# idl_gen_files(<dir>,<iface>): the generated header and sources of one interface
idl_gen_files = $(1)/$(2).h $(1)/$(2)_client.c $(1)/$(2)_server.c
IDL_TEST_COMMON := tests/idl/loopback.c tests/idl/loopback.h \
	tests/unit/test.h libs/include/rift/msg.h
IDL_TESTIFACE := tests/idl/testiface_impl.c tests/idl/testiface_impl.h \
	$(call idl_gen_files,$(IDL_TEST_GEN_DIR),testiface)

# Each C test is also built for big-endian s390x into IDL_BE_DIR (BE_CC and
# BE_CFLAGS from build.mk), run by the test runner as bigendian_idl.
IDL_BE_DIR := $(BE_DIR)/idl
$(IDL_HOST_DIR)/test_idl_codec $(IDL_BE_DIR)/test_idl_codec: tests/idl/test_idl_codec.c \
	$(IDL_TESTIFACE) $(IDL_TEST_COMMON)
$(IDL_HOST_DIR)/test_idl_reject $(IDL_BE_DIR)/test_idl_reject: tests/idl/test_idl_reject.c \
	$(IDL_TESTIFACE) $(IDL_TEST_COMMON)
$(IDL_HOST_DIR)/test_idl_version $(IDL_BE_DIR)/test_idl_version: tests/idl/test_idl_version.c \
	$(IDL_TESTIFACE) $(call idl_gen_files,$(IDL_TEST_GEN_DIR),testiface_v2) $(IDL_TEST_COMMON)
$(IDL_HOST_DIR)/test_idl_console $(IDL_BE_DIR)/test_idl_console: tests/idl/test_idl_console.c \
	$(call idl_gen_files,$(IDL_GEN_DIR),console) $(IDL_TEST_COMMON)

IDL_C_TEST_NAMES := test_idl_codec test_idl_reject test_idl_version test_idl_console
IDL_C_TESTS := $(addprefix $(IDL_HOST_DIR)/,$(IDL_C_TEST_NAMES))
IDL_BE_C_TESTS := $(addprefix $(IDL_BE_DIR)/,$(IDL_C_TEST_NAMES))

$(IDL_C_TESTS):
	$(call idl_say,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(IDL_TEST_CFLAGS) -o $@ $(filter %.c,$^)

$(IDL_BE_C_TESTS):
	$(call idl_say,BECC,$@)
	@mkdir -p $(@D)
	$(Q)$(BE_CC) $(BE_CFLAGS) -Itests/unit -Itests/idl -I$(IDL_TEST_GEN_DIR) \
		$(IDL_INCLUDES) -o $@ $(filter %.c,$^)
BE_IDL_TESTS += $(IDL_BE_C_TESTS)

# The generator's own tests (error reports, hashes, depfiles, freestanding
# cross-compile) are a Python script; wrap it as a runnable program.
$(IDL_HOST_DIR)/test_idl_gen: tests/idl/test_idl_gen.py
	@mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\nexec %s %s "$$@"\n' '$(PYTHON)' '$(abspath $<)' > $@
	$(Q)chmod +x $@

IDL_HOST_TESTS := $(IDL_C_TESTS) $(IDL_HOST_DIR)/test_idl_gen
UNIT_TEST_BINS += $(IDL_HOST_TESTS)

.PHONY: idl-test
idl-test: $(IDL_HOST_TESTS)
	$(Q)fail=0; for t in $^; do $$t || fail=1; done; exit $$fail

# -- fuzzing -------------------------------------------------------------------
# Per interface two libFuzzer targets: <iface>_server feeds arbitrary
# requests to the dispatcher, <iface>_client arbitrary replies to every reply
# decoder and arbitrary events to the event dispatcher. Accepted messages
# must re-encode to the same bytes. Not part of `make test`.

FUZZ_SECONDS ?= 20
IDL_FUZZ_CC ?= clang
IDL_FUZZ_DIR := $(B)/fuzz/idl
IDL_FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wpacked \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(IDL_GEN_DIR)/%_fuzz.c: idl/%.idl $(IDL_GEN)
	$(call idl_say,IDL,$@)
	$(Q)$(PYTHON) $(IDL_GEN) --out-dir $(IDL_GEN_DIR) --emit fuzz --depfile $(IDL_GEN_DIR)/$*_fuzz.d $<

$(IDL_TEST_GEN_DIR)/%_fuzz.c: tests/idl/%.idl $(IDL_GEN)
	$(call idl_say,IDL,$@)
	$(Q)$(PYTHON) $(IDL_GEN) --out-dir $(IDL_TEST_GEN_DIR) --c-prefix $* --emit fuzz --depfile $(IDL_TEST_GEN_DIR)/$*_fuzz.d $<

# idl_fuzz_rules(<iface>,<gen dir>)
define idl_fuzz_rules
$(IDL_FUZZ_DIR)/$(1)_server $(IDL_FUZZ_DIR)/$(1)_client: $(2)/$(1)_fuzz.c $(call idl_gen_files,$(2),$(1))
IDL_FUZZ_TARGETS += $(IDL_FUZZ_DIR)/$(1)_server $(IDL_FUZZ_DIR)/$(1)_client
endef
IDL_FUZZ_TARGETS :=
$(foreach i,$(IDL_INTERFACES),$(eval $(call idl_fuzz_rules,$(i),$(IDL_GEN_DIR))))
$(eval $(call idl_fuzz_rules,testiface,$(IDL_TEST_GEN_DIR)))

$(IDL_FUZZ_DIR)/%_server:
	$(call idl_say,FUZZCC,$@)
	@mkdir -p $(@D)
	$(Q)$(IDL_FUZZ_CC) $(IDL_FUZZ_CFLAGS) -DRIFT_FUZZ_SERVER $(IDL_INCLUDES) -I$(dir $(firstword $^)) -o $@ $(filter %.c,$^)

$(IDL_FUZZ_DIR)/%_client:
	$(call idl_say,FUZZCC,$@)
	@mkdir -p $(@D)
	$(Q)$(IDL_FUZZ_CC) $(IDL_FUZZ_CFLAGS) -DRIFT_FUZZ_CLIENT $(IDL_INCLUDES) -I$(dir $(firstword $^)) -o $@ $(filter %.c,$^)

.PHONY: fuzz idl-fuzz
fuzz: idl-fuzz
idl-fuzz: $(IDL_FUZZ_TARGETS)
	$(Q)for t in $^; do \
		n=$${t##*/}; c=$(IDL_FUZZ_DIR)/corpus/$$n; \
		mkdir -p $$c $(IDL_FUZZ_DIR)/artifacts; \
		printf '  %-7s %s (%ss)\n' FUZZ $$n $(FUZZ_SECONDS); \
		$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(IDL_FUZZ_DIR)/artifacts/$$n- $$c \
			> $(IDL_FUZZ_DIR)/$$n.log 2>&1 \
			|| { tail -n 40 $(IDL_FUZZ_DIR)/$$n.log; \
			     echo "idl-fuzz: $$n failed; log in $(IDL_FUZZ_DIR)/$$n.log"; exit 1; }; \
		grep -h 'stat::number_of_executed_units' $(IDL_FUZZ_DIR)/$$n.log; \
	done

-include $(wildcard $(IDL_GEN_DIR)/*.d $(IDL_TEST_GEN_DIR)/*.d)
