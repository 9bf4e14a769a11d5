// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * attach dev IF: loads the segoff object for IF and hands the program,
 * its maps and the parameters to segoff.ko, which holds the attachment
 * after this process exits.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>

#include "nl.h"
#include "tool.h"

static void attach_usage(FILE *f, const char *name)
{
	fprintf(f, "Usage: %s %s dev IF [mode offload|native|generic] [obj PATH] [eps E]\n"
		"       [scale S] [encoding fixed|double] [port P] [arith exact|seed] [replace]\n",
		prog_name, name);
}

struct attach {
	const char *dev, *obj;
	uint32_t mode;
	int replace;
	struct tool_params tp;
};

static int parse_args(struct attach *a, int argc, char **argv)
{
	const char *val;
	int n;

	for (argc--, argv++; argc > 0; argc -= n, argv += n) {
		n = tool_params_arg(&a->tp, TOOL_P_ALL, argc, argv);
		if (n < 0)
			return -1;
		if (n)
			continue;
		n = 2;
		if (!strcmp(argv[0], "replace")) {
			a->replace = 1;
			n = 1;
			continue;
		}
		if (strcmp(argv[0], "dev") && strcmp(argv[0], "obj") && strcmp(argv[0], "mode")) {
			tool_bad_arg(argv[0]);
			return -1;
		}
		val = tool_value(argc, argv);
		if (!val)
			return -1;
		if (!strcmp(argv[0], "dev")) {
			a->dev = val;
		} else if (!strcmp(argv[0], "obj")) {
			a->obj = val;
		} else if (snl_parse_mode(val, &a->mode)) {
			fprintf(stderr, "Unable to parse mode `%s': must be offload, native or generic\n",
				val);
			return -1;
		}
	}
	if (!a->dev) {
		fprintf(stderr, "%s: attach needs `dev IF'\n", prog_name);
		return -1;
	}
	return 0;
}

static int send_attach(struct snl_ctx *ctx, const struct attach *a, const struct segoff_obj *o)
{
	struct nl_msg *msg = snl_request(ctx, SEGOFF_CMD_DEV_ATTACH, 0);

	if (!msg || nla_put_string(msg, SEGOFF_A_DEV_IFNAME, a->dev) ||
	    nla_put_u32(msg, SEGOFF_A_DEV_MODE, a->mode) ||
	    nla_put_s32(msg, SEGOFF_A_DEV_PROG_FD, o->prog_fd) ||
	    nla_put_s32(msg, SEGOFF_A_DEV_CONFIG_FD, o->config_fd) ||
	    nla_put_s32(msg, SEGOFF_A_DEV_COUNTERS_FD, o->counters_fd) ||
	    (a->replace && nla_put_u32(msg, SEGOFF_A_DEV_FLAGS, SEGOFF_ATTACH_F_REPLACE)) ||
	    snl_put_params(msg, &a->tp.p, a->tp.given)) {
		nlmsg_free(msg);
		ctx->err = -ENOMEM;
		return ctx->err;
	}
	return snl_transact(ctx, msg, NULL, NULL, NULL);
}

/* -v, offload: the size of the device's program, which bounds what it can run */
static void print_offload_size(int prog_fd)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len)) {
		fprintf(stderr, "Unable to read the program's info: %s\n", strerror(errno));
		return;
	}
	printf("prog id %u: %u BPF instructions", info.id, info.xlated_prog_len / 8);
	/* an NFP instruction is 64 bits; netdevsim translates nothing */
	if (info.jited_prog_len)
		printf(", %u NFP instructions", info.jited_prog_len / 8);
	putchar('\n');
}

int attach_main(int argc, char **argv)
{
	struct attach a = { .mode = SEGOFF_MODE_NATIVE };
	struct segoff_obj o = { .prog_fd = -1 };
	char object[IF_NAMESIZE + 8], err[256];
	struct segoff_config c;
	struct snl_ctx ctx;
	int ifindex, ret;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))) {
		attach_usage(stdout, argv[0]);
		return 0;
	}
	tool_params_init(&a.tp);
	if (parse_args(&a, argc, argv)) {
		attach_usage(stderr, argv[0]);
		return 1;
	}
	if (tool_params_config(&a.tp, NULL, &c))
		return 1;
	snprintf(object, sizeof(object), "dev %s", a.dev);
	ifindex = (int)if_nametoindex(a.dev);
	if (!ifindex) {
		fprintf(stderr, "Unable to find %s: %s\n", object, strerror(errno));
		return 1;
	}
	if (snl_open(&ctx))
		return 1;
	ret = segoff_obj_load(&o, a.obj, a.mode, ifindex, tool_verbose, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "%s\n", err);
		snl_close(&ctx);
		return 1;
	}
	ret = send_attach(&ctx, &a, &o);
	if (ret)
		snl_perror(&ctx, "attach", object);
	else if (tool_verbose && a.mode == SEGOFF_MODE_OFFLOAD)
		print_offload_size(o.prog_fd);
	/* the module holds its own references now */
	segoff_obj_close(&o);
	snl_close(&ctx);
	return ret ? 1 : 0;
}
