// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The results of one run: a table, one JSON object, BENCHMARKS.md, a plot. */
#include <errno.h>
#include <stddef.h>
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
#define TARGET_VERDICT_DOUBLE	8.0
/* the largest stream frames: windows answered per second over single frames' */
#define TARGET_STREAM_RATE	50.0

static double target(const struct bench_variant *v)
{
	return v->encoding == SEGOFF_ENC_DOUBLE ? TARGET_DOUBLE : TARGET_FIXED;
}

/* ns over what the variant's figures subtract (XDP_PASS, or the write-back), same runs */
static double net(const struct bench_variant *v)
{
	return v->ns - v->base_ns;
}

static double ratio(const struct bench_result *r, const struct bench_variant *v)
{
	return 1 + net(v) / r->baseline_ns;
}

/* segoff's whole program on a single frame: what the seed's programs are held against */
static int single(const struct bench_variant *v)
{
	return !v->samples && !v->seed_prog && !v->part;
}

static const struct bench_variant *find(const struct bench_result *r, const char *name)
{
	int i;

	for (i = 0; i < r->nv; i++)
		if (!strcmp(r->v[i].name, name))
			return &r->v[i];
	return NULL;
}

/* the seed's program for @v's encoding, if it ran */
static const struct bench_variant *seed_of(const struct bench_result *r,
					   const struct bench_variant *v)
{
	return find(r, v->encoding == SEGOFF_ENC_DOUBLE ? "seedprog-double" : "seedprog-fixed");
}

/* how the bench knows that every repetition evaluated */
static const char *checked(const struct bench_variant *v, char *buf, size_t len)
{
	if (v->seed_prog)
		snprintf(buf, len, "verdict %u left in every run", v->want_tag);
	else if (v->part)
		snprintf(buf, len, "%llu frames of %llu, 0 windows", (unsigned long long)v->frames,
			 (unsigned long long)v->iterations);
	else
		snprintf(buf, len, "%llu of %llu x %u", (unsigned long long)v->windows,
			 (unsigned long long)v->iterations, v->per_frame);
	return buf;
}

/*
 * What each part of the program costs: the body stopped after each part
 * (bench_part_*), the differences of the medians. {variant, part name}.
 */
static const char *const parts[][2] = {
	{ "/config", "maps looked up (config, its entry in force, counters), frame counted" },
	{ "/parse", "Ethernet, 802.1Q, IPv4 or IPv6, UDP port, magic and tag" },
	{ "/window", "16 samples read, checked, converted and tested" },
	{ "", "verdict counted, tag written, UDP checksum, reply mode" },
};
#define NPARTS (sizeof(parts) / sizeof(parts[0]))

/*
 * The figures of @base's parts, 0 if one did not run: from the medians of
 * our clock, or of the kernel's whole ns (@kernel), which leave out the
 * time the test run was preempted and so hold up better on a loaded
 * machine.
 */
static int part_costs(const struct bench_result *r, const char *base, int kernel,
		      double cost[NPARTS])
{
	const struct bench_variant *v;
	double before = kernel ? r->baseline_kns : r->baseline_ns;
	char name[64];
	size_t i;

	for (i = 0; i < NPARTS; i++) {
		snprintf(name, sizeof(name), "%s%s", base, parts[i][0]);
		v = find(r, name);
		if (!v)
			return 0;
		cost[i] = (kernel ? v->kns : v->ns) - before;
		before = kernel ? v->kns : v->ns;
	}
	return 1;
}

/* The rate comparisons: a figure of one path over a figure of another, same run. */
#define FIG(f)	offsetof(struct bench_rate, f)
static const struct {
	const char *id, *what;
	int path;
	size_t fig;
	int over;
	size_t over_fig;
	double target;			/* at least; 0: none */
} cmps[] = {
	{ "segoff_vs_baseline", "rate with segoff / baseline (windows answered / frames in)",
	  BENCH_PATH_PASS, FIG(windows), BENCH_PATH_BASE, FIG(rx), TARGET_RATE },
	{ "tx_vs_pass", "verdicts back with reply tx / reply pass and the reflector",
	  BENCH_PATH_TX, FIG(verdicts), BENCH_PATH_PASS, FIG(verdicts), 0 },
	{ "stream64_vs_single", "windows answered, stream 64 / single frames (reply tx)",
	  BENCH_PATH_STREAM64, FIG(windows), BENCH_PATH_TX, FIG(windows), 0 },
	{ "stream_max_vs_single", "windows answered, stream " BENCH_XSTR(SEGOFF_STREAM_MAX_FIXED)
	  " / single frames (reply tx)", BENCH_PATH_STREAM_MAX, FIG(windows), BENCH_PATH_TX,
	  FIG(windows), TARGET_STREAM_RATE },
};
#define NCMPS (sizeof(cmps) / sizeof(cmps[0]))

