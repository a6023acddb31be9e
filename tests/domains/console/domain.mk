# Test programs of the console server (tests/integration/test_20_console.py).
# Each links the console client library, so its stdout goes to the console.

CONSOLE_TESTS := conwriter conecho conbad
$(foreach t,$(CONSOLE_TESTS),$(eval $(t)_SRCS := tests/domains/console/$(t).c))
$(foreach t,$(CONSOLE_TESTS),$(eval $(t)_LIBS := $$(CONSOLE_CLIENT_LIBS)))
$(patsubst %,$(B)/domains/%,$(CONSOLE_TESTS)): $(CONSOLE_CLIENT_A)
$(patsubst %,$(B)/dom/tests/domains/console/%.c.o,$(CONSOLE_TESTS)): \
	DOMAIN_CFLAGS += $(CONSOLE_CLIENT_INC)
TEST_DOMAINS += $(CONSOLE_TESTS)
