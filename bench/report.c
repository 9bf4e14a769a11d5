// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The results of one run: a table, one JSON object, BENCHMARKS.md, a plot. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "bench.h"

/* the brief's targets (ratios against the baseline, in one run) */
#define TARGET_FIXED	2.5
#define TARGET_DOUBLE	3.5
#define TARGET_RATE	0.90
#define TARGET_INSNS	1536
/* stream frames: net ns per verdict */
#define TARGET_VERDICT_FIXED	4.0

static double target(const struct bench_variant *v)
{
	return v->encoding == SEGOFF_ENC_DOUBLE ? TARGET_DOUBLE : TARGET_FIXED;
}

static double ratio(const struct bench_result *r, const struct bench_variant *v)
{
	return v->ns / r->baseline_ns;
}

/* ns over XDP_PASS per window answered: a stream frame answers many */
static double per_verdict(const struct bench_result *r, const struct bench_variant *v)
{
	return (v->ns - r->baseline_ns) / v->per_frame;
}

void bench_print_table(const struct bench_opts *o, const struct bench_result *r)
{
	const struct bench_lat *b = &r->lat_base, *s = &r->lat_segoff;
	int i;

	printf("program cost (BPF_PROG_TEST_RUN, median of %d x %llu)\n", o->runs,
	       (unsigned long long)o->iterations);
	printf("  %-22s %9s %7s %8s %7s %10s  %s\n", "variant", "ns/frame", "ratio", "target",
	       "kernel", "net/verdict", "windows == frames x per frame");
	printf("  %-22s %9.2f %7s %8s %7.0f\n", "baseline XDP_PASS", r->baseline_ns, "1.00", "",
	       r->baseline_kns);
	for (i = 0; i < r->nv; i++)
		printf("  %-22s %9.2f %7.2f %5s%.1f %7.0f %10.2f  %llu == %llu x %u\n", r->v[i].name,
		       r->v[i].ns, ratio(r, &r->v[i]), "<=", target(&r->v[i]), r->v[i].kns,
		       per_verdict(r, &r->v[i]), (unsigned long long)r->v[i].windows,
		       (unsigned long long)r->v[i].iterations, r->v[i].per_frame);
	printf("program size (host-loaded from %s)\n", o->segoff_obj);
	printf("  segoff_xdp         %u xlated insns, %u jited bytes, %u verified\n",
	       r->offload.xlated_insns, r->offload.jited_bytes, r->offload.verified_insns);
	printf("  segoff_xdp_percpu  %u xlated insns, %u jited bytes, %u verified\n",
	       r->host.xlated_insns, r->host.jited_bytes, r->host.verified_insns);
	if (o->cost_only)
		return;
	printf("data-path rate (veth, native XDP, median of %d x %.1f s)\n", o->rate_rounds,
	       o->rate_secs);
	printf("  baseline %.0f rx/s, segoff %.0f windows/s (%.1f%%)\n", r->base_pps,
	       r->segoff_pps, 100 * r->segoff_pps / r->base_pps);
	printf("latency (round trip, ns)   %10s %10s %10s %10s %10s\n", "min", "p50", "p99",
	       "p99.9", "lost");
	printf("  baseline (%7ld)        %10.0f %10.0f %10.0f %10.0f %10ld\n", b->probes, b->min,
	       b->p50, b->p99, b->p999, b->lost);
	printf("  segoff   (%7ld)        %10.0f %10.0f %10.0f %10.0f %10ld\n", s->probes, s->min,
	       s->p50, s->p99, s->p999, s->lost);
	printf("  difference               %10.0f %10.0f %10.0f %10.0f\n", s->min - b->min,
	       s->p50 - b->p50, s->p99 - b->p99, s->p999 - b->p999);
}

static void json_lat(const char *name, const struct bench_lat *l, const char *sep)
{
	printf("\"%s\":{\"min\":%.0f,\"p50\":%.0f,\"p99\":%.0f,\"p999\":%.0f,\"max\":%.0f,"
	       "\"probes\":%ld,\"lost\":%ld}%s", name, l->min, l->p50, l->p99, l->p999, l->max,
	       l->probes, l->lost, sep);
}

