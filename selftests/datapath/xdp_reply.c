// SPDX-License-Identifier: GPL-2.0
/*
 * reply tx through the XDP program (BPF_PROG_TEST_RUN): an answered
 * request goes back where it came from with XDP_TX, addresses and ports
 * swapped, an 802.1Q tag kept and checksums valid (checked here with
 * xdp_common.h's own sums); requests to group addresses are answered from
 * the port's unicast addresses; anything else passes untouched.
 */
#include "xdp_common.h"

#define PORT_MAC	{ 0x02, 0x5e, 0x90, 0xff, 0x00, 0x01 }
#define PORT_IP4	"198.51.100.7"

FIXTURE(reply) {
	struct xdp_prog p;
	struct segoff_config c;
	struct segoff_addr a;
	char skip[256];
};

FIXTURE_VARIANT(reply) {
	int atomic;
};

FIXTURE_VARIANT_ADD(reply, host) {
	.atomic = 0,
};

FIXTURE_VARIANT_ADD(reply, offload_program) {
	.atomic = 1,
};

static void reply_config(struct segoff_config *c, int with_addrs)
{
	static const uint8_t mac[6] = PORT_MAC;
	struct segoff_params p;
	struct in_addr ip;

	segoff_params_default(&p);
	p.reply = SEGOFF_REPLY_TX;
	if (segoff_config_make(&p, c) != SEGOFF_PARAM_OK)
		abort();
	if (with_addrs) {
		memcpy(c->mac, mac, 6);
		inet_pton(AF_INET, PORT_IP4, &ip);
		c->addr4 = ip.s_addr;
	}
}

FIXTURE_SETUP(reply)
{
	int err;

	reply_config(&self->c, 1);
	xdp_addr_default(&self->a);
	err = xdp_fixture_load(&self->p, variant->atomic, &self->c, self->skip, sizeof(self->skip));
	if (err != XDP_KSFT_SKIP)
		ASSERT_EQ(0, err) TH_LOG("%s", self->skip);
}

FIXTURE_TEARDOWN(reply)
{
	xdp_prog_close(&self->p);
}

