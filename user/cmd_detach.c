// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* detach dev IF: drops IF's binding; the program leaves the device. */
#include <stdio.h>

#include "client.h"
#include "tool.h"

struct detach {
	const char *dev;
};

static const struct tool_opt detach_opts[] = {
	TOOL_OPT("dev", "IF", TOOL_OPT_STR, struct detach, dev, TOOL_OPT_REQUIRED),
	TOOL_OPT_END
};

int detach_main(int argc, char **argv)
{
	struct detach d = { 0 };
	char object[IF_NAMESIZE + 8];
	int ret;

	ret = tool_opts_parse(detach_opts, &d, argc, argv);
	if (ret)
		return ret < 0;
	snprintf(object, sizeof(object), "dev %s", d.dev);
	ret = client_dev_detach(d.dev);
	if (ret)
		client_perror("detach", object);
	client_close();
	return ret ? 1 : 0;
}
