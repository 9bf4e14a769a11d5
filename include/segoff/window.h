/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The window arithmetic, compiled into the XDP program, segoff-nl's
 * reference and the tests alike so that they cannot drift.
 *
 * Split test (Documentation/design.md): with m, v the mean and variance of x0..x7,
 *	tot = #{ i in 8..15 : |x_i - m| >= eps },  split = tot * eps^2 > 8 v.
 * Samples enter as X = x * S (S = scale), e = eps * S.
 *
 * seed:	m = S1 >> 3, v = (S2 >> 3) - m^2, |X - m| >= e,
 *		split = tot * round(e^2) > v << 3
 * exact:	|8 X - S1| >= 8 e, split = 8 tot e^2 > 8 S2 - S1^2
 *		(the exact test multiplied by 64 and divided by 8)
 * where S1 = sum X, S2 = sum X^2 over x0..x7.
 *
 * Ranges, for every evaluable sample (0 <= x < 2^16, so X < 2^16 S):
 *  exact, S <= 2^12: X < 2^28, S1 < 2^31, S2 < 2^59, 8 S2 < 2^62,
 *	S1^2 < 2^62; e < 2^28, 8 e^2 < 2^59, sum of 8 of them < 2^62.
 *  seed, S <= 2^14: X < 2^30, S1 < 2^33, m < 2^30, X^2 < 2^60,
 *	S2 < 2^63, v < 2^58 + 2^31 (the variance of values in [0, 2^30), plus
 *	what the floors of m and S2 / 8 add), v << 3 < 2^62;
 *	e < 2^30, round(e^2) < 2^60, sum of 8 of them < 2^63.
 * Every product has both factors below 2^32, as the nfp JIT requires:
 * the (__u32) casts below drop only bits that the ranges prove zero.
 *
 * A double becomes X exactly: with x = M 2^(E-1075), M < 2^53, the product
 * M S (< 2^67) is formed from two 32x32 multiplies; since x < 2^16 needs
 * a shift of at least 37 bits, the low 32 bits of M S never reach X nor
 * its rounding bit, so only the high part is kept.
 */
#ifndef _SEGOFF_WINDOW_H
#define _SEGOFF_WINDOW_H

#include <linux/types.h>
#include <linux/segoff.h>
#include <segoff/params.h>

#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif

enum segoff_sample_err {
	SEGOFF_SAMPLE_OK,
	SEGOFF_SAMPLE_RANGE,	/* negative, or >= SEGOFF_SAMPLE_LIMIT */
	SEGOFF_SAMPLE_NAN,	/* NaN or +-Inf */
};

#define SEGOFF_DBL_BIAS		1023
#define SEGOFF_DBL_MAX_EXP	(SEGOFF_DBL_BIAS + 16)	/* 2^16 and above: out of range */
#define SEGOFF_DBL_MIN_EXP	(SEGOFF_DBL_BIAS - 16)	/* below 2^-16: x * S < 1/4 */

/* The config's words, see struct segoff_config: stored XORed with the defaults'. */
static __always_inline __u32 segoff_cfg_port_be(const struct segoff_config *c)
{
	return c->port_be ^ SEGOFF_DEF_PORT_BE;
}

static __always_inline __u32 segoff_cfg_encoding(const struct segoff_config *c)
{
	return c->encoding ^ SEGOFF_DEF_ENCODING;
}

static __always_inline __u32 segoff_cfg_arith(const struct segoff_config *c)
{
	return c->arith ^ SEGOFF_DEF_ARITH;
}

static __always_inline __u32 segoff_cfg_scale(const struct segoff_config *c)
{
	return c->scale ^ SEGOFF_DEF_SCALE;
}

static __always_inline __u32 segoff_cfg_eps(const struct segoff_config *c)
{
	return c->eps ^ SEGOFF_DEF_EPS;
}

static __always_inline __u32 segoff_cfg_round(const struct segoff_config *c)
{
	return c->round ^ SEGOFF_DEF_ROUND;
}

static __always_inline __u64 segoff_cfg_eps2(const struct segoff_config *c)
{
	return c->eps2 ^ SEGOFF_DEF_EPS2;
}

static __always_inline __u32 segoff_cfg_reply(const struct segoff_config *c)
{
	return c->reply ^ SEGOFF_DEF_REPLY;
}

/* a fixed sample is evaluable below this, and any X the arithmetic takes is too */
static __always_inline __u32 segoff_cfg_limit(const struct segoff_config *c)
{
	return segoff_cfg_scale(c) << 16;
}

static __always_inline int segoff_fixed_sample(__u32 v, const struct segoff_config *c, __u32 *x)
{
	if (v >= segoff_cfg_limit(c))
		return SEGOFF_SAMPLE_RANGE;
	*x = v;
	return SEGOFF_SAMPLE_OK;
}

