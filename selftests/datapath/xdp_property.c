// SPDX-License-Identifier: GPL-2.0
/*
 * Random windows through the XDP program (BPF_PROG_TEST_RUN): its verdict
 * must be the reference's in every arithmetic and encoding. The exact
 * arithmetic is also held against rational arithmetic done here with
 * __int128 on the decimal samples themselves, so that window.h is not
 * only compared with itself.
 *
 * Deterministic: the seed is printed; SEGOFF_SEED=N repeats a run.
 */
#include <math.h>
#include <stdlib.h>

#include "xdp_common.h"

#define WINDOWS		100000
#define DEFAULT_SEED	0x5e90ffULL
#define MILLI		1000	/* the decimal scale the exact check works at */
#define LIMIT_MILLI	((int64_t)SEGOFF_SAMPLE_LIMIT * MILLI)

struct window {
	double x[SEGOFF_SAMPLES];
	int64_t d[SEGOFF_SAMPLES];	/* x * 1000 when @decimal */
	int decimal;			/* every sample has at most 3 decimals */
};

static void set_decimal(struct window *w, int i, int64_t d)
{
	w->d[i] = d;
	w->x[i] = (double)d / MILLI;
}

/* Values with k <= 3 decimals anywhere below the limit. */
static void gen_decimals(struct window *w)
{
	static const int64_t pow10[] = { 1000, 100, 10, 1 };
	int k = (int)rnd_below(4), i;
	int64_t unit = pow10[k], span = LIMIT_MILLI / unit;
	int64_t base = (int64_t)rnd_below((uint64_t)span);
	int64_t spread = 1 + (int64_t)rnd_below(rnd_below(2) ? 200 : (uint64_t)span);

	for (i = 0; i < SEGOFF_SAMPLES; i++) {
		int64_t v = base + (int64_t)rnd_below((uint64_t)spread) - spread / 2;

		if (i >= SEGOFF_HALF && rnd_below(3) == 0)
			v += (int64_t)rnd_below(400) - 200;
		v = v < 0 ? 0 : v >= span ? span - 1 : v;
		set_decimal(w, i, v * unit);
	}
	w->decimal = 1;
}

/* Integers, mostly small. */
static void gen_integers(struct window *w)
{
	uint64_t top = rnd_below(2) ? 20 : SEGOFF_SAMPLE_LIMIT;
	int i;

	for (i = 0; i < SEGOFF_SAMPLES; i++)
		set_decimal(w, i, (int64_t)rnd_below(top) * MILLI);
	w->decimal = 1;
}

/*
 * Near ties: the first half is B +- a (so m = B, 8v = 8 a^2), tested
 * samples sit at B +- (eps + {-1, 0, 1} thousandths), and a is chosen
 * around the value where tot * eps^2 == 8 v.
 */
static void gen_ties(struct window *w, int64_t eps)
{
	static const int64_t amp[] = { 0, 1, 49, 50, 51, 61, 70, 71, 86, 87, 100 };
	int64_t a = amp[rnd_below(ARRAY_SIZE(amp))];
	int64_t b = 200 + (int64_t)rnd_below((uint64_t)(LIMIT_MILLI - 400));
	int i, plus = 0, minus = 0;

	for (i = 0; i < SEGOFF_HALF; i++) {
		int up = plus < 4 && (minus == 4 || rnd_below(2));

		plus += up, minus += !up;
		set_decimal(w, i, up ? b + a : b - a);
	}
	for (i = SEGOFF_HALF; i < SEGOFF_SAMPLES; i++) {
		int64_t off = eps + (int64_t)rnd_below(3) - 1;

		if (rnd_below(2))
			off = (int64_t)rnd_below((uint64_t)eps);
		set_decimal(w, i, rnd_below(2) ? b + off : b - off);
	}
	w->decimal = 1;
}

/* A small spread on large values: where the seed's floors lose the variance. */
static void gen_large(struct window *w)
{
	int64_t base = (25000 + (int64_t)rnd_below(10000)) * MILLI;
	int64_t spread = 1 + (int64_t)rnd_below(rnd_below(2) ? 50 : 500);
	int i;

	for (i = 0; i < SEGOFF_SAMPLES; i++)
		set_decimal(w, i, base + (int64_t)rnd_below((uint64_t)spread));
	w->decimal = 1;
}

