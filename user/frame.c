// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The window frame on the wire: Ethernet (one optional 802.1Q tag), IPv4
 * with options or IPv6, UDP, then struct segoff_hdr, 16 samples and a u64
 * sequence number, all payload fields little-endian.
 */
#include <endian.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>

#include "libsegoff.h"

#define VLAN_HLEN	4

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The pseudo header sum (RFC 768, RFC 8200 8.1) for @ulen bytes of UDP. */
static uint32_t csum_pseudo(const void *src, const void *dst, size_t alen, uint16_t ulen)
{
	uint32_t sum = csum_add(0, src, alen);

	sum = csum_add(sum, dst, alen);
	return sum + IPPROTO_UDP + ulen;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, sizeof(v));
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

/*
 * Ethernet, IP and UDP headers for a payload of @plen bytes, which goes at
 * the returned offset; frame_finish() then sums the UDP checksum.
 */
static size_t frame_head(uint8_t *buf, const struct segoff_addr *a, size_t plen, size_t *l3p)
{
	struct ethhdr *eth = (struct ethhdr *)buf;
	size_t l3 = ETH_HLEN, l4;
	uint16_t ulen = (uint16_t)(sizeof(struct udphdr) + plen), proto;
	struct udphdr *udp;

	memcpy(eth->h_dest, a->dst_mac, ETH_ALEN);
	memcpy(eth->h_source, a->src_mac, ETH_ALEN);
	proto = htons(a->ipv6 ? ETH_P_IPV6 : ETH_P_IP);
	if (a->vlan) {
		uint16_t tpid = htons(ETH_P_8021Q), tci = htons(a->vlan & 0xfff);

		memcpy(&eth->h_proto, &tpid, 2);
		memcpy(buf + ETH_HLEN, &tci, 2);
		memcpy(buf + ETH_HLEN + 2, &proto, 2);
		l3 += VLAN_HLEN;
	} else {
		memcpy(&eth->h_proto, &proto, 2);
	}
	l4 = l3 + (a->ipv6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr) + a->ip_optlen);

	udp = (struct udphdr *)(buf + l4);
	udp->source = htons(a->sport);
	udp->dest = htons(a->dport);
	udp->len = htons(ulen);
	udp->check = 0;
	if (a->ipv6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(buf + l3);

		memset(ip6, 0, sizeof(*ip6));
		ip6->version = 6;
		ip6->payload_len = htons(ulen);
		ip6->nexthdr = IPPROTO_UDP;
		ip6->hop_limit = 64;
		ip6->saddr = a->src6;
		ip6->daddr = a->dst6;
	} else {
		struct iphdr *ip = (struct iphdr *)(buf + l3);
		size_t ihl = sizeof(*ip) + a->ip_optlen;

		memset(ip, 0, sizeof(*ip));
		ip->version = 4;
		ip->ihl = (uint8_t)(ihl / 4);
		ip->tot_len = htons((uint16_t)(ihl + ulen));
		ip->ttl = 64;
		ip->protocol = IPPROTO_UDP;
		ip->saddr = a->src4.s_addr;
		ip->daddr = a->dst4.s_addr;
		memset(ip + 1, IPOPT_NOOP, a->ip_optlen);
		ip->check = htons((uint16_t)~csum_fold(csum_add(0, (uint8_t *)ip, ihl)));
	}
	*l3p = l3;
	return l4 + sizeof(*udp);
}

/* The UDP checksum of the frame frame_head() began; returns its length. */
static size_t frame_finish(uint8_t *buf, const struct segoff_addr *a, size_t l3, size_t plen)
{
	size_t l4 = l3 + (a->ipv6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr) + a->ip_optlen);
	uint16_t ulen = (uint16_t)(sizeof(struct udphdr) + plen), check;
	struct udphdr *udp = (struct udphdr *)(buf + l4);
	uint32_t sum;

	if (a->ipv6)
		sum = csum_pseudo(&a->src6, &a->dst6, sizeof(a->src6), ulen);
	else
		sum = csum_pseudo(&a->src4, &a->dst4, sizeof(a->src4), ulen);
	check = (uint16_t)~csum_fold(csum_add(sum, buf + l4, ulen));
	udp->check = htons(check ? check : 0xffff);	/* 0 means "none" (RFC 768) */
	return l4 + ulen;
}