/* what is not a normal sample in [2^-16, 2^16): zero, subnormal, too big, negative, NaN, Inf */
static __always_inline int segoff_double_rare(__u32 lo, __u32 hi, __u32 *x)
{
	__u32 exp = (hi >> 20) & 0x7ff;

	if (exp == 0x7ff)
		return SEGOFF_SAMPLE_NAN;
	if (hi >> 31) {
		if ((hi << 1) | lo)	/* anything but -0.0 */
			return SEGOFF_SAMPLE_RANGE;
		*x = 0;
		return SEGOFF_SAMPLE_OK;
	}
	if (exp >= SEGOFF_DBL_MAX_EXP)
		return SEGOFF_SAMPLE_RANGE;
	*x = 0;		/* below 2^-16, zero and subnormals too */
	return SEGOFF_SAMPLE_OK;
}

/*
 * @lo, @hi: the low and high 32 bits of the IEEE-754 binary64 sample;
 * @scale, @round: the config's, as arguments so that a caller converting
 * a window loads them once.
 */
static __always_inline int segoff_double_scaled(__u32 lo, __u32 hi, __u32 scale, __u32 round,
						__u32 *x)
{
	__u32 shift;
	__u64 v;

	/* the sign and the exponent in one unsigned compare */
	if (hi - (SEGOFF_DBL_MIN_EXP << 20) >= (SEGOFF_DBL_MAX_EXP - SEGOFF_DBL_MIN_EXP) << 20)
		return segoff_double_rare(lo, hi, x);
	/* the high part of M * S, i.e. M * S >> 32 */
	v = (__u64)((hi & 0xfffff) | 0x100000) * scale + (((__u64)lo * scale) >> 32);
	/*
	 * (v + round 2^(n-1)) >> n with n = 1075 - exp - 32, taken as
	 * ((v >> (n - 1)) + round) >> 1: the same floor, no variable
	 * left shift.
	 */
	shift = SEGOFF_DBL_BIAS + 52 - 32 - 1 - (hi >> 20);
	v = ((v >> shift) + round) >> 1;
	/* x < 2^16 may still round up to the limit */
	if (v >= (__u64)scale << 16)
		return SEGOFF_SAMPLE_RANGE;
	*x = (__u32)v;
	return SEGOFF_SAMPLE_OK;
}

static __always_inline int segoff_double_sample(__u32 lo, __u32 hi,
						const struct segoff_config *c, __u32 *x)
{
	return segoff_double_scaled(lo, hi, segoff_cfg_scale(c), segoff_cfg_round(c), x);
}

/*
 * The split test fed one sample at a time, in order, so that the XDP
 * program reads each sample once, straight from the packet, and keeps
 * none of them: x0..x7 are summed, x8..x15 tested against the centre.
 */
struct segoff_test {
	__u64 s1, s2;		/* S1, S2 */
	__u64 near, width;	/* the near interval, see segoff_test_centre() */
	__u64 lhs, rhs;
};

static __always_inline void segoff_test_centre(struct segoff_test *t,
					       const struct segoff_config *c)
{
	__u64 centre, eps = segoff_cfg_eps(c);
	__u32 m;

	if (segoff_cfg_arith(c) == SEGOFF_ARITH_SEED) {
		m = (__u32)(t->s1 >> 3);
		t->rhs = ((t->s2 >> 3) - (__u64)m * m) << 3;
		/*
		 * |X - m| >= e tested as |8 X - 8 m| >= 8 e: both arithmetics
		 * then shift X by the same constant, with no register kept
		 * for a shift count
		 */
		centre = (__u64)m << 3;
		eps <<= 3;
	} else {
		t->rhs = 8 * t->s2 - (__u64)(__u32)t->s1 * (__u32)t->s1;
		centre = t->s1;
	}
	/*
	 * |8 X - centre| < eps as one unsigned compare, with no branch per
	 * sample: centre - eps < 8 X < centre + eps, moved to start at 0
	 * (wrapping when centre < eps; every value is below 2^34, far from
	 * the wrap). eps = 0 has no near samples, which a width of 0 says.
	 */
	t->near = centre - eps + 1;
	t->width = eps ? 2 * eps - 1 : 0;
	t->lhs = 0;
}

/* one of x8..x15 of the window whose centre is set */
static __always_inline void segoff_test_far(struct segoff_test *t, __u32 x, __u64 eps2)
{
	if (((__u64)x << 3) - t->near >= t->width)
		t->lhs += eps2;
}

/* @x: sample @i of the window, scaled; @t zeroed before sample 0 */
static __always_inline void segoff_test_sample(struct segoff_test *t, int i, __u32 x,
					       const struct segoff_config *c)
{
	if (i < SEGOFF_HALF) {
		t->s1 += x;
		t->s2 += (__u64)x * x;
		return;
	}
	if (i == SEGOFF_HALF)
		segoff_test_centre(t, c);
	segoff_test_far(t, x, segoff_cfg_eps2(c));
}

/* after sample 15: 1 to split between x7 and x8, 0 not to */
static __always_inline int segoff_test_split(const struct segoff_test *t)
{
	return t->lhs > t->rhs;
}

static __always_inline int segoff_split(const __u32 x[SEGOFF_SAMPLES],
					const struct segoff_config *c)
{
	struct segoff_test t = {};
	int i;

	for (i = 0; i < SEGOFF_SAMPLES; i++)
		segoff_test_sample(&t, i, x[i], c);
	return segoff_test_split(&t);
}

#endif /* _SEGOFF_WINDOW_H */