void bench_print_json(const struct bench_opts *o, const struct bench_result *r)
{
	int i;

	printf("{\"quick\":%s,\"runs\":%d,\"iterations_per_run\":%llu,\"baseline_ns\":%.3f,"
	       "\"baseline_kernel_ns\":%.0f,\"variants\":[", o->quick ? "true" : "false", o->runs,
	       (unsigned long long)o->iterations, r->baseline_ns, r->baseline_kns);
	for (i = 0; i < r->nv; i++)
		printf("%s{\"name\":\"%s\",\"ns\":%.3f,\"ns_min\":%.3f,\"ns_max\":%.3f,"
		       "\"kernel_ns\":%.0f,\"ratio\":%.3f,\"iterations\":%llu,\"windows_evaluated\":%llu,"
		       "\"split\":%llu,\"nosplit\":%llu,\"xlated_insns\":%u,\"jited_bytes\":%u,"
		       "\"stream_samples\":%u,\"windows_per_frame\":%u,\"net_ns_per_verdict\":%.3f}",
		       i ? "," : "", r->v[i].name, r->v[i].ns, r->v[i].ns_min, r->v[i].ns_max,
		       r->v[i].kns, ratio(r, &r->v[i]), (unsigned long long)r->v[i].iterations,
		       (unsigned long long)r->v[i].windows, (unsigned long long)r->v[i].split,
		       (unsigned long long)r->v[i].nosplit, r->host.xlated_insns,
		       r->host.jited_bytes, r->v[i].samples, r->v[i].per_frame,
		       per_verdict(r, &r->v[i]));
	printf("],\"programs\":{");
	printf("\"segoff_xdp\":{\"xlated_insns\":%u,\"jited_bytes\":%u,\"verified_insns\":%u},",
	       r->offload.xlated_insns, r->offload.jited_bytes, r->offload.verified_insns);
	printf("\"segoff_xdp_percpu\":{\"xlated_insns\":%u,\"jited_bytes\":%u,\"verified_insns\":%u}},",
	       r->host.xlated_insns, r->host.jited_bytes, r->host.verified_insns);
	printf("\"rate\":{\"baseline_pps\":%.0f,\"segoff_pps\":%.0f,\"segoff_rx_pps\":%.0f,"
	       "\"ratio\":%.4f},", r->base_pps, r->segoff_pps, r->segoff_rx_pps,
	       r->segoff_pps / r->base_pps);
	printf("\"latency_ns\":{");
	json_lat("baseline", &r->lat_base, ",");
	json_lat("segoff", &r->lat_segoff, "}");
	printf(",\"loadavg\":{\"before\":%.2f,\"after\":%.2f}}\n", r->load_before[0],
	       r->load_after[0]);
}

static void md_verdict(FILE *f, const char *what, double got, double limit, int below)
{
	int ok = below ? got <= limit : got >= limit;

	if (ok)
		fprintf(f, "- %s: %.2f, target %s %.2f: **met**\n", what, got, below ? "<=" : ">=",
			limit);
	else
		fprintf(f, "- %s: %.2f, target %s %.2f: **missed by %.1f%%**\n", what, got,
			below ? "<=" : ">=", limit, 100 * (below ? got / limit - 1 : 1 - got / limit));
}

static void md_system(FILE *f, const struct bench_result *r)
{
	char model[256] = "unknown", line[512], when[64];
	struct utsname u;
	time_t now = time(NULL);
	FILE *ci = fopen("/proc/cpuinfo", "r");

	while (ci && fgets(line, sizeof(line), ci))
		if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
			snprintf(model, sizeof(model), "%s", strchr(line, ':') + 2);
			model[strcspn(model, "\n")] = 0;
			break;
		}
	if (ci)
		fclose(ci);
	uname(&u);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	fprintf(f, "Run %s on Linux %s, %ld CPUs (%s). Load average (1, 5, 15 min) "
		"%.2f %.2f %.2f before and %.2f %.2f %.2f after the run: other work shared "
		"the machine, which is why every phase interleaves baseline and segoff.\n\n",
		when, u.release, sysconf(_SC_NPROCESSORS_ONLN), model, r->load_before[0],
		r->load_before[1], r->load_before[2], r->load_after[0], r->load_after[1],
		r->load_after[2]);
}

