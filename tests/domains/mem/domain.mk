# Memory with default settings (tests/integration/test_10_domains.py,
# malloc_to_quota): malloc in chunks up to a total.
memhog_SRCS := tests/domains/mem/memhog.c
TEST_DOMAINS += memhog
