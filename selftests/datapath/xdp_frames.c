// SPDX-License-Identifier: GPL-2.0
/*
 * The XDP program on crafted frames through BPF_PROG_TEST_RUN: every
 * verdict, every way a frame is not a request, truncation at every
 * length, the limits of a sample, checksums after the rewrite. Each frame
 * is checked byte for byte against the frame that went in, its verdict
 * against the reference (user/ref.c) and the counters exactly.
 */
#include <math.h>
#include <stddef.h>

#include "xdp_common.h"

#define UNTOUCHED	(-1)

FIXTURE(xdp) {
	struct xdp_prog p;
	struct segoff_config c;
	struct segoff_addr a;
	char skip[256];
};

FIXTURE_VARIANT(xdp) {
	uint32_t encoding;
	uint32_t arith;
	int atomic;		/* the offload program, ARRAY counters */
};

FIXTURE_VARIANT_ADD(xdp, fixed_exact) {
	.encoding = SEGOFF_ENC_FIXED, .arith = SEGOFF_ARITH_EXACT,
};

FIXTURE_VARIANT_ADD(xdp, fixed_seed) {
	.encoding = SEGOFF_ENC_FIXED, .arith = SEGOFF_ARITH_SEED,
};

FIXTURE_VARIANT_ADD(xdp, double_exact) {
	.encoding = SEGOFF_ENC_DOUBLE, .arith = SEGOFF_ARITH_EXACT,
};

FIXTURE_VARIANT_ADD(xdp, double_seed) {
	.encoding = SEGOFF_ENC_DOUBLE, .arith = SEGOFF_ARITH_SEED,
};

FIXTURE_VARIANT_ADD(xdp, atomic_fixed_exact) {
	.encoding = SEGOFF_ENC_FIXED, .arith = SEGOFF_ARITH_EXACT, .atomic = 1,
};

FIXTURE_VARIANT_ADD(xdp, atomic_double_seed) {
	.encoding = SEGOFF_ENC_DOUBLE, .arith = SEGOFF_ARITH_SEED, .atomic = 1,
};

static void config_for(struct segoff_config *c, uint32_t encoding, uint32_t arith,
		       uint32_t port)
{
	struct segoff_params p, req = { .encoding = encoding, .arith = arith, .port = port };

	segoff_params_default(&p);
	if (segoff_params_merge(&p, &req, SEGOFF_PARAM_F(SEGOFF_A_PARAMS_ENCODING) |
				SEGOFF_PARAM_F(SEGOFF_A_PARAMS_ARITH) |
				SEGOFF_PARAM_F(SEGOFF_A_PARAMS_PORT), c) != SEGOFF_PARAM_OK)
		abort();
}

FIXTURE_SETUP(xdp)
{
	int err;

	config_for(&self->c, variant->encoding, variant->arith, SEGOFF_DEFAULT_PORT);
	xdp_addr_default(&self->a);
	err = xdp_fixture_load(&self->p, variant->atomic, &self->c, self->skip, sizeof(self->skip));
	if (err != XDP_KSFT_SKIP)
		ASSERT_EQ(0, err) TH_LOG("%s", self->skip);
}

FIXTURE_TEARDOWN(xdp)
{
	xdp_prog_close(&self->p);
}

static size_t payload_len(uint32_t encoding)
{
	return encoding == SEGOFF_ENC_DOUBLE ? SEGOFF_PAYLOAD_DOUBLE : SEGOFF_PAYLOAD_FIXED;
}

/*
 * Runs the first @len bytes of the complete frame @full (built for @a)
 * with zeroed counters and checks: the output is the input, except, when
 * @want_tag is a verdict, the tag and the UDP checksum; that checksum is
 * 0 (IPv4) or the one of the complete frame with the new tag (IPv6); the
 * counters are frames 1 and @counter 1 (plus windows for a verdict).
 */
