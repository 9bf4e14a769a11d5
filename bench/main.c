// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * segoff-bench: the program's cost, the data-path rate and the round-trip
 * latency, each against an XDP_PASS baseline in the same run; rate and
 * latency with reply pass and a reflector against reply tx, and the
 * rate of stream frames against single frames.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "bench.h"
#include "net.h"

static int verbose;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: segoff-bench [-j] [-v] [-o BENCHMARKS.md] [-g PLOT.svg] [-a ANALYSIS.md]\n"
		"                    [-O segoff.bpf.o] [-B bench.bpf.o] [-d DATA] [quick] [cost [VARIANT...]]\n"
		"  -j   print one JSON object instead of the table\n"
		"  -o   write the results as markdown, -a appending a hand-written analysis\n"
		"  -g   draw ns per frame and latency with gnuplot (SVG)\n"
		"  -O, -B  the objects (default: bpf/segoff.bpf.o, bench/bench.bpf.o\n"
		"          next to this program); -d the data set whose first window is sent\n"
		"  quick   short phases for CI: the numbers are not meant to be read\n"
		"  cost    the program cost and size only (a table): for work on the program;\n"
		"          with VARIANTs, only the variants whose names start so\n");
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!verbose && level != LIBBPF_WARN)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static char *next_to_me(const char *rel)
{
	char exe[4096], *dir, *path;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = 0;
	dir = dirname(exe);
	if (asprintf(&path, "%s/%s", dir, rel) < 0)
		return NULL;
	return path;
}

static int read_load(double l[3])
{
	FILE *f = fopen("/proc/loadavg", "r");
	int n = f ? fscanf(f, "%lf %lf %lf", &l[0], &l[1], &l[2]) : 0;

	if (f)
		fclose(f);
	return n == 3 ? 0 : -1;
}

/* the first window of the data set, which every variant must accept */
static int read_window(const char *path)
{
	struct segoff_data d;
	struct segoff_config c;
	char err[256];
	int why, i;

	if (segoff_data_read(path, &d, err, sizeof(err))) {
		fprintf(stderr, "segoff-bench: %s\n", err);
		return -1;
	}
	if (d.n < SEGOFF_SAMPLES) {
		fprintf(stderr, "segoff-bench: %s: %zu samples, a window needs %d\n", path, d.n,
			SEGOFF_SAMPLES);
		segoff_data_free(&d);
		return -1;
	}
	memcpy(bench_window, d.x, sizeof(bench_window));
	segoff_data_free(&d);
	for (i = 0; i <= SEGOFF_ARITH_MAX; i++) {
		if (bench_config(SEGOFF_ENC_FIXED, i, &c))
			return -1;
		if (segoff_ref_window(bench_window, &c, &why) == SEGOFF_TAG_INVALID) {
			fprintf(stderr, "segoff-bench: %s: the first window is not evaluable\n", path);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *md = NULL, *plot = NULL, *analysis = NULL;
	struct bench_opts o = { .data = BENCH_DATA };
	struct bench_result r;
	struct bench_net n;
	struct bench_dp dp;
	int json = 0, c;

	while ((c = getopt(argc, argv, "jvo:g:a:O:B:d:h")) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'v': verbose = o.verbose = 1; break;
		case 'o': md = optarg; break;
		case 'g': plot = optarg; break;
		case 'a': analysis = optarg; break;
		case 'O': o.segoff_obj = optarg; break;
		case 'B': o.bench_obj = optarg; break;
		case 'd': o.data = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind < argc && !strcmp(argv[optind], "quick")) {
		o.quick = 1;
		optind++;
	}
	if (optind < argc && !strcmp(argv[optind], "cost")) {
		o.cost_only = 1;
		o.only = argv + ++optind;
		o.nonly = argc - optind;
		optind = argc;
	}
	if (o.cost_only && (json || md || plot)) {
		fprintf(stderr, "segoff-bench: cost prints a table only: no -j, -o or -g\n");
		return 1;
	}
	if (optind < argc) {
		fprintf(stderr, "segoff-bench: unexpected argument `%s'\n", argv[optind]);
		usage(stderr);
		return 1;
	}
	if (geteuid()) {
		fprintf(stderr, "segoff-bench: needs root (BPF, namespaces, XDP)\n");
		return 1;
	}
	if (!o.segoff_obj)
		o.segoff_obj = next_to_me("bpf/segoff.bpf.o");
	if (!o.bench_obj)
		o.bench_obj = next_to_me("bench/bench.bpf.o");
	if (!o.segoff_obj || !o.bench_obj)
		return 1;
	if (o.quick) {
		o.iterations = 100000;
		o.runs = 5;
		o.rate_secs = 0.5;
		o.rate_warmup = 0.1;
		o.rate_rounds = 1;
		o.probes = 10000;
	} else {
		o.iterations = 10000000;
		o.runs = 7;
		o.rate_secs = 3;
		o.rate_warmup = 0.3;
		o.rate_rounds = 3;
		o.probes = 1000000;
	}
	libbpf_set_print(libbpf_log);
	memset(&r, 0, sizeof(r));
	if (read_window(o.data) || read_load(r.load_before))
		return 1;

	if (bench_cost(&o, &r))
		return 1;
	if (o.cost_only) {
		bench_print_table(&o, &r);
		return 0;
	}
	if (bench_net_up(&n) || bench_dp_open(&dp, &o, &n) || bench_rate(&o, &dp, &r) ||
	    bench_latency(&o, &dp, &r))
		return 1;
	bench_dp_close(&dp);
	bench_net_down();
	if (read_load(r.load_after))
		return 1;

	if (json)
		bench_print_json(&o, &r);
	else
		bench_print_table(&o, &r);
	if (plot && bench_write_plot(plot, &r))
		return 1;
	if (md && bench_write_md(md, analysis, plot, &o, &r))
		return 1;
	return 0;
}
