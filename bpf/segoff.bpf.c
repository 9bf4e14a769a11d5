// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * segoff: answers window frames and stream frames
 * (include/uapi/linux/segoff.h) in XDP.
 *
 * Written for the nfp JIT first (Documentation/design.md, "NFP rules"):
 * configuration and counters live in two-entry ARRAY maps instead of
 * global data, the stack is only used at constant offsets, a counter is
 * only ever added to, and the offloaded program reads no further into a
 * frame than the nfp's packet split boundary. Answers are passed on, or
 * sent back with XDP_TX when the port's reply parameter says so.
 */
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <segoff/window.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SEGOFF_MAP_ENTRIES);
	__type(key, __u32);
	__type(value, struct segoff_config);
} segoff_config SEC(".maps");

/* The loader turns this into a PERCPU_ARRAY for the host modes. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SEGOFF_MAP_ENTRIES);
	__type(key, __u32);
	__type(value, struct segoff_wcounters);	/* entry 1: struct segoff_fcounters */
} segoff_counters SEC(".maps");

/* linux/if_vlan.h is not uapi */
struct segoff_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

/* not a sample error: the frame ends before the 16th sample */
#define SEGOFF_TRUNCATED	(SEGOFF_SAMPLE_NAN + 1)

struct segoff_pkt {
	void *end;
	struct ethhdr *eth;
	void *l3;
	struct udphdr *udp;
	int v6;
	/* RFC 1624: ~old + new of every 16-bit word changed, in memory order */
	__u32 csum;
};

/*
 * An offloaded program shares its counters with every nfp thread, so it
 * adds atomically; on the host each CPU has its own copy.
 */
static __always_inline void segoff_add(__u64 *counter, __u64 n, const int offload)
{
	if (offload)
		__sync_fetch_and_add(counter, n);
	else
		*counter += n;
}

/*
 * Keeps @p in one register: otherwise clang may check one copy of a
 * packet pointer against data_end and load through another, which the
 * verifier cannot tell is the same.
 */
#define segoff_pin(p) asm volatile("" : "+r"(p))

/* entry 1, looked up only by the frames that count there */
static __always_inline void segoff_count_frame(size_t field, const int offload)
{
	__u32 key = 1;
	__u64 *c = bpf_map_lookup_elem(&segoff_counters, &key);

	if (c)
		segoff_add(c + field / sizeof(__u64), 1, offload);
}

#define SEGOFF_COUNT_FRAME(field, offload) \
	segoff_count_frame(offsetof(struct segoff_fcounters, field), offload)

/*
 * The UDP header of a frame to the configured port in @pk, or 1. IPv4
 * fragments are passed on: only the first carries the UDP header, and
 * its payload may be incomplete. Offloaded, longer IPv4 headers than
 * IPv6's are passed on too, to keep within the packet split boundary.
 */
static __always_inline int segoff_parse(void *data, void *end, const struct segoff_config *cfg,
					struct segoff_pkt *pk, const int offload)
{
	const __u32 l3_max = offload ? SEGOFF_L3_MAX_OFFLOAD : SEGOFF_L3_MAX_HOST;
	struct ethhdr *eth = data;
	struct udphdr *udp;
	void *l3 = eth + 1;
	__be16 proto;

	if (l3 > end)
		return 1;
	/* struct ethhdr is packed: one 16-bit load, not two byte loads */
	proto = *(__be16 *)((void *)eth + offsetof(struct ethhdr, h_proto));
	if (proto == bpf_htons(ETH_P_8021Q)) {
		struct segoff_vlan_hdr *vh = l3;

		if ((void *)(vh + 1) > end)
			return 1;
		proto = vh->proto;
		l3 = vh + 1;
	}
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l3;
		__u32 opts;

		if ((void *)(ip + 1) > end)
			return 1;
		/*
		 * frag_off, ttl and protocol in one load and one compare (from
		 * l3, whose alignment clang does not assume: through ip it
		 * would make two 16-bit loads of it)
		 */
		if ((*(__u32 *)(l3 + offsetof(struct iphdr, frag_off)) & bpf_htonl(0x3fff00ff)) !=
		    bpf_htonl(IPPROTO_UDP))
			return 1;
		/*
		 * The options' length, checked and added in one register, so
		 * that the verifier bounds the reach by the check (clang would
		 * test a copy, ihl * 4 - 20, as one range).
		 */
		opts = ip->ihl * 4 - sizeof(*ip);
		segoff_pin(opts);
		if (opts > l3_max - sizeof(*ip))
			return 1;
		udp = l3 + sizeof(*ip) + opts;
		pk->v6 = 0;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l3;

		if ((void *)(ip6 + 1) > end || ip6->nexthdr != IPPROTO_UDP)
			return 1;
		udp = (void *)(ip6 + 1);
		pk->v6 = 1;
	} else {
		return 1;
	}
	if ((void *)(udp + 1) > end || udp->dest != segoff_cfg_port_be(cfg))
		return 1;
	pk->end = end;
	pk->eth = eth;
	pk->l3 = l3;
	pk->udp = udp;
	return 0;
}

#define SEGOFF_WINDOW_NAN	4	/* see segoff_window_offload() */
static __u32 segoff_window_offload(__u32 *p, void *end, const struct segoff_config *cfg, __u32 dbl);

/* segoff_window() offloaded, for a frame that holds its samples: the answer is never 0 */
static __always_inline int segoff_window_offloaded(__u32 *w, void *end,
						   const struct segoff_config *cfg, __u32 dbl,
						   int *split)
{
	__u32 a = segoff_window_offload(w, end, cfg, dbl);

	if ((a & 3) == SEGOFF_TAG_INVALID)
		return a & SEGOFF_WINDOW_NAN ? SEGOFF_SAMPLE_NAN : SEGOFF_SAMPLE_RANGE;
	*split = a == SEGOFF_TAG_SPLIT;
	return SEGOFF_SAMPLE_OK;
}