static void check_frame(struct __test_metadata *_metadata, FIXTURE_DATA(xdp) *self,
			const struct segoff_addr *a, const uint8_t *full, size_t len,
			int want_tag, size_t counter)
{
	size_t l4 = xdp_l4(a), out_len = 0, i;
	struct segoff_counters got, want = { .frames = 1 };
	uint8_t out[SEGOFF_FRAME_MAX], answered[SEGOFF_FRAME_MAX];
	int ret;

	ASSERT_EQ(0, segoff_counters_reset(self->p.counters_fd));
	ret = xdp_run(self->p.prog_fd, full, len, out, &out_len);
	if (len < XDP_FRAME_MIN) {
		/* the kernel refuses such data; the program never runs */
		ASSERT_EQ(-EINVAL, ret) TH_LOG("len %zu", len);
		want.frames = 0;
	} else {
		ASSERT_EQ(XDP_PASS, ret) TH_LOG("len %zu", len);
		ASSERT_EQ(len, out_len);
		memcpy(answered, full, len);
		if (want_tag != UNTOUCHED) {
			want.windows = 1;
			xdp_put_le64(answered + l4 + XDP_UDP_HLEN + 8, (uint64_t)want_tag);
			if (a->ipv6) {
				/* what the sender would have sent with this tag */
				uint8_t whole[SEGOFF_FRAME_MAX];
				uint16_t sum;

				memcpy(whole, full, SEGOFF_FRAME_MAX);
				xdp_put_le64(whole + l4 + XDP_UDP_HLEN + 8, (uint64_t)want_tag);
				sum = xdp_udp_csum(whole, a);
				answered[l4 + 6] = (uint8_t)(sum >> 8);
				answered[l4 + 7] = (uint8_t)sum;
			} else {
				answered[l4 + 6] = answered[l4 + 7] = 0;
			}
		}
		for (i = 0; i < len; i++)
			if (out[i] != answered[i])
				break;
		ASSERT_EQ(len, i) TH_LOG("len %zu: byte %zu is 0x%02x, want 0x%02x (tag %d)",
					 len, i, out[i], answered[i], want_tag);
		xdp_counter_add(&want, counter, 1);
	}
	ASSERT_EQ(0, segoff_counters_read(self->p.counters_fd, &got));
	ASSERT_STREQ("", xdp_counters_diff(&got, &want)) TH_LOG("len %zu", len);
}

/* Builds @x for @a, runs it whole, and expects the reference's verdict. */
static void check_window(struct __test_metadata *_metadata, FIXTURE_DATA(xdp) *self,
			 const struct segoff_addr *a, const double *x)
{
	uint8_t f[SEGOFF_FRAME_MAX] = { 0 };
	int tag, why;
	size_t len;

	len = segoff_frame_build(f, a, x, &self->c, 7);
	tag = segoff_ref_window(x, &self->c, &why);
	check_frame(_metadata, self, a, f, len, tag,
		    xdp_verdict_counter(tag, why, segoff_cfg_encoding(&self->c)));
}

static void fill(double *x, double first, double second)
{
	int i;

	for (i = 0; i < SEGOFF_SAMPLES; i++)
		x[i] = i < SEGOFF_HALF ? first : second;
}

TEST_F(xdp, verdicts)
{
	static const double stock[SEGOFF_SAMPLES] = {
		15.27, 15.31, 15.29, 15.30, 15.28, 15.35, 15.40, 15.33,
		16.10, 16.02, 15.97, 16.20, 16.11, 16.05, 15.99, 16.30,
	};
	static const double calm[SEGOFF_SAMPLES] = {
		15.27, 15.31, 15.29, 15.30, 15.28, 15.35, 15.40, 15.33,
		15.30, 15.32, 15.29, 15.31, 15.36, 15.27, 15.30, 15.33,
	};
	double x[SEGOFF_SAMPLES];
	int why;

	REQUIRE_BPF();
	/* variance 0, every tested sample far away: 8 eps^2 > 0 */
	fill(x, 10, 20);
	ASSERT_EQ(SEGOFF_TAG_SPLIT, segoff_ref_window(x, &self->c, &why));
	check_window(_metadata, self, &self->a, x);
	/* all equal: 0 > 0 is false */
	fill(x, 5, 5);
	ASSERT_EQ(SEGOFF_TAG_NOSPLIT, segoff_ref_window(x, &self->c, &why));
	check_window(_metadata, self, &self->a, x);
	fill(x, 0, 0);
	ASSERT_EQ(SEGOFF_TAG_NOSPLIT, segoff_ref_window(x, &self->c, &why));
	check_window(_metadata, self, &self->a, x);
	/* variance 0, one tested sample within eps: nothing counts */
	fill(x, 10, 10);
	x[12] = 10.05;
	ASSERT_EQ(SEGOFF_TAG_NOSPLIT, segoff_ref_window(x, &self->c, &why));
	check_window(_metadata, self, &self->a, x);
	/* variance 0, one tested sample 1 away: tot 1, 1 * eps^2 > 0 */
	x[12] = 11;
	ASSERT_EQ(SEGOFF_TAG_SPLIT, segoff_ref_window(x, &self->c, &why));
	check_window(_metadata, self, &self->a, x);
	/* exactly eps away counts in exact arithmetic (|x - m| >= eps) */
	x[12] = 10.1;
	if (segoff_cfg_arith(&self->c) == SEGOFF_ARITH_EXACT)
		ASSERT_EQ(SEGOFF_TAG_SPLIT, segoff_ref_window(x, &self->c, &why));
	check_window(_metadata, self, &self->a, x);
	ASSERT_EQ(SEGOFF_TAG_SPLIT, segoff_ref_window(stock, &self->c, &why));
	check_window(_metadata, self, &self->a, stock);
	ASSERT_EQ(SEGOFF_TAG_NOSPLIT, segoff_ref_window(calm, &self->c, &why));
	check_window(_metadata, self, &self->a, calm);
}

