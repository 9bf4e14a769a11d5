// SPDX-License-Identifier: GPL-2.0
/*
 * Seed arithmetic at the seed's parameters answers every window as the
 * seed's own receiver does, which hard-codes e = 1638 and e^2 = 2684191
 * (include/uapi/linux/segoff.h says why those follow from one eps).
 * Windows are crafted on both sides of each constant and sent through
 * the program and the reference; at eps 0.1 exactly (e^2 rounded to
 * 2684355) the windows between the two constants change verdict.
 */
#include <math.h>
#include <stdlib.h>

#include "xdp_common.h"

#define SEED_E		1638
#define SEED_E2		2684191ULL
#define ROUND_E2	2684355ULL	/* round((0.1 * 2^14)^2) */
#define M0		1600000		/* the windows' level, about 97.66 */

/* The seed receiver's test, from its constants, not from window.h. */
static int seed_verdict(const uint32_t *X, uint64_t e2)
{
	uint64_t s1 = 0, s2 = 0, m, v;
	int i, tot = 0;

	for (i = 0; i < SEGOFF_HALF; i++) {
		s1 += X[i];
		s2 += (uint64_t)X[i] * X[i];
	}
	m = s1 >> 3;
	v = (s2 >> 3) - m * m;
	for (i = SEGOFF_HALF; i < SEGOFF_SAMPLES; i++)
		if (llabs((long long)X[i] - (long long)m) >= SEED_E)
			tot++;
	return tot * e2 > v << 3 ? SEGOFF_TAG_SPLIT : SEGOFF_TAG_NOSPLIT;
}

/* a^2 + b^2 + c^2 + d^2 = q, found greedily from the top: 0 or -1 */
static int four_squares(uint64_t q, int64_t *r)
{
	int64_t a, b, c, d;

	for (a = (int64_t)sqrtl((long double)q); a >= 0; a--)
		for (b = (int64_t)sqrtl((long double)(q - a * a)); b >= 0 && b > a - 64; b--)
			for (c = (int64_t)sqrtl((long double)(q - a * a - b * b)); c >= 0; c--) {
				uint64_t rest = q - a * a - b * b - c * c;

				d = (int64_t)sqrtl((long double)rest);
				if ((uint64_t)(d * d) == rest) {
					r[0] = a, r[1] = b, r[2] = c, r[3] = d;
					return 0;
				}
				if (c < (int64_t)sqrtl((long double)(q - a * a - b * b)) - 64)
					break;
			}
	return -1;
}

/*
 * A window whose reference half has variance exactly @v (m = M0) and whose
 * tested half has @tot samples far from m (at M0 + @far) and the rest at m.
 */
static int craft(uint32_t *X, uint64_t v, int tot, int64_t far)
{
	int64_t r[4];
	int i;

	/* +-r[i] in pairs: S1 = 8 M0, S2 / 8 = M0^2 + (r0^2 + .. + r3^2) / 4 */
	if (four_squares(4 * v, r))
		return -1;
	for (i = 0; i < 4; i++) {
		X[2 * i] = (uint32_t)(M0 + r[i]);
		X[2 * i + 1] = (uint32_t)(M0 - r[i]);
	}
	for (i = SEGOFF_HALF; i < SEGOFF_SAMPLES; i++)
		X[i] = (uint32_t)(i - SEGOFF_HALF < tot ? M0 + far : M0);
	return 0;
}

struct seed_test {
	struct xdp_prog p;
	struct segoff_addr a;
};