/* Any double: every magnitude, from below 2^-16 up to the limit and past it. */
static void gen_doubles(struct window *w)
{
	int e = (int)rnd_below(40) - 22, i;
	double base = ldexp(1 + rnd_unit(), e);

	for (i = 0; i < SEGOFF_SAMPLES; i++)
		w->x[i] = base * (1 + (rnd_unit() - 0.5) / (1 << rnd_below(20)));
	w->decimal = 0;
}

static void gen_limit(struct window *w)
{
	int i;

	for (i = 0; i < SEGOFF_SAMPLES; i++)
		w->x[i] = 65536.0 - ldexp(rnd_unit(), -(int)rnd_below(40));
	w->decimal = 0;
}

/* One sample that is not evaluable somewhere in an otherwise valid window. */
static void spoil(struct window *w)
{
	static const double bad[] = { NAN, -NAN, INFINITY, -INFINITY, -1e-9, -1, 65536,
				      1e9 };
	int i = (int)rnd_below(SEGOFF_SAMPLES);

	w->x[i] = bad[rnd_below(ARRAY_SIZE(bad))];
	w->decimal = 0;
}

static uint64_t seed_get(void)
{
	const char *s = getenv("SEGOFF_SEED");

	return s ? strtoull(s, NULL, 0) : DEFAULT_SEED;
}

static struct window *windows_make(uint64_t seed, int64_t eps)
{
	struct window *w = calloc(WINDOWS, sizeof(*w));
	size_t i;

	if (!w)
		return NULL;
	rng_state = seed;
	for (i = 0; i < WINDOWS; i++) {
		switch (i % 6) {
		case 0:
			gen_decimals(&w[i]);
			break;
		case 1:
			gen_integers(&w[i]);
			break;
		case 2:
			gen_ties(&w[i], eps);
			break;
		case 3:
			gen_large(&w[i]);
			break;
		case 4:
			gen_doubles(&w[i]);
			break;
		default:
			gen_limit(&w[i]);
			break;
		}
		if (rnd_below(25) == 0)
			spoil(&w[i]);
	}
	return w;
}

/*
 * The exact verdict from the definition, in rationals scaled by 8 and 64:
 * with S1 = sum d0..d7, |x - m| >= eps iff |8 d - S1| >= 8 E, and
 * tot eps^2 > 8 v iff 64 tot E^2 > sum (8 d_i - S1)^2 (two-pass variance).
 */
static int exact_verdict(const int64_t *d, int64_t eps)
{
	__int128 s1 = 0, dev, tot = 0;
	unsigned __int128 ss = 0;
	int i;

	for (i = 0; i < SEGOFF_SAMPLES; i++)
		if (d[i] < 0 || d[i] >= LIMIT_MILLI)
			return SEGOFF_TAG_INVALID;
	for (i = 0; i < SEGOFF_HALF; i++)
		s1 += d[i];
	for (i = 0; i < SEGOFF_HALF; i++) {
		dev = 8 * (__int128)d[i] - s1;
		ss += (unsigned __int128)(dev * dev);
	}
	for (i = SEGOFF_HALF; i < SEGOFF_SAMPLES; i++) {
		dev = 8 * (__int128)d[i] - s1;
		tot += (dev < 0 ? -dev : dev) >= 8 * (__int128)eps;
	}
	return 64 * (unsigned __int128)tot * (unsigned __int128)(eps * eps) > ss ?
	       SEGOFF_TAG_SPLIT : SEGOFF_TAG_NOSPLIT;
}

static int64_t eps_milli(void)
{
	/* SEGOFF_EPS_UNIT is 1e-9: the default 0.1 is 100 thousandths */
	return (int64_t)(SEGOFF_DEFAULT_EPS / (SEGOFF_EPS_UNIT / MILLI));
}

