// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The paths a request takes through sgb1 and back to the sender, shared
 * by the rate and latency phases: the programs on both ends, sgb1's tc
 * reflector, and what an answer must carry to count.
 *
 * veth hands an XDP_TX frame to its peer only if the peer runs XDP itself
 * or has GRO on, and GRO alone did not deliver on this machine's 6.18:
 * sgb0 runs bench_pass on every path, so that all of them come back
 * through the same veth XDP receive. The requests come
 * from a MAC address that no interface has, so that every answer ends
 * alike at sgb0, as another host's frame that the IP stack drops at
 * once (after the packet sockets have their copy): a reflected request
 * is addressed to sgb1, a reply tx answer to that address.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>
#include "bench.h"

#define RCVBUF_BYTES	(4 << 20)	/* a sendmmsg batch of the largest answers, many times */

static const uint8_t sender_mac[6] = { 0x02, 0x5e, 0x90, 0xff, 0, 1 };	/* locally administered */

const struct bench_path bench_paths[BENCH_NPATHS] = {
	[BENCH_PATH_BASE] = { "baseline", "baseline XDP_PASS, reflector", 0, SEGOFF_REPLY_PASS, 0 },
	[BENCH_PATH_PASS] = { "pass", "segoff reply pass, reflector", 1, SEGOFF_REPLY_PASS, 0 },
	[BENCH_PATH_TX] = { "tx", "segoff reply tx", 1, SEGOFF_REPLY_TX, 0 },
	[BENCH_PATH_STREAM64] = { "tx-stream64", "segoff reply tx, stream 64", 1,
				  SEGOFF_REPLY_TX, 64 },
	[BENCH_PATH_STREAM_MAX] = { "tx-stream" BENCH_XSTR(SEGOFF_STREAM_MAX_FIXED),
				    "segoff reply tx, stream " BENCH_XSTR(SEGOFF_STREAM_MAX_FIXED), 1,
				    SEGOFF_REPLY_TX, SEGOFF_STREAM_MAX_FIXED },
};

int bench_dp_open(struct bench_dp *dp, const struct bench_opts *o, const struct bench_net *n)
{
	uint8_t frame[BENCH_FRAME_MAX];
	double x[SEGOFF_SAMPLES];
	struct segoff_params p;
	char mtu[16];
	int k, i, why, err;
	size_t len;

	memset(dp, 0, sizeof(*dp));
	dp->n = n;
	/* the default frame: fixed samples, exact arithmetic */
	for (k = 0; k <= SEGOFF_REPLY_MAX; k++) {
		segoff_params_default(&p);
		p.reply = k;
		err = segoff_config_make(&p, &dp->c[k]);
		if (err) {
			fprintf(stderr, "segoff-bench: bad parameters: %s\n", segoff_param_strerror(err));
			return -1;
		}
	}
	for (k = 0; k < SEGOFF_SAMPLES; k++) {
		for (i = 0; i < SEGOFF_SAMPLES; i++)
			x[i] = bench_window[(i + k) % SEGOFF_SAMPLES];
		dp->verdict[k] = segoff_ref_window(x, &dp->c[0], &why);
	}
	/* both ends take the largest frame, before XDP pins their MTU */
	len = bench_dp_frame(dp, BENCH_PATH_STREAM_MAX, frame, 0);
	if (!len)
		return -1;
	snprintf(mtu, sizeof(mtu), "%zu", len - ETH_HLEN);
	if (bench_net_cmd("ip", n->tx_ns, "link", "set", "sgb0", "mtu", mtu, NULL) ||
	    bench_net_cmd("ip", n->rx_ns, "link", "set", "sgb1", "mtu", mtu, NULL) ||
	    bench_load(&dp->segoff, o->segoff_obj, "segoff_xdp_percpu") ||
	    bench_load(&dp->pass, o->bench_obj, "bench_pass") ||
	    bench_net_xdp(n, 1, dp->pass.prog_fd) ||
	    bench_net_cmd("tc", n->rx_ns, "qdisc", "add", "dev", "sgb1", "clsact", NULL) ||
	    bench_net_cmd("tc", n->rx_ns, "filter", "add", "dev", "sgb1", "ingress", "protocol",
			  "all", "u32", "match", "u32", "0", "0", "action", "mirred", "egress",
			  "redirect", "dev", "sgb1", NULL))
		return -1;
	return 0;
}