/*
 * Evaluates the 16 samples after @hdr: SEGOFF_SAMPLE_OK and *@split, or
 * why not. The payload ends at @end or after @ulen - 8 bytes, whichever
 * comes first. No sample is kept: each is read once from the packet and
 * fed to the test.
 */
static __always_inline int segoff_window(struct segoff_hdr *hdr, void *end, __u32 ulen,
					 const struct segoff_config *cfg, int *split, const int offload)
{
	struct segoff_test t = {};
	__u32 *w = (__u32 *)(hdr + 1);
	__u32 scale, round, x;
	int i, err;

	if (segoff_cfg_encoding(cfg) == SEGOFF_ENC_DOUBLE) {
		if ((void *)hdr + SEGOFF_PAYLOAD_DOUBLE > end ||
		    ulen < sizeof(struct udphdr) + SEGOFF_PAYLOAD_DOUBLE)
			return SEGOFF_TRUNCATED;
		scale = segoff_cfg_scale(cfg);
		round = segoff_cfg_round(cfg);
		/*
		 * A loop, where the verifier knows i in every pass: 16 inlined
		 * conversions would not fit the size budget, and a subprogram
		 * per sample costs a call and a return each.
		 */
#pragma clang loop unroll(disable)
		for (i = 0; i < SEGOFF_SAMPLES && !offload; i++) {
			/* little-endian: the low word first */
			err = segoff_double_scaled(w[2 * i], w[2 * i + 1], scale, round, &x);
			if (err)
				return err;
			segoff_test_sample(&t, i, x, cfg);
		}
	} else {
		if ((void *)hdr + SEGOFF_PAYLOAD_FIXED > end ||
		    ulen < sizeof(struct udphdr) + SEGOFF_PAYLOAD_FIXED)
			return SEGOFF_TRUNCATED;
		/* unrolled: a fixed sample costs less than a loop's bookkeeping */
#pragma unroll
		for (i = 0; i < SEGOFF_SAMPLES && !offload; i++) {
			err = segoff_fixed_sample(w[i], cfg, &x);
			if (err)
				return err;
			segoff_test_sample(&t, i, x, cfg);
		}
	}
	/*
	 * Offloaded, neither loop runs: every window takes the one test of
	 * segoff_window_offload(), once the frame is known to hold it
	 */
	if (offload)
		return segoff_window_offloaded(w, end, cfg,
					       segoff_cfg_encoding(cfg) == SEGOFF_ENC_DOUBLE, split);
	*split = segoff_test_split(&t);
	return SEGOFF_SAMPLE_OK;
}

/* A single-window request: the verdict goes into the tag. */
static __always_inline void segoff_answer_window(struct segoff_hdr *hdr, __u32 ulen,
						 const struct segoff_config *cfg,
						 struct segoff_wcounters *cnt,
						 struct segoff_pkt *pk, const int offload)
{
	int err, split;
	__u32 tag;

	segoff_add(&cnt->windows, 1, offload);
	err = segoff_window(hdr, pk->end, ulen, cfg, &split, offload);
	if (err == SEGOFF_SAMPLE_OK) {
		if (split) {
			tag = SEGOFF_TAG_SPLIT;
			segoff_add(&cnt->split, 1, offload);
		} else {
			tag = SEGOFF_TAG_NOSPLIT;
			segoff_add(&cnt->nosplit, 1, offload);
		}
	} else {
		tag = SEGOFF_TAG_INVALID;
		if (err == SEGOFF_TRUNCATED)
			segoff_add(&cnt->invalid_truncated, 1, offload);
		else if (err == SEGOFF_SAMPLE_RANGE)
			segoff_add(&cnt->invalid_range, 1, offload);
		else
			segoff_add(&cnt->invalid_nan, 1, offload);
	}
	/* the tag's first 16-bit word goes from 0 to tag */
	hdr->tag = tag;
	pk->csum += 0xffff + tag;
}

/*
 * Branch-free comparisons, in asm because clang turns them back into
 * branches. A stream loop must not branch on what earlier passes left
 * (the verifier would tell apart, and walk, the states of every pass),
 * so it decides with these.
 */
/* 1 if a < b, for a, b < 2^63 */
static __always_inline __u64 segoff_below(__u64 a, __u64 b)
{
	asm("%[a] -= %[b]; %[a] >>= 63" : [a] "+r"(a) : [b] "r"(b));
	return a;
}

/* 1 unless 0 <= a <= wm1, for |a| < 2^62 and -1 <= wm1 < 2^62 */
static __always_inline __u64 segoff_outside(__s64 a, __u64 wm1)
{
	__u64 t;

	asm("%[t] = %[w]; %[t] -= %[a]; %[t] |= %[a]; %[t] >>= 63"
	    : [t] "=&r"(t) : [a] "r"(a), [w] "r"(wm1));
	return t;
}

/*
 * a^2 for a < 2^32, the bound made plain to the verifier in the register
 * the multiply takes, as the nfp JIT needs it: clang may spill a
 * truncated value and multiply what the verifier no longer bounds
 */
static __always_inline __u64 segoff_square(__u64 a)
{
	asm("%[a] <<= 32; %[a] >>= 32; %[a] *= %[a]" : [a] "+r"(a));
	return a;
}

/* min(a, b) for a, b < 2^63 */
static __always_inline __u64 segoff_min(__u64 a, __u64 b)
{
	return a ^ ((a ^ b) & -segoff_below(b, a));
}

/*
 * The verifier would tell apart the states of every pass of a stream
 * loop, and walk all of them, if a pass taught it anything that outlives
 * the pass: so each pass reaches the frame through a pointer of its own
 * (base + a variable offset, pinned so that clang recomputes it), whose
 * check against data_end widens nothing else, and decides the verdict
 * with arithmetic instead of branches on what the previous passes left.
 */
static __always_inline void *segoff_row(void *base, __u64 off)
{
	void *row;

	segoff_pin(off);
	row = base + off;
	segoff_pin(row);
	return row;
}