static const char *window_str(const double *x)
{
	static char buf[SEGOFF_SAMPLES * 24];
	size_t n = 0;
	int i;

	for (i = 0; i < SEGOFF_SAMPLES; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %.3f", x[i]);
	return buf;
}

FIXTURE(prop) {
	struct xdp_prog p;
	struct segoff_config c;
	struct window *w;
	char skip[256];
};

FIXTURE_VARIANT(prop) {
	uint32_t encoding;
	uint32_t arith;
	uint32_t scale;
	int atomic;	/* the offload program (segoff_xdp) */
};

FIXTURE_VARIANT_ADD(prop, fixed_exact) {
	.encoding = SEGOFF_ENC_FIXED, .arith = SEGOFF_ARITH_EXACT, .scale = MILLI,
};

FIXTURE_VARIANT_ADD(prop, double_exact) {
	.encoding = SEGOFF_ENC_DOUBLE, .arith = SEGOFF_ARITH_EXACT, .scale = MILLI,
};

FIXTURE_VARIANT_ADD(prop, fixed_seed) {
	.encoding = SEGOFF_ENC_FIXED, .arith = SEGOFF_ARITH_SEED, .scale = 16384,
};

FIXTURE_VARIANT_ADD(prop, double_seed) {
	.encoding = SEGOFF_ENC_DOUBLE, .arith = SEGOFF_ARITH_SEED, .scale = 16384,
};

/* the offload program tests fixed windows with arithmetic of its own */
FIXTURE_VARIANT_ADD(prop, fixed_exact_offload) {
	.encoding = SEGOFF_ENC_FIXED, .arith = SEGOFF_ARITH_EXACT, .scale = MILLI, .atomic = 1,
};

FIXTURE_VARIANT_ADD(prop, fixed_seed_offload) {
	.encoding = SEGOFF_ENC_FIXED, .arith = SEGOFF_ARITH_SEED, .scale = 16384, .atomic = 1,
};

/* the largest decimal scale below SEGOFF_SCALE_MAX_EXACT */
FIXTURE_VARIANT_ADD(prop, double_exact_4000) {
	.encoding = SEGOFF_ENC_DOUBLE, .arith = SEGOFF_ARITH_EXACT, .scale = 4000,
};

FIXTURE_SETUP(prop)
{
	struct segoff_params prm;
	uint64_t seed = seed_get();
	int err;

	segoff_params_default(&prm);
	prm.encoding = variant->encoding;
	prm.arith = variant->arith;
	prm.scale = variant->scale;
	ASSERT_EQ(SEGOFF_PARAM_OK, segoff_config_make(&prm, &self->c));
	err = xdp_prog_load(&self->p, variant->atomic, self->skip, sizeof(self->skip));
	if (err == XDP_KSFT_SKIP)
		return;
	self->skip[0] = 0;
	ASSERT_EQ(0, err) TH_LOG("%s", self->skip);
	ASSERT_EQ(0, segoff_config_write(self->p.config_fd, &self->c));
	ASSERT_EQ(0, segoff_counters_reset(self->p.counters_fd));
	TH_LOG("seed %#llx (SEGOFF_SEED=%#llx repeats it), %d windows",
	       (unsigned long long)seed, (unsigned long long)seed, WINDOWS);
	self->w = windows_make(seed, eps_milli());
	ASSERT_NE(NULL, self->w);
}

FIXTURE_TEARDOWN(prop)
{
	free(self->w);
	xdp_prog_close(&self->p);
}

/* Every window: the program's verdict is the reference's; counters add up. */
TEST_F(prop, program_is_reference)
{
	struct segoff_counters got, want = { 0 };
	uint8_t f[SEGOFF_FRAME_MAX], out[SEGOFF_FRAME_MAX];
	struct segoff_addr a;
	struct segoff_reply r;
	size_t i, len, out_len = 0, verdicts[4] = { 0 };
	int tag, why;

	if (self->skip[0])
		SKIP(return, "%s", self->skip);
	xdp_addr_default(&a);
	for (i = 0; i < WINDOWS; i++) {
		a.ipv6 = i & 1;
		len = segoff_frame_build(f, &a, self->w[i].x, &self->c, i);
		ASSERT_EQ(XDP_PASS, xdp_run(self->p.prog_fd, f, len, out, &out_len));
		ASSERT_EQ(0, segoff_frame_parse(out, out_len, a.dport, segoff_cfg_encoding(&self->c), &r));
		tag = segoff_ref_window(self->w[i].x, &self->c, &why);
		ASSERT_EQ((uint64_t)tag, r.tag) TH_LOG("window %zu: x0 %.17g x8 %.17g", i,
						       self->w[i].x[0], self->w[i].x[8]);
		ASSERT_EQ(i, r.seq);
		ASSERT_EQ(1, r.csum_ok) TH_LOG("window %zu", i);
		want.frames++, want.windows++;
		xdp_counter_add(&want, xdp_verdict_counter(tag, why, segoff_cfg_encoding(&self->c)), 1);
		verdicts[tag]++;
	}
	ASSERT_EQ(0, segoff_counters_read(self->p.counters_fd, &got));
	ASSERT_STREQ("", xdp_counters_diff(&got, &want));
	TH_LOG("split %zu nosplit %zu invalid %zu", verdicts[SEGOFF_TAG_SPLIT],
	       verdicts[SEGOFF_TAG_NOSPLIT], verdicts[SEGOFF_TAG_INVALID]);
	/* a generator that stopped producing one verdict would test nothing */
	ASSERT_LT((size_t)WINDOWS / 50, verdicts[SEGOFF_TAG_SPLIT]);
	ASSERT_LT((size_t)WINDOWS / 50, verdicts[SEGOFF_TAG_NOSPLIT]);
	ASSERT_LT((size_t)WINDOWS / 100, verdicts[SEGOFF_TAG_INVALID]);
}

/*
 * Decimal windows with at most 3 decimals: in exact arithmetic at scale
 * 1000 the verdict is the mathematically exact one. The seed arithmetic
 * is expected to miss some (its floors), which this also shows.
 */
TEST_F(prop, exact_is_rational)
{
	uint8_t f[SEGOFF_FRAME_MAX], out[SEGOFF_FRAME_MAX];
	size_t i, len, out_len = 0, checked = 0, ties = 0, wrong = 0;
	int64_t eps = eps_milli();
	struct segoff_addr a;
	struct segoff_reply r;
	int exact, ref, why;

	if (self->skip[0])
		SKIP(return, "%s", self->skip);
	xdp_addr_default(&a);
	for (i = 0; i < WINDOWS; i++) {
		if (!self->w[i].decimal)
			continue;
		exact = exact_verdict(self->w[i].d, eps);
		len = segoff_frame_build(f, &a, self->w[i].x, &self->c, i);
		ASSERT_EQ(XDP_PASS, xdp_run(self->p.prog_fd, f, len, out, &out_len));
		ASSERT_EQ(0, segoff_frame_parse(out, out_len, a.dport, segoff_cfg_encoding(&self->c), &r));
		checked++;
		ties += i % 6 == 2;
		ref = segoff_ref_window(self->w[i].x, &self->c, &why);
		ASSERT_EQ(ref, (int)r.tag) TH_LOG("window %zu", i);
		if (ref == exact)
			continue;
		wrong++;
		/* any multiple of 1000 holds 3 decimals exactly */
		if (segoff_cfg_arith(&self->c) == SEGOFF_ARITH_EXACT && segoff_cfg_scale(&self->c) % MILLI == 0)
			ASSERT_EQ(exact, ref) TH_LOG("window %zu: x0..x15 %s", i,
						     window_str(self->w[i].x));
	}
	TH_LOG("%zu decimal windows (%zu near ties), %zu differ from the rational verdict",
	       checked, ties, wrong);
	ASSERT_LT((size_t)WINDOWS / 2, checked);
	if (segoff_cfg_arith(&self->c) == SEGOFF_ARITH_SEED)
		ASSERT_LT(0u, wrong) TH_LOG("the seed arithmetic should miss near ties");
}

XDP_HARNESS_MAIN