static double fig(const struct bench_result *r, int path, size_t off)
{
	return *(const double *)((const char *)&r->rate[path] + off);
}

static double cmp_value(const struct bench_result *r, size_t i)
{
	return fig(r, cmps[i].path, cmps[i].fig) / fig(r, cmps[i].over, cmps[i].over_fig);
}

/* the latency table's rows: each single-frame path, then what each step adds */
static const struct {
	const char *name;		/* NULL: the path's */
	int path, minus;		/* -1: the path's own figures */
} lat_rows[] = {
	{ NULL, BENCH_PATH_BASE, -1 },
	{ NULL, BENCH_PATH_PASS, -1 },
	{ NULL, BENCH_PATH_TX, -1 },
	{ "reply pass - baseline", BENCH_PATH_PASS, BENCH_PATH_BASE },
	{ "reply tx - reply pass", BENCH_PATH_TX, BENCH_PATH_PASS },
};
#define NLAT_ROWS (sizeof(lat_rows) / sizeof(lat_rows[0]))

/* min, p50, p99, p99.9 of @a, less @b's unless NULL */
static void lat_diff(const struct bench_lat *a, const struct bench_lat *b, double v[4])
{
	v[0] = a->min - (b ? b->min : 0);
	v[1] = a->p50 - (b ? b->p50 : 0);
	v[2] = a->p99 - (b ? b->p99 : 0);
	v[3] = a->p999 - (b ? b->p999 : 0);
}

/* row @i's figures; its name */
static const char *lat_row(const struct bench_result *r, size_t i, double v[4])
{
	int minus = lat_rows[i].minus;

	lat_diff(&r->lat[lat_rows[i].path], minus < 0 ? NULL : &r->lat[minus], v);
	return lat_rows[i].name ? lat_rows[i].name : bench_paths[lat_rows[i].path].name;
}

/* ns over XDP_PASS per window answered: a stream frame answers many */
static double per_verdict(const struct bench_variant *v)
{
	return net(v) / v->per_frame;
}

