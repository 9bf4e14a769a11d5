/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * segoff-bench: what the phases (cost.c, rate.c, latency.c) measure and
 * what report.c prints, all from one run.
 */
#ifndef _SEGOFF_BENCH_H
#define _SEGOFF_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <libsegoff.h>
#include "net.h"

#define BENCH_MAX_VARIANTS	12

struct bench_opts {
	const char *segoff_obj;		/* build/bpf/segoff.bpf.o */
	const char *bench_obj;		/* build/bench/bench.bpf.o */
	const char *data;		/* samples for the frames */
	int quick;
	int cost_only;			/* no rate, no latency */
	uint64_t iterations;		/* per test-run syscall */
	int runs;			/* test-run syscalls per variant */
	double rate_secs;		/* per rate round */
	int rate_rounds;
	long probes;			/* per latency side */
	int verbose;
};

struct bench_prog_info {
	uint32_t xlated_insns, jited_bytes, verified_insns;
};

struct bench_variant {
	char name[32];
	uint32_t encoding, arith, scale;
	uint16_t vlan;
	int ipv6;
	uint32_t samples;		/* a stream frame of this many, 0: a single frame */
	uint32_t per_frame;		/* windows answered per frame */
	double ns;			/* median over the runs */
	double ns_min, ns_max;
	double kns;			/* the kernel's own figure, whole ns */
	uint64_t iterations;		/* total over all runs */
	uint64_t windows;		/* the counter map, summed over CPUs */
	uint64_t split, nosplit;
};

struct bench_lat {
	double min, p50, p99, p999, max;
	long probes, lost;
};

struct bench_result {
	double baseline_ns, baseline_min, baseline_max, baseline_kns;
	struct bench_variant v[BENCH_MAX_VARIANTS];
	int nv;
	struct bench_prog_info offload, host;	/* segoff_xdp, segoff_xdp_percpu */
	double base_pps, segoff_pps, segoff_rx_pps;
	uint64_t rate_windows, rate_rx;		/* segoff rounds, for the cross-check */
	struct bench_lat lat_base, lat_segoff;
	double load_before[3], load_after[3];
};

/* the window every frame carries: the first of the data file */
extern double bench_window[SEGOFF_SAMPLES];

void bench_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* median of @n values, sorting them */
double bench_median(double *x, size_t n);
double bench_now_ns(void);
/* the default parameters but for these two; the scale follows arith */
int bench_config(uint32_t encoding, uint32_t arith, struct segoff_config *c);
int bench_prog_info(int prog_fd, struct bench_prog_info *pi);
/*
 * A request frame for bench_window (UDP to the default port over IPv4,
 * or IPv6, optionally 802.1Q tagged); 0 or its length, with the offset of
 * its tag in *@tag_off.
 */
size_t bench_frame(uint8_t *buf, const struct segoff_config *c, int ipv6, uint16_t vlan,
		   const uint8_t src[6], const uint8_t dst[6], uint32_t samples, uint64_t seq,
		   size_t *tag_off);

/* Each phase returns 0, or -1 after printing why. */
int bench_cost(const struct bench_opts *o, struct bench_result *r);
int bench_rate(const struct bench_opts *o, const struct bench_net *n, struct bench_result *r);
int bench_latency(const struct bench_opts *o, const struct bench_net *n, struct bench_result *r);

void bench_print_table(const struct bench_opts *o, const struct bench_result *r);
void bench_print_json(const struct bench_opts *o, const struct bench_result *r);
int bench_write_md(const char *path, const char *analysis, const char *plot,
		   const struct bench_opts *o, const struct bench_result *r);
int bench_write_plot(const char *path, const struct bench_result *r);

#endif /* _SEGOFF_BENCH_H */
