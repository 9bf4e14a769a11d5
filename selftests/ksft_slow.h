/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time limits that scale with the kernel under test. The 6.1 kselftest
 * harness gives every TEST/TEST_F 30 s (TEST_TIMEOUT_DEFAULT, fixed when
 * the test is compiled); a debug kernel (KASAN, lockdep, kmemleak) in an
 * emulated VM runs the same test 7-9 times slower. SEGOFF_SLOW=N in the
 * environment (the VM runner sets it) multiplies every test's limit by N.
 * SEGOFF_TEST_VARIANT=NAME runs, of a fixture that has a variant of that
 * name, that variant only: the debug smoke's share, where each test costs
 * a minute. Include after kselftest_harness.h and end the file with
 * SEGOFF_HARNESS_MAIN_INIT(fn) instead of TEST_HARNESS_MAIN.
 */
#ifndef SEGOFF_KSFT_SLOW_H
#define SEGOFF_KSFT_SLOW_H

#include <stdlib.h>
#include <string.h>

static inline void segoff_scale_timeouts(void)
{
	const char *s = getenv("SEGOFF_SLOW");
	long n = s ? strtol(s, NULL, 10) : 1;
	struct __fixture_metadata *f;
	struct __test_metadata *t;

	if (n <= 1 || n > 1000)
		return;
	/* A fixture's tests are one list, shared by all its variants. */
	for (f = __fixture_list; f; f = f->next)
		for (t = f->tests; t; t = t->next)
			t->timeout *= n;
}

static inline void segoff_select_variant(void)
{
	const char *want = getenv("SEGOFF_TEST_VARIANT");
	struct __fixture_variant_metadata *v;
	struct __fixture_metadata *f;

	if (!want || !*want)
		return;
	for (f = __fixture_list; f; f = f->next)
		for (v = f->variant; v; v = v->next)
			if (!strcmp(v->name, want)) {
				v->prev = v;
				v->next = NULL;
				f->variant = v;
				break;
			}
}

/*
 * TEST_HARNESS_MAIN, with the limits scaled and the variant chosen before
 * any test runs, then @init() in the harness's own process: what it opens
 * before the tests fork, every test inherits.
 */
#define SEGOFF_HARNESS_MAIN_INIT(init) \
	static void __attribute__((constructor)) \
	__constructor_order_last(void) \
	{ \
		if (!__constructor_order) \
			__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD; \
	} \
	int main(int argc, char **argv) \
	{ \
		segoff_scale_timeouts(); \
		segoff_select_variant(); \
		init(); \
		return test_harness_run(argc, argv); \
	}

#endif