/*
 * A stream frame's windows: what the steps share. The host program steps
 * through bpf_loop(), so that the verifier checks one step for any number
 * of windows: segoff_stream_chunk() for up to SEGOFF_STREAM_CHUNK windows
 * the datagram holds in full, sliding the sums from the window before
 * with the state in registers, segoff_stream_cut() for each of the
 * others. The offloaded one (the nfp has no bpf_loop) steps in a plain
 * loop of at most SEGOFF_STREAM_MAX_FIXED_OFFLOAD - 15 passes,
 * segoff_stream_offload_step(), which the verifier walks pass by pass.
 * Either way a step decides its verdict with arithmetic instead of
 * branches on what the previous steps left (see segoff_below()), and its
 * branches join again within the pass on states that differ in nothing
 * the verifier tracks exactly: otherwise it would walk every path of
 * every later pass (their states differ in the loop counter, so never
 * prune against each other).
 */
struct segoff_stream {
	void *end;
	__u8 *v;		/* the verdicts, then the samples at v + vbytes */
	/* what the host's steps carry: window j's reference sums */
	__u64 s1, s2;
	__u64 eps2;
	/* 64 bits: the verifier keeps the bounds of a 64-bit spill only */
	__u64 vbytes, z;
	/* a sample is far from the centre from eps on: eps - 1 and 2 eps - 2, see segoff_outside() */
	__u64 eps1, wm1;
	/*
	 * windows, and those whose samples are all inside the datagram (the
	 * host's steps cut it short where the packet ends first)
	 */
	__u32 nw, nfull;
	__u32 dbl, seed;
	/*
	 * the samples' limit, and how many the double conversion left
	 * (avail); the double samples to convert and how (scale, round);
	 * the checksum's share. avail, nfull and csum, which the bpf_loop()
	 * steps write, each in the upper half of 8 bytes (see the asserts
	 * below)
	 */
	__u32 lim, avail;
	__u32 ns, scale;
	__u32 round, csum;
	/* the last invalid sample, see segoff_stream_bad() */
	__s64 bad;
	/*
	 * the verdicts, counted once the frame is done, in 16 bits each:
	 * offloaded the split, invalid and all windows held in full
	 * (SEGOFF_TALLY()), on the host see segoff_stream_chunk(); the others
	 * are cut short
	 */
	__u64 tally;
};

/*
 * 6.1's verifier keeps a bounded value that a step stores at a multiple
 * of 8 bytes through its pointer to the frame (not r10) as a precise
 * spill: the caller's states after every exit of a step then differ in
 * it, and it walks the rest of the program on from each (651k
 * instructions for segoff_xdp_percpu; 107k so)
 */
_Static_assert(offsetof(struct segoff_stream, avail) % 8 == 4, "avail is tracked");
_Static_assert(offsetof(struct segoff_stream, nfull) % 8 == 4, "nfull is tracked");
_Static_assert(offsetof(struct segoff_stream, csum) % 8 == 4, "csum is tracked");

/* what the window test takes from the config */
static __always_inline void segoff_stream_params(struct segoff_stream *st,
						 const struct segoff_config *cfg)
{
	st->seed = segoff_cfg_arith(cfg) == SEGOFF_ARITH_SEED;
	st->lim = segoff_cfg_limit(cfg);
	/* exact's stored word is 8 e already; seed's is e, see segoff_stream_centre() */
	st->eps1 = ((__u64)segoff_cfg_eps(cfg) << (3 & -st->seed)) - 1;
	st->eps2 = segoff_cfg_eps2(cfg);
	st->wm1 = 2 * st->eps1;
}

/* what one window held in full adds to the offloaded program's tally */
#define SEGOFF_TALLY(split, inv)	((split) | (inv) << 16 | 1ULL << 32)

/* windows per step of the host program, see segoff_stream_chunk() */
#define SEGOFF_STREAM_CHUNK	8

/* ~0 if a < b, else 0, for a - b in (-2^63, 2^63) */
static __always_inline __u64 segoff_below_mask(__u64 a, __u64 b)
{
	asm("%[a] -= %[b]; %[a] s>>= 63" : [a] "+r"(a) : [b] "r"(b));
	return a;
}

/*
 * @near + 1 if lo <= x < lo + w, for -1 <= w < 2^32 and x - lo in
 * (w - 2^32, 2^32): one subtraction mod 2^32 and one compare, the
 * sample's far test (segoff_test_far()) turned around for the host's steps
 */
static __always_inline __u64 segoff_near(__u64 near, __u32 x, __u32 lo, __u64 w)
{
	__u64 a;

	/* volatile, in order: clang would load all 8 samples first, and spill */
	asm volatile("%[x] -= %[lo]" : [x] "+w"(x) : [lo] "w"(lo));
	a = x;
	asm volatile("%[a] -= %[w]; %[a] >>= 63; %[n] += %[a]"
		     : [a] "+r"(a), [n] "+r"(near) : [w] "r"(w));
	return near;
}

/*
 * The last invalid sample, once a window's sample 15, @x, has come in:
 * @bad is 2 (1 + that sample's index - the window's index) + 1 if it was
 * a NaN, so that the window holds an invalid sample iff bad >= 2, and
 * takes the reason of the last. Returns it for the window after.
 * @limm1: the limit - 1; @dbl: 1 for double samples, plus 32 << 32.
 */
static __always_inline __s64 segoff_stream_bad(__s64 bad, __u32 x, __u64 limm1, __u64 dbl)
{
	/* a NaN is SEGOFF_X_NAN, the only x that x + 1 carries out of 32 bits */
	bad += ((((__u64)x + dbl) >> 32) - bad) & segoff_below_mask(limm1, x);
	return bad - 2;
}

