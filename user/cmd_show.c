// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* show [dev IF]: the bindings of this network namespace, or IF's. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "nl.h"
#include "tool.h"

struct binding {
	uint32_t ifindex, mode, prog_id, config_id, counters_id;
	char ifname[IF_NAMESIZE];
	uint64_t attach_time;
	struct segoff_params p;
};

struct bindings {
	struct binding *v;
	size_t n, cap;
	int bad;			/* a reply lacked an attribute */
};

static int binding_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[SEGOFF_A_DEV_MAX + 1];
	struct bindings *bs = arg;
	struct binding *b, *v;

	if (snl_parse(msg, tb, SEGOFF_A_DEV_MAX) || !tb[SEGOFF_A_DEV_IFINDEX] ||
	    !tb[SEGOFF_A_DEV_IFNAME] || !tb[SEGOFF_A_DEV_MODE] || !tb[SEGOFF_A_DEV_PROG_ID] ||
	    !tb[SEGOFF_A_DEV_CONFIG_ID] || !tb[SEGOFF_A_DEV_COUNTERS_ID] ||
	    !tb[SEGOFF_A_DEV_ATTACH_TIME]) {
		bs->bad = 1;
		return NL_SKIP;
	}
	if (bs->n == bs->cap) {
		v = realloc(bs->v, (bs->cap * 2 + 4) * sizeof(*v));
		if (!v) {
			bs->bad = 1;
			return NL_STOP;
		}
		bs->v = v;
		bs->cap = bs->cap * 2 + 4;
	}
	b = &bs->v[bs->n];
	if (snl_get_params(tb[SEGOFF_A_DEV_PARAMS], &b->p)) {
		bs->bad = 1;
		return NL_SKIP;
	}
	b->ifindex = nla_get_u32(tb[SEGOFF_A_DEV_IFINDEX]);
	snprintf(b->ifname, sizeof(b->ifname), "%s", nla_get_string(tb[SEGOFF_A_DEV_IFNAME]));
	b->mode = nla_get_u32(tb[SEGOFF_A_DEV_MODE]);
	b->prog_id = nla_get_u32(tb[SEGOFF_A_DEV_PROG_ID]);
	b->config_id = nla_get_u32(tb[SEGOFF_A_DEV_CONFIG_ID]);
	b->counters_id = nla_get_u32(tb[SEGOFF_A_DEV_COUNTERS_ID]);
	b->attach_time = nla_get_u64(tb[SEGOFF_A_DEV_ATTACH_TIME]);
	bs->n++;
	return NL_OK;
}

static void bindings_reset(void *arg)
{
	((struct bindings *)arg)->n = 0;
}

static void binding_json(const struct binding *b)
{
	char eps[TOOL_EPS_STRLEN];

	json_obj_open(NULL);
	json_u64("ifindex", b->ifindex);
	json_str("ifname", b->ifname);
	json_str("mode", snl_mode_name(b->mode));
	json_u64("prog_id", b->prog_id);
	json_u64("config_map_id", b->config_id);
	json_u64("counters_map_id", b->counters_id);
	json_u64("attach_time", b->attach_time);
	json_obj_open("params");
	json_str("eps", tool_eps_str(b->p.eps, eps));
	json_u64("scale", b->p.scale);
	json_str("encoding", segoff_encoding_name(b->p.encoding));
	json_u64("port", b->p.port);
	json_str("arith", segoff_arith_name(b->p.arith));
	json_obj_close();
	json_obj_close();
}

static void binding_print(const struct binding *b)
{
	time_t t = (time_t)(b->attach_time / 1000000000ULL);
	char eps[TOOL_EPS_STRLEN], when[64];
	struct tm tm;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", localtime_r(&t, &tm));
	printf("dev %s (ifindex %u)\n", b->ifname, b->ifindex);
	printf("  mode: %s\n", snl_mode_name(b->mode));
	printf("  program: id %u, config map id %u, counters map id %u\n", b->prog_id,
	       b->config_id, b->counters_id);
	printf("  attached: %s\n", when);
	printf("  eps %s scale %u encoding %s port %u arith %s\n", tool_eps_str(b->p.eps, eps),
	       b->p.scale, segoff_encoding_name(b->p.encoding), b->p.port,
	       segoff_arith_name(b->p.arith));
}

int show_main(int argc, char **argv)
{
	struct bindings bs = { 0 };
	const char *dev = NULL;
	char object[64] = "bindings";
	struct snl_ctx ctx;
	struct nl_msg *msg;
	size_t i;
	int ret;

	if (argc == 3 && !strcmp(argv[1], "dev")) {
		dev = argv[2];
		snprintf(object, sizeof(object), "dev %s", dev);
	} else if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))) {
		printf("Usage: %s %s [dev IF]\n", prog_name, argv[0]);
		return 0;
	} else if (argc != 1) {
		fprintf(stderr, "Usage: %s %s [dev IF]\n", prog_name, argv[0]);
		return 1;
	}
	if (snl_open(&ctx))
		return 1;
	msg = snl_request(&ctx, SEGOFF_CMD_DEV_GET, dev ? 0 : NLM_F_DUMP);
	if (!msg || (dev && nla_put_string(msg, SEGOFF_A_DEV_IFNAME, dev))) {
		nlmsg_free(msg);
		ctx.err = -ENOMEM;
		ret = ctx.err;
	} else {
		ret = snl_transact(&ctx, msg, binding_parse, bindings_reset, &bs);
	}
	if (!ret && bs.bad)
		ctx.err = ret = -EPROTO;
	if (ret) {
		snl_perror(&ctx, "show", object);
	} else if (tool_json) {
		json_arr_open(NULL);
		for (i = 0; i < bs.n; i++)
			binding_json(&bs.v[i]);
		json_arr_close();
	} else {
		for (i = 0; i < bs.n; i++)
			binding_print(&bs.v[i]);
	}
	free(bs.v);
	snl_close(&ctx);
	return ret ? 1 : 0;
}