/* A window sent through @a comes back with the verdict, its seq and a valid checksum. */
static void check_encap(struct __test_metadata *_metadata, FIXTURE_DATA(xdp) *self,
			const struct segoff_addr *a, const double *x, int want_tag, uint64_t seq)
{
	uint8_t f[SEGOFF_FRAME_MAX], out[SEGOFF_FRAME_MAX];
	struct segoff_reply r;
	size_t len, out_len = 0;

	ASSERT_EQ(want_tag, segoff_ref_window(x, &self->c, &(int){ 0 }));
	len = segoff_frame_build(f, a, x, &self->c, seq);
	/* the frame as sent verifies, so the rewrite has something to keep */
	ASSERT_EQ(0, segoff_frame_parse(f, len, a->dport, segoff_cfg_encoding(&self->c), &r));
	ASSERT_EQ(1, r.csum_ok);
	ASSERT_EQ(xdp_udp_csum(f, a), xdp_udp_check_field(f, a));
	check_window(_metadata, self, a, x);

	ASSERT_EQ(XDP_PASS, xdp_run(self->p.prog_fd, f, len, out, &out_len));
	ASSERT_EQ(0, segoff_frame_parse(out, out_len, a->dport, segoff_cfg_encoding(&self->c), &r));
	ASSERT_EQ((uint64_t)want_tag, r.tag);
	ASSERT_EQ(seq, r.seq);
	ASSERT_EQ(1, r.csum_ok);
	if (!a->ipv6)
		ASSERT_EQ(0, xdp_udp_check_field(out, a));
}

TEST_F(xdp, encapsulations)
{
	static const struct { uint16_t vlan; int ipv6; uint8_t optlen; } encap[] = {
		{ 0, 0, 0 }, { 100, 0, 0 }, { 0, 0, 4 }, { 0, 0, 40 }, { 4095, 0, 40 },
		{ 0, 1, 0 }, { 1, 1, 0 },
	};
	double x[SEGOFF_SAMPLES];
	struct segoff_addr a;
	size_t i;

	REQUIRE_BPF();
	for (i = 0; i < ARRAY_SIZE(encap); i++) {
		a = self->a;
		a.vlan = encap[i].vlan;
		a.ipv6 = encap[i].ipv6;
		a.ip_optlen = encap[i].optlen;
		fill(x, 100, 100.05);
		/* offloaded, no L3 header is longer than IPv6's: the split boundary */
		if (variant->atomic && 20 + a.ip_optlen > SEGOFF_L3_MAX_OFFLOAD) {
			uint8_t f[SEGOFF_FRAME_MAX];
			size_t len = segoff_frame_build(f, &a, x, &self->c, 1000 + i);

			check_frame(_metadata, self, &a, f, len, UNTOUCHED,
				    offsetof(struct segoff_counters, other));
			continue;
		}
		check_encap(_metadata, self, &a, x, SEGOFF_TAG_NOSPLIT, 1000 + i);
		fill(x, 100, 100.5);
		check_encap(_metadata, self, &a, x, SEGOFF_TAG_SPLIT, 2000 + i);
	}
}