/* The samples x0..x14 of window 0: a loop, a pass each, as small as can be. */
static __always_inline void segoff_stream_start(struct segoff_stream *st)
{
	__u32 *s = segoff_row(st->v, st->vbytes), x, i;
	__u64 s1 = 0, s2 = 0;
	__s64 bad = 0;

	segoff_pin(s);
	if (!st->nfull || (void *)(s + SEGOFF_SAMPLES) > st->end)
		return;
#pragma clang loop unroll(disable)
	for (i = 0; i < SEGOFF_SAMPLES - 1; i++) {
		x = s[i];
		/* as window i - 15 would take it */
		bad = segoff_stream_bad(bad, x, st->lim - 1, st->dbl + (32ULL << 32));
		x &= -segoff_below(i, SEGOFF_HALF);
		s1 += x;
		s2 += (__u64)x * x;
	}
	st->s1 = s1;
	st->s2 = s2;
	st->bad = bad;
}

/*
 * Window j's verdict into its byte and into the checksum. Returns 1,
 * having written nothing, past the last window or the packet.
 */
static __always_inline int segoff_stream_put(__u64 j, struct segoff_stream *st, __u32 tag)
{
	__u8 *vp;

	if (j >= SEGOFF_STREAM_MAX_FIXED - (SEGOFF_SAMPLES - 1) || j >= st->nw)
		return 1;
	vp = segoff_row(st->v, st->z) + j;
	segoff_pin(vp);
	if ((void *)(vp + 1) > st->end)
		return 1;
	*vp = tag;
	/* the verdict area starts at an even offset of the datagram */
	st->csum += (tag << ((j & 1) * 8)) + (((j & 1) - 1) & 0xffff);
	return 0;
}

/* eps2 if the tested sample @x is far from the centre (segoff_test_far()), else 0 */
static __always_inline __u64 segoff_stream_far(const struct segoff_stream *st, __u32 x,
					       __u64 near)
{
	return st->eps2 & -segoff_outside(((__u64)x << 3) - near, st->wm1);
}

/*
 * segoff_test_centre() for the reference sums @s1, @s2, both arithmetics
 * computed and one kept, without branches: *@rhs, and the bound that
 * segoff_stream_far() takes. Seed arithmetic's |X - m| >= e is tested as
 * |8 X - 8 m| >= 8 e, so that both shift X by 3.
 */
static __always_inline __u64 segoff_stream_centre(const struct segoff_stream *st, __u64 s1,
						  __u64 s2, __u64 *rhs)
{
	__u64 seed = -(__u64)st->seed, centre, sq, r;
	__u32 m = (__u32)(s1 >> 3);

	/* S1^2 (exact) or m^2 (seed): one product */
	sq = segoff_square(s1 ^ ((s1 ^ m) & seed));
	r = 8 * s2 - sq;
	*rhs = r ^ ((r ^ (((s2 >> 3) - sq) << 3)) & seed);
	centre = s1 ^ ((s1 ^ ((__u64)m << 3)) & seed);
	return centre - st->eps1;
}

/* SPLIT 1, NOSPLIT 2, INVALID 3 */
static __always_inline __u32 segoff_stream_tag(__u32 split, __u32 inv)
{
	return (2 - split) | (-inv & SEGOFF_TAG_INVALID);
}

/*
 * Windows 8 c.. of the host program, as many of the 8 as the datagram
 * holds in full: each one's reference half slid from the window before
 * (one sample out, one in), its tested half read from the packet, with
 * the arithmetic of window.h (segoff_test_centre(), _far(), _split())
 * written without branches, the state in registers from window to
 * window. The sums take invalid samples as they are: a window whose
 * reference half holds one is invalid, and once the sample has left,
 * the sums (mod 2^64) are exact again. The centre is taken on 8 X's scale,
 * C = S1 (exact) or 8 m (seed), so that one formula serves both: with
 * E = 8 e, X is near iff C - E < 8 X < C + E, i.e. iff
 * (C - E + 8) >> 3 <= X < (C + E + 7) >> 3 (segoff_near()); then
 * 8 S2 - S1^2 (exact) or (S2 & ~7) - 8 m^2 (seed) is the right-hand side,
 * and tot e^2 = (8 - near) e^2. The verdicts are counted, and go into the
 * checksum, 8 bytes at a time once they are written: the tally holds the
 * windows whose tag has bit 0 set, bit 1 set, both, and those with a NaN,
 * in 16 bits each. Returns 1 past the windows.
 */