void bench_print_table(const struct bench_opts *o, const struct bench_result *r)
{
	double v[4], cost[NPARTS];
	const char *name;
	char line[128];
	int i, j;

	printf("program cost (BPF_PROG_TEST_RUN, median of %d x %llu)\n", o->runs,
	       (unsigned long long)o->iterations);
	printf("  %-24s %9s %7s %7s %7s %10s  %s\n", "variant", "ns/frame", "net", "ratio",
	       "kernel", "net/verdict", "evaluated");
	printf("  %-24s %9.2f %7s %7s %7.0f\n", "baseline XDP_PASS", r->baseline_ns, "0", "1.00",
	       r->baseline_kns);
	for (i = 0; i < r->nv; i++) {
		const struct bench_variant *v = &r->v[i];

		printf("  %-24s %9.2f %7.2f %7.2f %7.0f %10.2f  %s", v->name, v->ns, net(v),
		       ratio(r, v), v->kns, per_verdict(v), checked(v, line, sizeof(line)));
		if (v->base_name[0])
			printf(" (less the %s, %.2f ns)", v->base_name, v->base_ns);
		printf("\n");
	}
	for (j = 0; j < 2; j++) {
		if (!part_costs(r, j ? "double-exact" : "fixed-exact", 0, cost))
			continue;
		printf("  parts of %s, ns:", j ? "double-exact" : "fixed-exact");
		for (i = 0; i < (int)NPARTS; i++)
			printf(" %s %.2f", parts[i][0][0] ? parts[i][0] + 1 : "rest", cost[i]);
		printf("\n");
	}
	printf("program size (host-loaded from %s)\n", o->segoff_obj);
	printf("  segoff_xdp         %u xlated insns, %u jited bytes, %u verified\n",
	       r->offload.xlated_insns, r->offload.jited_bytes, r->offload.verified_insns);
	printf("  segoff_xdp_percpu  %u xlated insns, %u jited bytes, %u verified\n",
	       r->host.xlated_insns, r->host.jited_bytes, r->host.verified_insns);
	if (o->cost_only)
		return;
	printf("data-path rate (veth, native XDP, median of %d x %.1f s), per second\n",
	       o->rate_rounds, o->rate_secs);
	printf("  %-32s %10s %10s %10s %10s %10s\n", "path", "sent", "into sgb1", "windows",
	       "back", "mismatched");
	for (i = 0; i < BENCH_NPATHS; i++)
		printf("  %-32s %10.0f %10.0f %10.0f %10.0f %10llu\n", bench_paths[i].name,
		       r->rate[i].sent, r->rate[i].rx, r->rate[i].windows, r->rate[i].verdicts,
		       (unsigned long long)r->rate[i].mismatched);
	for (i = 0; i < (int)NCMPS; i++)
		printf("  %s: %.2f\n", cmps[i].what, cmp_value(r, i));
	printf("latency (round trip, ns)           %10s %10s %10s %10s %10s\n", "min", "p50",
	       "p99", "p99.9", "lost");
	for (i = 0; i < (int)NLAT_ROWS; i++) {
		name = lat_row(r, i, v);
		printf("  %-32s %10.0f %10.0f %10.0f %10.0f", name, v[0], v[1], v[2], v[3]);
		if (lat_rows[i].minus < 0)
			printf(" %10ld of %ld", r->lat[lat_rows[i].path].lost,
			       r->lat[lat_rows[i].path].probes);
		printf("\n");
	}
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
		       "\"stream_samples\":%u,\"windows_per_frame\":%u,\"net_ns_per_verdict\":%.3f,"
		       "\"net_ns\":%.3f,\"subtracted_ns\":%.3f,\"seed_prog\":%s,\"part\":%s,"
		       "\"frames\":%llu,\"wrong_tag_runs\":%u}",
		       i ? "," : "", r->v[i].name, r->v[i].ns, r->v[i].ns_min, r->v[i].ns_max,
		       r->v[i].kns, ratio(r, &r->v[i]), (unsigned long long)r->v[i].iterations,
		       (unsigned long long)r->v[i].windows, (unsigned long long)r->v[i].split,
		       (unsigned long long)r->v[i].nosplit, r->host.xlated_insns,
		       r->host.jited_bytes, r->v[i].samples, r->v[i].per_frame,
		       per_verdict(&r->v[i]), net(&r->v[i]), r->v[i].base_ns,
		       r->v[i].seed_prog ? "true" : "false", r->v[i].part ? "true" : "false",
		       (unsigned long long)r->v[i].frames, r->v[i].wrong_tag);
	printf("],\"programs\":{");
	printf("\"segoff_xdp\":{\"xlated_insns\":%u,\"jited_bytes\":%u,\"verified_insns\":%u},",
	       r->offload.xlated_insns, r->offload.jited_bytes, r->offload.verified_insns);
	printf("\"segoff_xdp_percpu\":{\"xlated_insns\":%u,\"jited_bytes\":%u,\"verified_insns\":%u}},",
	       r->host.xlated_insns, r->host.jited_bytes, r->host.verified_insns);
	printf("\"rate\":{\"paths\":[");
	for (i = 0; i < BENCH_NPATHS; i++)
		printf("%s{\"id\":\"%s\",\"name\":\"%s\",\"stream_samples\":%u,"
		       "\"sent_pps\":%.0f,\"rx_pps\":%.0f,\"windows_pps\":%.0f,"
		       "\"verdicts_pps\":%.0f,\"mismatched\":%llu}", i ? "," : "",
		       bench_paths[i].id, bench_paths[i].name, bench_paths[i].samples,
		       r->rate[i].sent, r->rate[i].rx, r->rate[i].windows, r->rate[i].verdicts,
		       (unsigned long long)r->rate[i].mismatched);
	printf("]");
	for (i = 0; i < (int)NCMPS; i++)
		printf(",\"%s\":%.4f", cmps[i].id, cmp_value(r, i));
	printf("},\"latency_ns\":{");
	for (i = 0; i < BENCH_LAT_PATHS; i++)
		json_lat(bench_paths[i].id, &r->lat[i], i + 1 < BENCH_LAT_PATHS ? "," : "}");
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
		fprintf(f, "- %s: %.2f, target %s %.2f: **missed by %.2f (%.1f%%)**\n", what, got,
			below ? "<=" : ">=", limit, below ? got - limit : limit - got,
			100 * (below ? got / limit - 1 : 1 - got / limit));
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

