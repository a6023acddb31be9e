/* SPDX-License-Identifier: MIT */
/* Shared bits of the test domains. Capabilities are found by the names the
 * tests/system descriptions give them. */
#ifndef TEST_DOMAINS_COMMON_H
#define TEST_DOMAINS_COMMON_H

#include <rift/abi.h>
#include <rift/rt.h>
#include <rift/syscall.h>
#include <stdio.h>
#include <stdlib.h>

/** Fail the test: print why and exit with status 1. */
#define TEST_REQUIRE(cond, ...)                                         \
	do {                                                            \
		if (!(cond)) {                                          \
			printf("FAILED: %s:%d: ", __FILE__, __LINE__);  \
			printf(__VA_ARGS__);                            \
			printf("\n");                                   \
			exit(1);                                        \
		}                                                       \
	} while (0)

/** The slot of capability @name; fails the test when there is none. */
static inline uint64_t test_cap(const char *name)
{
	uint64_t slot = rt_cap(name);

	TEST_REQUIRE(slot != 0, "the description gives no capability named "
		     "'%s'", name);
	return slot;
}

#endif