static int segoff_stream_chunk(__u64 c, void *ctx)
{
	const __u64 bytes = 0x0101010101010101ULL;
	struct segoff_stream *st = ctx;
	const __u64 seed = -(__u64)st->seed, mask = ~(7 & seed), kc = 3 & seed, ks = 3 - kc;
	const __u64 lo8 = 7 - st->eps1, hi8 = st->eps1 + 8, eps2 = st->eps2, eps8 = eps2 << 3;
	const __u64 limm1 = st->lim - 1, dbl = st->dbl + (32ULL << 32);
	__u64 s1 = st->s1, s2 = st->s2, nan = 0, j;
	__u64 c8, w, sq, rhs, near, inv, t, u, b;
	__u32 *p, x, xo, tag, sum;
	__s64 bad = st->bad, l, n;
	__u8 *vp;
	int i, k;

	if (c >= (SEGOFF_STREAM_MAX_FIXED - SEGOFF_SAMPLES) / SEGOFF_STREAM_CHUNK + 1)
		return 1;
	/*
	 * clang may test c and reload it from a spill made before the test,
	 * whose bound 6.1's verifier does not know: a mask it cannot drop
	 * (every step number is below 1024)
	 */
	segoff_pin(c);
	c &= 1023;
	j = c * SEGOFF_STREAM_CHUNK;
	/* the verdict area is a multiple of 8 bytes long */
	vp = segoff_row(st->v, st->z) + j;
	segoff_pin(vp);
	if ((void *)(vp + SEGOFF_STREAM_CHUNK) > st->end)
		return 1;
	p = (__u32 *)segoff_row(st->v, st->vbytes) + j;
	/* below 0 once a step has cut nfull short */
	n = (__s64)st->nfull - (__s64)j;
#pragma clang loop unroll(disable)
	for (i = 0; i < SEGOFF_STREAM_CHUNK; i++, p++) {
		if (i >= n)
			break;
		/* the datagram may be longer than the packet: the rest are cut short */
		if ((void *)(p + SEGOFF_SAMPLES) > st->end) {
			st->nfull = j + i;
			break;
		}
		bad = segoff_stream_bad(bad, p[SEGOFF_SAMPLES - 1], limm1, dbl);
		/* bad + 2 >= 2: an invalid sample in this window */
		inv = segoff_below_mask(-1, bad);
		nan += inv & bad & 1;
		c8 = s1 & mask;
		sq = (s1 >> kc) * c8;
		rhs = ((s2 & mask) << ks) - sq;
		l = (__s64)(c8 + lo8) >> 3;
		w = ((__s64)(c8 + hi8) >> 3) - l;
		near = 0;
#pragma unroll
		for (k = SEGOFF_HALF; k < SEGOFF_SAMPLES; k++)
			near = segoff_near(near, p[k], (__u32)l, w);
		/* 1 (split) or 2, 3 if invalid */
		tag = (2 + segoff_below_mask(rhs + near * eps2, eps8)) | (inv & SEGOFF_TAG_INVALID);
		vp[i] = tag;
		x = p[SEGOFF_HALF];
		xo = p[0];
		s1 += (__u64)x - xo;
		s2 += (__u64)x * x - (__u64)xo * xo;
	}
	if (!i)
		return 0;
	st->s1 = s1;
	st->s2 = s2;
	st->bad = bad;
	/* the i verdicts, as bytes 0..i - 1 of a little-endian word */
	b = *(__u64 *)vp & ~0ULL >> (64 - 8 * i);
	t = b & bytes;
	u = (b >> 1) & bytes;
	st->tally += (t * bytes >> 56) + ((u * bytes >> 56) << 16) +
		     (((t & u) * bytes >> 56) << 32) + (nan << 48);
	/* the 16-bit words, each old one 0: ~0 for it */
	sum = (b & 0xffffffff) + (b >> 32);
	st->csum += (sum & 0xffff) + (sum >> 16) + 0xffff * ((i + 1) >> 1);
	return 0;
}

/* Window j, cut short: "invalid". Returns 1 after the last window. */
static __always_inline int segoff_stream_cut(__u64 j, struct segoff_stream *st)
{
	return segoff_stream_put(j, st, SEGOFF_TAG_INVALID);
}

/* the windows from nfull on */
static int segoff_stream_cut_step(__u64 i, void *ctx)
{
	struct segoff_stream *st = ctx;

	return segoff_stream_cut(st->nfull + i, st);
}

/*
 * The offloaded program's window test, for single frames and every
 * window of a stream frame alike: the 16 samples at @p (doubles if @dbl,
 * converted one at a time), tested afresh with segoff_stream_centre(),
 * _far() and _tag() rather than slid from the window before (the sliding state
 * does not fit the NFP's registers, and each value spilled to a stack
 * slot beyond a frame's bottom 64 bytes costs about 7 NFP instructions
 * per access). Returns the tag, with SEGOFF_WINDOW_NAN if the first
 * invalid sample is a NaN or an infinity, or 0 if the samples do not all
 * lie before @end. One loop, in a subprogram of its own: compiled once
 * for every kind of frame (the offloaded program came to 2646 NFP
 * instructions with single frames tested apart, 1937 so) and with a
 * frame of its own.
 */
static __attribute__((noinline)) __u32
segoff_window_offload(__u32 *p, void *end, const struct segoff_config *cfg, __u32 dbl)
{
	/*
	 * s and q: S1 and S2 up to sample 7, then the far sum and the
	 * test's right-hand side: with fewer values live through the loop,
	 * fewer are spilled (108 NFP instructions fewer)
	 */
	__u64 s = 0, q = 0, near = 0;
	__u32 x, err, inv = 0, split, scale, round;
	struct segoff_stream st;
	int i;

	if ((void *)(p + SEGOFF_SAMPLES) > end || (dbl && (void *)(p + 2 * SEGOFF_SAMPLES) > end))
		return 0;
	segoff_stream_params(&st, cfg);
	/*
	 * read here, not in the loop: cfg then dies here, and a pass reloads
	 * round from a slot instead of cfg from one and round through it
	 * (14 NFP instructions fewer)
	 */
	scale = segoff_cfg_scale(cfg);
	round = segoff_cfg_round(cfg);
#pragma clang loop unroll(disable)
	for (i = 0; i < SEGOFF_SAMPLES; i++) {
		x = p[i];
		if (dbl) {
			/*
			 * little-endian: the low word first. The first invalid
			 * double decides, as in segoff_window(): a single frame's
			 * samples are not carried on to later windows.
			 */
			err = segoff_double_scaled(p[2 * i], p[2 * i + 1], scale, round, &x);
			if (err)
				return SEGOFF_TAG_INVALID |
				       (err == SEGOFF_SAMPLE_NAN) * SEGOFF_WINDOW_NAN;
		}
		inv |= segoff_below(x, st.lim) ^ 1;
		if (i < SEGOFF_HALF) {
			s += x;
			q += (__u64)x * x;
			continue;
		}
		if (i == SEGOFF_HALF) {
			near = segoff_stream_centre(&st, s, q, &q);
			s = 0;
		}
		s += segoff_stream_far(&st, x, near);
	}
	/* an invalid sample spoils the sums: the verdict is "invalid" then */
	split = segoff_below(q, s) & ~inv;
	return segoff_stream_tag(split, inv);
}

/*
 * Offloaded, window j through segoff_window_offload(). A window cut
 * short joins the others at the one segoff_stream_put(), as "invalid"
 * and not held in full: fewer NFP instructions than a put of its own,
 * and fewer paths for 6.1's verifier to walk. Returns 1 after the last
 * window.
 */
