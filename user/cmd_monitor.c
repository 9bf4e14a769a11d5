// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * monitor: prints the module's attach and detach events, one line each,
 * until SIGINT or SIGTERM.
 */
#include <signal.h>
#include <stdio.h>

#include "client.h"
#include "json.h"
#include "tool.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int event_print(const struct client_event *e, void *arg)
{
	const char *what = e->attach ? segoff_enum_name(SEGOFF_ENUM_MODE, e->mode)
				     : segoff_enum_name(SEGOFF_ENUM_REASON, e->reason);

	(void)arg;
	if (tool_json) {
		json_obj_open(NULL);
		json_str("event", e->attach ? "attach" : "detach");
		json_u64("ifindex", e->ifindex);
		json_str("ifname", e->ifname);
		json_str(e->attach ? "mode" : "reason", what);
		json_obj_close();
	} else {
		printf("%s dev %s (ifindex %u) %s %s\n", e->attach ? "attach" : "detach", e->ifname,
		       e->ifindex, e->attach ? "mode" : "reason", what);
		fflush(stdout);
	}
	return 0;
}

static const struct tool_opt monitor_opts[] = { TOOL_OPT_END };

int monitor_main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int ret;

	ret = tool_opts_parse(monitor_opts, NULL, argc, argv);
	if (ret)
		return ret < 0;
	/* no SA_RESTART: poll() ends at the signal */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = client_events(event_print, NULL, &stop);
	if (ret)
		client_perror("monitor", "events");
	client_close();
	return ret ? 1 : 0;
}
