// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Parameters as text. Epsilon is parsed as an exact decimal, never through
 * a double: 0.1 must become exactly 100000000 units, or the "exact"
 * arithmetic would test a different epsilon than the one the user typed.
 */
#include <errno.h>
#include <string.h>

#include "libsegoff.h"

static const char *const encoding_names[] = {
	[SEGOFF_ENC_FIXED] = "fixed",
	[SEGOFF_ENC_DOUBLE] = "double",
};

static const char *const arith_names[] = {
	[SEGOFF_ARITH_EXACT] = "exact",
	[SEGOFF_ARITH_SEED] = "seed",
};

#define SEGOFF_PARAM_MSG(code, msg) [code] = msg,
static const char *const param_msgs[] = { SEGOFF_PARAM_ERRORS(SEGOFF_PARAM_MSG) };
#undef SEGOFF_PARAM_MSG

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define EPS_DECIMALS 9	/* SEGOFF_EPS_UNIT = 10^9 */

/*
 * Besides 0 and -EINVAL (not a decimal number), tells the caller why a
 * well-formed number is refused: -ERANGE when it is negative or not below
 * SEGOFF_EPS_MAX, -EDOM when it has more decimals than SEGOFF_EPS_UNIT
 * resolves (rounding would silently change the test).
 */
int segoff_parse_eps(const char *s, uint64_t *eps)
{
	uint64_t ip = 0, frac = 0;
	int negative = 0, idigits = 0, fdigits = 0, extra = 0;
	const char *p = s;

	if (*p == '-' || *p == '+')
		negative = *p++ == '-';
	for (; *p >= '0' && *p <= '9'; p++, idigits++)
		if (ip < SEGOFF_SAMPLE_LIMIT)	/* saturate: only the range matters */
			ip = ip * 10 + (uint64_t)(*p - '0');
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, fdigits++) {
			if (fdigits < EPS_DECIMALS)
				frac = frac * 10 + (uint64_t)(*p - '0');
			else if (*p != '0')
				extra = 1;
		}
	}
	if (*p || (!idigits && !fdigits))
		return -EINVAL;
	if (extra)
		return -EDOM;
	for (; fdigits < EPS_DECIMALS; fdigits++)
		frac *= 10;
	if (ip >= SEGOFF_SAMPLE_LIMIT || (negative && (ip || frac)))
		return -ERANGE;
	*eps = ip * SEGOFF_EPS_UNIT + frac;
	return 0;
}

static int parse_name(const char *s, const char *const *names, size_t n, uint32_t *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(s, names[i])) {
			*out = (uint32_t)i;
			return 0;
		}
	}
	return -EINVAL;
}

int segoff_parse_encoding(const char *s, uint32_t *enc)
{
	return parse_name(s, encoding_names, ARRAY_SIZE(encoding_names), enc);
}

int segoff_parse_arith(const char *s, uint32_t *arith)
{
	return parse_name(s, arith_names, ARRAY_SIZE(arith_names), arith);
}

const char *segoff_encoding_name(uint32_t enc)
{
	return enc < ARRAY_SIZE(encoding_names) ? encoding_names[enc] : "unknown";
}

const char *segoff_arith_name(uint32_t arith)
{
	return arith < ARRAY_SIZE(arith_names) ? arith_names[arith] : "unknown";
}

const char *segoff_param_strerror(int err)
{
	if (err < 0 || (size_t)err >= ARRAY_SIZE(param_msgs))
		return "unknown parameter error";
	return param_msgs[err];
}
