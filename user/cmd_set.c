// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * set dev IF [params]: changes the parameters of IF's binding live; the
 * module merges them with the current ones and rewrites the config map.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nl.h"
#include "tool.h"

static void set_usage(FILE *f, const char *name)
{
	fprintf(f, "Usage: %s %s dev IF [eps E] [scale S] [encoding fixed|double] [port P]\n"
		"       [arith exact|seed]\n", prog_name, name);
}

static int parse_args(struct tool_params *tp, const char **dev, int argc, char **argv)
{
	int n;

	for (argc--, argv++; argc > 0; argc -= n, argv += n) {
		n = tool_params_arg(tp, TOOL_P_ALL, argc, argv);
		if (n < 0)
			return -1;
		if (n)
			continue;
		if (strcmp(argv[0], "dev")) {
			tool_bad_arg(argv[0]);
			return -1;
		}
		*dev = tool_value(argc, argv);
		if (!*dev)
			return -1;
		n = 2;
	}
	if (!*dev || !tp->given) {
		fprintf(stderr, "%s: set needs `dev IF' and at least one parameter\n", prog_name);
		return -1;
	}
	return 0;
}

int set_main(int argc, char **argv)
{
	const char *dev = NULL;
	struct tool_params tp;
	char object[64];
	struct snl_ctx ctx;
	struct nl_msg *msg;
	int ret;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))) {
		set_usage(stdout, argv[0]);
		return 0;
	}
	tool_params_init(&tp);
	if (parse_args(&tp, &dev, argc, argv)) {
		set_usage(stderr, argv[0]);
		return 1;
	}
	snprintf(object, sizeof(object), "parameters of dev %s", dev);
	if (snl_open(&ctx))
		return 1;
	msg = snl_request(&ctx, SEGOFF_CMD_DEV_SET, 0);
	if (!msg || nla_put_string(msg, SEGOFF_A_DEV_IFNAME, dev) ||
	    snl_put_params(msg, &tp.p, tp.given)) {
		nlmsg_free(msg);
		ctx.err = ret = -ENOMEM;
	} else {
		ret = snl_transact(&ctx, msg, NULL, NULL, NULL);
	}
	if (ret)
		snl_perror(&ctx, "set", object);
	snl_close(&ctx);
	return ret ? 1 : 0;
}
