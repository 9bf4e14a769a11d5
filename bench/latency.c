// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Round trip: the prober in sgb-tx sends one full request frame at a time
 * into sgb0; sgb1 runs native XDP, then its tc ingress reflects the frame
 * back out of sgb1 (mirred egress redirect), and the prober times the
 * reply carrying its sequence number. With segoff the reply must carry
 * the reference verdict, with the baseline the untouched request: the
 * program provably ran (or did not) on every probe counted. Blocks
 * alternate the two programs so that both see the same machine load.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>
#include "bench.h"
#include "load.h"
#include "net.h"

#define BLOCKS		10
#define WARMUP		200
#define TIMEOUT_MS	200

struct side {
	int prog_fd;
	uint64_t want_tag;
	double *rtt;
	long n, lost;
};

static int prober_socket(const struct bench_net *n)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = n->tx_ifindex,
	};
	struct timeval tv = { .tv_usec = TIMEOUT_MS * 1000 };
	int s, one = 1;

	if (bench_net_enter(n->tx_fd))
		return -1;
	s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (bench_net_enter(n->home_fd))
		return -1;
	if (s < 0 || setsockopt(s, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) ||
	    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    bind(s, (struct sockaddr *)&sll, sizeof(sll))) {
		fprintf(stderr, "segoff-bench: prober socket: %s\n", strerror(errno));
		return -1;
	}
	return s;
}

/* one probe: its round trip in ns, 0 if lost, -1 on a wrong reply */
static double probe(int s, const struct bench_net *n, const struct segoff_config *c,
		    uint64_t seq, uint64_t want_tag)
{
	uint8_t frame[SEGOFF_FRAME_MAX], buf[2048];
	struct segoff_reply rep;
	size_t len, tag_off;
	double t0;
	ssize_t got;

	len = bench_frame(frame, c, 0, 0, n->tx_mac, n->rx_mac, 0, seq, &tag_off);
	if (!len)
		return -1;
	t0 = bench_now_ns();
	if (send(s, frame, len, 0) != (ssize_t)len) {
		fprintf(stderr, "segoff-bench: probe send: %s\n", strerror(errno));
		return -1;
	}
	for (;;) {
		got = recv(s, buf, sizeof(buf), 0);
		if (got < 0)
			return errno == EAGAIN ? 0 : -1;
		if (segoff_frame_parse(buf, got, SEGOFF_DEFAULT_PORT, segoff_cfg_encoding(c), &rep) ||
		    rep.seq != seq)
			continue;	/* neighbour discovery, or a late reply */
		if (rep.tag != want_tag || !rep.csum_ok) {
			fprintf(stderr, "segoff-bench: probe %llu came back with tag %llu%s, not %llu\n",
				(unsigned long long)seq, (unsigned long long)rep.tag,
				rep.csum_ok ? "" : " and a bad UDP checksum",
				(unsigned long long)want_tag);
			return -1;
		}
		return bench_now_ns() - t0;
	}
}

static int run_block(int s, const struct bench_net *n, const struct segoff_config *c,
		     struct side *sd, long count, uint64_t *seq)
{
	double rtt;
	long i;

	if (bench_net_xdp(n, sd->prog_fd))
		return -1;
	for (i = 0; i < WARMUP + count; i++) {
		rtt = probe(s, n, c, ++*seq, sd->want_tag);
		if (rtt < 0)
			return -1;
		if (i < WARMUP)
			continue;
		if (rtt == 0)
			sd->lost++;
		else
			sd->rtt[sd->n++] = rtt;
	}
	return 0;
}

static void percentiles(struct side *sd, struct bench_lat *l)
{
	double *x = sd->rtt;
	long n = sd->n;

	bench_median(x, n);	/* sorts */
	l->probes = n + sd->lost;
	l->lost = sd->lost;
	l->min = x[0];
	l->p50 = x[(long)(0.5 * (n - 1))];
	l->p99 = x[(long)(0.99 * (n - 1))];
	l->p999 = x[(long)(0.999 * (n - 1))];
	l->max = x[n - 1];
}

int bench_latency(const struct bench_opts *o, const struct bench_net *n, struct bench_result *r)
{
	struct side base = { 0 }, seg = { 0 };
	struct segoff_obj so = { 0 };
	struct bench_obj pass = { 0 };
	struct segoff_config c;
	long per_block = (o->probes + BLOCKS - 1) / BLOCKS;
	uint64_t seq = 0;
	int s = -1, b, why, ret = -1;
	char err[256];

	if (bench_config(SEGOFF_ENC_FIXED, SEGOFF_ARITH_EXACT, &c))
		return -1;
	if (segoff_obj_load(&so, o->segoff_obj, SEGOFF_MODE_NATIVE, n->rx_ifindex, o->verbose,
			    err, sizeof(err))) {
		fprintf(stderr, "segoff-bench: %s\n", err);
		return -1;
	}
	base.rtt = calloc(per_block * BLOCKS, sizeof(double));
	seg.rtt = calloc(per_block * BLOCKS, sizeof(double));
	if (!base.rtt || !seg.rtt || segoff_config_write(so.config_fd, &c) ||
	    bench_load(&pass, o->bench_obj, "bench_pass"))
		goto out;
	base.prog_fd = pass.prog_fd;
	base.want_tag = SEGOFF_TAG_REQUEST;
	seg.prog_fd = so.prog_fd;
	seg.want_tag = segoff_ref_window(bench_window, &c, &why);
	if (bench_net_cmd("tc", n->rx_ns, "qdisc", "add", "dev", "sgb1", "clsact", NULL) ||
	    bench_net_cmd("tc", n->rx_ns, "filter", "add", "dev", "sgb1", "ingress", "protocol",
			  "all", "u32", "match", "u32", "0", "0", "action", "mirred", "egress",
			  "redirect", "dev", "sgb1", NULL))
		goto out;
	s = prober_socket(n);
	if (s < 0)
		goto out;

	bench_log("latency: %ld probes per side in %d alternating blocks", per_block * BLOCKS,
		  BLOCKS);
	for (b = 0; b < BLOCKS; b++)
		if (run_block(s, n, &c, &base, per_block, &seq) ||
		    run_block(s, n, &c, &seg, per_block, &seq))
			goto out;
	if (!base.n || !seg.n || base.lost + seg.lost > (base.n + seg.n) / 100) {
		fprintf(stderr, "segoff-bench: %ld of %ld probes lost\n", base.lost + seg.lost,
			base.n + seg.n + base.lost + seg.lost);
		goto out;
	}
	percentiles(&base, &r->lat_base);
	percentiles(&seg, &r->lat_segoff);
	ret = 0;
out:
	if (s >= 0)
		close(s);
	bench_net_xdp(n, -1);
	bench_net_cmd("tc", n->rx_ns, "qdisc", "del", "dev", "sgb1", "clsact", NULL);
	free(base.rtt);
	free(seg.rtt);
	if (pass.obj)
		bench_unload(&pass);
	segoff_obj_close(&so);
	return ret;
}