static __always_inline int segoff_stream_offload_step(__u64 j, struct segoff_stream *st,
						      const struct segoff_config *cfg)
{
	__u32 *p, tag = 0, held, split, inv;

	if (j < SEGOFF_STREAM_MAX_FIXED_OFFLOAD - (SEGOFF_SAMPLES - 1) && j < st->nfull) {
		p = (__u32 *)segoff_row(st->v, st->vbytes) + j;
		segoff_pin(p);
		tag = segoff_window_offload(p, st->end, cfg, 0);
	}
	/* SPLIT 1, NOSPLIT 2, INVALID 3, cut short 0 */
	held = (tag | tag >> 1) & 1;
	split = tag & ~(tag >> 1) & 1;
	inv = tag & tag >> 1 & 1;
	if (segoff_stream_put(j, st, tag | (SEGOFF_TAG_INVALID & (held - 1))))
		return 1;
	/* fixed samples are invalid only by their range */
	st->tally += SEGOFF_TALLY(split, inv) & -(__u64)held;
	return 0;
}

/* double samples per step, see segoff_stream_convert() */
#define SEGOFF_STREAM_CONVERT	4

/*
 * Double stream samples are converted once, sample k to a u32 stored at
 * 4 k (see the uapi header): over bytes whose double was converted
 * already. A step converts samples 4 c.. in order, in a loop that the
 * verifier walks pass by pass: a step a sample costs a call and a return
 * each (about 6 ns). The conversion's branches multiply the paths of a
 * step: 4 a step take 6.1's verifier to 107k instructions for the whole
 * program, 8 to 303k, 16 to 841k. Returns 1 after the last one;
 * st->avail counts them.
 */
static int segoff_stream_convert(__u64 c, void *ctx)
{
	struct segoff_stream *st = ctx;
	__u32 *q, *d, x, old, csum = 0;
	__u64 k;
	int err, i;

	if (c > SEGOFF_STREAM_MAX_DOUBLE / SEGOFF_STREAM_CONVERT)
		return 1;
	/* see segoff_stream_chunk() */
	segoff_pin(c);
	c &= 1023;
	k = c * SEGOFF_STREAM_CONVERT;
#pragma clang loop unroll(disable)
	for (i = 0; i < SEGOFF_STREAM_CONVERT; i++, k++) {
		if (k >= st->ns)
			break;
		q = (__u32 *)segoff_row(st->v, st->vbytes) + 2 * k;
		d = (__u32 *)segoff_row(st->v, st->vbytes) + k;
		segoff_pin(q);
		segoff_pin(d);
		if ((void *)(q + 2) > st->end || (void *)(d + 1) > st->end)
			break;
		err = segoff_double_scaled(q[0], q[1], st->scale, st->round, &x);
		if (err)
			x = err == SEGOFF_SAMPLE_NAN ? SEGOFF_X_NAN : SEGOFF_X_RANGE;
		old = ~*d;
		*d = x;
		csum += (old & 0xffff) + (old >> 16) + (x & 0xffff) + (x >> 16);
	}
	st->csum += csum;
	st->avail = k;
	return i < SEGOFF_STREAM_CONVERT;
}

/*
 * A stream frame: every window's verdict, or the whole frame refused.
 * @plen: the UDP payload's length. Returns the new status; *@csum takes
 * ~old + new of every 16-bit word the verdicts changed (RFC 1624).
 */
static __always_inline __u32 segoff_answer_stream(struct segoff_stream_hdr *sh, void *end,
						  __u32 plen, const struct segoff_config *cfg,
						  struct segoff_wcounters *cnt, __u32 *csum,
						  const int offload)
{
	const int dbl = segoff_cfg_encoding(cfg) == SEGOFF_ENC_DOUBLE;
	const __u32 max_fixed = offload ? SEGOFF_STREAM_MAX_FIXED_OFFLOAD : SEGOFF_STREAM_MAX_FIXED;
	const __u32 max_double = offload ? SEGOFF_STREAM_MAX_DOUBLE_OFFLOAD
					 : SEGOFF_STREAM_MAX_DOUBLE;
	const __u32 m16 = offload ? 0xffff : ~0U;
	__u32 n = sh->count, max = dbl ? max_double : max_fixed, nw, vbytes, room, avail;
	__u32 split, inv, nan, held;
	__u64 j;	/* 64 bits, see struct segoff_stream */
	struct segoff_stream st = {};
	__u8 *v = (void *)(sh + 1);

	if (n < SEGOFF_SAMPLES || n > max)
		return SEGOFF_STREAM_REFUSED;
	nw = n - (SEGOFF_SAMPLES - 1);
	vbytes = SEGOFF_STREAM_VERDICT_BYTES(n);
	/* never true: it tells the verifier how far the samples can start */
	if (vbytes > SEGOFF_STREAM_VERDICT_BYTES(max_fixed))
		return SEGOFF_STREAM_REFUSED;
	if ((void *)v + vbytes > end || plen < sizeof(*sh) + vbytes)
		return SEGOFF_STREAM_REFUSED;
	room = plen - sizeof(*sh) - vbytes;
	st.end = end;
	st.v = v;
	st.vbytes = vbytes;
	if (dbl && !offload) {
		/* the offloaded program refuses double stream frames (no bpf_loop) */
		st.ns = segoff_min(n, room / 8);
		st.scale = segoff_cfg_scale(cfg);
		st.round = segoff_cfg_round(cfg);
		bpf_loop((st.ns + SEGOFF_STREAM_CONVERT - 1) / SEGOFF_STREAM_CONVERT,
			 segoff_stream_convert, &st, 0);
		avail = st.avail;
	} else {
		avail = segoff_min(room / 4, n);
	}
	/*
	 * 0 (the status of a request), which neither clang nor the verifier
	 * can tell: see segoff_row()
	 */
	st.z = *(volatile __u32 *)&sh->status;
	asm("%[z] &= 1" : [z] "+r"(st.z));
	st.nw = nw;
	/* window j is held in full iff j + 16 <= avail */
	st.nfull = (avail - (SEGOFF_SAMPLES - 1)) & -segoff_below(SEGOFF_SAMPLES - 1, avail);
	/* offloaded, double frames were refused above */
	st.dbl = dbl && !offload;
	if (offload) {
#pragma clang loop unroll(disable)
		for (j = 0; j + SEGOFF_SAMPLES <= SEGOFF_STREAM_MAX_FIXED_OFFLOAD; j++)
			if (segoff_stream_offload_step(j, &st, cfg))
				break;
	} else {
		segoff_stream_params(&st, cfg);
		segoff_stream_start(&st);
		bpf_loop((st.nfull + SEGOFF_STREAM_CHUNK - 1) / SEGOFF_STREAM_CHUNK,
			 segoff_stream_chunk, &st, 0);
		bpf_loop(nw - st.nfull, segoff_stream_cut_step, &st, 0);
	}
	if (offload) {
		split = st.tally & 0xffff;
		inv = (st.tally >> 16) & 0xffff;
		held = st.tally >> 32;
		/* fixed samples are never a NaN */
		nan = 0;
	} else {
		/* tag bit 0, bit 1, both, NaN: see segoff_stream_chunk() */
		inv = (st.tally >> 32) & 0xffff;
		split = (st.tally & 0xffff) - inv;
		held = split + ((st.tally >> 16) & 0xffff);
		nan = st.tally >> 48;
	}
	segoff_add(&cnt->windows, nw, offload);
	segoff_add(&cnt->split, split, offload);
	/*
	 * each count is below 2^16: offloaded, the mask makes that plain to
	 * the nfp JIT, whose atomic add of such a value is 8 NFP instructions
	 * shorter
	 */
	segoff_add(&cnt->nosplit, (held - split - inv) & m16, offload);
	segoff_add(&cnt->invalid_truncated, (nw - held) & m16, offload);
	segoff_add(&cnt->invalid_range, (inv - nan) & m16, offload);
	/*
	 * offloaded, fixed samples only, so never a NaN: and clang makes an
	 * atomic add of 0 an atomic OR, which the nfp JIT does not take
	 */
	if (!offload)
		segoff_add(&cnt->invalid_nan, nan, offload);
	*csum = st.csum;
	return SEGOFF_STREAM_ANSWERED;
}

