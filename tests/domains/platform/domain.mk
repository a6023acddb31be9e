# Platform server tests (tests/integration/test_55_platform.py): a client
# that reads the time both ways (the wall-clock page through time(), and
# platform.idl's wall_clock), the topology, and waits for the power button.
timecheck_SRCS := tests/domains/platform/timecheck.c \
	$(IDL_GEN_DIR)/platform_client.c
TEST_DOMAINS += timecheck