/* Every way a frame can fail to be a request: each passes untouched. */
TEST_F(xdp, not_requests)
{
	uint8_t f[SEGOFF_FRAME_MAX], g[SEGOFF_FRAME_MAX];
	const size_t other = offsetof(struct segoff_counters, other);
	struct segoff_addr a = self->a, a6 = self->a, av = self->a;
	static const uint64_t tags[] = { 1, 2, 3, 4, 0x100, 1ULL << 63 };
	size_t len, len6, lenv, l4 = xdp_l4(&a), l3 = XDP_ETH_HLEN, i;
	double x[SEGOFF_SAMPLES];
	uint16_t ulen;

	REQUIRE_BPF();
	fill(x, 1, 2);
	a6.ipv6 = 1;
	av.vlan = 7;

	a.dport = SEGOFF_DEFAULT_PORT + 1;
	len = segoff_frame_build(f, &a, x, &self->c, 1);
	check_frame(_metadata, self, &a, f, len, UNTOUCHED, other);
	a.dport = SEGOFF_DEFAULT_PORT;
	len = segoff_frame_build(f, &a, x, &self->c, 1);
	/* the source port is no request port */
	memcpy(g, f, len);
	g[l4] = f[l4 + 2];
	g[l4 + 1] = f[l4 + 3];
	g[l4 + 2] = 0x99;
	g[l4 + 3] = 0x99;
	check_frame(_metadata, self, &a, g, len, UNTOUCHED, other);

	for (i = 0; i < 8; i++) {
		memcpy(g, f, len);
		g[l4 + XDP_UDP_HLEN + i] ^= 0x01;
		check_frame(_metadata, self, &a, g, len, UNTOUCHED, other);
	}
	for (i = 0; i < ARRAY_SIZE(tags); i++) {
		memcpy(g, f, len);
		xdp_put_le64(g + l4 + XDP_UDP_HLEN + 8, tags[i]);
		check_frame(_metadata, self, &a, g, len, UNTOUCHED, other);
	}
	memcpy(g, f, len);
	g[l3 + 9] = IPPROTO_TCP;
	check_frame(_metadata, self, &a, g, len, UNTOUCHED, other);
	memcpy(g, f, len);
	g[l3 + 6] |= 0x20;	/* more fragments */
	check_frame(_metadata, self, &a, g, len, UNTOUCHED, other);
	memcpy(g, f, len);
	g[l3 + 7] = 1;		/* fragment offset 8 */
	check_frame(_metadata, self, &a, g, len, UNTOUCHED, other);
	memcpy(g, f, len);
	g[l3 + 6] |= 0x40;	/* don't fragment: still a request */
	check_frame(_metadata, self, &a, g, len, SEGOFF_TAG_SPLIT,
		    offsetof(struct segoff_counters, split));
	/* IHL 4, a request right after it: no IPv4 header is that short */
	memcpy(g, f, l3 + 16);
	memcpy(g + l3 + 16, f + l4, len - l4);
	g[l3] = 0x44;
	check_frame(_metadata, self, &a, g, len - 4, UNTOUCHED, other);
	memcpy(g, f, len);
	g[12] = 0x08;	/* ARP */
	g[13] = 0x06;
	check_frame(_metadata, self, &a, g, len, UNTOUCHED, other);
	/* UDP length too short for the header: no request within the datagram */
	for (ulen = 0; ulen < XDP_UDP_HLEN + sizeof(struct segoff_hdr); ulen++) {
		memcpy(g, f, len);
		g[l4 + 4] = (uint8_t)(ulen >> 8);
		g[l4 + 5] = (uint8_t)ulen;
		check_frame(_metadata, self, &a, g, len, UNTOUCHED, other);
	}

	len6 = segoff_frame_build(f, &a6, x, &self->c, 1);
	memcpy(g, f, len6);
	g[l3 + 6] = 0;		/* hop-by-hop options before UDP */
	check_frame(_metadata, self, &a6, g, len6, UNTOUCHED, other);

	lenv = segoff_frame_build(f, &av, x, &self->c, 1);
	memcpy(g, f, lenv);
	g[12] = 0x88;	/* 802.1ad: one 802.1Q tag only */
	g[13] = 0xa8;
	check_frame(_metadata, self, &av, g, lenv, UNTOUCHED, other);
	memcpy(g, f, lenv);
	g[16] = 0x81;	/* a second 802.1Q tag */
	g[17] = 0x00;
	check_frame(_metadata, self, &av, g, lenv, UNTOUCHED, other);
}

/*
 * A frame cut at every length: without the whole segoff_hdr it is no
 * request; with it but short of the 16th sample it is invalid.
 */