/*
 * A stream request, answered or refused, its status written and counted.
 * Returns what the UDP checksum takes, see segoff_answer_stream(). Only
 * that: a caller branching on a value the verdicts went into would make
 * the verifier track every verdict exactly.
 */
static __always_inline __u32 segoff_stream_frame(struct segoff_stream_hdr *sh, void *end,
						 __u32 plen, const struct segoff_config *cfg,
						 struct segoff_wcounters *cnt, const int offload)
{
	__u32 csum = 0, status;

	status = segoff_answer_stream(sh, end, plen, cfg, cnt, &csum, offload);
	if (status == SEGOFF_STREAM_ANSWERED)
		SEGOFF_COUNT_FRAME(streams, offload);
	else
		SEGOFF_COUNT_FRAME(refused, offload);
	sh->status = status;
	return csum + 0xffff + status;
}

/*
 * Offloaded, a stream frame is answered in a subprogram of its own: its
 * stack frame is smaller than the caller's, and the NFP reaches the
 * bottom 64 bytes of a frame with fewer instructions per access.
 */
static __attribute__((noinline)) __u32
segoff_stream_frame_offload(struct segoff_stream_hdr *sh, void *end, __u32 plen,
			    const struct segoff_config *cfg, struct segoff_wcounters *cnt)
{
	return segoff_stream_frame(sh, end, plen, cfg, cnt, 1);
}

static __always_inline void segoff_swap16(__u16 *a, __u16 *b)
{
	__u16 t = *a;

	*a = *b;
	*b = t;
}

static __always_inline void segoff_swap32(__u32 *a, __u32 *b)
{
	__u32 t = *a;

	*a = *b;
	*b = t;
}

static __always_inline __u32 segoff_csum_word32(__u32 old, __u32 new)
{
	old = ~old;
	return (old & 0xffff) + (old >> 16) + (new & 0xffff) + (new >> 16);
}

/*
 * Turns the answered frame around, or leaves it untouched and returns
 * XDP_PASS when it cannot. Addresses swap, except that an answer to a
 * group address comes from the port's own unicast one: its MAC from the
 * config, its IPv4 address from the config, and for IPv6 its link-local
 * address made from the MAC (EUI-64). The IPv4 header checksum is
 * unchanged by a swap; a replaced address changes it and, for IPv6, the
 * UDP checksum through the pseudo-header.
 */
static __always_inline int segoff_reflect(struct segoff_pkt *pk, const struct segoff_config *cfg)
{
	__u16 *eth = (__u16 *)pk->eth, *mac = (__u16 *)cfg->mac;
	int group = pk->eth->h_dest[0] & 1;
	__u32 src, csum;

	if (group && !(mac[0] | mac[1] | mac[2]))
		return XDP_PASS;
	if (!pk->v6) {
		struct iphdr *ip = pk->l3;

		src = ip->daddr;
		/*
		 * a group MAC, 224.0.0.0/4 or 255.255.255.255 (first byte in
		 * memory): a subnet-directed broadcast (10.0.0.255, say) is
		 * told from a unicast address by its MAC only
		 */
		if (group || (src & 0xf0) == 0xe0 || src == 0xffffffff) {
			if (!cfg->addr4)
				return XDP_PASS;
			src = cfg->addr4;
			csum = (__u16)~ip->check + segoff_csum_word32(ip->daddr, src);
			csum = (csum & 0xffff) + (csum >> 16);
			csum = (csum & 0xffff) + (csum >> 16);
			ip->check = ~csum;
		}
		ip->daddr = ip->saddr;
		ip->saddr = src;
	} else {
		struct ipv6hdr *ip6 = pk->l3;
		__u32 *s = ip6->saddr.in6_u.u6_addr32, *d = ip6->daddr.in6_u.u6_addr32;
		__u32 ll[4];
		int i;

		if (ip6->daddr.in6_u.u6_addr8[0] == 0xff) {
			if (!(mac[0] | mac[1] | mac[2]))
				return XDP_PASS;
			/* fe80::/64, then the MAC with ff:fe inside and the U/L bit flipped */
			ll[0] = bpf_htonl(0xfe800000);
			ll[1] = 0;
			ll[2] = bpf_htonl((__u32)(cfg->mac[0] ^ 2) << 24 | (__u32)cfg->mac[1] << 16 |
					  (__u32)cfg->mac[2] << 8 | 0xff);
			ll[3] = bpf_htonl(0xfe000000 | (__u32)cfg->mac[3] << 16 |
					  (__u32)cfg->mac[4] << 8 | cfg->mac[5]);
#pragma unroll
			for (i = 0; i < 4; i++) {
				pk->csum += segoff_csum_word32(d[i], ll[i]);
				d[i] = ll[i];
			}
		}
#pragma unroll
		for (i = 0; i < 4; i++)
			segoff_swap32(&s[i], &d[i]);
	}
	/* h_dest takes h_source; h_source the old h_dest, or the port's MAC */
#pragma unroll
	for (int i = 0; i < 3; i++) {
		__u16 dst = eth[i];

		eth[i] = eth[3 + i];
		eth[3 + i] = group ? mac[i] : dst;
	}
	segoff_swap16(&pk->udp->source, &pk->udp->dest);
	return XDP_TX;
}

