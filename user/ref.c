// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The reference verdict. It goes through the very functions the XDP
 * program runs (include/segoff/window.h) on the bits of each double, so
 * that "what the program should answer" has one definition.
 */
#include <string.h>

#include "libsegoff.h"

int segoff_ref_sample(double x, const struct segoff_config *c, uint32_t *X)
{
	uint64_t bits;
	__u32 v;
	int err;

	memcpy(&bits, &x, sizeof(bits));
	err = segoff_double_sample((__u32)bits, (__u32)(bits >> 32), c, &v);
	if (!err)
		*X = v;
	return err;
}

int segoff_ref_window(const double *x, const struct segoff_config *c, int *why)
{
	__u32 X[SEGOFF_SAMPLES];
	int i;

	for (i = 0; i < SEGOFF_SAMPLES; i++) {
		*why = segoff_ref_sample(x[i], c, &X[i]);
		if (*why)
			return SEGOFF_TAG_INVALID;
	}
	return segoff_split(X, c) ? SEGOFF_TAG_SPLIT : SEGOFF_TAG_NOSPLIT;
}