void bench_dp_close(struct bench_dp *dp)
{
	bench_net_xdp(dp->n, 0, -1);
	bench_net_xdp(dp->n, 1, -1);
	bench_net_cmd("tc", dp->n->rx_ns, "qdisc", "del", "dev", "sgb1", "clsact", NULL);
	if (dp->segoff.obj)
		bench_unload(&dp->segoff);
	if (dp->pass.obj)
		bench_unload(&dp->pass);
}

int bench_dp_use(struct bench_dp *dp, int path)
{
	const struct bench_path *p = &bench_paths[path];
	int err;

	if (p->segoff) {
		err = segoff_config_install(dp->segoff.config_fd, &dp->c[p->reply]);
		if (err) {
			fprintf(stderr, "segoff-bench: Unable to configure %s: %s\n", p->name,
				strerror(-err));
			return -1;
		}
	}
	return bench_net_xdp(dp->n, 0, p->segoff ? dp->segoff.prog_fd : dp->pass.prog_fd);
}

size_t bench_dp_frame(const struct bench_dp *dp, int path, uint8_t *buf, uint64_t seq)
{
	size_t tag_off;

	return bench_frame(buf, &dp->c[0], 0, 0, sender_mac, dp->n->rx_mac,
			   bench_paths[path].samples, seq, &tag_off);
}

int bench_dp_socket(const struct bench_dp *dp)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = dp->n->tx_ifindex,
	};
	int s, one = 1, rcvbuf = RCVBUF_BYTES;

	if (bench_net_enter(dp->n->tx_fd))
		return -1;
	s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (bench_net_enter(dp->n->home_fd))
		return -1;
	if (s < 0 || setsockopt(s, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) ||
	    setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) ||
	    bind(s, (struct sockaddr *)&sll, sizeof(sll))) {
		fprintf(stderr, "segoff-bench: sender socket: %s\n", strerror(errno));
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

int bench_dp_answer(const struct bench_dp *dp, int path, const uint8_t *buf, size_t len,
		    struct bench_answer *a)
{
	const struct bench_path *p = &bench_paths[path];
	struct segoff_stream_reply sr;
	struct segoff_reply r;
	uint32_t j;

	memset(a, 0, sizeof(*a));
	if (!p->samples) {
		/* neighbour discovery and the like are no answers */
		if (segoff_frame_parse(buf, len, SEGOFF_DEFAULT_PORT, SEGOFF_ENC_FIXED, &r))
			return 0;
		a->seq = r.seq;
		a->tag = r.tag;
		a->want = p->segoff ? dp->verdict[0] : SEGOFF_TAG_REQUEST;
		if (r.tag == a->want && r.csum_ok)
			a->good = 1;
		else
			a->bad = 1;
		return 1;
	}
	if (segoff_stream_parse(buf, len, SEGOFF_DEFAULT_PORT, &sr) || sr.count != p->samples)
		return 0;
	a->seq = sr.first;
	if (sr.status != SEGOFF_STREAM_ANSWERED || !sr.csum_ok) {
		a->bad = sr.count - (SEGOFF_SAMPLES - 1);
		return 1;
	}
	for (j = 0; j < sr.windows; j++) {
		if (sr.verdict[j] == dp->verdict[j % SEGOFF_SAMPLES])
			a->good++;
		else
			a->bad++;
	}
	/* the windows of a frame cut short were not answered */
	a->bad += sr.count - (SEGOFF_SAMPLES - 1) - sr.windows;
	return 1;
}
