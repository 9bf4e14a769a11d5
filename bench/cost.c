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
#include "samples.h"

/*
 * What a variant runs: segoff's body and the re-arm (windows counted),
 * the same with the double stream samples written back after each
 * repetition (the program converts them in place; the write-back alone
 * is timed on the same frame and subtracted instead of XDP_PASS), or one
 * of the seed's programs (no counters: checked by the verdict it leaves),
 * or segoff's body up to a part (enum segoff_part: frames counted, no
 * window), so that each part's cost is the difference to the one before.
 */
enum { RUN_SEGOFF, RUN_RESTORE, RUN_SEED, RUN_CONFIG, RUN_PARSE, RUN_WINDOW };

static const struct {
	const char *name;
	uint32_t encoding, arith;
	int ipv6;
	uint16_t vlan;
	uint32_t samples;
	int run;
} variants[] = {
	{ "seedprog-fixed", SEGOFF_ENC_FIXED, SEGOFF_ARITH_SEED, 0, 0, 0, RUN_SEED },
	{ "seedprog-double", SEGOFF_ENC_DOUBLE, SEGOFF_ARITH_SEED, 0, 0, 0, RUN_SEED },
	{ "fixed-exact", SEGOFF_ENC_FIXED, SEGOFF_ARITH_EXACT, 0, 0, 0, RUN_SEGOFF },
	{ "fixed-seed", SEGOFF_ENC_FIXED, SEGOFF_ARITH_SEED, 0, 0, 0, RUN_SEGOFF },
	{ "double-exact", SEGOFF_ENC_DOUBLE, SEGOFF_ARITH_EXACT, 0, 0, 0, RUN_SEGOFF },
	{ "double-seed", SEGOFF_ENC_DOUBLE, SEGOFF_ARITH_SEED, 0, 0, 0, RUN_SEGOFF },
	{ "fixed-exact-ipv6", SEGOFF_ENC_FIXED, SEGOFF_ARITH_EXACT, 1, 0, 0, RUN_SEGOFF },
	{ "fixed-exact-vlan", SEGOFF_ENC_FIXED, SEGOFF_ARITH_EXACT, 0, 100, 0, RUN_SEGOFF },
	{ "stream64-fixed-exact", SEGOFF_ENC_FIXED, SEGOFF_ARITH_EXACT, 0, 0, 64, RUN_SEGOFF },
	{ "stream64-fixed-seed", SEGOFF_ENC_FIXED, SEGOFF_ARITH_SEED, 0, 0, 64, RUN_SEGOFF },
	{ "stream682-fixed-exact", SEGOFF_ENC_FIXED, SEGOFF_ARITH_EXACT, 0, 0,
	  SEGOFF_STREAM_MAX_FIXED, RUN_SEGOFF },
	{ "stream682-fixed-seed", SEGOFF_ENC_FIXED, SEGOFF_ARITH_SEED, 0, 0,
	  SEGOFF_STREAM_MAX_FIXED, RUN_SEGOFF },
	{ "fixed-exact/config", SEGOFF_ENC_FIXED, SEGOFF_ARITH_EXACT, 0, 0, 0, RUN_CONFIG },
	{ "fixed-exact/parse", SEGOFF_ENC_FIXED, SEGOFF_ARITH_EXACT, 0, 0, 0, RUN_PARSE },
	{ "fixed-exact/window", SEGOFF_ENC_FIXED, SEGOFF_ARITH_EXACT, 0, 0, 0, RUN_WINDOW },
	{ "double-exact/config", SEGOFF_ENC_DOUBLE, SEGOFF_ARITH_EXACT, 0, 0, 0, RUN_CONFIG },
	{ "double-exact/parse", SEGOFF_ENC_DOUBLE, SEGOFF_ARITH_EXACT, 0, 0, 0, RUN_PARSE },
	{ "double-exact/window", SEGOFF_ENC_DOUBLE, SEGOFF_ARITH_EXACT, 0, 0, 0, RUN_WINDOW },
	{ "stream64-double-exact", SEGOFF_ENC_DOUBLE, SEGOFF_ARITH_EXACT, 0, 0, 64, RUN_RESTORE },
	{ "stream64-double-seed", SEGOFF_ENC_DOUBLE, SEGOFF_ARITH_SEED, 0, 0, 64, RUN_RESTORE },
	{ "stream379-double-exact", SEGOFF_ENC_DOUBLE, SEGOFF_ARITH_EXACT, 0, 0,
	  SEGOFF_STREAM_MAX_DOUBLE, RUN_RESTORE },
	{ "stream379-double-seed", SEGOFF_ENC_DOUBLE, SEGOFF_ARITH_SEED, 0, 0,
	  SEGOFF_STREAM_MAX_DOUBLE, RUN_RESTORE },
};
#define NVARIANTS (sizeof(variants) / sizeof(variants[0]))