TEST_F(xdp, truncated)
{
	const size_t trunc = offsetof(struct segoff_counters, invalid_truncated);
	uint8_t f[SEGOFF_FRAME_MAX] = { 0 };
	double x[SEGOFF_SAMPLES];
	size_t len, cut, hdr_end, samples_end;
	struct segoff_addr a;
	int ipv6, tag, why;

	REQUIRE_BPF();
	fill(x, 3, 4);
	tag = segoff_ref_window(x, &self->c, &why);
	ASSERT_EQ(SEGOFF_TAG_SPLIT, tag);
	for (ipv6 = 0; ipv6 < 2; ipv6++) {
		a = self->a;
		a.ipv6 = ipv6;
		a.vlan = ipv6 ? 0 : 9;
		len = segoff_frame_build(f, &a, x, &self->c, 5);
		hdr_end = xdp_l4(&a) + XDP_UDP_HLEN + sizeof(struct segoff_hdr);
		samples_end = xdp_l4(&a) + XDP_UDP_HLEN + payload_len(segoff_cfg_encoding(&self->c));
		ASSERT_EQ(samples_end + 8, len);
		for (cut = 0; cut <= len; cut++) {
			if (cut < hdr_end)
				check_frame(_metadata, self, &a, f, cut, UNTOUCHED,
					    offsetof(struct segoff_counters, other));
			else if (cut < samples_end)
				check_frame(_metadata, self, &a, f, cut, SEGOFF_TAG_INVALID, trunc);
			else
				check_frame(_metadata, self, &a, f, cut, tag,
					    offsetof(struct segoff_counters, split));
		}
	}
}

/* The UDP length bounds the payload as much as the end of the frame. */
TEST_F(xdp, udp_length)
{
	uint8_t f[SEGOFF_FRAME_MAX] = { 0 }, g[SEGOFF_FRAME_MAX];
	size_t len, l4 = xdp_l4(&self->a), ulen, full;
	double x[SEGOFF_SAMPLES];

	REQUIRE_BPF();
	fill(x, 3, 3);
	len = segoff_frame_build(f, &self->a, x, &self->c, 5);
	full = XDP_UDP_HLEN + payload_len(segoff_cfg_encoding(&self->c));
	for (ulen = 0; ulen <= len - l4 + 1; ulen++) {
		memcpy(g, f, len);
		g[l4 + 4] = (uint8_t)(ulen >> 8);
		g[l4 + 5] = (uint8_t)ulen;
		if (ulen < XDP_UDP_HLEN + sizeof(struct segoff_hdr))
			check_frame(_metadata, self, &self->a, g, len, UNTOUCHED,
				    offsetof(struct segoff_counters, other));
		else if (ulen < full)
			check_frame(_metadata, self, &self->a, g, len, SEGOFF_TAG_INVALID,
				    offsetof(struct segoff_counters, invalid_truncated));
		else
			check_frame(_metadata, self, &self->a, g, len, SEGOFF_TAG_NOSPLIT,
				    offsetof(struct segoff_counters, nosplit));
	}
}

