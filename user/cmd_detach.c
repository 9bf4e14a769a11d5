// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* detach dev IF: drops IF's binding; the program leaves the device. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nl.h"
#include "tool.h"

int detach_main(int argc, char **argv)
{
	const char *dev = NULL;
	char object[64];
	struct snl_ctx ctx;
	struct nl_msg *msg;
	int ret;

	if (argc == 3 && !strcmp(argv[1], "dev")) {
		dev = argv[2];
	} else if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))) {
		printf("Usage: %s %s dev IF\n", prog_name, argv[0]);
		return 0;
	} else {
		fprintf(stderr, "Usage: %s %s dev IF\n", prog_name, argv[0]);
		return 1;
	}
	snprintf(object, sizeof(object), "dev %s", dev);
	if (snl_open(&ctx))
		return 1;
	msg = snl_request(&ctx, SEGOFF_CMD_DEV_DETACH, 0);
	if (!msg || nla_put_string(msg, SEGOFF_A_DEV_IFNAME, dev)) {
		nlmsg_free(msg);
		ctx.err = -ENOMEM;
		ret = ctx.err;
	} else {
		ret = snl_transact(&ctx, msg, NULL, NULL, NULL);
	}
	if (ret)
		snl_perror(&ctx, "detach", object);
	snl_close(&ctx);
	return ret ? 1 : 0;
}
