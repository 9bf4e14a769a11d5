// SPDX-License-Identifier: GPL-2.0
/*
 * Stream frames through the XDP program (BPF_PROG_TEST_RUN): every
 * window's verdict must be the reference's verdict for the single frame
 * of that window, for every n up to the mode's largest, cut short at
 * every length, with an invalid sample at every position; the counters
 * count windows. Both programs: the host one (bpf_loop) and the one meant
 * for offload (a plain loop, the split boundary's reach).
 *
 * Deterministic: SEGOFF_SEED=N repeats a run with another series.
 */
#include <math.h>
#include <stdlib.h>

#include "xdp_common.h"

#define STREAM_BUF	4096
#define DEFAULT_SEED	0x57ea3ULL

FIXTURE(stream) {
	struct xdp_prog p;
	struct segoff_config c;
	struct segoff_addr a;
	uint32_t max;			/* the largest n of this program and encoding */
	char skip[256];
};

FIXTURE_VARIANT(stream) {
	uint32_t encoding;
	uint32_t arith;
	int atomic;
};

FIXTURE_VARIANT_ADD(stream, fixed_exact) {
	.encoding = SEGOFF_ENC_FIXED, .arith = SEGOFF_ARITH_EXACT,
};

FIXTURE_VARIANT_ADD(stream, fixed_seed) {
	.encoding = SEGOFF_ENC_FIXED, .arith = SEGOFF_ARITH_SEED,
};

FIXTURE_VARIANT_ADD(stream, double_exact) {
	.encoding = SEGOFF_ENC_DOUBLE, .arith = SEGOFF_ARITH_EXACT,
};

FIXTURE_VARIANT_ADD(stream, double_seed) {
	.encoding = SEGOFF_ENC_DOUBLE, .arith = SEGOFF_ARITH_SEED,
};

FIXTURE_VARIANT_ADD(stream, atomic_fixed_exact) {
	.encoding = SEGOFF_ENC_FIXED, .arith = SEGOFF_ARITH_EXACT, .atomic = 1,
};

FIXTURE_VARIANT_ADD(stream, atomic_fixed_seed) {
	.encoding = SEGOFF_ENC_FIXED, .arith = SEGOFF_ARITH_SEED, .atomic = 1,
};

FIXTURE_VARIANT_ADD(stream, atomic_double_exact) {
	.encoding = SEGOFF_ENC_DOUBLE, .arith = SEGOFF_ARITH_EXACT, .atomic = 1,
};

/*
 * A series of @n samples: 3-decimal prices around a level that jumps now
 * and then (every window kind occurs), near 0, or near the top of the
 * range, chosen by @kind.
 */
static void series(double *x, uint32_t n, int kind)
{
	double level = kind == 2 ? 65000 : kind == 1 ? 2 : 10 + 1000 * rnd_unit();
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (rnd() % 11 == 0)
			level += (rnd_unit() - 0.5) * (kind == 1 ? 1 : 20);
		if (level < 0)
			level = 0;
		if (level > 65535)
			level = 65535;
		x[i] = round((level + (rnd_unit() - 0.5) * (kind == 3 ? 0.2 : 2)) * 1000) / 1000;
		if (x[i] < 0)
			x[i] = 0;
		if (x[i] >= 65536)
			x[i] = 65535.999;
	}
}

FIXTURE_SETUP(stream)
{
	struct segoff_params p;
	const char *seed = getenv("SEGOFF_SEED");
	int err;

	segoff_params_default(&p);
	p.encoding = variant->encoding;
	p.arith = variant->arith;
	p.scale = segoff_scale_default(p.arith);
	p.eps = segoff_eps_default(p.arith);
	ASSERT_EQ(SEGOFF_PARAM_OK, segoff_config_make(&p, &self->c));
	xdp_addr_default(&self->a);
	if (variant->atomic)
		self->max = variant->encoding == SEGOFF_ENC_DOUBLE ?
			    SEGOFF_STREAM_MAX_DOUBLE_OFFLOAD : SEGOFF_STREAM_MAX_FIXED_OFFLOAD;
	else
		self->max = variant->encoding == SEGOFF_ENC_DOUBLE ?
			    SEGOFF_STREAM_MAX_DOUBLE : SEGOFF_STREAM_MAX_FIXED;
	rng_state = seed ? strtoull(seed, NULL, 0) : DEFAULT_SEED;
	err = xdp_fixture_load(&self->p, variant->atomic, &self->c, self->skip, sizeof(self->skip));
	if (err != XDP_KSFT_SKIP)
		ASSERT_EQ(0, err) TH_LOG("%s", self->skip);
}

