// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * monitor: prints the module's attach and detach events, one line each,
 * until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <netlink/genl/ctrl.h>

#include "json.h"
#include "nl.h"
#include "tool.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int event_print(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[SEGOFF_A_DEV_MAX + 1];
	int attach = gh->cmd == SEGOFF_CMD_DEV_ATTACH_NTF;
	const char *ifname, *what;
	uint32_t ifindex;

	(void)arg;
	if ((!attach && gh->cmd != SEGOFF_CMD_DEV_DETACH_NTF) ||
	    snl_parse(msg, tb, SEGOFF_A_DEV_MAX) || !tb[SEGOFF_A_DEV_IFINDEX] ||
	    !tb[SEGOFF_A_DEV_IFNAME] || !tb[SEGOFF_A_DEV_MODE] ||
	    (!attach && !tb[SEGOFF_A_DEV_DETACH_REASON])) {
		fprintf(stderr, "%s: ignoring a malformed event (command %u)\n", prog_name,
			gh->cmd);
		return NL_SKIP;
	}
	ifindex = nla_get_u32(tb[SEGOFF_A_DEV_IFINDEX]);
	ifname = nla_get_string(tb[SEGOFF_A_DEV_IFNAME]);
	what = attach ? snl_mode_name(nla_get_u32(tb[SEGOFF_A_DEV_MODE]))
		      : snl_reason_name(nla_get_u32(tb[SEGOFF_A_DEV_DETACH_REASON]));
	if (tool_json) {
		json_obj_open(NULL);
		json_str("event", attach ? "attach" : "detach");
		json_u64("ifindex", ifindex);
		json_str("ifname", ifname);
		json_str(attach ? "mode" : "reason", what);
		json_obj_close();
	} else {
		printf("%s dev %s (ifindex %u) %s %s\n", attach ? "attach" : "detach", ifname,
		       ifindex, attach ? "mode" : "reason", what);
		fflush(stdout);
	}
	return NL_OK;
}

int monitor_main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct snl_ctx ctx;
	struct pollfd pfd;
	int grp, err = 0;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))) {
		printf("Usage: %s %s\n", prog_name, argv[0]);
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "Usage: %s %s\n", prog_name, argv[0]);
		return 1;
	}
	if (snl_open(&ctx))
		return 1;
	grp = genl_ctrl_resolve_grp(ctx.sk, SEGOFF_FAMILY_NAME, SEGOFF_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(ctx.sk, grp) ||
	    nl_socket_set_nonblocking(ctx.sk)) {
		fprintf(stderr, "Unable to join the %s group: %s\n", SEGOFF_MCGRP_EVENTS,
			nl_geterror(grp < 0 ? grp : -NLE_FAILURE));
		snl_close(&ctx);
		return 1;
	}
	nl_socket_disable_seq_check(ctx.sk);
	nl_socket_modify_cb(ctx.sk, NL_CB_VALID, NL_CB_CUSTOM, event_print, NULL);
	/* libnl restarts recvmsg() on EINTR: wait in poll(), which a signal ends */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	pfd.fd = nl_socket_get_fd(ctx.sk);
	pfd.events = POLLIN;
	while (!stop) {
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			fprintf(stderr, "Unable to wait for events: %s\n", strerror(errno));
			break;
		}
		err = nl_recvmsgs_default(ctx.sk);
		if (err == -NLE_AGAIN) {
			err = 0;
		} else if (err < 0) {
			fprintf(stderr, "Unable to receive events: %s\n", nl_geterror(err));
			break;
		}
	}
	snl_close(&ctx);
	return err < 0 ? 1 : 0;
}