static const char *const progs[] = {
	[RUN_SEGOFF] = "bench_segoff",
	[RUN_RESTORE] = "bench_segoff_restore",
	[RUN_CONFIG] = "bench_part_config",
	[RUN_PARSE] = "bench_part_parse",
	[RUN_WINDOW] = "bench_part_window",
};

struct slot {
	struct bench_obj b;
	uint8_t frame[4096];
	size_t len;
	size_t tag_off;
	double *ns, *kns;	/* ours, and the kernel's whole-ns duration */
	uint64_t tag;		/* the tag the last repetition left */
	struct slot *base;	/* subtracted: the baseline, or the write-back alone */
};

/* one timed batch: ns per repetition */
static int run_batch(struct slot *s, uint64_t iterations, int run)
{
	uint8_t out[sizeof(s->frame)];
	LIBBPF_OPTS(bpf_test_run_opts, t,
		    .data_in = s->frame,
		    .data_size_in = s->len,
		    .data_out = out,
		    .data_size_out = sizeof(out),
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
	memcpy(&s->tag, out + s->tag_off, sizeof(s->tag));
	s->ns[run] = (t1 - t0) / iterations;
	s->kns[run] = t.duration;
	return 0;
}

/* the samples of the slot's double stream frame, for the write-back */
static int set_samples(struct slot *s, uint32_t n)
{
	static struct bench_samples v;
	int fd = bpf_object__find_map_fd_by_name(s->b.obj, "bench_samples");
	uint32_t key = 0;

	/* the tag is 8 bytes into the stream header, the samples after the verdicts */
	v.off = s->tag_off - 8 + sizeof(struct segoff_stream_hdr) + SEGOFF_STREAM_VERDICT_BYTES(n);
	v.len = n * 8;
	if (v.len > sizeof(v.bytes) || v.off + v.len > s->len) {
		fprintf(stderr, "segoff-bench: no %u double samples in the frame\n", n);
		return -1;
	}
	memcpy(v.bytes, s->frame + v.off, v.len);
	if (fd < 0 || bpf_map_update_elem(fd, &key, &v, BPF_ANY)) {
		fprintf(stderr, "segoff-bench: Unable to set the samples: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int setup_slot(const struct bench_opts *o, struct slot *s, const struct segoff_config *c,
		      const struct bench_variant *v, const char *prog)
{
	static const uint8_t src[6] = { 2, 0, 0, 0, 0, 1 }, dst[6] = { 2, 0, 0, 0, 0, 2 };
	uint32_t key = 0, off;

	s->len = bench_frame(s->frame, c, v->ipv6, v->vlan, src, dst, v->samples, 0, &s->tag_off);
	if (!s->len || bench_load(&s->b, o->bench_obj, prog))
		return -1;
	off = s->tag_off;
	if (segoff_config_write(s->b.config_fd, c) ||
	    (s->b.tag_off_fd >= 0 && bpf_map_update_elem(s->b.tag_off_fd, &key, &off, BPF_ANY))) {
		fprintf(stderr, "segoff-bench: Unable to configure %s: %s\n", v->name,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int setup_variant(const struct bench_opts *o, struct bench_variant *v, struct slot *s,
			 struct slot *restore, int i)
{
	struct segoff_config c;
	int why;

	snprintf(v->name, sizeof(v->name), "%s", variants[i].name);
	v->encoding = variants[i].encoding;
	v->arith = variants[i].arith;
	v->ipv6 = variants[i].ipv6;
	v->vlan = variants[i].vlan;
	v->samples = variants[i].samples;
	v->per_frame = v->samples ? v->samples - (SEGOFF_SAMPLES - 1) : 1;
	v->seed_prog = variants[i].run == RUN_SEED;
	v->part = variants[i].run >= RUN_CONFIG;
	if (bench_config(v->encoding, v->arith, &c))
		return -1;
	v->scale = segoff_cfg_scale(&c);
	/* the seed's programs answer as seed arithmetic does at its parameters */
	v->want_tag = segoff_ref_window(bench_window, &c, &why);
	if (setup_slot(o, s, &c, v, v->seed_prog ? (v->encoding == SEGOFF_ENC_DOUBLE ?
			"bench_seed_double" : "bench_seed_fixed") : progs[variants[i].run]))
		return -1;
	if (variants[i].run != RUN_RESTORE)
		return 0;
	snprintf(v->base_name, sizeof(v->base_name), "write-back of %u doubles", v->samples);
	if (setup_slot(o, restore, &c, v, "bench_restore") ||
	    set_samples(s, v->samples) || set_samples(restore, v->samples))
		return -1;
	s->base = restore;
	return 0;
}

static int run_variant(const struct bench_opts *o, struct bench_variant *v, struct slot *s, int run)
{
	struct segoff_counters cnt;

	/* a stream frame answers per_frame windows: as many windows, fewer frames */
	uint64_t iterations = o->iterations / v->per_frame ? o->iterations / v->per_frame : 1;

	if ((s->base && run_batch(s->base, iterations, run)) ||
	    segoff_counters_reset(s->b.counters_fd) || run_batch(s, iterations, run) ||
	    segoff_counters_read(s->b.counters_fd, &cnt)) {
		fprintf(stderr, "segoff-bench: %s: run %d failed\n", v->name, run);
		return -1;
	}
	v->iterations += iterations;
	v->frames += cnt.frames;
	v->windows += cnt.windows;
	v->split += cnt.split;
	v->nosplit += cnt.nosplit;
	v->wrong_tag += s->tag != v->want_tag;
	return 0;
}

/*
 * Every repetition must have been a full evaluation, not the early exit:
 * segoff's counters say so; the seed's programs, re-armed before they
 * run, must have left the reference verdict in every run; a part must
 * have counted every frame and answered none.
 */
static int check_variant(const struct bench_variant *v)
{
	if (v->part) {
		if (v->frames == v->iterations && !v->windows)
			return 0;
		fprintf(stderr, "segoff-bench: %s: %llu frames, %llu windows in %llu iterations\n",
			v->name, (unsigned long long)v->frames, (unsigned long long)v->windows,
			(unsigned long long)v->iterations);
		return -1;
	}
	if (v->seed_prog) {
		if (!v->wrong_tag)
			return 0;
		fprintf(stderr, "segoff-bench: %s: the verdict was not %u in %u runs\n", v->name,
			v->want_tag, v->wrong_tag);
		return -1;
	}
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

static int selected(const struct bench_opts *o, const char *name)
{
	int i;

	for (i = 0; i < o->nonly; i++)
		if (!strncmp(name, o->only[i], strlen(o->only[i])))
			return 1;
	return !o->nonly;
}

int bench_cost(const struct bench_opts *o, struct bench_result *r)
{
	/* each variant, each variant's write-back, the baseline */
	struct slot slots[2 * NVARIANTS + 1], *base = &slots[2 * NVARIANTS];
	int i, run, nslots = 2 * NVARIANTS + 1, ret = -1;
	int index[NVARIANTS];

	if (real_info(o, r))
		return -1;
	memset(slots, 0, sizeof(slots));
	for (i = 0; i < (int)NVARIANTS; i++)
		if (selected(o, variants[i].name))
			index[r->nv++] = i;
	if (!r->nv) {
		fprintf(stderr, "segoff-bench: no variant is called that\n");
		return -1;
	}
	for (i = 0; i < nslots; i++) {
		slots[i].ns = calloc(o->runs, sizeof(double));
		slots[i].kns = calloc(o->runs, sizeof(double));
		if (!slots[i].ns || !slots[i].kns)
			goto out;
	}
	for (i = 0; i < r->nv; i++) {
		if (setup_variant(o, &r->v[i], &slots[i], &slots[NVARIANTS + i], index[i]))
			goto out;
		if (!slots[i].base)
			slots[i].base = base;
	}
	/* the baseline sees the first variant's frame */
	memcpy(base->frame, slots[0].frame, sizeof(base->frame));
	base->len = slots[0].len;
	if (bench_load(&base->b, o->bench_obj, "bench_pass"))
		goto out;

	bench_log("program cost: %d runs x %llu iterations, %d variants + baseline",
		  o->runs, (unsigned long long)o->iterations, r->nv);
	for (run = 0; run < o->runs; run++) {
		if (run_batch(base, o->iterations, run))
			goto out;
		for (i = 0; i < r->nv; i++)
			if (run_variant(o, &r->v[i], &slots[i], run))
				goto out;
	}
	summarise(base->ns, o->runs, &r->baseline_ns, &r->baseline_min, &r->baseline_max);
	r->baseline_kns = bench_median(base->kns, o->runs);
	for (i = 0; i < r->nv; i++) {
		struct bench_variant *v = &r->v[i];

		if (check_variant(v))
			goto out;
		summarise(slots[i].ns, o->runs, &v->ns, &v->ns_min, &v->ns_max);
		v->kns = bench_median(slots[i].kns, o->runs);
		/* the write-back, timed in the same runs, instead of the baseline */
		v->base_ns = slots[i].base == base ? r->baseline_ns :
			     bench_median(slots[i].base->ns, o->runs);
	}
	ret = 0;
out:
	for (i = 0; i < nslots; i++) {
		if (slots[i].b.obj)
			bench_unload(&slots[i].b);
		free(slots[i].ns);
		free(slots[i].kns);
	}
	return ret;
}
