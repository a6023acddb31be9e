/* SPDX-License-Identifier: MIT */
/*
 * Minimal host unit-test harness. Each TEST() is a function; main() runs
 * them in order. Every test prints exactly one line, `PASS <suite>.<name>` or
 * `FAIL <suite>.<name>: <file>:<line>: <expr>`; the program exits non-zero if
 * any failed. tests/run.py collects the lines.
 */
#ifndef RIFT_TEST_H
#define RIFT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test_case {
	const char *name;
	void (*fn)(void);
};

extern const char *test_suite;
static int test_failed_now;
static int test_fail_count;

#define CHECK(expr)                                                         \
	do {                                                                \
		if (!(expr)) {                                              \
			if (!test_failed_now)                               \
				printf("FAIL %s.%s: %s:%d: %s\n",          \
				       test_suite, test_current, __FILE__, \
				       __LINE__, #expr);                    \
			test_failed_now = 1;                                \
			return;                                             \
		}                                                           \
	} while (0)

#define CHECK_EQ(a, b)                                                      \
	do {                                                                \
		long long _a = (long long)(a), _b = (long long)(b);         \
		if (_a != _b) {                                             \
			if (!test_failed_now)                               \
				printf("FAIL %s.%s: %s:%d: %s == %s "       \
				       "(%lld != %lld)\n",                  \
				       test_suite, test_current, __FILE__, \
				       __LINE__, #a, #b, _a, _b);           \
			test_failed_now = 1;                                \
			return;                                             \
		}                                                           \
	} while (0)

static const char *test_current;

static inline int test_run(const struct test_case *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		test_current = t[i].name;
		test_failed_now = 0;
		t[i].fn();
		if (test_failed_now)
			test_fail_count++;
		else
			printf("PASS %s.%s\n", test_suite, t[i].name);
		fflush(stdout);
	}
	return test_fail_count ? 1 : 0;
}

#define TEST(name) static void name(void)
#define TEST_ENTRY(name) { #name, name }
#define TEST_MAIN(suite, ...)                                               \
	const char *test_suite = suite;                                     \
	int main(void)                                                      \
	{                                                                   \
		static const struct test_case cases[] = { __VA_ARGS__ };    \
		return test_run(cases, sizeof(cases) / sizeof(cases[0]));   \
	}

#endif
