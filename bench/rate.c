// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Data-path rate: a sender in sgb-tx pushes request frames into sgb0 as
 * fast as AF_PACKET allows (qdisc bypassed, sendmmsg batches); sgb1 runs
 * native XDP. Rounds alternate the baseline and segoff under the same
 * running sender, so both see the same offered load.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "bench.h"
#include "load.h"
#include "net.h"

#define BATCH		64
#define WARMUP_US	300000

static void __attribute__((noreturn)) sender(const struct bench_net *n, uint8_t *frame, size_t len)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = n->tx_ifindex,
	};
	struct mmsghdr msgs[BATCH];
	struct iovec iov = { .iov_base = frame, .iov_len = len };
	int s, one = 1, i;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (bench_net_enter(n->tx_fd))
		_exit(1);
	s = socket(AF_PACKET, SOCK_RAW, 0);
	if (s < 0 || setsockopt(s, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) ||
	    bind(s, (struct sockaddr *)&sll, sizeof(sll))) {
		fprintf(stderr, "segoff-bench: sender socket: %s\n", strerror(errno));
		_exit(1);
	}
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	for (;;)
		if (sendmmsg(s, msgs, BATCH, 0) < 0 && errno != ENOBUFS && errno != EAGAIN) {
			fprintf(stderr, "segoff-bench: sendmmsg: %s\n", strerror(errno));
			_exit(1);
		}
}

struct sample {
	double t;
	uint64_t rx, drop, windows;
};

static int take(const struct bench_net *n, int counters_fd, struct sample *s)
{
	struct segoff_counters c = { 0 };

	s->t = bench_now_ns();
	if (bench_net_rx(n, &s->rx, &s->drop))
		return -1;
	if (counters_fd >= 0 && segoff_counters_read(counters_fd, &c))
		return -1;
	s->windows = c.windows;
	return 0;
}

/* one round of @secs with @prog_fd attached */
static int round_rate(const struct bench_opts *o, const struct bench_net *n, int prog_fd,
		      int counters_fd, struct sample *d)
{
	struct sample a, b;

	if (bench_net_xdp(n, prog_fd))
		return -1;
	usleep(WARMUP_US);
	if (take(n, counters_fd, &a))
		return -1;
	usleep(o->rate_secs * 1e6);
	if (take(n, counters_fd, &b))
		return -1;
	d->t = (b.t - a.t) / 1e9;
	d->rx = b.rx - a.rx;
	d->drop = b.drop - a.drop;
	d->windows = b.windows - a.windows;
	return 0;
}

int bench_rate(const struct bench_opts *o, const struct bench_net *n, struct bench_result *r)
{
	double base[16], seg[16], segrx[16];
	struct segoff_config c;
	struct segoff_obj so = { 0 };
	struct bench_obj pass = { 0 };
	uint8_t frame[SEGOFF_FRAME_MAX];
	size_t len, tag_off;
	char err[256];
	int i, ret = -1;
	pid_t pid = 0;

	if (bench_config(SEGOFF_ENC_FIXED, SEGOFF_ARITH_EXACT, &c))
		return -1;
	len = bench_frame(frame, &c, 0, 0, n->tx_mac, n->rx_mac, 0, 0, &tag_off);
	if (!len)
		return -1;
	if (segoff_obj_load(&so, o->segoff_obj, SEGOFF_MODE_NATIVE, n->rx_ifindex, o->verbose,
			    err, sizeof(err))) {
		fprintf(stderr, "segoff-bench: %s\n", err);
		return -1;
	}
	if (segoff_config_write(so.config_fd, &c) || bench_load(&pass, o->bench_obj, "bench_pass"))
		goto out;

	bench_log("data-path rate: %d rounds x %.1f s each, baseline and segoff alternating",
		  o->rate_rounds, o->rate_secs);
	pid = fork();
	if (pid < 0)
		goto out;
	if (pid == 0)
		sender(n, frame, len);
	bench_net_own_child(pid);
	for (i = 0; i < o->rate_rounds; i++) {
		struct sample db, ds;

		if (round_rate(o, n, pass.prog_fd, -1, &db) ||
		    round_rate(o, n, so.prog_fd, so.counters_fd, &ds))
			goto out;
		base[i] = db.rx / db.t;
		seg[i] = ds.windows / ds.t;
		segrx[i] = ds.rx / ds.t;
		r->rate_windows += ds.windows;
		r->rate_rx += ds.rx;
		bench_log("  round %d: baseline %.0f rx/s (%llu dropped), segoff %.0f windows/s, %.0f rx/s (%llu dropped)",
			  i + 1, base[i], (unsigned long long)db.drop, seg[i], segrx[i],
			  (unsigned long long)ds.drop);
		if (!db.rx || !ds.windows) {
			fprintf(stderr, "segoff-bench: no frames reached sgb1\n");
			goto out;
		}
	}
	r->base_pps = bench_median(base, o->rate_rounds);
	r->segoff_pps = bench_median(seg, o->rate_rounds);
	r->segoff_rx_pps = bench_median(segrx, o->rate_rounds);
	ret = 0;
out:
	bench_net_own_child(0);
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	bench_net_xdp(n, -1);
	if (pass.obj)
		bench_unload(&pass);
	segoff_obj_close(&so);
	return ret;
}