/*
 * IPv4 answers carry no UDP checksum; IPv6 forbids that, so its
 * checksum follows every changed word (RFC 1624 eqn. 3,
 * HC' = ~(~HC + sum of ~m + m'), in memory order, which one's complement
 * sums do not mind), and a zero result is sent as 0xffff.
 */
static __always_inline void segoff_csum(struct segoff_pkt *pk)
{
	struct udphdr *udp = pk->udp;
	__u32 sum;

	if (!pk->v6) {
		udp->check = 0;
		return;
	}
	sum = (__u16)~udp->check + pk->csum;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	udp->check = sum ? sum : 0xffff;
}

/*
 * How far the body runs: the programs run it all; segoff-bench's part
 * variants (bench/bench.bpf.c) stop after each part to time it, and in
 * the programs these checks fold away.
 */
enum segoff_part {
	SEGOFF_PART_CONFIG,	/* the maps looked up, the frame counted */
	SEGOFF_PART_PARSE,	/* ... the headers parsed, the request found */
	SEGOFF_PART_WINDOW,	/* ... its 16 samples read and tested */
	SEGOFF_PART_ALL,	/* ... counted, answered, the checksum fixed */
};

static __always_inline int segoff_xdp_body(struct xdp_md *ctx, const int offload,
					   const enum segoff_part part)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct segoff_stream_hdr *sh;
	struct segoff_wcounters *cnt;
	struct segoff_config *cfg;
	struct segoff_pkt pk = {};
	struct segoff_hdr *hdr;
	__u32 key = 0, ulen, plen;
	int ret = XDP_PASS;

	cfg = bpf_map_lookup_elem(&segoff_config, &key);
	cnt = bpf_map_lookup_elem(&segoff_counters, &key);
	if (!cfg || !cnt)
		return XDP_PASS;
	/* the entry in force, see segoff_config_stage() */
	if (cfg->active) {
		key = 1;
		cfg = bpf_map_lookup_elem(&segoff_config, &key);
		if (!cfg)
			return XDP_PASS;
	}
	segoff_add(&cnt->frames, 1, offload);
	if (part == SEGOFF_PART_CONFIG)
		return XDP_PASS;

	if (segoff_parse(data, end, cfg, &pk, offload))
		goto other;
	hdr = (void *)(pk.udp + 1);
	ulen = bpf_ntohs(pk.udp->len);
	if ((void *)(hdr + 1) > end || ulen < sizeof(struct udphdr) + sizeof(*hdr) ||
	    hdr->magic != SEGOFF_MAGIC)
		goto other;
	if (part == SEGOFF_PART_PARSE && hdr->tag == SEGOFF_TAG_REQUEST)
		return XDP_PASS;
	if (part == SEGOFF_PART_WINDOW && hdr->tag == SEGOFF_TAG_REQUEST) {
		int split, err = segoff_window(hdr, end, ulen, cfg, &split, offload);

		/* kept: the result is otherwise unused */
		segoff_pin(err);
		segoff_pin(split);
		return XDP_PASS;
	}
	if (hdr->tag == SEGOFF_TAG_REQUEST) {
		segoff_answer_window(hdr, ulen, cfg, cnt, &pk, offload);
	} else if (hdr->tag == SEGOFF_KIND_STREAM) {
		sh = (void *)hdr;
		if ((void *)(sh + 1) > end || ulen < sizeof(struct udphdr) + sizeof(*sh))
			goto other;
		plen = ulen - sizeof(struct udphdr);
		pk.csum += offload ? segoff_stream_frame_offload(sh, end, plen, cfg, cnt)
				   : segoff_stream_frame(sh, end, plen, cfg, cnt, 0);
	} else {
		goto other;
	}
	if (segoff_cfg_reply(cfg) == SEGOFF_REPLY_TX) {
		ret = segoff_reflect(&pk, cfg);
		if (ret == XDP_TX)
			SEGOFF_COUNT_FRAME(replied, offload);
	}
	segoff_csum(&pk);
	return ret;
other:
	SEGOFF_COUNT_FRAME(other, offload);
	return XDP_PASS;
}

/* Offload: ARRAY counters shared by all nfp threads, the split boundary's reach. */
SEC("xdp")
int segoff_xdp(struct xdp_md *ctx)
{
	return segoff_xdp_body(ctx, 1, SEGOFF_PART_ALL);
}

/* Native and generic XDP: PERCPU_ARRAY counters, see the loader; one page's reach. */
SEC("xdp")
int segoff_xdp_percpu(struct xdp_md *ctx)
{
	return segoff_xdp_body(ctx, 0, SEGOFF_PART_ALL);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
