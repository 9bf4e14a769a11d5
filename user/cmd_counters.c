// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * counters [dev IF] [format text|json|prometheus] [watch SECONDS]: the
 * bindings' counters, summed over CPUs by the module (or read from the
 * device when offloaded); watch repeats every SECONDS until SIGINT or
 * SIGTERM. format prometheus prints the text exposition format, for
 * node_exporter's textfile collector.
 */
#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "nl.h"
#include "tool.h"

/*
 * Every counter, once: its netlink attribute, the name the text and JSON
 * output use (and Prometheus as segoff_<name>_total), and its meaning.
 * Each format walks this table, so a counter added here is in all of them.
 */
static const struct counter {
	int attr;
	const char *name;
	const char *help;
} counters[] = {
	{ SEGOFF_A_STATS_FRAMES, "frames", "Frames the XDP program saw." },
	{ SEGOFF_A_STATS_WINDOWS, "windows",
	  "Windows answered: split, nosplit and invalid together." },
	{ SEGOFF_A_STATS_SPLIT, "split", "Windows answered split (a cut in the middle)." },
	{ SEGOFF_A_STATS_NOSPLIT, "nosplit", "Windows answered no split." },
	{ SEGOFF_A_STATS_INVALID_TRUNCATED, "invalid_truncated",
	  "Windows answered invalid: the frame ends inside the window." },
	{ SEGOFF_A_STATS_INVALID_RANGE, "invalid_range",
	  "Windows answered invalid: a sample is negative or 65536 or more." },
	{ SEGOFF_A_STATS_INVALID_NAN, "invalid_nan",
	  "Windows answered invalid: a sample is NaN or infinite." },
	{ SEGOFF_A_STATS_OTHER, "other", "Frames passed untouched: not a request." },
};

#define N_COUNTERS (sizeof(counters) / sizeof(counters[0]))

/* Every stats attribute after the binding's own (ifindex..prog_id) but pad is a counter. */
_Static_assert(N_COUNTERS == SEGOFF_A_STATS_MAX - SEGOFF_A_STATS_PROG_ID - 1,
	       "a SEGOFF_A_STATS_ counter is missing from the counters table");

enum counters_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_PROMETHEUS };

#define COUNTERS_ARGS "[dev IF] [format text|json|prometheus] [watch SECONDS]"

struct stats {
	uint32_t ifindex, mode, prog_id;
	char ifname[IF_NAMESIZE];
	uint64_t c[N_COUNTERS];
};

struct stats_list {
	struct stats *v;
	size_t n, cap;
	int bad;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int stats_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[SEGOFF_A_STATS_MAX + 1];
	struct stats_list *l = arg;
	struct stats *s, *v;
	int i;

	if (snl_parse(msg, tb, SEGOFF_A_STATS_MAX) || !tb[SEGOFF_A_STATS_IFINDEX] ||
	    !tb[SEGOFF_A_STATS_IFNAME] || !tb[SEGOFF_A_STATS_MODE] ||
	    !tb[SEGOFF_A_STATS_PROG_ID]) {
		l->bad = 1;
		return NL_SKIP;
	}
	for (i = 0; i < (int)N_COUNTERS; i++) {
		if (!tb[counters[i].attr]) {
			l->bad = 1;
			return NL_SKIP;
		}
	}
	if (l->n == l->cap) {
		v = realloc(l->v, (l->cap * 2 + 4) * sizeof(*v));
		if (!v) {
			l->bad = 1;
			return NL_STOP;
		}
		l->v = v;
		l->cap = l->cap * 2 + 4;
	}
	s = &l->v[l->n++];
	s->ifindex = nla_get_u32(tb[SEGOFF_A_STATS_IFINDEX]);
	snprintf(s->ifname, sizeof(s->ifname), "%s", nla_get_string(tb[SEGOFF_A_STATS_IFNAME]));
	s->mode = nla_get_u32(tb[SEGOFF_A_STATS_MODE]);
	s->prog_id = nla_get_u32(tb[SEGOFF_A_STATS_PROG_ID]);
	for (i = 0; i < (int)N_COUNTERS; i++)
		s->c[i] = nla_get_u64(tb[counters[i].attr]);
	return NL_OK;
}

static void stats_reset(void *arg)
{
	((struct stats_list *)arg)->n = 0;
}

/* A label value: backslash, double quote and newline escaped. */
static void prom_label(const char *key, const char *v, const char *sep)
{
	printf("%s=\"", key);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			printf("\\%c", *v);
		else if (*v == '\n')
			printf("\\n");
		else
			putchar(*v);
	}
	printf("\"%s", sep);
}

/* One family per counter, HELP and TYPE even with no binding to report. */
static void stats_prometheus(const struct stats_list *l)
{
	size_t i, k;

	for (k = 0; k < N_COUNTERS; k++) {
		printf("# HELP segoff_%s_total %s\n", counters[k].name, counters[k].help);
		printf("# TYPE segoff_%s_total counter\n", counters[k].name);
		for (i = 0; i < l->n; i++) {
			const struct stats *s = &l->v[i];

			printf("segoff_%s_total{", counters[k].name);
			prom_label("device", s->ifname, ",");
			prom_label("mode", snl_mode_name(s->mode), ",");
			printf("prog_id=\"%u\"} %llu\n", s->prog_id, (unsigned long long)s->c[k]);
		}
	}
	fflush(stdout);
}