/* Samples at and beyond the limits, in each position class. */
TEST_F(xdp, limits)
{
	static const double values[] = {
		0.0, -0.0, 4.9406564584124654e-324, 2.2250738585072014e-308, 1e-300,
		1.0 / 65536, 1.0 / 4096, 0.0004, 0.0005, 0.001, 1.0, 65535.0,
		65535.999, 65535.9995, 65535.9999999, 65536.0, 65536.5, 1e300,
		-1e-300, -1.0, -65536.0, NAN, -NAN, INFINITY, -INFINITY,
	};
	static const int pos[] = { 0, 7, 8, 15 };
	double x[SEGOFF_SAMPLES];
	size_t v, p;
	uint32_t X;
	int why;

	REQUIRE_BPF();
	/* what the reference is expected to say, independently of the program */
	ASSERT_EQ(SEGOFF_SAMPLE_OK, segoff_ref_sample(-0.0, &self->c, &X));
	ASSERT_EQ(0u, X);
	ASSERT_EQ(SEGOFF_SAMPLE_OK, segoff_ref_sample(4.9406564584124654e-324, &self->c, &X));
	ASSERT_EQ(0u, X);
	ASSERT_EQ(SEGOFF_SAMPLE_OK, segoff_ref_sample(65535.999, &self->c, &X));
	ASSERT_EQ(segoff_cfg_arith(&self->c) == SEGOFF_ARITH_EXACT ? 65535999u : 1073741807u, X);
	ASSERT_EQ(SEGOFF_SAMPLE_RANGE, segoff_ref_sample(65536.0, &self->c, &X));
	ASSERT_EQ(SEGOFF_SAMPLE_RANGE, segoff_ref_sample(-1e-300, &self->c, &X));
	ASSERT_EQ(SEGOFF_SAMPLE_NAN, segoff_ref_sample(NAN, &self->c, &X));
	ASSERT_EQ(SEGOFF_SAMPLE_NAN, segoff_ref_sample(-INFINITY, &self->c, &X));
	/* rounding half up reaches the limit; truncation does not */
	ASSERT_EQ(segoff_cfg_arith(&self->c) == SEGOFF_ARITH_EXACT ? SEGOFF_SAMPLE_RANGE : SEGOFF_SAMPLE_OK,
		  segoff_ref_sample(65535.9999999, &self->c, &X));

	for (v = 0; v < ARRAY_SIZE(values); v++) {
		for (p = 0; p < ARRAY_SIZE(pos); p++) {
			fill(x, 1000, 1000.25);
			x[pos[p]] = values[v];
			check_window(_metadata, self, &self->a, x);
		}
		for (p = 0; p < SEGOFF_SAMPLES; p++)
			x[p] = values[v];
		check_window(_metadata, self, &self->a, x);
	}
	/* the first invalid sample decides the counter */
	fill(x, 1, 1);
	x[3] = -1;
	x[9] = NAN;
	ASSERT_EQ(SEGOFF_TAG_INVALID, segoff_ref_window(x, &self->c, &why));
	ASSERT_EQ(SEGOFF_SAMPLE_RANGE, why);
	check_window(_metadata, self, &self->a, x);
	x[3] = INFINITY;
	x[9] = 70000;
	ASSERT_EQ(SEGOFF_TAG_INVALID, segoff_ref_window(x, &self->c, &why));
	ASSERT_EQ(SEGOFF_SAMPLE_NAN, why);
	check_window(_metadata, self, &self->a, x);
}

/* Raw sample words at the edge, as a sender other than frame.c may send them. */
TEST_F(xdp, raw_samples)
{
	uint8_t f[SEGOFF_FRAME_MAX] = { 0 }, g[SEGOFF_FRAME_MAX];
	size_t len, s0 = xdp_l4(&self->a) + XDP_UDP_HLEN + sizeof(struct segoff_hdr), i;
	const size_t range = offsetof(struct segoff_counters, invalid_range);
	const size_t nan = offsetof(struct segoff_counters, invalid_nan);
	const uint32_t limit = segoff_cfg_scale(&self->c) << 16;
	double x[SEGOFF_SAMPLES];

	REQUIRE_BPF();
	fill(x, 0, 0);
	len = segoff_frame_build(f, &self->a, x, &self->c, 5);
	if (segoff_cfg_encoding(&self->c) == SEGOFF_ENC_FIXED) {
		static const struct { uint32_t v; int tag; } w[] = {
			{ 0, SEGOFF_TAG_NOSPLIT }, { 1, SEGOFF_TAG_NOSPLIT },
			{ UINT32_MAX, SEGOFF_TAG_INVALID }, { 0x80000000u, SEGOFF_TAG_INVALID },
		};

		for (i = 0; i < ARRAY_SIZE(w) + 2; i++) {
			uint32_t v = i < 2 ? limit - 1 + (uint32_t)i : w[i - 2].v;
			int tag = i == 0 ? SEGOFF_TAG_SPLIT : i == 1 ? SEGOFF_TAG_INVALID :
								 w[i - 2].tag;

			memcpy(g, f, len);
			g[s0 + 15 * 4] = (uint8_t)v;
			g[s0 + 15 * 4 + 1] = (uint8_t)(v >> 8);
			g[s0 + 15 * 4 + 2] = (uint8_t)(v >> 16);
			g[s0 + 15 * 4 + 3] = (uint8_t)(v >> 24);
			check_frame(_metadata, self, &self->a, g, len, tag,
				    tag == SEGOFF_TAG_INVALID ? range :
				    tag == SEGOFF_TAG_SPLIT ?
				    offsetof(struct segoff_counters, split) :
				    offsetof(struct segoff_counters, nosplit));
		}
	} else {
		/* NaN payloads and the largest values below and at 2^16 */
		static const struct { uint64_t bits; size_t counter; } w[] = {
			{ 0x7ff0000000000001ULL, 1 }, { 0xfff8000000000000ULL, 1 },
			{ 0x7fffffffffffffffULL, 1 }, { 0x40f0000000000000ULL, 0 },
			{ 0x8000000000000001ULL, 0 },
		};

		for (i = 0; i < ARRAY_SIZE(w); i++) {
			memcpy(g, f, len);
			xdp_put_le64(g + s0 + 8 * 8, w[i].bits);
			check_frame(_metadata, self, &self->a, g, len, SEGOFF_TAG_INVALID,
				    w[i].counter ? nan : range);
		}
		memcpy(g, f, len);
		xdp_put_le64(g + s0 + 8 * 8, 0x40efffffffffffffULL);	/* 65536 - 2^-37 */
		check_frame(_metadata, self, &self->a, g, len,
			    segoff_cfg_arith(&self->c) == SEGOFF_ARITH_EXACT ? SEGOFF_TAG_INVALID :
								  SEGOFF_TAG_SPLIT,
			    segoff_cfg_arith(&self->c) == SEGOFF_ARITH_EXACT ? range :
			    offsetof(struct segoff_counters, split));
	}
}