/* RFC 791's header checksum of the IPv4 header at @ip: 0 when it is right */
static uint16_t ip4_csum_residue(const uint8_t *ip)
{
	uint32_t sum = 0;
	size_t i, len = (size_t)(ip[0] & 0xf) * 4;

	for (i = 0; i < len; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * The answer to a window frame built for @a must be the frame built for
 * the way back (@back: @a with addresses and ports swapped, or replaced)
 * carrying the verdict, checksums included.
 */
static void check_reply(struct __test_metadata *_metadata, FIXTURE_DATA(reply) *self,
			const struct segoff_addr *a, const struct segoff_addr *back)
{
	uint8_t f[SEGOFF_FRAME_MAX], out[SEGOFF_FRAME_MAX], want[SEGOFF_FRAME_MAX];
	struct segoff_counters got, cnt = { .frames = 1, .windows = 1, .replied = 1 };
	size_t len, out_len = 0, l3 = XDP_ETH_HLEN + (a->vlan ? XDP_VLAN_HLEN : 0);
	size_t l4 = xdp_l4(a), i;
	double x[SEGOFF_SAMPLES];
	int tag, why;

	for (i = 0; i < SEGOFF_SAMPLES; i++)
		x[i] = i < SEGOFF_HALF ? 100 : 100 + (double)(i & 1);
	tag = segoff_ref_window(x, &self->c, &why);
	xdp_counter_add(&cnt, xdp_verdict_counter(tag, why, SEGOFF_ENC_FIXED), 1);
	len = segoff_frame_build(f, a, x, &self->c, 42);
	ASSERT_EQ(0, segoff_counters_reset(self->p.counters_fd));
	ASSERT_EQ(XDP_TX, xdp_run(self->p.prog_fd, f, len, out, &out_len));
	ASSERT_EQ(len, out_len);

	/* what the port would have sent had it answered on its own */
	ASSERT_EQ(len, segoff_frame_build(want, back, x, &self->c, 42));
	xdp_put_le64(want + l4 + XDP_UDP_HLEN + 8, (uint64_t)tag);
	if (a->ipv6) {
		uint16_t sum = xdp_udp_csum(want, back);

		want[l4 + 6] = (uint8_t)(sum >> 8);
		want[l4 + 7] = (uint8_t)sum;
		ASSERT_EQ(sum, xdp_udp_check_field(out, back));
	} else {
		want[l4 + 6] = want[l4 + 7] = 0;
		ASSERT_EQ(0, ip4_csum_residue(out + l3));
	}
	for (i = 0; i < len; i++)
		if (out[i] != want[i])
			break;
	ASSERT_EQ(len, i) TH_LOG("byte %zu is 0x%02x, want 0x%02x", i, out[i], want[i]);
	ASSERT_EQ(0, segoff_counters_read(self->p.counters_fd, &got));
	ASSERT_STREQ("", xdp_counters_diff(&got, &cnt));
}

static void swap_addrs(const struct segoff_addr *a, struct segoff_addr *b)
{
	*b = *a;
	memcpy(b->src_mac, a->dst_mac, 6);
	memcpy(b->dst_mac, a->src_mac, 6);
	b->src4 = a->dst4;
	b->dst4 = a->src4;
	b->src6 = a->dst6;
	b->dst6 = a->src6;
	b->sport = a->dport;
	b->dport = a->sport;
}

/* Unicast requests, IPv4 and IPv6, with and without a VLAN tag, options. */
TEST_F(reply, unicast)
{
	struct segoff_addr a, b;
	int i;

	REQUIRE_BPF();
	for (i = 0; i < 5; i++) {
		a = self->a;
		a.ipv6 = i >= 2 && i < 4;
		a.vlan = i & 1 ? 100 : 0;
		a.ip_optlen = i == 4 ? 8 : 0;
		swap_addrs(&a, &b);
		check_reply(_metadata, self, &a, &b);
	}
}

/* Group destinations: answered from the port's MAC, IPv4 and link-local addresses. */
TEST_F(reply, group_addresses)
{
	static const uint8_t mac[6] = PORT_MAC, bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mcast6[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	struct segoff_addr a, b;

	REQUIRE_BPF();
	/* broadcast MAC, unicast IPv4: a subnet-directed broadcast, say */
	a = self->a;
	memcpy(a.dst_mac, bcast, 6);
	inet_pton(AF_INET, "198.51.100.255", &a.dst4);
	swap_addrs(&a, &b);
	memcpy(b.src_mac, mac, 6);
	inet_pton(AF_INET, PORT_IP4, &b.src4);
	check_reply(_metadata, self, &a, &b);
	/* limited broadcast */
	inet_pton(AF_INET, "255.255.255.255", &a.dst4);
	swap_addrs(&a, &b);
	memcpy(b.src_mac, mac, 6);
	inet_pton(AF_INET, PORT_IP4, &b.src4);
	check_reply(_metadata, self, &a, &b);
	/* IPv6 all-nodes: from fe80::5e:90ff:feff:1 (EUI-64 of the port's MAC) */
	a = self->a;
	a.ipv6 = 1;
	memcpy(a.dst_mac, mcast6, 6);
	inet_pton(AF_INET6, "ff02::1", &a.dst6);
	swap_addrs(&a, &b);
	memcpy(b.src_mac, mac, 6);
	inet_pton(AF_INET6, "fe80::5e:90ff:feff:1", &b.src6);
	check_reply(_metadata, self, &a, &b);
}

/* Without the port's addresses a group request is answered in place and passed on. */
TEST_F(reply, group_without_port_addresses)
{
	uint8_t f[SEGOFF_FRAME_MAX], out[SEGOFF_FRAME_MAX];
	struct segoff_config c;
	struct segoff_addr a = self->a;
	struct segoff_reply r;
	double x[SEGOFF_SAMPLES] = { 0 };
	size_t len, out_len = 0;

	REQUIRE_BPF();
	reply_config(&c, 0);
	ASSERT_EQ(0, segoff_config_write(self->p.config_fd, &c));
	memset(a.dst_mac, 0xff, 6);
	len = segoff_frame_build(f, &a, x, &c, 1);
	ASSERT_EQ(XDP_PASS, xdp_run(self->p.prog_fd, f, len, out, &out_len));
	ASSERT_EQ(0, memcmp(out, f, 12));
	ASSERT_EQ(0, segoff_frame_parse(out, out_len, a.dport, SEGOFF_ENC_FIXED, &r));
	ASSERT_EQ((uint64_t)SEGOFF_TAG_NOSPLIT, r.tag);
}

/* Not a request: passed untouched, never reflected. */
TEST_F(reply, not_requests)
{
	uint8_t f[SEGOFF_FRAME_MAX], out[SEGOFF_FRAME_MAX];
	struct segoff_addr a = self->a;
	double x[SEGOFF_SAMPLES] = { 0 };
	size_t len, out_len = 0, l4 = xdp_l4(&a);

	REQUIRE_BPF();
	len = segoff_frame_build(f, &a, x, &self->c, 1);
	xdp_put_le64(f + l4 + XDP_UDP_HLEN + 8, SEGOFF_TAG_SPLIT);	/* an answer */
	ASSERT_EQ(XDP_PASS, xdp_run(self->p.prog_fd, f, len, out, &out_len));
	ASSERT_EQ(0, memcmp(out, f, len));
	a.dport = SEGOFF_DEFAULT_PORT + 1;				/* another port */
	len = segoff_frame_build(f, &a, x, &self->c, 1);
	ASSERT_EQ(XDP_PASS, xdp_run(self->p.prog_fd, f, len, out, &out_len));
	ASSERT_EQ(0, memcmp(out, f, len));
}

/* A stream frame over IPv6 comes back with its verdicts and a valid checksum. */
TEST_F(reply, stream)
{
	uint8_t f[4096], out[4096];
	struct segoff_addr a = self->a, b;
	struct segoff_stream_reply r;
	double x[64];
	/* as many samples as the offload program reaches, 64 on the host */
	size_t len, i, n = variant->atomic ? SEGOFF_STREAM_MAX_FIXED_OFFLOAD : 64;

	REQUIRE_BPF();
	for (i = 0; i < n; i++)
		x[i] = 100 + (double)(i / 20);
	a.ipv6 = 1;
	swap_addrs(&a, &b);
	len = segoff_stream_build(f, &a, x, (uint32_t)n, &self->c, 3, 0);
	{
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f, .data_size_in = (__u32)len,
			    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);

		ASSERT_EQ(0, bpf_prog_test_run_opts(self->p.prog_fd, &opts));
		ASSERT_EQ((__u32)XDP_TX, opts.retval);
	}
	ASSERT_EQ(0, segoff_stream_parse(out, len, b.dport, &r));
	ASSERT_EQ((uint32_t)SEGOFF_STREAM_ANSWERED, r.status);
	ASSERT_TRUE(r.csum_ok);
	ASSERT_EQ(xdp_udp_csum(out, &b), xdp_udp_check_field(out, &b));
	ASSERT_EQ(0, memcmp(out, b.dst_mac, 6));
	for (i = 0; i + SEGOFF_SAMPLES <= n; i++) {
		int why, tag = segoff_ref_window(x + i, &self->c, &why);

		ASSERT_EQ(tag, (int)r.verdict[i]) TH_LOG("window %zu", i);
	}
}

XDP_HARNESS_MAIN