int bench_write_md(const char *path, const char *analysis, const char *plot,
		   const struct bench_opts *o, const struct bench_result *r)
{
	const struct bench_lat *b = &r->lat_base, *s = &r->lat_segoff;
	char line[1024];
	FILE *f, *a;
	int i;

	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "segoff-bench: Unable to write %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "# segoff benchmarks\n\n");
	fprintf(f, "Written by `segoff-bench` (`make bench`; source in bench/). ");
	md_system(f, r);
	if (plot)
		fprintf(f, "![ns per frame and round-trip latency](%s)\n\n", plot);

	fprintf(f, "## Program cost\n\n");
	fprintf(f, "BPF_PROG_TEST_RUN on one request frame (the first window of the data set), "
		"%d runs of %llu repetitions per program, runs interleaved across programs; "
		"ns per frame is the median run, timed with CLOCK_MONOTONIC around the syscall. "
		"Every repetition is a full evaluation: `bench_segoff` (bench/bench.bpf.c) runs "
		"the body of `segoff_xdp_percpu` and then puts the tag back to 0, and the "
		"per-CPU counters must show windows evaluated == repetitions, all split or "
		"nosplit. The baseline is `return XDP_PASS`; the re-arm store is charged to "
		"segoff.\n\n", o->runs, (unsigned long long)o->iterations);
	fprintf(f, "| program | ns/frame | min..max | ratio | net ns | net ns/verdict | "
		"kernel's ns | windows evaluated |\n");
	fprintf(f, "|---|---:|---:|---:|---:|---:|---:|---:|\n");
	fprintf(f, "| baseline XDP_PASS | %.2f | %.2f..%.2f | 1.00 | 0 | - | %.0f | - |\n",
		r->baseline_ns, r->baseline_min, r->baseline_max, r->baseline_kns);
	for (i = 0; i < r->nv; i++)
		fprintf(f, "| %s | %.2f | %.2f..%.2f | %.2f | %.2f | %.2f | %.0f | %llu of %llu x %u |\n",
			r->v[i].name, r->v[i].ns, r->v[i].ns_min, r->v[i].ns_max,
			ratio(r, &r->v[i]), r->v[i].ns - r->baseline_ns, per_verdict(r, &r->v[i]),
			r->v[i].kns, (unsigned long long)r->v[i].windows,
			(unsigned long long)r->v[i].iterations, r->v[i].per_frame);
	fprintf(f, "\nOne program serves every variant (encoding and arithmetic are read from "
		"the config map), so the size is per program, loaded on the host from `%s`:\n\n",
		o->segoff_obj);
	fprintf(f, "| program | xlated insns | jited bytes | verifier insns processed |\n");
	fprintf(f, "|---|---:|---:|---:|\n");
	fprintf(f, "| segoff_xdp (offload, atomic counters) | %u | %u | %u |\n",
		r->offload.xlated_insns, r->offload.jited_bytes, r->offload.verified_insns);
	fprintf(f, "| segoff_xdp_percpu (native/generic) | %u | %u | %u |\n\n",
		r->host.xlated_insns, r->host.jited_bytes, r->host.verified_insns);

	fprintf(f, "## Data-path rate\n\n");
	fprintf(f, "veth pair across two namespaces, native XDP on the receiver, a sender "
		"process pushing the default (fixed-exact, IPv4) request frame with AF_PACKET, "
		"PACKET_QDISC_BYPASS and sendmmsg batches of 64; %d rounds of %.1f s per program, "
		"alternating, medians. Baseline: sgb1 rx_packets delta under `XDP_PASS`; "
		"segoff: the windows counter delta (rx_packets in the same rounds: %.0f/s).\n\n",
		o->rate_rounds, o->rate_secs, r->segoff_rx_pps);
	fprintf(f, "| program | frames/s |\n|---|---:|\n");
	fprintf(f, "| baseline XDP_PASS | %.0f |\n| segoff | %.0f (%.1f%%) |\n\n", r->base_pps,
		r->segoff_pps, 100 * r->segoff_pps / r->base_pps);

	fprintf(f, "## Latency\n\n");
	fprintf(f, "Round trip of one full request frame at a time over the veth pair; sgb1's "
		"tc ingress reflects it (`u32 match u32 0 0 action mirred egress redirect`) "
		"after XDP. Baseline: the XDP_PASS program attached (so that both sides take "
		"the same veth XDP path; only the program differs); segoff: every reply must "
		"carry the reference verdict. %ld probes per side in alternating blocks.\n\n",
		b->probes);
	fprintf(f, "| ns | min | p50 | p99 | p99.9 | lost |\n|---|---:|---:|---:|---:|---:|\n");
	fprintf(f, "| baseline | %.0f | %.0f | %.0f | %.0f | %ld |\n", b->min, b->p50, b->p99,
		b->p999, b->lost);
	fprintf(f, "| segoff | %.0f | %.0f | %.0f | %.0f | %ld |\n", s->min, s->p50, s->p99,
		s->p999, s->lost);
	fprintf(f, "| difference | %.0f | %.0f | %.0f | %.0f | |\n\n", s->min - b->min,
		s->p50 - b->p50, s->p99 - b->p99, s->p999 - b->p999);

	fprintf(f, "## Targets\n\n");
	for (i = 0; i < r->nv; i++) {
		if (r->v[i].samples) {
			snprintf(line, sizeof(line), "%s net ns per verdict", r->v[i].name);
			md_verdict(f, line, per_verdict(r, &r->v[i]), TARGET_VERDICT_FIXED, 1);
			continue;
		}
		snprintf(line, sizeof(line), "%s ratio", r->v[i].name);
		md_verdict(f, line, ratio(r, &r->v[i]), target(&r->v[i]), 1);
	}
	md_verdict(f, "rate with segoff / baseline", r->segoff_pps / r->base_pps, TARGET_RATE, 0);
	md_verdict(f, "segoff_xdp xlated insns", r->offload.xlated_insns, TARGET_INSNS, 1);
	md_verdict(f, "segoff_xdp_percpu xlated insns", r->host.xlated_insns, TARGET_INSNS, 1);
	fprintf(f, "\n");

	if (analysis) {
		a = fopen(analysis, "r");
		if (!a) {
			fprintf(stderr, "segoff-bench: Unable to read %s: %s\n", analysis,
				strerror(errno));
			fclose(f);
			return -1;
		}
		while (fgets(line, sizeof(line), a))
			fputs(line, f);
		fclose(a);
	}
	if (fclose(f)) {
		fprintf(stderr, "segoff-bench: Unable to write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int bench_write_plot(const char *path, const struct bench_result *r)
{
	const struct bench_lat *l[2] = { &r->lat_base, &r->lat_segoff };
	FILE *g;
	int i;

	g = popen("gnuplot", "w");
	if (!g) {
		fprintf(stderr, "segoff-bench: Unable to run gnuplot: %s\n", strerror(errno));
		return -1;
	}
	fprintf(g, "set terminal svg size 960,420 noenhanced font 'sans,11'\nset output '%s'\n", path);
	fprintf(g, "set multiplot layout 1,2\nset style data histogram\n"
		"set style histogram clustered gap 1\nset style fill solid 0.7 border -1\n"
		"set boxwidth 0.8\nset grid ytics\nset key off\nset yrange [0:*]\n"
		"set xtics rotate by -30\n");
	fprintf(g, "set title 'BPF_PROG_TEST_RUN, ns per frame'\n"
		"plot '-' using 2:xtic(1) lc rgb '#4477aa'\n");
	fprintf(g, "\"XDP_PASS\" %.3f\n", r->baseline_ns);
	for (i = 0; i < r->nv; i++)
		fprintf(g, "\"%s\" %.3f\n", r->v[i].name, r->v[i].ns);
	fprintf(g, "e\n");
	fprintf(g, "set title 'veth round trip, ns'\nset key top left\nset xtics norotate\n"
		"plot '-' using 2:xtic(1) title 'XDP_PASS' lc rgb '#4477aa', "
		"'' using 3 title 'segoff' lc rgb '#ee6677'\n");
	for (i = 0; i < 2; i++) {
		fprintf(g, "min %.0f %.0f\np50 %.0f %.0f\np99 %.0f %.0f\np99.9 %.0f %.0f\ne\n",
			l[0]->min, l[1]->min, l[0]->p50, l[1]->p50, l[0]->p99, l[1]->p99,
			l[0]->p999, l[1]->p999);
	}
	fprintf(g, "unset multiplot\n");
	if (pclose(g)) {
		fprintf(stderr, "segoff-bench: gnuplot failed writing %s\n", path);
		return -1;
	}
	return 0;
}