/* The program's verdict for X under @c, through a frame of doubles X / 2^14. */
static int run_window(struct __test_metadata *_metadata, struct seed_test *s,
		      const struct segoff_config *c, const uint32_t *X)
{
	uint8_t f[SEGOFF_FRAME_MAX], out[SEGOFF_FRAME_MAX];
	double x[SEGOFF_SAMPLES];
	struct segoff_reply r;
	size_t len, out_len = 0;
	int i, why, ref;

	for (i = 0; i < SEGOFF_SAMPLES; i++)
		x[i] = X[i] / 16384.0;	/* exact: trunc(x * 2^14) is X again */
	ref = segoff_ref_window(x, c, &why);
	len = segoff_frame_build(f, &s->a, x, c, 1);
	EXPECT_EQ(XDP_PASS, xdp_run(s->p.prog_fd, f, len, out, &out_len));
	EXPECT_EQ(0, segoff_frame_parse(out, out_len, s->a.dport, segoff_cfg_encoding(c), &r));
	EXPECT_EQ((uint64_t)ref, r.tag);
	return (int)r.tag;
}

static void seed_config(struct __test_metadata *_metadata, uint64_t eps, uint32_t encoding,
			struct segoff_config *c)
{
	struct segoff_params p;

	segoff_params_default(&p);
	p.arith = SEGOFF_ARITH_SEED;
	p.scale = segoff_scale_default(p.arith);
	p.eps = eps;
	p.encoding = encoding;
	ASSERT_EQ(SEGOFF_PARAM_OK, segoff_config_make(&p, c));
}

TEST(seed_constants)
{
	static const int64_t fars[] = { 100000, -100000 };
	struct segoff_config seed, tenth;
	struct seed_test s;
	uint32_t X[SEGOFF_SAMPLES];
	int tot, d, k, enc, got, windows = 0, between = 0;
	char why[256];
	uint64_t v;

	ASSERT_EQ(0, xdp_prog_load(&s.p, 0, why, sizeof(why))) TH_LOG("%s", why);
	xdp_addr_default(&s.a);
	for (enc = SEGOFF_ENC_FIXED; enc <= SEGOFF_ENC_DOUBLE; enc++) {
		seed_config(_metadata, segoff_eps_default(SEGOFF_ARITH_SEED), (uint32_t)enc, &seed);
		seed_config(_metadata, SEGOFF_DEFAULT_EPS, (uint32_t)enc, &tenth);
		/* variance around tot e^2 / 8, for each constant, both sides */
		for (tot = 1; tot <= SEGOFF_HALF; tot++) {
			for (k = 0; k < 2; k++) {
				uint64_t e2 = k ? ROUND_E2 : SEED_E2;

				for (d = -2; d <= 2; d++) {
					v = tot * e2 / 8 + (uint64_t)(int64_t)d;
					ASSERT_EQ(0, craft(X, v, tot, fars[d & 1]));
					ASSERT_EQ(0, segoff_config_write(s.p.config_fd, &seed));
					got = run_window(_metadata, &s, &seed, X);
					ASSERT_EQ(seed_verdict(X, SEED_E2), got)
						TH_LOG("tot %d v %llu", tot, (unsigned long long)v);
					ASSERT_EQ(0, segoff_config_write(s.p.config_fd, &tenth));
					got = run_window(_metadata, &s, &tenth, X);
					ASSERT_EQ(seed_verdict(X, ROUND_E2), got);
					between += seed_verdict(X, SEED_E2) != seed_verdict(X, ROUND_E2);
					windows++;
				}
			}
		}
		/* a tested sample right at, and just inside, e from the mean */
		for (d = -1; d <= 1; d += 2) {
			for (k = SEED_E - 1; k <= SEED_E; k++) {
				ASSERT_EQ(0, craft(X, 0, 1, d * k));
				ASSERT_EQ(0, segoff_config_write(s.p.config_fd, &seed));
				got = run_window(_metadata, &s, &seed, X);
				ASSERT_EQ(seed_verdict(X, SEED_E2), got);
				ASSERT_EQ(k == SEED_E ? SEGOFF_TAG_SPLIT : SEGOFF_TAG_NOSPLIT, got);
				windows++;
			}
		}
	}
	/* the crafting must have reached the windows that tell the constants apart */
	ASSERT_LT(0, between);
	TH_LOG("%d windows, %d between 2684191 and 2684355", windows, between);
	xdp_prog_close(&s.p);
}

XDP_HARNESS_MAIN
