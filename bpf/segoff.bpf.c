// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * segoff: answers window frames (include/uapi/linux/segoff.h) in XDP.
 *
 * Written for the nfp JIT first (DESIGN.md, "NFP offload constraints"):
 * configuration and counters live in one-entry ARRAY maps instead of
 * global data, the stack is only used at constant offsets, and a counter
 * is only ever added to. Every frame is passed on.
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
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct segoff_config);
} segoff_config SEC(".maps");

/* The loader turns this into a PERCPU_ARRAY for the host modes. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct segoff_counters);
} segoff_counters SEC(".maps");

/* linux/if_vlan.h is not uapi */
struct segoff_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

/* not a sample error: the frame ends before the 16th sample */
#define SEGOFF_TRUNCATED	(SEGOFF_SAMPLE_NAN + 1)

/*
 * An offloaded program shares its counters with every nfp thread, so it
 * adds atomically; on the host each CPU has its own copy.
 */
static __always_inline void segoff_count(__u64 *counter, const int atomic)
{
	if (atomic)
		__sync_fetch_and_add(counter, 1);
	else
		*counter += 1;
}

/*
 * The UDP header of a frame to the configured port, or NULL. IPv4
 * fragments are passed on: only the first carries the UDP header, and
 * its payload may be incomplete.
 */
static __always_inline struct udphdr *segoff_udp(void *data, void *end,
						 const struct segoff_config *cfg, int *v6)
{
	struct ethhdr *eth = data;
	struct udphdr *udp;
	void *l3 = eth + 1;
	__be16 proto;

	if (l3 > end)
		return NULL;
	/* struct ethhdr is packed: one 16-bit load, not two byte loads */
	proto = *(__be16 *)((void *)eth + offsetof(struct ethhdr, h_proto));
	if (proto == bpf_htons(ETH_P_8021Q)) {
		struct segoff_vlan_hdr *vh = l3;

		if ((void *)(vh + 1) > end)
			return NULL;
		proto = vh->proto;
		l3 = vh + 1;
	}
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l3;

		if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_UDP ||
		    ip->frag_off & bpf_htons(0x3fff) || ip->ihl < 5)
			return NULL;
		udp = l3 + ip->ihl * 4;
		*v6 = 0;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l3;

		if ((void *)(ip6 + 1) > end || ip6->nexthdr != IPPROTO_UDP)
			return NULL;
		udp = (void *)(ip6 + 1);
		*v6 = 1;
	} else {
		return NULL;
	}
	if ((void *)(udp + 1) > end || udp->dest != cfg->port_be)
		return NULL;
	return udp;
}

/*
 * Evaluates the 16 samples after @hdr: SEGOFF_SAMPLE_OK and *@split, or
 * why not. The payload ends at @end or after @ulen - 8 bytes, whichever
 * comes first. No sample is kept: each is read once from the packet and
 * fed to the test.
 */
static __always_inline int segoff_window(struct segoff_hdr *hdr, void *end, __u32 ulen,
					 const struct segoff_config *cfg, int *split)
{
	struct segoff_test t = {};
	__u32 *w = (__u32 *)(hdr + 1);
	__u32 scale, round, x;
	int i, err;

	if (cfg->encoding == SEGOFF_ENC_DOUBLE) {
		if ((void *)hdr + SEGOFF_PAYLOAD_DOUBLE > end ||
		    ulen < sizeof(struct udphdr) + SEGOFF_PAYLOAD_DOUBLE)
			return SEGOFF_TRUNCATED;
		scale = cfg->scale;
		round = cfg->round;
		/*
		 * A loop, where the verifier knows i in every pass: 16 inlined
		 * conversions would not fit the size budget, and a subprogram
		 * per sample costs a call and a return each.
		 */
#pragma clang loop unroll(disable)
		for (i = 0; i < SEGOFF_SAMPLES; i++) {
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
		for (i = 0; i < SEGOFF_SAMPLES; i++) {
			err = segoff_fixed_sample(w[i], cfg, &x);
			if (err)
				return err;
			segoff_test_sample(&t, i, x, cfg);
		}
	}
	*split = segoff_test_split(&t);
	return SEGOFF_SAMPLE_OK;
}

/*
 * The tag goes from 0 to @tag. It sits at an even offset of the UDP
 * datagram, so its first 16-bit word changes from 0 to @tag (both read in
 * memory order, as one's complement sums do not care about byte order)
 * and the checksum follows RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m').
 * IPv6 forbids a zero UDP checksum: a zero result is sent as 0xffff.
 */
static __always_inline void segoff_csum(struct udphdr *udp, int v6, __u32 tag)
{
	__u32 sum;

	if (!v6) {
		udp->check = 0;
		return;
	}
	sum = (__u16)~udp->check + 0xffff + tag;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	udp->check = sum ? sum : 0xffff;
}

static __always_inline int segoff_xdp_body(struct xdp_md *ctx, const int atomic)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct segoff_counters *cnt;
	struct segoff_config *cfg;
	struct segoff_hdr *hdr;
	struct udphdr *udp;
	__u32 key = 0, ulen, tag;
	int v6, err, split;

	cfg = bpf_map_lookup_elem(&segoff_config, &key);
	cnt = bpf_map_lookup_elem(&segoff_counters, &key);
	if (!cfg || !cnt)
		return XDP_PASS;
	segoff_count(&cnt->frames, atomic);

	udp = segoff_udp(data, end, cfg, &v6);
	if (!udp)
		goto other;
	hdr = (void *)(udp + 1);
	ulen = bpf_ntohs(udp->len);
	if ((void *)(hdr + 1) > end || ulen < sizeof(*udp) + sizeof(*hdr) ||
	    hdr->magic != SEGOFF_MAGIC || hdr->tag != SEGOFF_TAG_REQUEST)
		goto other;

	segoff_count(&cnt->windows, atomic);
	err = segoff_window(hdr, end, ulen, cfg, &split);
	if (err == SEGOFF_SAMPLE_OK) {
		if (split) {
			tag = SEGOFF_TAG_SPLIT;
			segoff_count(&cnt->split, atomic);
		} else {
			tag = SEGOFF_TAG_NOSPLIT;
			segoff_count(&cnt->nosplit, atomic);
		}
	} else {
		tag = SEGOFF_TAG_INVALID;
		if (err == SEGOFF_TRUNCATED)
			segoff_count(&cnt->invalid_truncated, atomic);
		else if (err == SEGOFF_SAMPLE_RANGE)
			segoff_count(&cnt->invalid_range, atomic);
		else
			segoff_count(&cnt->invalid_nan, atomic);
	}
	hdr->tag = tag;
	segoff_csum(udp, v6, tag);
	return XDP_PASS;
other:
	segoff_count(&cnt->other, atomic);
	return XDP_PASS;
}

/* Offload: ARRAY counters shared by all nfp threads. */
SEC("xdp")
int segoff_xdp(struct xdp_md *ctx)
{
	return segoff_xdp_body(ctx, 1);
}

/* Native and generic XDP: PERCPU_ARRAY counters, see the loader. */
SEC("xdp")
int segoff_xdp_percpu(struct xdp_md *ctx)
{
	return segoff_xdp_body(ctx, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