/* A sample as the frame carries it, at @p: 4 or 8 bytes, returned. */
static size_t sample_put(uint8_t *p, double x, const struct segoff_config *c)
{
	uint64_t bits;
	uint32_t X;

	if (segoff_cfg_encoding(c) == SEGOFF_ENC_DOUBLE) {
		memcpy(&bits, &x, sizeof(bits));
		put_le64(p, bits);
		return 8;
	}
	if (segoff_ref_sample(x, c, &X))
		X = UINT32_MAX;
	X = htole32(X);
	memcpy(p, &X, sizeof(X));
	return 4;
}

size_t segoff_frame_build(uint8_t *buf, const struct segoff_addr *a, const double *x,
			  const struct segoff_config *c, uint64_t seq)
{
	size_t size = segoff_cfg_encoding(c) == SEGOFF_ENC_DOUBLE ? 8 : 4, l3, off, i;
	size_t plen = sizeof(struct segoff_hdr) + SEGOFF_SAMPLES * size + sizeof(seq);
	uint8_t *p = buf + frame_head(buf, a, plen, &l3);

	put_le64(p, SEGOFF_MAGIC);
	put_le64(p + 8, SEGOFF_TAG_REQUEST);
	off = sizeof(struct segoff_hdr);
	for (i = 0; i < SEGOFF_SAMPLES; i++)
		off += sample_put(p + off, x[i], c);
	put_le64(p + off, seq);
	return frame_finish(buf, a, l3, plen);
}

size_t segoff_stream_len(const struct segoff_addr *a, uint32_t n, const struct segoff_config *c)
{
	size_t size = segoff_cfg_encoding(c) == SEGOFF_ENC_DOUBLE ? 8 : 4;

	return ETH_HLEN + (a->vlan ? VLAN_HLEN : 0) +
	       (a->ipv6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr) + a->ip_optlen) +
	       sizeof(struct udphdr) + sizeof(struct segoff_stream_hdr) +
	       SEGOFF_STREAM_VERDICT_BYTES(n) + n * size;
}

size_t segoff_stream_build(uint8_t *buf, const struct segoff_addr *a, const double *x,
			   uint32_t n, const struct segoff_config *c, uint32_t series,
			   uint64_t first)
{
	size_t size = segoff_cfg_encoding(c) == SEGOFF_ENC_DOUBLE ? 8 : 4, l3, off, i;
	size_t vbytes = SEGOFF_STREAM_VERDICT_BYTES(n);
	size_t plen = sizeof(struct segoff_stream_hdr) + vbytes + n * size;
	uint8_t *p = buf + frame_head(buf, a, plen, &l3);
	struct segoff_stream_hdr h = {
		.magic = htole64(SEGOFF_MAGIC),
		.kind = htole32(SEGOFF_KIND_STREAM),
		.status = htole32(SEGOFF_STREAM_REQUEST),
		.first = htole64(first),
		.series = htole32(series),
		.count = htole32(n),
	};

	memcpy(p, &h, sizeof(h));
	off = sizeof(h);
	memset(p + off, 0, vbytes);
	off += vbytes;
	for (i = 0; i < n; i++)
		off += sample_put(p + off, x[i], c);
	return frame_finish(buf, a, l3, plen);
}

/*
 * The UDP datagram of a frame to @dport: its offset in *l4, its length
 * in *ulen, and whether its checksum verifies (or is 0 on IPv4) in
 * *csum_ok. -1 if it is none.
 */
