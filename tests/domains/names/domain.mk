# Capabilities by name (tests/integration/test_10_domains.py, sysdesc_names):
# a server that names its callers from their badges, and clients that find
# their channel ends by name only.
names_SRCS := tests/domains/names/names.c
TEST_DOMAINS += names
