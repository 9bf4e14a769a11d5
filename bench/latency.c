// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Round trip: the prober in sgb-tx sends one full request frame at a time
 * into sgb0 and times the answer carrying its sequence number, on each
 * single-frame path of path.c: sgb1 runs XDP_PASS or segoff with reply
 * pass, and its tc ingress reflects the frame after XDP (mirred egress
 * redirect), or segoff with reply tx sends it back itself. Every answer
 * must carry the reference verdict (the untouched request on the
 * baseline): the program provably ran, or did not, on every probe
 * counted. Blocks alternate the paths so that all see the same machine
 * load.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "bench.h"

#define BLOCKS		10
#define WARMUP		200
#define TIMEOUT_MS	200

struct side {
	double *rtt;
	long n, lost;
};

/* one probe: its round trip in ns, 0 if lost, -1 on a wrong answer */
static double probe(int s, const struct bench_dp *dp, int path, uint64_t seq)
{
	uint8_t frame[BENCH_FRAME_MAX], buf[2048];
	struct bench_answer a;
	size_t len;
	double t0;
	ssize_t got;

	len = bench_dp_frame(dp, path, frame, seq);
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
		if (!bench_dp_answer(dp, path, buf, got, &a) || a.seq != seq)
			continue;	/* a late answer */
		if (a.bad) {
			fprintf(stderr, "segoff-bench: %s: probe %llu came back with tag %llu%s, not %llu\n",
				bench_paths[path].name, (unsigned long long)seq,
				(unsigned long long)a.tag,
				a.tag == a.want ? " and a bad UDP checksum" : "",
				(unsigned long long)a.want);
			return -1;
		}
		return bench_now_ns() - t0;
	}
}

static int run_block(int s, struct bench_dp *dp, int path, struct side *sd, long count,
		     uint64_t *seq)
{
	double rtt;
	long i;

	if (bench_dp_use(dp, path))
		return -1;
	for (i = 0; i < WARMUP + count; i++) {
		rtt = probe(s, dp, path, ++*seq);
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

int bench_latency(const struct bench_opts *o, struct bench_dp *dp, struct bench_result *r)
{
	struct side sd[BENCH_LAT_PATHS] = { 0 };
	struct timeval tv = { .tv_usec = TIMEOUT_MS * 1000 };
	long per_block = (o->probes + BLOCKS - 1) / BLOCKS, got = 0, lost = 0;
	uint64_t seq = 0;
	int s, b, p, ret = -1;

	s = bench_dp_socket(dp);
	if (s < 0)
		return -1;
	if (setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		goto out;
	for (p = 0; p < BENCH_LAT_PATHS; p++) {
		sd[p].rtt = calloc(per_block * BLOCKS, sizeof(double));
		if (!sd[p].rtt)
			goto out;
	}

	bench_log("latency: %ld probes per path in %d blocks of %d paths in turn",
		  per_block * BLOCKS, BLOCKS, BENCH_LAT_PATHS);
	for (b = 0; b < BLOCKS; b++)
		for (p = 0; p < BENCH_LAT_PATHS; p++)
			if (run_block(s, dp, p, &sd[p], per_block, &seq))
				goto out;
	for (p = 0; p < BENCH_LAT_PATHS; p++) {
		if (!sd[p].n)
			break;
		got += sd[p].n;
		lost += sd[p].lost;
	}
	if (p < BENCH_LAT_PATHS || lost > got / 100) {
		fprintf(stderr, "segoff-bench: %ld of %ld probes lost\n", lost, got + lost);
		goto out;
	}
	for (p = 0; p < BENCH_LAT_PATHS; p++)
		percentiles(&sd[p], &r->lat[p]);
	ret = 0;
out:
	close(s);
	for (p = 0; p < BENCH_LAT_PATHS; p++)
		free(sd[p].rtt);
	return ret;
}
