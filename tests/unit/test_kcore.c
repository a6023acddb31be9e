/* SPDX-License-Identifier: MIT */
#include "kcore_harness.h"
#include "test.h"

TEST(boot)
{
	CHECK(kh_check() == 0);
}

int main(void)
{
	static const struct test_case cases[] = { TEST_ENTRY(boot) };

	kh_boot();
	return test_run(cases, ARRAY_SIZE(cases));
}
const char *test_suite = "kcore";