FIXTURE_TEARDOWN(stream)
{
	xdp_prog_close(&self->p);
}

static int run(int prog_fd, const uint8_t *in, size_t len, uint8_t *out, size_t *out_len)
{
	return xdp_run_buf(prog_fd, in, len, out, STREAM_BUF, out_len);
}

/*
 * Sends x[0..n-1] as one stream frame cut to @len bytes (0: whole) and
 * checks it against the reference: windows whose samples the frame holds
 * in full get the single frame's verdict, the rest "invalid", and the
 * counters grew by exactly that. Returns the number of windows answered.
 */
static uint32_t check_stream(struct __test_metadata *_metadata, FIXTURE_DATA(stream) *self,
			     const struct segoff_addr *a, const double *x, uint32_t n,
			     size_t len)
{
	uint8_t f[STREAM_BUF], out[STREAM_BUF];
	struct segoff_counters got, want = { .frames = 1, .streams = 1 };
	size_t size = segoff_cfg_encoding(&self->c) == SEGOFF_ENC_DOUBLE ? 8 : 4;
	size_t full = segoff_stream_build(f, a, x, n, &self->c, 7, 1000), out_len = 0, s0;
	struct segoff_stream_reply r;
	uint32_t j, nw = n - (SEGOFF_SAMPLES - 1), held, answered = 0;
	int tag, why;

	if (!len)
		len = full;
	s0 = full - n * size;
	held = len >= s0 ? (uint32_t)((len - s0) / size) : 0;
	ASSERT_EQ(0, segoff_counters_reset(self->p.counters_fd));
	ASSERT_EQ(XDP_PASS, run(self->p.prog_fd, f, len, out, &out_len)) TH_LOG("n %u", n);
	ASSERT_EQ(len, out_len);
	ASSERT_EQ(0, segoff_stream_parse(out, full, a->dport, &r)) TH_LOG("n %u", n);
	ASSERT_EQ((uint32_t)SEGOFF_STREAM_ANSWERED, r.status) TH_LOG("n %u len %zu", n, len);
	ASSERT_EQ(n, r.count);
	ASSERT_EQ(7u, r.series);
	ASSERT_EQ(1000u, r.first);
	if (len == full)
		ASSERT_TRUE(r.csum_ok) TH_LOG("n %u", n);
	for (j = 0; j < nw; j++) {
		if (j + SEGOFF_SAMPLES <= held) {
			tag = segoff_ref_window(x + j, &self->c, &why);
			xdp_counter_add(&want, xdp_verdict_counter(tag, why,
								   segoff_cfg_encoding(&self->c)), 1);
			answered++;
		} else {
			tag = SEGOFF_TAG_INVALID;
			want.invalid_truncated++;
		}
		ASSERT_EQ(tag, (int)r.verdict[j]) TH_LOG("n %u len %zu window %u", n, len, j);
	}
	want.windows = nw;
	ASSERT_EQ(0, segoff_counters_read(self->p.counters_fd, &got));
	ASSERT_STREQ("", xdp_counters_diff(&got, &want)) TH_LOG("n %u len %zu", n, len);
	return answered;
}

/* A frame the program must refuse as a whole: status 2, no window answered. */
static void check_refused(struct __test_metadata *_metadata, FIXTURE_DATA(stream) *self,
			  const uint8_t *f, size_t len)
{
	struct segoff_counters got, want = { .frames = 1, .refused = 1 };
	size_t st = xdp_l4(&self->a) + XDP_UDP_HLEN + 12, out_len = 0;
	uint8_t out[STREAM_BUF];

	ASSERT_EQ(0, segoff_counters_reset(self->p.counters_fd));
	ASSERT_EQ(XDP_PASS, run(self->p.prog_fd, f, len, out, &out_len));
	ASSERT_EQ(len, out_len);
	/* the status word, little-endian, and the UDP checksum (IPv4: none); the rest as it was */
	ASSERT_EQ(SEGOFF_STREAM_REFUSED, (int)out[st]);
	ASSERT_EQ(0, xdp_udp_check_field(out, &self->a));
	memcpy(out + xdp_l4(&self->a) + 6, f + xdp_l4(&self->a) + 6, 2);
	ASSERT_EQ(0, memcmp(out, f, st));
	ASSERT_EQ(0, memcmp(out + st + 4, f + st + 4, len - st - 4));
	ASSERT_EQ(0, segoff_counters_read(self->p.counters_fd, &got));
	ASSERT_STREQ("", xdp_counters_diff(&got, &want));
}

