/* SPDX-License-Identifier: MIT */
/* Shared bits of the test domains. Slots match the tests/system descriptions. */
#ifndef TEST_DOMAINS_COMMON_H
#define TEST_DOMAINS_COMMON_H

#include <rift/abi.h>
#include <rift/syscall.h>
#include <stdio.h>
#include <stdlib.h>

#define SLOT_EP 16    /* primary endpoint */
#define SLOT_NTFN 17  /* notification */
#define SLOT_EP2 18   /* second endpoint */

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

#endif