static void stats_show(const struct stats_list *l, enum counters_format format)
{
	size_t i, k;

	if (format == FORMAT_PROMETHEUS) {
		stats_prometheus(l);
		return;
	}
	if (format == FORMAT_JSON)
		json_arr_open(NULL);
	for (i = 0; i < l->n; i++) {
		const struct stats *s = &l->v[i];

		if (format == FORMAT_JSON) {
			json_obj_open(NULL);
			json_u64("ifindex", s->ifindex);
			json_str("ifname", s->ifname);
			json_str("mode", snl_mode_name(s->mode));
			json_u64("prog_id", s->prog_id);
			for (k = 0; k < N_COUNTERS; k++)
				json_u64(counters[k].name, s->c[k]);
			json_obj_close();
			continue;
		}
		printf("dev %s (ifindex %u) mode %s prog id %u\n", s->ifname, s->ifindex,
		       snl_mode_name(s->mode), s->prog_id);
		for (k = 0; k < N_COUNTERS; k++)
			printf("  %-18s %llu\n", counters[k].name, (unsigned long long)s->c[k]);
	}
	if (format == FORMAT_JSON)
		json_arr_close();
	else
		fflush(stdout);
}

static int stats_query(struct snl_ctx *ctx, const char *dev, struct stats_list *l)
{
	struct nl_msg *msg = snl_request(ctx, SEGOFF_CMD_STATS_GET, dev ? 0 : NLM_F_DUMP);
	int err;

	l->n = 0;
	l->bad = 0;
	if (!msg || (dev && nla_put_string(msg, SEGOFF_A_STATS_IFNAME, dev))) {
		nlmsg_free(msg);
		return ctx->err = -ENOMEM;
	}
	err = snl_transact(ctx, msg, stats_parse, stats_reset, l);
	if (!err && l->bad)
		err = ctx->err = -EPROTO;
	return err;
}

static const char *const format_names[] = {
	[FORMAT_TEXT] = "text",
	[FORMAT_JSON] = "json",
	[FORMAT_PROMETHEUS] = "prometheus",
};

static int parse_format(const char *s, enum counters_format *format)
{
	size_t f;

	for (f = 0; f < sizeof(format_names) / sizeof(format_names[0]); f++) {
		if (!strcmp(s, format_names[f])) {
			*format = (enum counters_format)f;
			return 0;
		}
	}
	fprintf(stderr, "Unable to parse format `%s': must be text, json or prometheus\n", s);
	return -1;
}

static int parse_args(int argc, char **argv, const char **dev, double *watch,
		      enum counters_format *format)
{
	const char *val;
	int given = 0;

	for (argc--, argv++; argc > 0; argc -= 2, argv += 2) {
		if (strcmp(argv[0], "dev") && strcmp(argv[0], "watch") &&
		    strcmp(argv[0], "format")) {
			tool_bad_arg(argv[0]);
			return -1;
		}
		val = tool_value(argc, argv);
		if (!val)
			return -1;
		if (!strcmp(argv[0], "dev")) {
			*dev = val;
		} else if (!strcmp(argv[0], "format")) {
			if (parse_format(val, format))
				return -1;
			given = 1;
		} else if (tool_parse_seconds("watch", val, watch)) {
			return -1;
		} else if (*watch <= 0) {
			fprintf(stderr, "Unable to parse watch `%s': must be more than 0 seconds\n",
				val);
			return -1;
		}
	}
	if (tool_json && given && *format != FORMAT_JSON) {
		fprintf(stderr, "%s: -j and format %s contradict each other\n", prog_name,
			format_names[*format]);
		return -1;
	}
	if (tool_json)
		*format = FORMAT_JSON;
	/* one exposition per scrape: several in a row are not a valid file */
	if (*watch && *format == FORMAT_PROMETHEUS) {
		fprintf(stderr, "%s: format prometheus prints once, without watch: run it from a "
			"timer\n", prog_name);
		return -1;
	}
	return 0;
}

int counters_main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	enum counters_format format = FORMAT_TEXT;
	struct stats_list l = { 0 };
	char object[64] = "counters";
	const char *dev = NULL;
	struct timespec ts;
	double watch = 0;
	struct snl_ctx ctx;
	int ret;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))) {
		printf("Usage: %s %s " COUNTERS_ARGS "\n", prog_name, argv[0]);
		return 0;
	}
	if (parse_args(argc, argv, &dev, &watch, &format)) {
		fprintf(stderr, "Usage: %s %s " COUNTERS_ARGS "\n", prog_name, argv[0]);
		return 1;
	}
	if (dev)
		snprintf(object, sizeof(object), "counters of dev %s", dev);
	if (snl_open(&ctx))
		return 1;
	/* no SA_RESTART: the sleep ends at the signal */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (;;) {
		ret = stats_query(&ctx, dev, &l);
		if (ret) {
			if (ret == -EINTR && stop)
				ret = 0;
			else
				snl_perror(&ctx, "get", object);
			break;
		}
		stats_show(&l, format);
		if (!watch || stop)
			break;
		ts.tv_sec = (time_t)watch;
		ts.tv_nsec = (long)((watch - floor(watch)) * 1e9);
		if (nanosleep(&ts, NULL) && stop)
			break;
	}
	free(l.v);
	snl_close(&ctx);
	return ret ? 1 : 0;
}
