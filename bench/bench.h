/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * segoff-bench: what the phases (cost.c, rate.c, latency.c) measure and
 * what report.c prints, all from one run; path.c holds what the rate and
 * latency phases share.
 */
#ifndef _SEGOFF_BENCH_H
#define _SEGOFF_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <libsegoff.h>
#include "load.h"
#include "net.h"

#define BENCH_MAX_VARIANTS	24
#define BENCH_MAX_ROUNDS	16
#define BENCH_FRAME_MAX		4096	/* a stream frame fills a page */
#define BENCH_STR(x)		#x
#define BENCH_XSTR(x)		BENCH_STR(x)	/* a number in a name */

struct bench_opts {
	const char *segoff_obj;		/* build/bpf/segoff.bpf.o */
	const char *bench_obj;		/* build/bench/bench.bpf.o */
	const char *data;		/* samples for the frames */
	int quick;
	int cost_only;			/* no rate, no latency */
	char **only;			/* cost: the variants whose names start so */
	int nonly;
	uint64_t iterations;		/* per test-run syscall */
	int runs;			/* test-run syscalls per variant */
	double rate_secs;		/* per rate round */
	double rate_warmup;		/* s before each round's figures */
	int rate_rounds;
	long probes;			/* per latency path */
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
	int seed_prog;			/* one of the seed's programs, not segoff */
	int part;			/* segoff's body up to a part: no window */
	uint32_t want_tag;		/* the reference verdict of the window */
	uint32_t wrong_tag;		/* seed_prog: runs that left another tag */
	double ns;			/* median over the runs */
	double base_ns;			/* what net figures subtract: XDP_PASS, or */
	char base_name[40];		/* ... this, timed in the same runs */
	double ns_min, ns_max;
	double kns;			/* the kernel's own figure, whole ns */
	uint64_t iterations;		/* total over all runs */
	uint64_t frames, windows;	/* the counter map, summed over CPUs */
	uint64_t split, nosplit;
};

struct bench_lat {
	double min, p50, p99, p999, max;
	long probes, lost;
};

/*
 * The ways a request goes through sgb1 and back to the sender, which the
 * rate and latency phases compare in one run (path.c).
 */
enum bench_path_id {
	BENCH_PATH_BASE,	/* XDP_PASS; sgb1's tc reflector sends the request back */
	BENCH_PATH_PASS,	/* segoff, reply pass: answered in place, then reflected */
	BENCH_PATH_TX,		/* segoff, reply tx: the program sends the answer (XDP_TX) */
	BENCH_PATH_STREAM64,	/* reply tx, stream frames of 64 samples */
	BENCH_PATH_STREAM_MAX,	/* reply tx, the largest stream frames the host program takes */
	BENCH_NPATHS
};
#define BENCH_LAT_PATHS		(BENCH_PATH_TX + 1)	/* latency: single frames */

struct bench_path {
	const char *id, *name;		/* for JSON, for tables */
	int segoff;			/* segoff_xdp_percpu, else bench_pass */
	uint32_t reply;			/* enum segoff_reply_mode */
	uint32_t samples;		/* stream frames of this many, 0: single frames */
};

extern const struct bench_path bench_paths[BENCH_NPATHS];

struct bench_dp {
	const struct bench_net *n;
	struct bench_obj segoff, pass;
	struct segoff_config c[SEGOFF_REPLY_MAX + 1];	/* the defaults, per reply mode */
	/* the verdict of bench_window rotated by k: window j of a stream frame is j % 16 */
	uint8_t verdict[SEGOFF_SAMPLES];
};

/* What one frame that came back to the sender answered. */
struct bench_answer {
	uint64_t seq;			/* a single frame's sequence number, a stream's first */
	uint64_t tag, want;		/* a single frame's verdict and the reference's */
	uint32_t good, bad;		/* windows answered as the reference does, and not */
};

/* medians over the rounds, per second; mismatched summed */
struct bench_rate {
	double sent;			/* frames the sender got out */
	double rx;			/* frames sgb1 took in (rx_packets) */
	double windows;			/* windows answered (the program's counter) */
	double verdicts;		/* answers back at the sender, each checked */
	uint64_t mismatched;		/* windows answered otherwise than the reference */
};

struct bench_result {
	double baseline_ns, baseline_min, baseline_max, baseline_kns;
	struct bench_variant v[BENCH_MAX_VARIANTS];
	int nv;
	struct bench_prog_info offload, host;	/* segoff_xdp, segoff_xdp_percpu */
	struct bench_rate rate[BENCH_NPATHS];
	struct bench_lat lat[BENCH_LAT_PATHS];
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

/*
 * The programs on both ends and sgb1's reflector; 0, or -1
 * after printing why. bench_dp_close() undoes what was done.
 */
int bench_dp_open(struct bench_dp *dp, const struct bench_opts *o, const struct bench_net *n);
void bench_dp_close(struct bench_dp *dp);
/* sgb1 runs @path's program with its reply mode from now on */
int bench_dp_use(struct bench_dp *dp, int path);
/* @path's request frame, with @seq; 0 or its length */
size_t bench_dp_frame(const struct bench_dp *dp, int path, uint8_t *buf, uint64_t seq);
/* A packet socket on sgb0 that sends and sees what comes back, not what it sent */
int bench_dp_socket(const struct bench_dp *dp);
/* 1 if @buf is an answer to @path's request, checked into *@a; else 0 */
int bench_dp_answer(const struct bench_dp *dp, int path, const uint8_t *buf, size_t len,
		    struct bench_answer *a);

/* Each phase returns 0, or -1 after printing why. */
int bench_cost(const struct bench_opts *o, struct bench_result *r);
int bench_rate(const struct bench_opts *o, struct bench_dp *dp, struct bench_result *r);
int bench_latency(const struct bench_opts *o, struct bench_dp *dp, struct bench_result *r);

void bench_print_table(const struct bench_opts *o, const struct bench_result *r);
void bench_print_json(const struct bench_opts *o, const struct bench_result *r);
int bench_write_md(const char *path, const char *analysis, const char *plot,
		   const struct bench_opts *o, const struct bench_result *r);
int bench_write_plot(const char *path, const struct bench_result *r);

#endif /* _SEGOFF_BENCH_H */
