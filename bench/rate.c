// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Data-path rate: a sender in sgb-tx pushes request frames into sgb0 as
 * fast as AF_PACKET allows (qdisc bypassed, sendmmsg batches) and, between
 * batches, takes every answer that came back and checks it against the
 * reference. sgb1 runs each path's program in turn (path.c); rounds
 * cycle through the paths under the same running sender, so that all see
 * the same offered load.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_packet.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "bench.h"

#define BATCH		64

/* shared with the sender: the parent sets the path, the sender counts */
struct tally {
	_Atomic int path;
	_Atomic uint64_t sent;		/* frames */
	_Atomic uint64_t good, bad;	/* windows answered back, checked */
};

static void __attribute__((noreturn)) sender(const struct bench_dp *dp, int s, struct tally *t)
{
	static uint8_t out[BENCH_NPATHS][BENCH_FRAME_MAX], in[BATCH][BENCH_FRAME_MAX];
	struct mmsghdr tx[BATCH], rx[BATCH];
	struct iovec tiov[BENCH_NPATHS], riov[BATCH];
	struct bench_answer a;
	uint64_t good, bad;
	int p, i, n;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* the sequence number names the path: a late answer of the last one is no answer */
	for (p = 0; p < BENCH_NPATHS; p++) {
		tiov[p].iov_base = out[p];
		tiov[p].iov_len = bench_dp_frame(dp, p, out[p], p);
		if (!tiov[p].iov_len)
			_exit(1);
	}
	memset(tx, 0, sizeof(tx));
	memset(rx, 0, sizeof(rx));
	for (i = 0; i < BATCH; i++) {
		tx[i].msg_hdr.msg_iovlen = 1;
		riov[i].iov_base = in[i];
		riov[i].iov_len = sizeof(in[i]);
		rx[i].msg_hdr.msg_iov = &riov[i];
		rx[i].msg_hdr.msg_iovlen = 1;
	}
	for (;;) {
		p = atomic_load(&t->path);
		for (i = 0; i < BATCH; i++)
			tx[i].msg_hdr.msg_iov = &tiov[p];
		n = sendmmsg(s, tx, BATCH, 0);
		if (n > 0)
			atomic_fetch_add(&t->sent, n);
		else if (errno != ENOBUFS && errno != EAGAIN) {
			fprintf(stderr, "segoff-bench: sendmmsg: %s\n", strerror(errno));
			_exit(1);
		}
		good = bad = 0;
		while ((n = recvmmsg(s, rx, BATCH, MSG_DONTWAIT, NULL)) > 0)
			for (i = 0; i < n; i++)
				if (bench_dp_answer(dp, p, in[i], rx[i].msg_len, &a) &&
				    a.seq == (uint64_t)p) {
					good += a.good;
					bad += a.bad;
				}
		atomic_fetch_add(&t->good, good);
		atomic_fetch_add(&t->bad, bad);
	}
}

struct sample {
	double t;
	uint64_t rx, drop, windows, sent, good, bad;
};

static int take(const struct bench_dp *dp, struct tally *t, struct sample *s)
{
	struct segoff_counters c;

	s->t = bench_now_ns();
	if (bench_net_rx(dp->n, &s->rx, &s->drop) ||
	    segoff_counters_read(dp->segoff.counters_fd, &c))
		return -1;
	s->windows = c.windows;
	s->sent = atomic_load(&t->sent);
	s->good = atomic_load(&t->good);
	s->bad = atomic_load(&t->bad);
	return 0;
}

/* one round of @path: the differences over rate_secs after the warm-up */
static int round_rate(const struct bench_opts *o, struct bench_dp *dp, struct tally *t, int path,
		      struct sample *d)
{
	struct sample a, b;

	atomic_store(&t->path, path);
	if (bench_dp_use(dp, path))
		return -1;
	usleep(o->rate_warmup * 1e6);
	if (take(dp, t, &a))
		return -1;
	usleep(o->rate_secs * 1e6);
	if (take(dp, t, &b))
		return -1;
	d->t = (b.t - a.t) / 1e9;
	d->rx = b.rx - a.rx;
	d->drop = b.drop - a.drop;
	d->windows = b.windows - a.windows;
	d->sent = b.sent - a.sent;
	d->good = b.good - a.good;
	d->bad = b.bad - a.bad;
	return 0;
}

int bench_rate(const struct bench_opts *o, struct bench_dp *dp, struct bench_result *r)
{
	double sent[BENCH_NPATHS][BENCH_MAX_ROUNDS], rx[BENCH_NPATHS][BENCH_MAX_ROUNDS];
	double win[BENCH_NPATHS][BENCH_MAX_ROUNDS], back[BENCH_NPATHS][BENCH_MAX_ROUNDS];
	const struct bench_path *bp;
	struct tally *t;
	struct sample d;
	int i, p, s, one = 1, ret = -1;
	pid_t pid = 0;

	if (o->rate_rounds > BENCH_MAX_ROUNDS)
		return -1;
	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t == MAP_FAILED) {
		perror("segoff-bench: mmap");
		return -1;
	}
	s = bench_dp_socket(dp);
	if (s < 0 || setsockopt(s, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)))
		goto out;

	bench_log("data-path rate: %d rounds x %.1f s each of %d paths in turn", o->rate_rounds,
		  o->rate_secs, BENCH_NPATHS);
	pid = fork();
	if (pid < 0)
		goto out;
	if (pid == 0)
		sender(dp, s, t);
	bench_net_own_child(pid);
	for (i = 0; i < o->rate_rounds; i++)
		for (p = 0; p < BENCH_NPATHS; p++) {
			bp = &bench_paths[p];
			if (round_rate(o, dp, t, p, &d))
				goto out;
			sent[p][i] = d.sent / d.t;
			rx[p][i] = d.rx / d.t;
			win[p][i] = d.windows / d.t;
			back[p][i] = d.good / d.t;
			r->rate[p].mismatched += d.bad;
			bench_log("  round %d, %s: %.0f frames/s sent, %.0f in (%llu dropped), "
				  "%.0f windows/s answered, %.0f back and checked, %llu wrong",
				  i + 1, bp->name, sent[p][i], rx[p][i],
				  (unsigned long long)d.drop, win[p][i], back[p][i],
				  (unsigned long long)d.bad);
			/* wrong answers are reported, none at all is a broken path */
			if (!d.rx || (bp->segoff && !d.windows) || !(d.good + d.bad)) {
				fprintf(stderr, "segoff-bench: %s: %s\n", bp->name, !d.rx ?
					"no frames reached sgb1" : !(d.good + d.bad) ?
					"no answers came back" : "no windows answered");
				goto out;
			}
		}
	for (p = 0; p < BENCH_NPATHS; p++) {
		r->rate[p].sent = bench_median(sent[p], o->rate_rounds);
		r->rate[p].rx = bench_median(rx[p], o->rate_rounds);
		r->rate[p].windows = bench_median(win[p], o->rate_rounds);
		r->rate[p].verdicts = bench_median(back[p], o->rate_rounds);
	}
	ret = 0;
out:
	bench_net_own_child(0);
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	if (s >= 0)
		close(s);
	munmap(t, sizeof(*t));
	return ret;
}