/* @p below the working directory (make bench runs in the tree) as relative to it */
static const char *relative(const char *p)
{
	char cwd[4096];
	size_t n;

	if (!getcwd(cwd, sizeof(cwd)))
		return p;
	n = strlen(cwd);
	return !strncmp(p, cwd, n) && p[n] == '/' ? p + n + 1 : p;
}

/* What each part of the program costs, for the variants whose parts ran. */
static void md_parts(FILE *f, const struct bench_result *r)
{
	static const char *const base[] = { "fixed-exact", "double-exact" };
	double cost[4][NPARTS], total[4] = { 0, 0, 0, 0 };
	int have[4], i, j;

	/* ours, the kernel's; fixed, double */
	for (j = 0; j < 4; j++)
		have[j] = part_costs(r, base[j % 2], j / 2, cost[j]);
	if (!have[0] && !have[1])
		return;
	fprintf(f, "\nWhat each part of the program costs: the body of `segoff_xdp_percpu` "
		"stopped after each part (`bench_part_*`, enum segoff_part in bpf/segoff.bpf.c), "
		"each part the difference to the one before, from the medians of ns/frame and of "
		"the kernel's whole ns (which leaves out the time the test run was preempted), so "
		"that a part carries the noise of two figures and can be negative by that "
		"much:\n\n");
	fprintf(f, "| part | what | fixed-exact ns | double-exact ns | fixed-exact, kernel's | "
		"double-exact, kernel's |\n|---|---|---:|---:|---:|---:|\n");
	for (i = 0; i < (int)NPARTS; i++) {
		fprintf(f, "| %s | %s |", parts[i][0][0] ? parts[i][0] + 1 : "rest", parts[i][1]);
		for (j = 0; j < 4; j++) {
			if (have[j])
				fprintf(f, " %.2f |", cost[j][i]);
			else
				fprintf(f, " - |");
			total[j] += have[j] ? cost[j][i] : 0;
		}
		fprintf(f, "\n");
	}
	fprintf(f, "| all | net ns |");
	for (j = 0; j < 4; j++)
		fprintf(f, have[j] ? " %.2f |" : " - |", total[j]);
	fprintf(f, "\n");
}