static int frame_udp(const uint8_t *buf, size_t len, uint16_t dport, size_t *l4p,
		     uint16_t *ulenp, int *csum_ok)
{
	size_t l3 = ETH_HLEN, l4;
	uint16_t proto, ulen;
	struct udphdr udp;
	uint32_t sum;

	if (len < ETH_HLEN)
		return -1;
	memcpy(&proto, buf + 12, 2);
	if (proto == htons(ETH_P_8021Q)) {
		if (len < ETH_HLEN + VLAN_HLEN)
			return -1;
		memcpy(&proto, buf + ETH_HLEN + 2, 2);
		l3 += VLAN_HLEN;
	}
	if (proto == htons(ETH_P_IP)) {
		struct iphdr ip;

		if (len < l3 + sizeof(ip))
			return -1;
		memcpy(&ip, buf + l3, sizeof(ip));
		if (ip.version != 4 || ip.ihl < 5 || ip.protocol != IPPROTO_UDP ||
		    ip.frag_off & htons(0x3fff))
			return -1;
		l4 = l3 + ip.ihl * 4u;
		sum = csum_pseudo(&ip.saddr, &ip.daddr, sizeof(ip.saddr), 0);
	} else if (proto == htons(ETH_P_IPV6)) {
		struct ipv6hdr ip6;

		if (len < l3 + sizeof(ip6))
			return -1;
		memcpy(&ip6, buf + l3, sizeof(ip6));
		if (ip6.version != 6 || ip6.nexthdr != IPPROTO_UDP)
			return -1;
		l4 = l3 + sizeof(ip6);
		sum = csum_pseudo(&ip6.saddr, &ip6.daddr, sizeof(ip6.saddr), 0);
	} else {
		return -1;
	}
	if (len < l4 + sizeof(udp))
		return -1;
	memcpy(&udp, buf + l4, sizeof(udp));
	ulen = ntohs(udp.len);
	if (ntohs(udp.dest) != dport || ulen < sizeof(udp) + sizeof(struct segoff_hdr) ||
	    len < l4 + ulen || get_le64(buf + l4 + sizeof(udp)) != SEGOFF_MAGIC)
		return -1;
	if (proto == htons(ETH_P_IP) && !udp.check)
		*csum_ok = 1;
	else
		*csum_ok = csum_fold(csum_add(sum + ulen, buf + l4, ulen)) == 0xffff && udp.check;
	*l4p = l4;
	*ulenp = ulen;
	return 0;
}

int segoff_frame_parse(const uint8_t *buf, size_t len, uint16_t dport, uint32_t encoding,
		       struct segoff_reply *r)
{
	size_t l4, need = sizeof(struct udphdr) + sizeof(struct segoff_hdr) +
			  SEGOFF_SAMPLES * (encoding == SEGOFF_ENC_DOUBLE ? 8 : 4) + sizeof(uint64_t);
	uint16_t ulen;

	if (frame_udp(buf, len, dport, &l4, &ulen, &r->csum_ok) || ulen < need)
		return -1;
	r->tag = get_le64(buf + l4 + sizeof(struct udphdr) + 8);
	r->seq = get_le64(buf + l4 + need - sizeof(uint64_t));
	return 0;
}

int segoff_stream_parse(const uint8_t *buf, size_t len, uint16_t dport,
			struct segoff_stream_reply *r)
{
	struct segoff_stream_hdr h;
	size_t l4, room;
	uint16_t ulen;

	if (frame_udp(buf, len, dport, &l4, &ulen, &r->csum_ok) || ulen < 8 + sizeof(h))
		return -1;
	memcpy(&h, buf + l4 + 8, sizeof(h));
	if (le32toh(h.kind) != SEGOFF_KIND_STREAM)
		return -1;
	r->status = le32toh(h.status);
	r->series = le32toh(h.series);
	r->first = le64toh(h.first);
	r->count = le32toh(h.count);
	room = ulen - 8 - sizeof(h);
	r->windows = r->count >= SEGOFF_SAMPLES ? r->count - (SEGOFF_SAMPLES - 1) : 0;
	if (r->windows > room)
		r->windows = (uint32_t)room;
	r->verdict = buf + l4 + 8 + sizeof(h);
	return 0;
}