/* A program that takes no stream frame of this encoding: even 16 samples are refused. */
static void expect_refused(struct __test_metadata *_metadata, FIXTURE_DATA(stream) *self)
{
	uint8_t f[STREAM_BUF];
	double x[SEGOFF_SAMPLES];

	series(x, SEGOFF_SAMPLES, 0);
	check_refused(_metadata, self, f,
		      segoff_stream_build(f, &self->a, x, SEGOFF_SAMPLES, &self->c, 1, 0));
}

/* Every n from 16 to the largest, four kinds of series. */
TEST_F(stream, every_n)
{
	double x[SEGOFF_STREAM_MAX_FIXED];
	uint32_t n, answered = 0;

	REQUIRE_BPF();
	if (!self->max)
		return expect_refused(_metadata, self);
	for (n = SEGOFF_SAMPLES; n <= self->max; n++) {
		series(x, n, (int)(n % 4));
		answered += check_stream(_metadata, self, &self->a, x, n, 0);
	}
	TH_LOG("%u windows answered, n 16..%u", answered, self->max);
}

/* VLAN, IPv6 and IPv4 options: verdicts and a valid checksum. */
TEST_F(stream, encapsulations)
{
	double x[SEGOFF_STREAM_MAX_FIXED];
	struct segoff_addr a;
	uint32_t n = self->max < 64 ? self->max : 64;
	int i;

	REQUIRE_BPF();
	if (!self->max)
		return expect_refused(_metadata, self);
	for (i = 0; i < 4; i++) {
		a = self->a;
		a.vlan = i & 1 ? 42 : 0;
		a.ipv6 = i >= 2;
		a.ip_optlen = i == 1 ? 8 : 0;
		series(x, n, i);
		check_stream(_metadata, self, &a, x, n, 0);
	}
}

/* Cut at every length from the first sample on: the windows held are answered. */
TEST_F(stream, truncated)
{
	double x[64];
	uint32_t n = self->max < 40 ? self->max : 40;
	size_t full, len, size = segoff_cfg_encoding(&self->c) == SEGOFF_ENC_DOUBLE ? 8 : 4;
	uint8_t f[STREAM_BUF];

	REQUIRE_BPF();
	if (!self->max)
		return expect_refused(_metadata, self);
	series(x, n, 0);
	full = segoff_stream_build(f, &self->a, x, n, &self->c, 7, 1000);
	for (len = full - n * size; len <= full; len++)
		check_stream(_metadata, self, &self->a, x, n, len);
	/* ending inside the verdicts: nowhere to answer */
	check_refused(_metadata, self, f, full - n * size - 1);
}

/* One invalid sample at every position: only the windows holding it are invalid. */
TEST_F(stream, invalid_everywhere)
{
	static const double bad[] = { -1, 65536, NAN, INFINITY };
	double x[64], keep;
	uint32_t n = self->max < 40 ? self->max : 40, q;
	size_t b;

	REQUIRE_BPF();
	if (!self->max)
		return expect_refused(_metadata, self);
	series(x, n, 0);
	for (b = 0; b < ARRAY_SIZE(bad); b++) {
		for (q = 0; q < n; q++) {
			keep = x[q];
			x[q] = bad[b];
			check_stream(_metadata, self, &self->a, x, n, 0);
			x[q] = keep;
		}
	}
}

/* Fewer than 16 samples, or more than the mode takes: refused whole. */
TEST_F(stream, refused)
{
	double x[SEGOFF_STREAM_MAX_FIXED + 1];
	uint8_t f[STREAM_BUF];
	uint32_t n;

	REQUIRE_BPF();
	series(x, SEGOFF_STREAM_MAX_FIXED + 1, 0);
	for (n = 0; n < SEGOFF_SAMPLES; n++) {
		/* a frame of n samples, its count field says so */
		size_t len = segoff_stream_build(f, &self->a, x, SEGOFF_SAMPLES, &self->c, 1, 0);
		size_t cnt = xdp_l4(&self->a) + XDP_UDP_HLEN + 28;

		f[cnt] = (uint8_t)n;
		f[cnt + 1] = f[cnt + 2] = f[cnt + 3] = 0;
		check_refused(_metadata, self, f, len);
	}
	n = self->max + 1 < SEGOFF_SAMPLES ? SEGOFF_SAMPLES : self->max + 1;
	if (segoff_stream_len(&self->a, n, &self->c) <= STREAM_BUF - 576)
		check_refused(_metadata, self, f,
			      segoff_stream_build(f, &self->a, x, n, &self->c, 1, 0));
}

XDP_HARNESS_MAIN