int bench_write_md(const char *path, const char *analysis, const char *plot,
		   const struct bench_opts *o, const struct bench_result *r)
{
	const char *name;
	char line[1024];
	double v[4];
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
		fprintf(f, "![ns per frame, data-path rate and round-trip latency](%s)\n\n", plot);

	fprintf(f, "## Program cost\n\n");
	fprintf(f, "BPF_PROG_TEST_RUN on one request frame (the first window of the data set), "
		"%d runs of %llu repetitions per program, runs interleaved across programs; "
		"ns per frame is the median run, timed with CLOCK_MONOTONIC around the syscall; "
		"net ns is that less the baseline's median, `return XDP_PASS`. "
		"Every repetition is a full evaluation: `bench_segoff` (bench/bench.bpf.c) runs "
		"the body of `segoff_xdp_percpu` and then puts the tag back to 0, and the "
		"per-CPU counters must show windows evaluated == repetitions, all split or "
		"nosplit; the re-arm is charged to the program. `seedprog-*` are the seed's own "
		"two programs (fixed offsets, no VLAN, IPv6 or IPv4 options, no config, counters, "
		"checksum or invalid samples, its constants and its conversion of doubles), "
		"re-armed by the same code before they run and checked by the verdict they "
		"leave. Double stream frames are converted in place, so `bench_segoff_restore` "
		"writes the doubles back after each repetition: that write-back, timed alone on "
		"the same frame in the same runs, is what their net ns subtract instead of "
		"XDP_PASS. `VARIANT/PART` is the body stopped after that part (below).\n\n",
		o->runs, (unsigned long long)o->iterations);
	fprintf(f, "| program | ns/frame | min..max | ratio | net ns | net ns/verdict | "
		"kernel's ns | evaluated |\n");
	fprintf(f, "|---|---:|---:|---:|---:|---:|---:|---:|\n");
	fprintf(f, "| baseline XDP_PASS | %.2f | %.2f..%.2f | 1.00 | 0 | - | %.0f | - |\n",
		r->baseline_ns, r->baseline_min, r->baseline_max, r->baseline_kns);
	for (i = 0; i < r->nv; i++) {
		const struct bench_variant *v = &r->v[i];

		fprintf(f, "| %s | %.2f | %.2f..%.2f | %.2f | %.2f | %.2f | %.0f | %s", v->name,
			v->ns, v->ns_min, v->ns_max, ratio(r, v), net(v), per_verdict(v), v->kns,
			checked(v, line, sizeof(line)));
		if (v->base_name[0])
			fprintf(f, "; less the %s, %.2f ns", v->base_name, v->base_ns);
		fprintf(f, " |\n");
	}
	md_parts(f, r);
	fprintf(f, "\nOne program serves every variant (encoding and arithmetic are read from "
		"the config map), so the size is per program, loaded on the host from `%s`:\n\n",
		relative(o->segoff_obj));
	fprintf(f, "| program | xlated insns | jited bytes | verifier insns processed |\n");
	fprintf(f, "|---|---:|---:|---:|\n");
	fprintf(f, "| segoff_xdp (offload, atomic counters) | %u | %u | %u |\n",
		r->offload.xlated_insns, r->offload.jited_bytes, r->offload.verified_insns);
	fprintf(f, "| segoff_xdp_percpu (native/generic) | %u | %u | %u |\n\n",
		r->host.xlated_insns, r->host.jited_bytes, r->host.verified_insns);

	fprintf(f, "## Data-path rate\n\n");
	fprintf(f, "veth pair across two namespaces, native XDP on both ends: the sender's sgb0 "
		"runs `XDP_PASS` (veth hands an XDP_TX frame only to a peer that runs XDP). The "
		"requests come from a MAC address no interface has, so that every answer is "
		"another host's frame to sgb0's IP stack, dropped at once after the packet "
		"socket's copy, whichever path it took. A sender process pushes the default "
		"(fixed-exact, IPv4) request frame into sgb0 with AF_PACKET, PACKET_QDISC_BYPASS "
		"and sendmmsg batches of 64 and, between batches, reads back every answer and "
		"checks every verdict in it against the reference; %d rounds of %.1f s per path, "
		"paths in turn, medians.\n\n", o->rate_rounds, o->rate_secs);
	fprintf(f, "- baseline: `XDP_PASS` on sgb1, whose tc ingress reflects every frame back "
		"(`u32 match u32 0 0 action mirred egress redirect`); the request must come "
		"back untouched.\n"
		"- reply pass, reflector: segoff answers in place and passes the frame on; the "
		"same reflector sends it back.\n"
		"- reply tx: segoff sends the answer back itself (XDP_TX), before tc.\n"
		"- stream N: reply tx with stream frames of N samples, each answering N - 15 "
		"windows (the frame repeats the window, so every window costs alike); frames "
		"per second are those into sgb1. The target is for the largest frame: at least "
		"%.0fx the windows single frames get answered per second, with reply tx both (a "
		"64-sample frame answers 49 windows, so it could reach that only by moving "
		"more frames than single frames do).\n\n", TARGET_STREAM_RATE);
	fprintf(f, "Per second: frames the sender got out, frames into sgb1 (its rx_packets), "
		"windows answered (the program's windows counter), verdicts back (windows "
		"answered as the reference does, checked at the sender; untouched requests on "
		"the baseline); mismatched: windows answered otherwise, or in a frame with a bad "
		"UDP checksum, over all rounds.\n\n");
	fprintf(f, "| path | sent | into sgb1 | windows answered | verdicts back | mismatched |\n"
		"|---|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < BENCH_NPATHS; i++)
		fprintf(f, "| %s | %.0f | %.0f | %.0f | %.0f | %llu |\n", bench_paths[i].name,
			r->rate[i].sent, r->rate[i].rx, r->rate[i].windows, r->rate[i].verdicts,
			(unsigned long long)r->rate[i].mismatched);
	fprintf(f, "\n");
	for (i = 0; i < (int)NCMPS; i++)
		fprintf(f, "- %s: %.2f\n", cmps[i].what, cmp_value(r, i));
	fprintf(f, "\n");

	fprintf(f, "## Latency\n\n");
	fprintf(f, "Round trip of one full request frame at a time over the same veth pair, on "
		"the single-frame paths above: the baseline and reply pass come back through "
		"sgb1's tc reflector after XDP, reply tx straight from the program. Every answer "
		"must carry the reference verdict (the untouched request on the baseline). %ld "
		"probes per path in alternating blocks.\n\n", r->lat[BENCH_PATH_BASE].probes);
	fprintf(f, "| ns | min | p50 | p99 | p99.9 | lost |\n|---|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < (int)NLAT_ROWS; i++) {
		name = lat_row(r, i, v);
		fprintf(f, "| %s | %.0f | %.0f | %.0f | %.0f |", name, v[0], v[1], v[2], v[3]);
		if (lat_rows[i].minus < 0)
			fprintf(f, " %ld |\n", r->lat[lat_rows[i].path].lost);
		else
			fprintf(f, " |\n");
	}
	fprintf(f, "\n");

	fprintf(f, "## Targets\n\n");
	for (i = 0; i < r->nv; i++) {
		const struct bench_variant *v = &r->v[i], *seed = seed_of(r, v);

		if (v->samples) {
			snprintf(line, sizeof(line), "%s net ns per verdict", v->name);
			md_verdict(f, line, per_verdict(v), v->encoding == SEGOFF_ENC_DOUBLE ?
				   TARGET_VERDICT_DOUBLE : TARGET_VERDICT_FIXED, 1);
			continue;
		}
		if (!single(v))
			continue;
		snprintf(line, sizeof(line), "%s ratio", v->name);
		md_verdict(f, line, ratio(r, v), target(v), 1);
		if (!seed)
			continue;
		snprintf(line, sizeof(line), "%s net ns, target: %s's net ns in the same run",
			 v->name, seed->name);
		md_verdict(f, line, net(v), net(seed), 1);
	}
	for (i = 0; i < (int)NCMPS; i++)
		if (cmps[i].target)
			md_verdict(f, cmps[i].what, cmp_value(r, i), cmps[i].target, 0);
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
	static const char *const colour[BENCH_LAT_PATHS] = { "#4477aa", "#ee6677", "#228833" };
	static const char *const pct[] = { "min", "p50", "p99", "p99.9" };
	double v[BENCH_LAT_PATHS][4];
	FILE *g;
	int i, j, k;

	g = popen("gnuplot", "w");
	if (!g) {
		fprintf(stderr, "segoff-bench: Unable to run gnuplot: %s\n", strerror(errno));
		return -1;
	}
	fprintf(g, "set terminal svg size 1440,440 noenhanced font 'sans,11'\nset output '%s'\n", path);
	fprintf(g, "set multiplot layout 1,3\nset style data histogram\n"
		"set style histogram clustered gap 1\nset style fill solid 0.7 border -1\n"
		"set boxwidth 0.8\nset grid ytics\nset key off\nset yrange [0:*]\n"
		"set xtics rotate by -30\n");
	fprintf(g, "set title 'BPF_PROG_TEST_RUN, ns per frame'\n"
		"plot '-' using 2:xtic(1) lc rgb '#4477aa'\n");
	fprintf(g, "\"XDP_PASS\" %.3f\n", r->baseline_ns);
	for (i = 0; i < r->nv; i++)
		fprintf(g, "\"%s\" %.3f\n", r->v[i].name, r->v[i].ns);
	fprintf(g, "e\n");
	fprintf(g, "set title 'veth data path, verdicts back per second (log)'\n"
		"set logscale y\nset yrange [1e4:*]\nplot '-' using 2:xtic(1) lc rgb '#4477aa'\n");
	for (i = 0; i < BENCH_NPATHS; i++)
		fprintf(g, "\"%s\" %.0f\n", bench_paths[i].id, r->rate[i].verdicts);
	fprintf(g, "e\nunset logscale y\nset yrange [0:*]\n");
	fprintf(g, "set title 'veth round trip, ns'\nset key top left\nset xtics norotate\nplot");
	for (j = 0; j < BENCH_LAT_PATHS; j++)
		fprintf(g, "%s '%s' using %d%s title '%s' lc rgb '%s'", j ? "," : "", j ? "" : "-",
			j + 2, j ? "" : ":xtic(1)", bench_paths[j].name, colour[j]);
	fprintf(g, "\n");
	for (j = 0; j < BENCH_LAT_PATHS; j++)
		lat_diff(&r->lat[j], NULL, v[j]);
	/* gnuplot reads the inline data once per plot element */
	for (j = 0; j < BENCH_LAT_PATHS; j++) {
		for (i = 0; i < 4; i++) {
			fprintf(g, "%s", pct[i]);
			for (k = 0; k < BENCH_LAT_PATHS; k++)
				fprintf(g, " %.0f", v[k][i]);
			fprintf(g, "\n");
		}
		fprintf(g, "e\n");
	}
	fprintf(g, "unset multiplot\n");
	if (pclose(g)) {
		fprintf(stderr, "segoff-bench: gnuplot failed writing %s\n", path);
		return -1;
	}
	return 0;
}