/*
 * An IPv6 rewrite whose checksum comes out as zero must send 0xffff: the
 * sequence number (ignored by the program) is chosen to get there.
 */
TEST_F(xdp, ipv6_zero_checksum)
{
	uint8_t f[SEGOFF_FRAME_MAX] = { 0 }, whole[SEGOFF_FRAME_MAX];
	struct segoff_addr a = self->a;
	double x[SEGOFF_SAMPLES];
	size_t len, l4, seq_off;
	uint16_t sum, word;
	int tag, why;

	REQUIRE_BPF();
	a.ipv6 = 1;
	fill(x, 2, 9);
	tag = segoff_ref_window(x, &self->c, &why);
	len = segoff_frame_build(f, &a, x, &self->c, 0);
	l4 = xdp_l4(&a);
	seq_off = len - 8;
	ASSERT_EQ(0u, (seq_off - l4) % 2);
	/* with the new tag and seq 0: the word that makes the sum all ones */
	memcpy(whole, f, SEGOFF_FRAME_MAX);
	xdp_put_le64(whole + l4 + XDP_UDP_HLEN + 8, (uint64_t)tag);
	sum = (uint16_t)~xdp_udp_csum(whole, &a);
	word = (uint16_t)~sum;
	f[seq_off] = (uint8_t)(word >> 8), f[seq_off + 1] = (uint8_t)word;
	memcpy(whole, f, SEGOFF_FRAME_MAX);
	xdp_put_le64(whole + l4 + XDP_UDP_HLEN + 8, (uint64_t)tag);
	ASSERT_EQ(0xffff, xdp_udp_csum(whole, &a));
	/* the request as its sender checksums it */
	sum = xdp_udp_csum(f, &a);
	f[l4 + 6] = (uint8_t)(sum >> 8), f[l4 + 7] = (uint8_t)sum;
	check_frame(_metadata, self, &a, f, len, tag, xdp_verdict_counter(tag, why, 0));
}

/* The configured port, not the default, selects the requests. */
TEST_F(xdp, port)
{
	uint8_t f[SEGOFF_FRAME_MAX] = { 0 };
	struct segoff_addr a = self->a;
	struct segoff_config c;
	double x[SEGOFF_SAMPLES];
	size_t len;

	REQUIRE_BPF();
	config_for(&c, segoff_cfg_encoding(&self->c), segoff_cfg_arith(&self->c), 7777);
	ASSERT_EQ(0, segoff_config_write(self->p.config_fd, &c));
	fill(x, 1, 2);
	len = segoff_frame_build(f, &a, x, &self->c, 1);
	check_frame(_metadata, self, &a, f, len, UNTOUCHED,
		    offsetof(struct segoff_counters, other));
	a.dport = 7777;
	len = segoff_frame_build(f, &a, x, &self->c, 1);
	check_frame(_metadata, self, &a, f, len, SEGOFF_TAG_SPLIT,
		    offsetof(struct segoff_counters, split));
}

