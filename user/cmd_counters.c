// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * counters [dev IF] [format text|json|prometheus] [watch SECONDS]: the
 * bindings' counters, summed over CPUs by their holder (or read from the
 * device when offloaded); watch repeats every SECONDS until SIGINT or
 * SIGTERM. format prometheus prints the text exposition format, for
 * node_exporter's textfile collector.
 */
#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "json.h"
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
	{ SEGOFF_A_STATS_STREAMS, "streams", "Stream frames answered, a verdict per window." },
	{ SEGOFF_A_STATS_REFUSED, "refused",
	  "Stream frames refused: too few or too many samples for this mode." },
	{ SEGOFF_A_STATS_REPLIED, "replied", "Answers sent back to the sender (reply tx)." },
};

#define N_COUNTERS (sizeof(counters) / sizeof(counters[0]))

/* Every stats attribute after the binding's own (ifindex..prog_id) but pad is a counter. */
_Static_assert(N_COUNTERS == SEGOFF_A_STATS_MAX - SEGOFF_A_STATS_PROG_ID - 1,
	       "a SEGOFF_A_STATS_ counter is missing from the counters table");

enum counters_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_PROMETHEUS };

static const char *const format_names[] = {
	[FORMAT_TEXT] = "text",
	[FORMAT_JSON] = "json",
	[FORMAT_PROMETHEUS] = "prometheus",
};

struct counters_args {
	const char *dev, *format;
	double watch;
};

static const struct tool_opt counters_opts[] = {
	TOOL_OPT("dev", "IF", TOOL_OPT_STR, struct counters_args, dev),
	TOOL_OPT("format", "text|json|prometheus", TOOL_OPT_STR, struct counters_args, format),
	TOOL_OPT("watch", "SECONDS", TOOL_OPT_SECONDS, struct counters_args, watch, 0, 1),
	TOOL_OPT_END
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
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
static void stats_prometheus(const struct client_stats_list *l)
{
	size_t i, k;

	for (k = 0; k < N_COUNTERS; k++) {
		printf("# HELP segoff_%s_total %s\n", counters[k].name, counters[k].help);
		printf("# TYPE segoff_%s_total counter\n", counters[k].name);
		for (i = 0; i < l->n; i++) {
			const struct client_stats *s = &l->v[i];

			printf("segoff_%s_total{", counters[k].name);
			prom_label("device", s->ifname, ",");
			prom_label("mode", segoff_enum_name(SEGOFF_ENUM_MODE, s->mode), ",");
			printf("prog_id=\"%u\"} %llu\n", s->prog_id,
			       (unsigned long long)s->v[counters[k].attr]);
		}
	}
	fflush(stdout);
}

static void stats_show(const struct client_stats_list *l, enum counters_format format)
{
	size_t i, k;

	if (format == FORMAT_PROMETHEUS) {
		stats_prometheus(l);
		return;
	}
	if (format == FORMAT_JSON)
		json_arr_open(NULL);
	for (i = 0; i < l->n; i++) {
		const struct client_stats *s = &l->v[i];

		if (format == FORMAT_JSON) {
			json_obj_open(NULL);
			json_u64("ifindex", s->ifindex);
			json_str("ifname", s->ifname);
			json_str("mode", segoff_enum_name(SEGOFF_ENUM_MODE, s->mode));
			json_u64("prog_id", s->prog_id);
			for (k = 0; k < N_COUNTERS; k++)
				json_u64(counters[k].name, s->v[counters[k].attr]);
			json_obj_close();
			continue;
		}
		printf("dev %s (ifindex %u) mode %s prog id %u%s\n", s->ifname, s->ifindex,
		       segoff_enum_name(SEGOFF_ENUM_MODE, s->mode), s->prog_id,
		       s->kind == CLIENT_PINNED ? " (pinned)" : "");
		for (k = 0; k < N_COUNTERS; k++)
			printf("  %-18s %llu\n", counters[k].name, (unsigned long long)s->v[counters[k].attr]);
	}
	if (format == FORMAT_JSON)
		json_arr_close();
	else
		fflush(stdout);
}

static int parse_format(const struct counters_args *a, enum counters_format *format)
{
	size_t f;

	*format = tool_json ? FORMAT_JSON : FORMAT_TEXT;
	if (a->format) {
		for (f = 0; f < sizeof(format_names) / sizeof(format_names[0]); f++)
			if (!strcmp(a->format, format_names[f]))
				break;
		if (f == sizeof(format_names) / sizeof(format_names[0])) {
			fprintf(stderr, "Unable to parse format `%s': must be text, json or "
				"prometheus\n", a->format);
			return -1;
		}
		if (tool_json && f != FORMAT_JSON) {
			fprintf(stderr, "%s: -j and format %s contradict each other\n", prog_name,
				format_names[f]);
			return -1;
		}
		*format = (enum counters_format)f;
	}
	/* one exposition per scrape: several in a row are not a valid file */
	if (a->watch && *format == FORMAT_PROMETHEUS) {
		fprintf(stderr, "%s: format prometheus prints once, without watch: run it from a "
			"timer\n", prog_name);
		return -1;
	}
	return 0;
}

int counters_main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct client_stats_list l = { 0 };
	char object[IF_NAMESIZE + 24] = "counters";
	struct counters_args a = { 0 };
	enum counters_format format;
	struct timespec ts;
	int ret;

	ret = tool_opts_parse(counters_opts, &a, argc, argv);
	if (ret)
		return ret < 0;
	if (parse_format(&a, &format)) {
		tool_usage(stderr, argv[0], counters_opts);
		return 1;
	}
	if (a.dev)
		snprintf(object, sizeof(object), "counters of dev %s", a.dev);
	/* no SA_RESTART: the sleep ends at the signal */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (;;) {
		ret = client_stats_get(a.dev, &l);
		if (ret) {
			if (ret == -EINTR && stop)
				ret = 0;
			else
				client_perror("get", object);
			break;
		}
		stats_show(&l, format);
		if (!a.watch || stop)
			break;
		ts.tv_sec = (time_t)a.watch;
		ts.tv_nsec = (long)((a.watch - floor(a.watch)) * 1e9);
		if (nanosleep(&ts, NULL) && stop)
			break;
	}
	client_stats_free(&l);
	client_close();
	return ret ? 1 : 0;
}
