// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* show [dev IF]: the bindings of this network namespace, or IF's. */
#include <stdio.h>
#include <time.h>

#include "client.h"
#include "json.h"
#include "tool.h"

struct show {
	const char *dev;
};

static const struct tool_opt show_opts[] = {
	TOOL_OPT("dev", "IF", TOOL_OPT_STR, struct show, dev),
	TOOL_OPT_END
};

static void binding_json(const struct client_binding *b)
{
	const struct segoff_param_text *t;
	char val[TOOL_EPS_STRLEN];

	json_obj_open(NULL);
	json_u64("ifindex", b->ifindex);
	json_str("ifname", b->ifname);
	json_str("kind", client_kind_name(b->kind));
	json_str("mode", segoff_enum_name(SEGOFF_ENUM_MODE, b->mode));
	json_u64("prog_id", b->prog_id);
	json_u64("config_map_id", b->config_id);
	json_u64("counters_map_id", b->counters_id);
	json_u64("attach_time", b->attach_time);
	json_obj_open("params");
	/* eps as a string: a decimal that a JSON double would round */
	for (t = segoff_param_texts; t->key; t++) {
		if (t->names >= 0 || t->attr == SEGOFF_A_PARAMS_EPS)
			json_str(t->key, tool_param_value(&b->p, t, val, sizeof(val)));
		else
			json_u64(t->key, segoff_param_get(&b->p, t->attr));
	}
	json_obj_close();
	json_obj_close();
}

static void binding_print(const struct client_binding *b)
{
	time_t t = (time_t)(b->attach_time / 1000000000ULL);
	char when[64], params[160], dir[256];
	struct tm tm;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", localtime_r(&t, &tm));
	printf("dev %s (ifindex %u)\n", b->ifname, b->ifindex);
	if (b->kind == CLIENT_PINNED)
		printf("  held by: pinned link in %s\n", client_pin_dir(b->ifname, dir, sizeof(dir)));
	else
		printf("  held by: segoff.ko\n");
	printf("  mode: %s\n", segoff_enum_name(SEGOFF_ENUM_MODE, b->mode));
	printf("  program: id %u, config map id %u, counters map id %u\n", b->prog_id,
	       b->config_id, b->counters_id);
	printf("  attached: %s\n", when);
	printf("  %s\n", tool_params_str(&b->p, params, sizeof(params)));
}

int show_main(int argc, char **argv)
{
	struct client_bindings bs;
	struct show s = { 0 };
	char object[IF_NAMESIZE + 8] = "bindings";
	size_t i;
	int ret;

	ret = tool_opts_parse(show_opts, &s, argc, argv);
	if (ret)
		return ret < 0;
	if (s.dev)
		snprintf(object, sizeof(object), "dev %s", s.dev);
	ret = client_dev_get(s.dev, &bs);
	if (ret) {
		client_perror("show", object);
	} else if (tool_json) {
		json_arr_open(NULL);
		for (i = 0; i < bs.n; i++)
			binding_json(&bs.v[i]);
		json_arr_close();
	} else {
		for (i = 0; i < bs.n; i++)
			binding_print(&bs.v[i]);
	}
	client_bindings_free(&bs);
	client_close();
	return ret ? 1 : 0;
}
