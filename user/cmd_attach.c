// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * attach dev IF: loads the segoff object for IF and has segoff.ko hold the
 * attachment (or, with `pin` or without the module, a pinned BPF link),
 * which outlives this process. Only the parameters given are sent: the
 * holder merges them over the defaults.
 */
#include <stdio.h>

#include "client.h"
#include "tool.h"

struct attach {
	const char *dev, *obj;
	uint32_t mode;
	int replace, pin;
	struct tool_params tp;
};

static const struct tool_opt attach_opts[] = {
	TOOL_OPT("dev", "IF", TOOL_OPT_STR, struct attach, dev, TOOL_OPT_REQUIRED),
	TOOL_OPT("mode", NULL, TOOL_OPT_MODE, struct attach, mode),
	TOOL_OPT("obj", "PATH", TOOL_OPT_STR, struct attach, obj),
	TOOL_OPT_PARAMS_OF(struct attach, tp, SEGOFF_PARAM_F_ALL),
	TOOL_OPT("replace", NULL, TOOL_OPT_FLAG, struct attach, replace),
	TOOL_OPT("pin", NULL, TOOL_OPT_FLAG, struct attach, pin),
	TOOL_OPT_END
};

/* -v, offload: the size of the device's program, which bounds what it can run */
static void print_offload_size(const struct client_attach *a)
{
	printf("prog id %u: %u BPF instructions", a->prog_id, a->xlated_insns);
	/* an NFP instruction is 64 bits; netdevsim translates nothing */
	if (a->jited_bytes)
		printf(", %u NFP instructions", a->jited_bytes / 8);
	putchar('\n');
}

int attach_main(int argc, char **argv)
{
	struct attach a = { .mode = SEGOFF_MODE_NATIVE };
	struct client_attach req;
	struct segoff_config c;
	char object[IF_NAMESIZE + 8];
	int ret;

	ret = tool_opts_parse(attach_opts, &a, argc, argv);
	if (ret)
		return ret < 0;
	req = (struct client_attach){
		.dev = a.dev, .obj = a.obj, .mode = a.mode, .replace = a.replace, .pin = a.pin,
		.p = a.tp.p, .given = a.tp.given,
	};
	/* refused here with the holder's own words, before anything is loaded */
	if (tool_params_config(&a.tp, NULL, &c))
		return 1;
	snprintf(object, sizeof(object), "dev %s", a.dev);
	ret = client_dev_attach(&req);
	if (ret)
		client_perror("attach", object);
	else if (tool_verbose && a.mode == SEGOFF_MODE_OFFLOAD)
		print_offload_size(&req);
	client_close();
	return ret ? 1 : 0;
}
