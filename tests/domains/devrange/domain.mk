# Ranged device and IRQ authority (tests/integration/test_10_domains.py,
# device_ranges): what a carved capability allows and refuses.
devrange_SRCS := tests/domains/devrange/devrange.c
TEST_DOMAINS += devrange
