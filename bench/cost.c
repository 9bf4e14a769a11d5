// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Program cost: BPF_PROG_TEST_RUN batches of each variant against the
 * XDP_PASS baseline, timed from userspace (the kernel's per-repetition
 * duration is a whole number of ns), runs interleaved so that load from
 * elsewhere on the machine lands on every variant alike.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bench.h"
#include "load.h"

/*
 * Stream frames of fixed samples only: the program converts double
 * samples in place, so a repeated buffer would hold no doubles after the
 * first repetition.
 */
static const struct {
	const char *name;
	uint32_t encoding, arith;
	int ipv6;
	uint16_t vlan;
	uint32_t samples;
} variants[] = {
	{ "fixed-exact", SEGOFF_ENC_FIXED, SEGOFF_ARITH_EXACT, 0, 0, 0 },
	{ "fixed-seed", SEGOFF_ENC_FIXED, SEGOFF_ARITH_SEED, 0, 0, 0 },
	{ "double-exact", SEGOFF_ENC_DOUBLE, SEGOFF_ARITH_EXACT, 0, 0, 0 },
	{ "double-seed", SEGOFF_ENC_DOUBLE, SEGOFF_ARITH_SEED, 0, 0, 0 },
	{ "fixed-exact-ipv6", SEGOFF_ENC_FIXED, SEGOFF_ARITH_EXACT, 1, 0, 0 },
	{ "fixed-exact-vlan", SEGOFF_ENC_FIXED, SEGOFF_ARITH_EXACT, 0, 100, 0 },
	{ "stream64-fixed-exact", SEGOFF_ENC_FIXED, SEGOFF_ARITH_EXACT, 0, 0, 64 },
	{ "stream64-fixed-seed", SEGOFF_ENC_FIXED, SEGOFF_ARITH_SEED, 0, 0, 64 },
	{ "stream682-fixed-exact", SEGOFF_ENC_FIXED, SEGOFF_ARITH_EXACT, 0, 0,
	  SEGOFF_STREAM_MAX_FIXED },
	{ "stream682-fixed-seed", SEGOFF_ENC_FIXED, SEGOFF_ARITH_SEED, 0, 0,
	  SEGOFF_STREAM_MAX_FIXED },
};
#define NVARIANTS (sizeof(variants) / sizeof(variants[0]))

struct slot {
	struct bench_obj b;
	uint8_t frame[4096];
	size_t len;
	double *ns, *kns;	/* ours, and the kernel's whole-ns duration */
};

/* one timed batch: ns per repetition */
static int run_batch(struct slot *s, uint64_t iterations, int run)
{
	LIBBPF_OPTS(bpf_test_run_opts, t,
		    .data_in = s->frame,
		    .data_size_in = s->len,
		    .repeat = iterations);
	double t0, t1;
	int err;

	t0 = bench_now_ns();
	err = bpf_prog_test_run_opts(s->b.prog_fd, &t);
	t1 = bench_now_ns();
	if (err) {
		fprintf(stderr, "segoff-bench: Unable to test-run: %s\n", strerror(-err));
		return -1;
	}
	if (t.retval != XDP_PASS) {
		fprintf(stderr, "segoff-bench: test-run returned %u, not XDP_PASS\n", t.retval);
		return -1;
	}
	s->ns[run] = (t1 - t0) / iterations;
	s->kns[run] = t.duration;
	return 0;
}

