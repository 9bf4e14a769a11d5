// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * counters [dev IF] [watch SECONDS]: the bindings' counters, summed over
 * CPUs by the module (or read from the device when offloaded); watch
 * repeats every SECONDS until SIGINT or SIGTERM.
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

#define N_COUNTERS (SEGOFF_A_STATS_OTHER - SEGOFF_A_STATS_FRAMES + 1)

/* in the order of struct segoff_counters and SEGOFF_A_STATS_FRAMES.. */
static const char *const counter_names[N_COUNTERS] = {
	"frames", "windows", "split", "nosplit", "invalid_truncated", "invalid_range",
	"invalid_nan", "other",
};

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
	for (i = 0; i < N_COUNTERS; i++) {
		if (!tb[SEGOFF_A_STATS_FRAMES + i]) {
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
	for (i = 0; i < N_COUNTERS; i++)
		s->c[i] = nla_get_u64(tb[SEGOFF_A_STATS_FRAMES + i]);
	return NL_OK;
}

static void stats_reset(void *arg)
{
	((struct stats_list *)arg)->n = 0;
}

static void stats_show(const struct stats_list *l)
{
	size_t i;
	int k;

	if (tool_json)
		json_arr_open(NULL);
	for (i = 0; i < l->n; i++) {
		const struct stats *s = &l->v[i];

		if (tool_json) {
			json_obj_open(NULL);
			json_u64("ifindex", s->ifindex);
			json_str("ifname", s->ifname);
			json_str("mode", snl_mode_name(s->mode));
			json_u64("prog_id", s->prog_id);
			for (k = 0; k < N_COUNTERS; k++)
				json_u64(counter_names[k], s->c[k]);
			json_obj_close();
			continue;
		}
		printf("dev %s (ifindex %u) mode %s prog id %u\n", s->ifname, s->ifindex,
		       snl_mode_name(s->mode), s->prog_id);
		for (k = 0; k < N_COUNTERS; k++)
			printf("  %-18s %llu\n", counter_names[k], (unsigned long long)s->c[k]);
	}
	if (tool_json)
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

static int parse_args(int argc, char **argv, const char **dev, double *watch)
{
	const char *val;

	for (argc--, argv++; argc > 0; argc -= 2, argv += 2) {
		if (strcmp(argv[0], "dev") && strcmp(argv[0], "watch")) {
			tool_bad_arg(argv[0]);
			return -1;
		}
		val = tool_value(argc, argv);
		if (!val)
			return -1;
		if (!strcmp(argv[0], "dev"))
			*dev = val;
		else if (tool_parse_seconds("watch", val, watch))
			return -1;
		else if (*watch <= 0) {
			fprintf(stderr, "Unable to parse watch `%s': must be more than 0 seconds\n",
				val);
			return -1;
		}
	}
	return 0;
}

int counters_main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct stats_list l = { 0 };
	char object[64] = "counters";
	const char *dev = NULL;
	struct timespec ts;
	double watch = 0;
	struct snl_ctx ctx;
	int ret;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))) {
		printf("Usage: %s %s [dev IF] [watch SECONDS]\n", prog_name, argv[0]);
		return 0;
	}
	if (parse_args(argc, argv, &dev, &watch)) {
		fprintf(stderr, "Usage: %s %s [dev IF] [watch SECONDS]\n", prog_name, argv[0]);
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
		stats_show(&l);
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
