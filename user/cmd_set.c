// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * set dev IF [params]: changes the parameters of IF's binding live; the
 * holder merges the given ones over the current ones and rewrites the
 * config map.
 */
#include <stdio.h>

#include "client.h"
#include "tool.h"

struct set {
	const char *dev;
	struct tool_params tp;
};

static const struct tool_opt set_opts[] = {
	TOOL_OPT("dev", "IF", TOOL_OPT_STR, struct set, dev, TOOL_OPT_REQUIRED),
	TOOL_OPT_PARAMS_OF(struct set, tp, SEGOFF_PARAM_F_ALL),
	TOOL_OPT_END
};

int set_main(int argc, char **argv)
{
	struct set s = { 0 };
	char object[IF_NAMESIZE + 32];
	int ret;

	ret = tool_opts_parse(set_opts, &s, argc, argv);
	if (ret)
		return ret < 0;
	if (!s.tp.given) {
		fprintf(stderr, "%s: set needs `dev IF' and at least one parameter\n", prog_name);
		tool_usage(stderr, argv[0], set_opts);
		return 1;
	}
	snprintf(object, sizeof(object), "parameters of dev %s", s.dev);
	ret = client_dev_set(s.dev, &s.tp.p, s.tp.given);
	if (ret)
		client_perror("set", object);
	client_close();
	return ret ? 1 : 0;
}