static int setup_variant(const struct bench_opts *o, struct bench_variant *v, struct slot *s, int i)
{
	static const uint8_t src[6] = { 2, 0, 0, 0, 0, 1 }, dst[6] = { 2, 0, 0, 0, 0, 2 };
	struct segoff_config c;
	uint32_t key = 0, off;
	size_t tag_off;

	snprintf(v->name, sizeof(v->name), "%s", variants[i].name);
	v->encoding = variants[i].encoding;
	v->arith = variants[i].arith;
	v->ipv6 = variants[i].ipv6;
	v->vlan = variants[i].vlan;
	v->samples = variants[i].samples;
	v->per_frame = v->samples ? v->samples - (SEGOFF_SAMPLES - 1) : 1;
	if (bench_config(v->encoding, v->arith, &c))
		return -1;
	v->scale = segoff_cfg_scale(&c);
	s->len = bench_frame(s->frame, &c, v->ipv6, v->vlan, src, dst, v->samples, 0, &tag_off);
	if (!s->len || bench_load(&s->b, o->bench_obj, "bench_segoff"))
		return -1;
	off = tag_off;
	if (segoff_config_write(s->b.config_fd, &c) ||
	    bpf_map_update_elem(s->b.tag_off_fd, &key, &off, BPF_ANY)) {
		fprintf(stderr, "segoff-bench: Unable to configure %s: %s\n", v->name,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int run_variant(const struct bench_opts *o, struct bench_variant *v, struct slot *s, int run)
{
	struct segoff_counters cnt;

	/* a stream frame answers per_frame windows: as many windows, fewer frames */
	uint64_t iterations = o->iterations / v->per_frame ? o->iterations / v->per_frame : 1;

	if (segoff_counters_reset(s->b.counters_fd) || run_batch(s, iterations, run) ||
	    segoff_counters_read(s->b.counters_fd, &cnt)) {
		fprintf(stderr, "segoff-bench: %s: run %d failed\n", v->name, run);
		return -1;
	}
	v->iterations += iterations;
	v->windows += cnt.windows;
	v->split += cnt.split;
	v->nosplit += cnt.nosplit;
	return 0;
}

/* Every repetition must have been a full evaluation, not the early exit. */
static int check_variant(const struct bench_variant *v)
{
	if (v->windows == v->iterations * v->per_frame && v->split + v->nosplit == v->windows)
		return 0;
	fprintf(stderr,
		"segoff-bench: %s: %llu windows evaluated (%llu split, %llu nosplit) in %llu iterations\n",
		v->name, (unsigned long long)v->windows, (unsigned long long)v->split,
		(unsigned long long)v->nosplit, (unsigned long long)v->iterations);
	return -1;
}

static void summarise(double *ns, int runs, double *median, double *min, double *max)
{
	*median = bench_median(ns, runs);
	*min = ns[0];
	*max = ns[runs - 1];
}

static int real_info(const struct bench_opts *o, struct bench_result *r)
{
	struct bench_obj b;
	int err;

	if (bench_load(&b, o->segoff_obj, "segoff_xdp"))
		return -1;
	err = bench_prog_info(b.prog_fd, &r->offload);
	bench_unload(&b);
	if (err || bench_load(&b, o->segoff_obj, "segoff_xdp_percpu"))
		return -1;
	err = bench_prog_info(b.prog_fd, &r->host);
	bench_unload(&b);
	return err;
}

int bench_cost(const struct bench_opts *o, struct bench_result *r)
{
	struct slot slots[NVARIANTS + 1], *base = &slots[NVARIANTS];
	int i, run, ret = -1;

	if (real_info(o, r))
		return -1;
	memset(slots, 0, sizeof(slots));
	r->nv = NVARIANTS;
	for (i = 0; i <= (int)NVARIANTS; i++) {
		slots[i].ns = calloc(o->runs, sizeof(double));
		slots[i].kns = calloc(o->runs, sizeof(double));
		if (!slots[i].ns || !slots[i].kns)
			goto out;
	}
	for (i = 0; i < (int)NVARIANTS; i++)
		if (setup_variant(o, &r->v[i], &slots[i], i))
			goto out;
	/* the baseline sees the default variant's frame */
	memcpy(base->frame, slots[0].frame, sizeof(base->frame));
	base->len = slots[0].len;
	if (bench_load(&base->b, o->bench_obj, "bench_pass"))
		goto out;

	bench_log("program cost: %d runs x %llu iterations, %zu variants + baseline",
		  o->runs, (unsigned long long)o->iterations, NVARIANTS);
	for (run = 0; run < o->runs; run++) {
		if (run_batch(base, o->iterations, run))
			goto out;
		for (i = 0; i < (int)NVARIANTS; i++)
			if (run_variant(o, &r->v[i], &slots[i], run))
				goto out;
	}
	summarise(base->ns, o->runs, &r->baseline_ns, &r->baseline_min, &r->baseline_max);
	r->baseline_kns = bench_median(base->kns, o->runs);
	for (i = 0; i < (int)NVARIANTS; i++) {
		summarise(slots[i].ns, o->runs, &r->v[i].ns, &r->v[i].ns_min, &r->v[i].ns_max);
		r->v[i].kns = bench_median(slots[i].kns, o->runs);
		if (check_variant(&r->v[i]))
			goto out;
	}
	ret = 0;
out:
	for (i = 0; i <= (int)NVARIANTS; i++) {
		if (slots[i].b.obj)
			bench_unload(&slots[i].b);
		free(slots[i].ns);
		free(slots[i].kns);
	}
	return ret;
}