/* Counters accumulate over many frames without a reset in between. */
TEST_F(xdp, counters_accumulate)
{
	uint8_t f[SEGOFF_FRAME_MAX], out[SEGOFF_FRAME_MAX];
	struct segoff_counters got, want = { 0 };
	struct segoff_addr a = self->a;
	double x[SEGOFF_SAMPLES];
	size_t len, out_len = 0;
	int i, tag, why;

	REQUIRE_BPF();
	ASSERT_EQ(0, segoff_counters_reset(self->p.counters_fd));
	for (i = 0; i < 1000; i++) {
		fill(x, 50, 50 + (i % 7) * 0.04);
		if (i % 11 == 0)
			x[i % 16] = i % 2 ? NAN : -5;
		a.ipv6 = i & 1;
		a.dport = i % 13 ? SEGOFF_DEFAULT_PORT : 9;
		len = segoff_frame_build(f, &a, x, &self->c, (uint64_t)i);
		if (i % 17 == 0)
			len -= 20;	/* cuts into the samples */
		ASSERT_EQ(XDP_PASS, xdp_run(self->p.prog_fd, f, len, out, &out_len));
		want.frames++;
		if (a.dport != SEGOFF_DEFAULT_PORT) {
			want.other++;
			continue;
		}
		want.windows++;
		tag = segoff_ref_window(x, &self->c, &why);
		if (i % 17 == 0)
			want.invalid_truncated++;
		else
			xdp_counter_add(&want, xdp_verdict_counter(tag, why, segoff_cfg_encoding(&self->c)), 1);
	}
	ASSERT_EQ(0, segoff_counters_read(self->p.counters_fd, &got));
	ASSERT_STREQ("", xdp_counters_diff(&got, &want));
}

/*
 * The program stays small enough for the nfp instruction store (the nfp
 * JIT's own count is checked in the VM) and fast on the host: at most
 * 1536 instructions after the kernel's rewrites.
 */
TEST_F(xdp, instruction_budget)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	REQUIRE_BPF();
	memset(&info, 0, sizeof(info));
	ASSERT_EQ(0, bpf_obj_get_info_by_fd(self->p.prog_fd, &info, &len));
	TH_LOG("%s: %u xlated instructions", info.name,
	       info.xlated_prog_len / (__u32)sizeof(struct bpf_insn));
	ASSERT_GE(1536u, info.xlated_prog_len / sizeof(struct bpf_insn));
}

/* The loader refuses what it cannot load, saying why. */
TEST(loader_errors)
{
	char err[256], junk[] = "/tmp/segoff_junk_XXXXXX";
	struct segoff_obj o;
	int fd, ret;

	ASSERT_EQ(-EINVAL, segoff_obj_load(&o, NULL, SEGOFF_MODE_MAX + 1, 0, 0, err,
					   sizeof(err)));
	ASSERT_STREQ("Unknown XDP mode 3: Invalid argument", err);
	ASSERT_EQ(-EINVAL, segoff_obj_load(&o, NULL, SEGOFF_MODE_OFFLOAD, 0, 0, err,
					   sizeof(err)));
	ASSERT_STREQ("Offload needs a device: Invalid argument", err);
	ASSERT_EQ(-ENOENT, segoff_obj_load(&o, "/nonexistent/segoff.bpf.o",
					   SEGOFF_MODE_NATIVE, 0, 0, err, sizeof(err)));
	ASSERT_STREQ("Unable to open /nonexistent/segoff.bpf.o: No such file or directory", err);

	fd = mkstemp(junk);
	ASSERT_LE(0, fd);
	ASSERT_EQ(9, write(fd, "not elf\n", 9));
	close(fd);
	ret = segoff_obj_load(&o, junk, SEGOFF_MODE_NATIVE, 0, 0, err, sizeof(err));
	unlink(junk);
	ASSERT_GT(0, ret);
	ASSERT_EQ(0, strncmp(err, "Unable to open /tmp/segoff_junk_", 32)) TH_LOG("%s", err);
	ASSERT_EQ(NULL, o.obj);

	/* the loopback device cannot take an offloaded program */
	ret = segoff_obj_load(&o, NULL, SEGOFF_MODE_OFFLOAD, 1, 0, err, sizeof(err));
	ASSERT_GT(0, ret);
	ASSERT_EQ(0, strncmp(err, "Unable to load built-in object", 30)) TH_LOG("%s", err);
	ASSERT_EQ(NULL, o.obj);
}

XDP_HARNESS_MAIN
