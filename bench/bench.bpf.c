// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Programs that only segoff-bench loads, around the very body that
 * bpf/segoff.bpf.c compiles (included whole, so nothing can drift), and
 * the seed's own two programs as references.
 *
 * BPF_PROG_TEST_RUN runs every repetition on one buffer: once the first
 * run has answered the request its tag is no longer 0 and the rest would
 * time the early exit. Every program here but the baselines therefore
 * re-arms the frame (bench_rearm()) in each repetition, all with the same
 * code so that each is charged the same; the bench checks that every
 * repetition evaluated (segoff: windows == repetitions in the counters;
 * the seed's programs, which count nothing: the verdict they leave).
 * bench_pass is the baseline the figures are taken against; for double
 * stream frames, bench_restore is (see bench_samples).
 */
#include "../bpf/segoff.bpf.c"
#include "samples.h"

/* the tag's offset from the start of the frame, set by the bench */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} bench_tag_off SEC(".maps");

/* beyond any frame the bench builds (SEGOFF_FRAME_MAX) */
#define BENCH_TAG_OFF_MAX	256

/*
 * A double stream frame's samples as the bench built them: the program
 * converts them in place, so bench_segoff_restore writes them back after
 * every repetition, and bench_restore does that alone on the same frame.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_samples);
} bench_samples SEC(".maps");

/* a request's tag back to 0, a stream request's status back to 0: 0, or -1 */
static __always_inline int bench_rearm(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 key = 0, *off;
	__u64 *tag;

	off = bpf_map_lookup_elem(&bench_tag_off, &key);
	if (!off || *off > BENCH_TAG_OFF_MAX)
		return -1;
	tag = data + *off;
	if ((void *)(tag + 1) > end)
		return -1;
	/* a stream frame keeps its kind in the low half */
	*tag = (__u32)*tag == SEGOFF_KIND_STREAM ? SEGOFF_KIND_STREAM : SEGOFF_TAG_REQUEST;
	return 0;
}

static __always_inline int bench_restore_samples(struct xdp_md *ctx)
{
	struct bench_samples *s;
	__u32 key = 0;

	s = bpf_map_lookup_elem(&bench_samples, &key);
	if (!s || s->len > sizeof(s->bytes) || !s->len)
		return -1;
	return bpf_xdp_store_bytes(ctx, s->off, s->bytes, s->len) ? -1 : 0;
}

SEC("xdp")
int bench_segoff(struct xdp_md *ctx)
{
	int act = segoff_xdp_body(ctx, 0, SEGOFF_PART_ALL);

	return bench_rearm(ctx) ? XDP_ABORTED : act;
}

/* the body up to a part: nothing to re-arm, but charged the same */
#define BENCH_PART(name, part)					\
SEC("xdp")							\
int bench_part_##name(struct xdp_md *ctx)			\
{								\
	int act = segoff_xdp_body(ctx, 0, part);		\
								\
	return bench_rearm(ctx) ? XDP_ABORTED : act;		\
}

BENCH_PART(config, SEGOFF_PART_CONFIG)
BENCH_PART(parse, SEGOFF_PART_PARSE)
BENCH_PART(window, SEGOFF_PART_WINDOW)

SEC("xdp")
int bench_segoff_restore(struct xdp_md *ctx)
{
	int act = segoff_xdp_body(ctx, 0, SEGOFF_PART_ALL);

	return bench_rearm(ctx) || bench_restore_samples(ctx) ? XDP_ABORTED : act;
}

/* what bench_segoff_restore adds to bench_segoff: subtracted from it */
SEC("xdp")
int bench_restore(struct xdp_md *ctx)
{
	return bench_restore_samples(ctx) ? XDP_ABORTED : XDP_PASS;
}

SEC("xdp")
int bench_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/*
 * The seed's programs (its report: the fixed-point version and the one
 * that converts doubles), for their cost only: the payload at the fixed
 * offset of Ethernet + a 20-byte IPv4 header + UDP, looked at only for
 * the magic and tag 0 (no VLAN, IPv6 or options, no protocol or port
 * check, no config, no counters, no checksum, no invalid samples), its
 * constants hard-coded for eps 0.1 at scale 2^14, and its arithmetic: a
 * 32-bit sum, the floored mean and variance, a branch per tested sample.
 */
#define SEED_PAYLOAD	(sizeof(struct ethhdr) + sizeof(struct iphdr) + sizeof(struct udphdr))
#define SEED_E		1638
#define SEED_E2		2684191
#define SEED_SHIFT	(52 - 14)	/* the significand's bits above 2^-14 */

struct seed_fixed {
	__u64 magic, tag;
	__u32 x[SEGOFF_SAMPLES];
};

struct seed_double {
	__u64 magic, tag;
	__u64 x[SEGOFF_SAMPLES];
};

/* x * 2^14, truncated, by shifting the significand: 0.0 is 0; nothing else is checked */
static __always_inline __u32 seed_scaled(__u64 d)
{
	__u32 e;
	__u64 m;

	if (!d)
		return 0;
	e = (__u32)(d >> 52) - 1023;
	m = (d & 0xfffffffffffffULL) | 1ULL << 52;
	return e < SEED_SHIFT ? m >> (SEED_SHIFT - e) : m << (e - SEED_SHIFT);
}

static __always_inline __u32 seed_sample(void *p, int i, const int dbl)
{
	return dbl ? seed_scaled(((struct seed_double *)p)->x[i]) :
		     ((struct seed_fixed *)p)->x[i];
}

static __always_inline int seed_answer(struct xdp_md *ctx, const int dbl)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct segoff_hdr *h = data + SEED_PAYLOAD;
	__u32 mean = 0, x, d, tot = 0;
	__u64 var = 0;
	int i;

	if ((void *)h + (dbl ? sizeof(struct seed_double) : sizeof(struct seed_fixed)) > end)
		return XDP_PASS;
	if (h->magic != SEGOFF_MAGIC || h->tag != SEGOFF_TAG_REQUEST)
		return XDP_PASS;
#pragma unroll
	for (i = 0; i < SEGOFF_HALF; i++) {
		x = seed_sample(h, i, dbl);
		mean += x;
		var += (__u64)x * x;
	}
	mean >>= 3;
	var = (var >> 3) - (__u64)mean * mean;
#pragma unroll
	for (i = SEGOFF_HALF; i < SEGOFF_SAMPLES; i++) {
		x = seed_sample(h, i, dbl);
		d = x >= mean ? x - mean : mean - x;
		if (d >= SEED_E)
			tot++;
	}
	h->tag = (__u64)tot * SEED_E2 > var << 3 ? SEGOFF_TAG_SPLIT : SEGOFF_TAG_NOSPLIT;
	return XDP_PASS;
}

/* re-armed first, so that the frame keeps the verdict of the last repetition */
SEC("xdp")
int bench_seed_fixed(struct xdp_md *ctx)
{
	return bench_rearm(ctx) ? XDP_ABORTED : seed_answer(ctx, 0);
}

SEC("xdp")
int bench_seed_double(struct xdp_md *ctx)
{
	return bench_rearm(ctx) ? XDP_ABORTED : seed_answer(ctx, 1);
}
